"""The living proof suite under pytest: lemma modules and items, reuse, and the report of a run.

Imported by the entry-point plugin (`proofs.pytest_plugin`) only once a lemma module is collected.
Every `.py` file in the project's theorems folder is a lemma module: importing it declares
lemmas, and each lemma becomes one test item whose outcome is its verdict. The item passes when
the verdict is the one the lemma `expect`s (or, with no `expect`, unless it is `conflict` or
`error`) and its pin is unchanged.

A run of part of the suite (one module, `-k`) updates the lemmas it checked and carries the
others over from the report on record, each with when and at which commit it was checked, and
marked stale when its fingerprint changed since. With `--proof-reuse`, a lemma whose reuse key
is unchanged is not checked again: its verdict on record is reused and marked so.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import pytest

from proofs import pins, prop, recheck
from proofs.checks import run_lemma
from proofs.config import ProjectConfig, load
from proofs.errors import author_location
from proofs.records import CheckContext
from proofs.registry import REGISTRY, module_names
from proofs.report import build_status, expectation_message, result_record, write_report
from proofs.report.build import engine_versions, git_commit, provenance
from proofs.status import STATUS_INFO, Status
from proofs.wire import COLLECTION_ERROR_PROPERTY, RESULT_PROPERTY, hypothesis_profile

PROJECT_KEY = pytest.StashKey[ProjectConfig]()
STATE_KEY = pytest.StashKey[dict]()


def project(config: pytest.Config, near: Path | None = None) -> ProjectConfig:
    """The project whose lemmas this run checks (found from the first lemma module collected)."""
    if PROJECT_KEY not in config.stash:
        config.stash[PROJECT_KEY] = load(near or config.rootpath)
    return config.stash[PROJECT_KEY]


def _state(config: pytest.Config) -> dict[str, Any]:
    """Per-process memo: the commit, the report on record (for reuse), reuse keys computed so far."""
    if STATE_KEY not in config.stash:
        config.stash[STATE_KEY] = {"keys": {}}
    return config.stash[STATE_KEY]


def report_dir(config: pytest.Config, proj: ProjectConfig) -> Path:
    chosen = config.getoption("proof_report")
    return Path(chosen).resolve() if chosen else proj.report


def check_context(config: pytest.Config, proj: ProjectConfig) -> CheckContext:
    return CheckContext(report_dir(config, proj), config.getoption("proof_seed"), config.getoption("proof_scale"),
                        hypothesis_profile(config), config.getoption("proof_cluster"),
                        kernel=recheck.wanted(config.getoption("proof_coq")))


def settings_of(config: pytest.Config) -> dict[str, Any]:
    """What a verdict depends on besides code: part of every reuse key."""
    return {"seed": config.getoption("proof_seed"), "scale": config.getoption("proof_scale"),
            "profile": hypothesis_profile(config), "coq": recheck.wanted(config.getoption("proof_coq"))}


def kernel_recheck(config: pytest.Config, record: dict[str, Any]) -> None:
    """Hand a lemma's goals, stated in Coq by its engines, to the run's background re-check."""
    state = _state(config)
    if "recheck" not in state:
        proj = _project_of_records(config, {record["id"]: record})
        state["recheck"] = recheck.Recheck(report_dir(config, proj) / "coq",
                                           reuse=bool(config.getoption("proof_reuse")))
    state["recheck"].add(record)


# -- collection ---------------------------------------------------------------------------------


class LemmaModule(pytest.Module):
    """A theorems module: importing it declares its lemmas; each lemma is one item."""

    def collect(self):
        project(self.config, self.path)
        try:
            with prop.lemma_profile(hypothesis_profile(self.config)):
                module = self.obj  # imports the module, which declares its lemmas
        except Exception as failure:  # noqa: BLE001 - any import failure becomes one failing item
            # pytest would interrupt the whole session on a collection error; one broken module
            # must not stop the others, so it becomes one failing item instead.
            yield BrokenModuleItem.from_parent(self, name=self.path.name, reason=_import_failure(failure))
            return
        for lemma in REGISTRY.lemmas(module=module.__name__):
            yield LemmaItem.from_parent(self, name=lemma.id, lemma_id=lemma.id)


def _import_failure(failure: BaseException) -> str:
    """The message of a module that failed to import, at the author's line."""
    cause = failure.__cause__ or failure.__context__ or failure
    if isinstance(failure, pytest.Collector.CollectError) and not failure.__cause__:
        text = str(failure)
        last = next((l for l in reversed(text.splitlines()) if l.startswith("E ")), text.splitlines()[-1])
        return last.removeprefix("E").strip()
    where = author_location(cause.__traceback__)
    return f"{type(cause).__name__}: {cause}" + (f" (at {where})" if where else "")


