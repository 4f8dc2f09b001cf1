"""The living proof suite as a pytest plugin.

Every `.py` file in a `theorems/` directory is a lemma module: importing it declares lemmas,
and each lemma becomes one test item whose outcome is its verdict. The item passes when the
verdict is the one the lemma `expect`s (or, with no `expect`, unless it is `conflict`).

Results cross pytest-xdist workers in `report.user_properties`; the controller collects them in
`pytest_runtest_logreport` and writes the report at the end of the session, also when lemmas
crashed or modules failed to import.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from proofs import pins, prop, sim
from proofs.checks import run_lemma
from proofs.registry import REGISTRY
from proofs.report import build_status, expectation_message, result_record, write_report
from proofs.report.build import provenance
from proofs.status import STATUS_INFO, Status

RESULT_PROPERTY = "proof_result"
COLLECTION_ERROR_PROPERTY = "proof_collection_error"
THEOREMS_DIR = "theorems"



def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("proofs", "living proof suite")
    group.addoption("--proof-report", metavar="DIR", default=None,
                    help="directory for status.json, STATUS.md, .smt2 files and plots (default: <rootdir>/reports)")
    group.addoption("--proof-scale", choices=sim.SCALES, default="default",
                    help="simulation size: 'default' finishes in seconds, 'full' is the size the claims are about")
    group.addoption("--proof-seed", type=int, default=0, metavar="N",
                    help="base seed mixed into every per-lemma seed (default 0)")


def _report_dir(config: pytest.Config) -> Path:
    chosen = config.getoption("proof_report")
    return Path(chosen).resolve() if chosen else config.rootpath / "reports"


def _hypothesis_profile(config: pytest.Config) -> str:
    return config.getoption("hypothesis_profile", None) or prop.DEFAULT_PROFILE


def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def pytest_configure(config: pytest.Config) -> None:
    prop.activate(_hypothesis_profile(config))
    if not _is_worker(config):
        config.pluginmanager.register(ProofSession(config), "proofs-session")


def pytest_report_header(config: pytest.Config) -> str:
    return (f"proofs: report in {_report_dir(config)}, seed {config.getoption('proof_seed')}, "
            f"scale {config.getoption('proof_scale')}, hypothesis profile {_hypothesis_profile(config)}")


# -- collection ---------------------------------------------------------------------------------


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.suffix == ".py" and file_path.parent.name == THEOREMS_DIR and not file_path.name.startswith("_"):
        return LemmaModule.from_parent(parent, path=file_path)
    return None


class LemmaModule(pytest.Module):
    """A theorems module: importing it declares its lemmas; each lemma is one item."""

    def collect(self):
        try:
            module = self.obj  # imports the module, which declares its lemmas
        except self.CollectError as failure:
            # pytest would interrupt the whole session on a collection error; one broken module
            # must not stop the others, so it becomes one failing item instead.
            yield BrokenModuleItem.from_parent(self, name=self.path.name, reason=str(failure))
            return
        for lemma in REGISTRY.lemmas(module=module.__name__):
            yield LemmaItem.from_parent(self, name=lemma.id, lemma_id=lemma.id)


class BrokenModuleItem(pytest.Item):
    """Stands for a theorems module that failed to import: its lemmas are missing from the run."""

    def __init__(self, *, reason: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.reason = reason

    def runtest(self) -> None:
        last = next((l for l in reversed(self.reason.splitlines()) if l.startswith("E ")), self.reason.splitlines()[-1])
        self.user_properties.append((COLLECTION_ERROR_PROPERTY, f"{self.path.name}: {last.removeprefix('E').strip()}"))
        raise ModuleBroken(self.reason)

    def repr_failure(self, excinfo, style=None) -> str:
        return f"theorems module {self.path.name} failed to import; its lemmas did not run:\n{self.reason}"

    def reportinfo(self):
        return self.path, None, f"module {self.path.name}"


class ModuleBroken(Exception):
    pass


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    REGISTRY.resolve_missing()


class VerdictMismatch(Exception):
    """The verdict differs from the lemma's `expect`, or the evidence is in conflict."""

    def __init__(self, message: str, record: dict[str, Any]) -> None:
        super().__init__(message)
        self.record = record


class LemmaItem(pytest.Item):
    def __init__(self, *, lemma_id: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lemma_id = lemma_id

    def runtest(self) -> None:
        config = self.config
        lemma = REGISTRY.get(self.lemma_id)
        verdict = run_lemma(lemma, REGISTRY, _report_dir(config), config.getoption("proof_seed"),
                            config.getoption("proof_scale"), _hypothesis_profile(config))
        record = result_record(lemma, verdict)
        manifest = pins.manifest_path(self.path)
        pinned = pins.load_manifest(manifest)
        record["fingerprint"] = pins.fingerprint(lemma, REGISTRY.checks(lemma.id))
        record["pin"] = pins.pin_state(lemma.id, record["fingerprint"], pinned).value
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


# -- results, gathered on the controller ----------------------------------------------------------


def _record_of(report: pytest.TestReport) -> dict[str, Any] | None:
    for name, value in report.user_properties:
        if name == RESULT_PROPERTY:
            return json.loads(value)
    return None


def pytest_report_teststatus(report: pytest.TestReport, config: pytest.Config):
    """Show the suite's own words (PROVED, REFUTED, ...) while it runs."""
    if report.when != "call":
        return None
    record = _record_of(report)
    if record is None:
        return None
    word = record["status"].upper()
    if report.passed:
        return record["status"], word[0], word
    expected = record["expected"]
    return "failed", "F", f"{word} (expected {expected.upper()})" if expected else word


class ProofSession:
    """The controller's state for one run: results from every worker, then the report."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.started = time.perf_counter()
        self.results: dict[str, dict[str, Any]] = {}
        self.collection_errors: list[str] = []
        self.written: Path | None = None

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when != "call":
            return
        if (record := _record_of(report)) is not None:
            self.results[record["id"]] = record
        self.collection_errors.extend(v for k, v in report.user_properties if k == COLLECTION_ERROR_PROPERTY)

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if not self.results and not self.collection_errors:
            return  # not a proof run (e.g. `pytest tests/`): leave any earlier report alone
        config = self.config
        document = build_status(
            self.results.values(),
            provenance(config.rootpath, config.getoption("proof_seed"), config.getoption("proof_scale"),
                       _hypothesis_profile(config)),
            self.collection_errors,
            time.perf_counter() - self.started,
        )
        self.written = _report_dir(config)
        write_report(document, self.written)
        self.summary = document["summary"]

    def pytest_terminal_summary(self, terminalreporter) -> None:
        if self.written is None:
            return
        summary, total = self.summary, self.summary["total"]
        terminalreporter.section("proof suite")
        for status in Status:
            if count := summary["by_status"][status.value]:
                terminalreporter.write_line(f"{status.value:>9}: {count} of {total}   ({STATUS_INFO[status].meaning})")
        terminalreporter.write_line(f"fully proved: {summary['fully_proved']} of {total}")
        for error in summary["collection_errors"]:
            terminalreporter.write_line(f"module failed to load: {error}", red=True)
        if summary["expectation_mismatches"]:
            terminalreporter.write_line("verdicts that moved: " + ", ".join(summary["expectation_mismatches"]), red=True)
        terminalreporter.write_line(f"report: {self.written / 'index.html'} (also status.json and STATUS.md)")
