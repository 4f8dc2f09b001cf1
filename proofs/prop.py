"""The property-testing engine; the only module that imports hypothesis' internals.

A property check is an ordinary `@given` test:

    @LEMMA.check("hypothesis")
    @given(n=st.integers(1, 10**7), p=st.floats(0.01, 0.99))
    def squared_form_numerically(a, b): assert ...

Outcomes: passing is `tested` (never `proved`); a failed assertion is `refuted`, with the
shrunk example, which hypothesis replays last, as the counterexample in plain numbers; any
other exception is `error`; inputs that `assume` rejects in the majority, or that never meet
it, are `vacuous`. Counterexamples kept in `theorems/counterexamples.json` (written by
`python -m proofs pin`) are replayed as explicit examples on every run, so a refutation found
once stays found whatever the seed.
"""

from __future__ import annotations

import contextlib
import inspect
import json
import os
import time
from pathlib import Path
from typing import Any, Iterator

import hypothesis
from hypothesis import HealthCheck, Phase, settings
from hypothesis.errors import FailedHealthCheck, Unsatisfiable, UnsatisfiedAssumption

from proofs.errors import InvalidCheck, InvalidArgument
from proofs.records import Check, CheckContext
from proofs.status import Evidence, Status

ENGINE = "hypothesis"

# Profiles: `dev` for quick local runs, `ci` (the default under CI=true) and `thorough`. They are
# registered under the names proofs-dev, proofs-ci, proofs-thorough, so that Hypothesis' own `ci`
# profile and a project's own profiles are never overwritten, and they apply to lemma checks only
# (see `lemma_profile`): the plugin changes nothing for tests that are not lemmas.
# Databases are off so that a run's verdicts depend only on the seed derived from the lemma id;
# the explain phase is off because the counterexample is read from the final replayed call, and
# one (shrunk) failure is reported, not a group of distinct ones.
_COMMON = dict(database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow],
               print_blob=False, report_multiple_bugs=False, phases=[p for p in Phase if p is not Phase.explain])
PROFILES = {"dev": 100, "ci": 200, "thorough": 2000}  # max_examples of each
for _name, _examples in PROFILES.items():
    settings.register_profile(f"proofs-{_name}", max_examples=_examples, **_COMMON)
DEFAULT_PROFILE = "ci" if os.environ.get("CI") else "dev"


@contextlib.contextmanager
def lemma_profile(profile: str) -> Iterator[None]:
    """Make the proof suite's `profile` Hypothesis' default while theorems modules are imported.

    Hypothesis reads its default settings when a test is decorated, so a lemma's property test
    (and an author's own `@settings`, which inherits from the default) takes the suite's profile,
    and everything imported outside this block keeps whatever profile its project chose."""
    if profile not in PROFILES:
        raise InvalidArgument(f"hypothesis profile {profile!r} is not one of {sorted(PROFILES)}")
    previous = settings.get_current_profile_name()
    settings.load_profile(f"proofs-{profile}")
    try:
        yield
    finally:
        settings.load_profile(previous)


def _plain(value: Any) -> Any:
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    if hasattr(value, "item") and getattr(value, "ndim", 1) == 0:  # numpy scalar
        return value.item()
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return repr(value)


def run(check: Check, context: CheckContext) -> list[Evidence]:
    test = check.fn
    if not hasattr(test, "hypothesis"):
        raise InvalidCheck(f"hypothesis check {check.name!r} is not decorated with @given")
    calls: list[dict[str, Any]] = []
    counts = {"valid": 0, "rejected": 0}
    original_inner = test.hypothesis.inner_test

    def recording_inner(*args: Any, **kwargs: Any) -> Any:
        calls.append(kwargs)
        try:
            result = original_inner(*args, **kwargs)
        except UnsatisfiedAssumption:
            counts["rejected"] += 1
            raise
        counts["valid"] += 1
        return result

    test.hypothesis.inner_test = recording_inner
    started = time.perf_counter()
    runnable = hypothesis.seed(context.seed)(test)  # composes with an author's own @settings
    regressions = regression_examples(check)
    explicit_before = list(getattr(test, "hypothesis_explicit_examples", []))
    for arguments in regressions:  # counterexamples found before, replayed first on every run
        runnable = hypothesis.example(**arguments)(runnable)

    def evidence(status: Status, detail: str, counterexample: dict | None = None) -> list[Evidence]:
        return [Evidence(ENGINE, status, f"hypothesis {hypothesis.__version__} ({context.hypothesis_profile}, "
                                         f"seed {context.seed}): {detail}", counterexample,
                         time.perf_counter() - started, (), check.name)]

    try:
        try:
            runnable()
        except ExceptionGroup as group:  # several distinct failures under an author's own settings
            failures = group.subgroup(AssertionError)
            raise (failures.exceptions[0] if failures else group) from None
    except AssertionError as failure:
        example = {k: _plain(v) for k, v in calls[-1].items()} if calls else None
        message = str(failure).strip().splitlines()[0] if str(failure).strip() else "assertion failed"
        return evidence(Status.REFUTED, f"falsified after shrinking: {message}", example)
    except (Unsatisfiable, FailedHealthCheck) as reason:
        first = str(reason).strip().splitlines()[0]
        return evidence(Status.VACUOUS, f"no usable inputs: {first}")
    finally:
        test.hypothesis.inner_test = original_inner
        if hasattr(test, "hypothesis_explicit_examples"):
            test.hypothesis_explicit_examples[:] = explicit_before  # leave the function as it was
    valid, rejected = counts["valid"], counts["rejected"]
    if valid == 0 or rejected > valid:
        return evidence(Status.VACUOUS, f"assumptions rejected {rejected} of {valid + rejected} inputs")
    kept = f", including {len(regressions)} kept counterexample(s)" if regressions else ""
    return evidence(Status.TESTED, f"{valid} examples passed{kept}, {rejected} rejected by assumptions; "
                                   f"no counterexample")


REGRESSIONS = "counterexamples.json"


def regressions_path(module_file: str | Path) -> Path:
    """The committed file of kept counterexamples, next to the theorems modules."""
    return Path(module_file).resolve().parent / REGRESSIONS


def regression_examples(check: Check) -> list[dict[str, Any]]:
    path = regressions_path(inspect.getfile(inspect.unwrap(check.fn)))
    if not path.exists():
        return []
    kept = json.loads(path.read_text()).get("lemmas", {})
    return list(kept.get(check.lemma_id, {}).get(check.name, []))


def keep_counterexamples(path: Path, document: dict[str, Any]) -> int:
    """Add every hypothesis counterexample of a report to the kept ones; return how many are new."""
    kept = json.loads(path.read_text()).get("lemmas", {}) if path.exists() else {}
    added = 0
    for lemma in document["lemmas"]:
        for e in lemma["evidence"]:
            example = e["counterexample"]
            if e["engine"] != ENGINE or e["status"] != Status.REFUTED or not example:
                continue
            if any(isinstance(v, str) for v in example.values()):
                continue  # a repr, not a value hypothesis can be given again
            examples = kept.setdefault(lemma["id"], {}).setdefault(e["check"], [])
            if example not in examples:
                examples.append(example)
                added += 1
    path.write_text(json.dumps({"schema_version": 1, "lemmas": kept}, indent=2, sort_keys=True) + "\n")
    return added