class BrokenModuleItem(pytest.Item):
    """Stands for a theorems module that failed to import: its lemmas are missing from the run."""

    def __init__(self, *, reason: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.reason = reason

    def runtest(self) -> None:
        self.user_properties.append((COLLECTION_ERROR_PROPERTY, f"{self.path.name}: {self.reason}"))
        raise ModuleBroken(self.reason)

    def repr_failure(self, excinfo, style=None) -> str:
        return f"theorems module {self.path.name} failed to import; its lemmas did not run:\n{self.reason}"

    def reportinfo(self):
        return self.path, None, f"module {self.path.name}"


class ModuleBroken(Exception):
    pass


def resolve_dependencies(config: pytest.Config) -> None:
    with prop.lemma_profile(hypothesis_profile(config)):
        REGISTRY.resolve_missing()


# -- running a lemma ---------------------------------------------------------------------------------


class VerdictMismatch(Exception):
    """The verdict differs from the lemma's `expect`, or the evidence is in conflict."""

    def __init__(self, message: str, record: dict[str, Any]) -> None:
        super().__init__(message)
        self.record = record


def fingerprint_of(lemma_id: str, config: pytest.Config, proj: ProjectConfig) -> str:
    prints = _state(config).setdefault("fingerprints", {})
    if lemma_id not in prints:
        prints[lemma_id] = pins.fingerprint(REGISTRY.get(lemma_id), REGISTRY.checks(lemma_id), proj.root)
    return prints[lemma_id]


def reuse_key_of(lemma_id: str, config: pytest.Config, proj: ProjectConfig) -> str:
    keys = _state(config)["keys"]
    if lemma_id not in keys:
        lemma = REGISTRY.get(lemma_id)
        keys[lemma_id] = "cycle"  # a cycle is reported as a problem; it must not recurse forever
        used = [reuse_key_of(u, config, proj) for u in lemma.uses if u in REGISTRY]
        keys[lemma_id] = pins.reuse_key(lemma, fingerprint_of(lemma_id, config, proj), proj.root,
                                        settings_of(config), engine_versions(), used)
    return keys[lemma_id]


def _on_record(config: pytest.Config, proj: ProjectConfig) -> dict[str, dict[str, Any]]:
    state = _state(config)
    if "on_record" not in state:
        path = report_dir(config, proj) / "status.json"
        try:
            state["on_record"] = {l["id"]: l for l in json.loads(path.read_text())["lemmas"]}
        except (OSError, ValueError, KeyError):
            state["on_record"] = {}
    return state["on_record"]


def _commit(config: pytest.Config, proj: ProjectConfig) -> str | None:
    state = _state(config)
    if "commit" not in state:
        state["commit"] = git_commit(proj.root)
    return state["commit"]


def source_location(declared_at: str, root: Path) -> dict[str, Any] | None:
    """Where a lemma is declared, for the reader of a card: the file relative to the project root
    (as written when it lies outside it) and the line."""
    path, _, line = declared_at.rpartition(":")
    if not path or not line.isdigit():
        return None
    file = Path(path).resolve()
    shown = file.relative_to(root.resolve()).as_posix() if file.is_relative_to(root.resolve()) else file.as_posix()
    return {"path": shown, "line": int(line)}


class LemmaItem(pytest.Item):
    def __init__(self, *, lemma_id: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lemma_id = lemma_id

    def runtest(self) -> None:
        config, proj = self.config, project(self.config)
        lemma = REGISTRY.get(self.lemma_id)
        key = reuse_key_of(lemma.id, config, proj)
        previous = _on_record(config, proj).get(lemma.id) if config.getoption("proof_reuse") else None
        if previous is not None and previous.get("reuse_key") == key and previous["status"] != Status.ERROR:
            record = {**previous, "reused": True, "carried_over": False, "stale": False}
        else:
            verdict = run_lemma(lemma, REGISTRY, check_context(config, proj))
            record = result_record(lemma, verdict, _commit(config, proj))
        manifest = pins.manifest_path(proj.theorems)
        pinned = pins.load_manifest(manifest)
        record["fingerprint"] = fingerprint_of(lemma.id, config, proj)
        record["reuse_key"] = key
        record["pin"] = pins.pin_state(lemma.id, record["fingerprint"], pinned).value
        record["project_root"] = str(proj.root)
        record["source_location"] = source_location(lemma.declared_at, proj.root)
        self.user_properties.append((RESULT_PROPERTY, json.dumps(record)))
        messages = [expectation_message(record["expected"], record["status"])]
        if record["pin"] == pins.Pin.CHANGED:
            messages.append(pins.change_message(lemma.id, pinned[lemma.id], record["fingerprint"], manifest))
        if any(messages):
            raise VerdictMismatch("; ".join(m for m in messages if m), record)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style=None) -> str:
        if not isinstance(excinfo.value, VerdictMismatch):
            return super().repr_failure(excinfo)
        record = excinfo.value.record
        lines = [f"{self.lemma_id}: {excinfo.value}"]
        lines += [f"  problem: {p}" for p in record["problems"]]
        for e in record["evidence"]:
            lines.append(f"  [{e['status']}] {e['engine']} {e['check']}: {e['detail']}")
            if e["counterexample"] is not None:
                lines.append(f"      counterexample: {json.dumps(e['counterexample'])}")
        return "\n".join(lines)

    def reportinfo(self):
        return self.path, None, f"lemma {self.lemma_id}"


# -- the report of a run -----------------------------------------------------------------------------


def _project_of_records(config: pytest.Config, results: dict[str, dict[str, Any]]) -> ProjectConfig:
    if PROJECT_KEY in config.stash:
        return config.stash[PROJECT_KEY]
    root = next((r.get("project_root") for r in results.values() if r.get("project_root")), None)
    return project(config, Path(root) if root else None)


def _carry_over(config: pytest.Config, proj: ProjectConfig, results: dict[str, dict[str, Any]],
                directory: Path) -> dict[str, dict[str, Any]]:
    """The lemmas on record that this run did not check and that are still declared, marked with
    when they were checked and whether their fingerprint changed since."""
    try:
        previous = json.loads((directory / "status.json").read_text())["lemmas"]
    except (OSError, ValueError, KeyError):
        return {}
    missing = [l for l in previous if l["id"] not in results]
    if not missing:
        return {}
    broken: set[str] = set()
    with prop.lemma_profile(hypothesis_profile(config)):
        for name in module_names(proj.theorems):
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001 - a broken module's lemmas stay on record, marked stale
                broken.add(name)
    carried = {}
    for record in missing:
        if record["id"] in REGISTRY:
            lemma = REGISTRY.get(record["id"])
            current = pins.fingerprint(lemma, REGISTRY.checks(lemma.id), proj.root)
            carried[record["id"]] = {**record, "carried_over": True, "reused": False,
                                     "stale": record.get("fingerprint") != current}
        elif record.get("module") in broken:
            carried[record["id"]] = {**record, "carried_over": True, "reused": False, "stale": True}
    return carried


def _keep_mutants(records: dict[str, dict[str, Any]], directory: Path) -> None:
    """Mutation results (from `python -m proofs mutate`) stay with a lemma while its fingerprint is unchanged."""
    try:
        previous = {l["id"]: l for l in json.loads((directory / "status.json").read_text())["lemmas"]}
    except (OSError, ValueError, KeyError):
        return
    for lemma_id, record in records.items():
        before = previous.get(lemma_id, {})
        mutants = before.get("mutants")
        if mutants and mutants.get("fingerprint") == record.get("fingerprint"):
            record["mutants"] = mutants


def write_session_report(config: pytest.Config, results: dict[str, dict[str, Any]], collection_errors: list[str],
                         wall_time_s: float) -> tuple[Path, dict[str, Any]]:
    proj = _project_of_records(config, results)
    directory = report_dir(config, proj)
    records = {k: {key: value for key, value in v.items() if key != "project_root"} for k, v in results.items()}
    for record in records.values():
        record.setdefault("carried_over", False)
    option = config.getoption("proof_coq")
    manager = _state(config).get("recheck")
    results = manager.finish() if manager is not None else {}
    reason = (manager.failure if manager is not None else None) or (
        None if recheck.wanted(option) else recheck.why_not(option))
    recheck.merge(records.values(), results, reason)
    carried = _carry_over(config, proj, records, directory)
    _keep_mutants(records, directory)
    claims = None
    if proj.claims is not None:
        from proofs import claims as claim_data

        claims = claim_data.load(proj.claims)
    document = build_status(
        [*records.values(), *carried.values()],
        provenance(proj.root, config.getoption("proof_seed"), config.getoption("proof_scale"),
                   hypothesis_profile(config)),
        collection_errors,
        wall_time_s,
        claims=claims,
        project={"title": proj.title, "subtitle": proj.subtitle, "families": dict(proj.families)},
        run={"checked": len(records), "carried_over": len(carried), "partial": bool(carried),
             "reuse": bool(config.getoption("proof_reuse")), "cluster": config.getoption("proof_cluster"),
             "kernel_recheck": {"ran": recheck.wanted(option), "reason": reason, "coq": _coq_version(option)}},
    )
    write_report(document, directory)
    return directory, document["summary"]


def _coq_version(option: str) -> str | None:
    if not recheck.wanted(option):
        return None
    from proofs import coq

    return coq.version()


def terminal_summary(terminalreporter, summary: dict[str, Any], written: Path) -> None:
    total = summary["total"]
    terminalreporter.section("proof suite")
    for status in Status:
        if count := summary["by_status"][status.value]:
            terminalreporter.write_line(f"{status.value:>9}: {count} of {total}   ({STATUS_INFO[status].meaning})")
    terminalreporter.write_line(f"fully proved: {summary['fully_proved']} of {total}"
                                + (f" (modulo {summary['axioms']} cited axiom(s))" if summary["axioms"] else ""))
    shared = summary.get("one_statement")
    if shared and shared["lemmas"]:
        terminalreporter.write_line(
            f"one statement: of {shared['lemmas']} proved or tested lemmas, {len(shared['every_check_evaluates_it'])} "
            f"declare their claim and every check evaluates it; {len(shared['some_check_does_not'])} declare one that "
            f"some check does not evaluate; {len(shared['no_claim_with_reason'])} declare none and say why"
            + (f", {len(shared['no_claim_without_reason'])} without a reason" if shared["no_claim_without_reason"] else ""))
    checked = summary.get("kernel")
    if checked is not None:
        if checked["ran"]:
            terminalreporter.write_line(
                f"kernel-checked by Coq {checked['coq'] or ''}: {checked['checked']} of {checked['proved_goals']} proved "
                f"symbolic goals; {len(checked['fully_kernel_checked'])} of {checked['fully_proved']} fully proved "
                f"lemmas fully kernel-checked")
        elif checked["reason"]:
            terminalreporter.write_line(f"kernel re-check: {checked['reason']}")
        if checked["conflicts"]:
            terminalreporter.write_line("Coq contradicts the translation of: " + ", ".join(checked["conflicts"]),
                                        red=True)
    proofs = summary["proofs"]
    if proofs["never_evaluated"]:
        terminalreporter.write_line(f"proved goals never evaluated numerically: {', '.join(proofs['never_evaluated'])}",
                                    yellow=True)
    if summary["reused"]:
        terminalreporter.write_line(f"reused from the report on record: {len(summary['reused'])} lemma(s)")
    if summary["carried_over"]:
        stale = f", {len(summary['stale'])} stale" if summary["stale"] else ""
        terminalreporter.write_line(f"partial run: {len(summary['carried_over'])} lemma(s) carried over from the "
                                    f"report on record{stale}")
    for error in summary["collection_errors"]:
        terminalreporter.write_line(f"module failed to load: {error}", red=True)
    if summary["expectation_mismatches"]:
        terminalreporter.write_line("verdicts that moved: " + ", ".join(summary["expectation_mismatches"]), red=True)
    if summary["failures_without_expectation"]:
        terminalreporter.write_line("errors and conflicts: " + ", ".join(summary["failures_without_expectation"]),
                                    red=True)
    terminalreporter.write_line(f"report: {written / 'index.html'} (also status.json and STATUS.md)")
