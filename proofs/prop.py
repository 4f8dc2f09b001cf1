"""The property-testing engine; the only module that imports hypothesis' internals.

A property check is an ordinary `@given` test:

    @LEMMA.check("hypothesis")
    @given(n=st.integers(1, 10**7), p=st.floats(0.01, 0.99))
    def threshold_matches_softmax(n, p): assert ...

Outcomes: passing is `tested` (never `proved`); a failed assertion is `refuted`, with the
shrunk example, which hypothesis replays last, as the counterexample in plain numbers; any
other exception is `error`; inputs that `assume` rejects in the majority, or that never meet
it, are `vacuous`.
"""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING, Any

import hypothesis
from hypothesis import HealthCheck, Phase, settings
from hypothesis.errors import FailedHealthCheck, Unsatisfiable, UnsatisfiedAssumption

from proofs.status import Evidence, Status

if TYPE_CHECKING:
    from proofs.checks import CheckContext
    from proofs.lemma import Check

ENGINE = "hypothesis"

# Profiles: `dev` for quick local runs, `ci` (the default under CI=true) and `thorough`.
# Databases are off so that a run's verdicts depend only on the seed derived from the lemma id;
# the explain phase is off because the counterexample is read from the final replayed call.
_COMMON = dict(database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow],
               print_blob=False, phases=[p for p in Phase if p is not Phase.explain])
settings.register_profile("dev", max_examples=100, **_COMMON)
settings.register_profile("ci", max_examples=200, **_COMMON)
settings.register_profile("thorough", max_examples=2000, **_COMMON)
DEFAULT_PROFILE = "ci" if os.environ.get("CI") else "dev"


def activate(profile: str) -> None:
    """Make `profile` the default. Hypothesis reads settings when a test is decorated, so this
    must run before the theorems modules are imported (the pytest plugin does it at configure)."""
    settings.load_profile(profile)


activate(DEFAULT_PROFILE)


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
        raise TypeError(f"hypothesis check {check.name!r} is not decorated with @given")
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

    def evidence(status: Status, detail: str, counterexample: dict | None = None) -> list[Evidence]:
        return [Evidence(ENGINE, status, f"hypothesis {hypothesis.__version__} ({context.hypothesis_profile}, "
                                         f"seed {context.seed}): {detail}", counterexample,
                         time.perf_counter() - started, (), check.name)]

    try:
        runnable()
    except AssertionError as failure:
        example = {k: _plain(v) for k, v in calls[-1].items()} if calls else None
        message = str(failure).strip().splitlines()[0] if str(failure).strip() else "assertion failed"
        return evidence(Status.REFUTED, f"falsified after shrinking: {message}", example)
    except (Unsatisfiable, FailedHealthCheck) as reason:
        first = str(reason).strip().splitlines()[0]
        return evidence(Status.VACUOUS, f"no usable inputs: {first}")
    finally:
        test.hypothesis.inner_test = original_inner
    valid, rejected = counts["valid"], counts["rejected"]
    if valid == 0 or rejected > valid:
        return evidence(Status.VACUOUS, f"assumptions rejected {rejected} of {valid + rejected} inputs")
    return evidence(Status.TESTED, f"{valid} examples passed, {rejected} rejected by assumptions; "
                                   f"no counterexample")
