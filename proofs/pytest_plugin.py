"""The pytest entry point of the living proof suite: light, and inert unless lemmas are collected.

Loaded through the `pytest11` entry point in every environment where the package is installed,
so it imports nothing but pytest and the standard library, changes no setting (Hypothesis'
included), and prints nothing for a project without lemma modules; the way Hypothesis' own
plugin (`_hypothesis_pytestplugin.py`) and pytest's junitxml keep to themselves until asked.
The suite proper (`proofs.suite`: collecting lemma modules, running lemmas, the report) is
imported only when a file in the project's theorems folder is collected.

Results cross pytest-xdist workers in `report.user_properties`; the controller gathers them in
`pytest_runtest_logreport` and writes the report at the end of the session, also when lemmas
crashed or modules failed to import.
"""

from __future__ import annotations

import fnmatch
import json
import time
from pathlib import Path
from typing import Any

import pytest

from proofs.wire import COLLECTION_ERROR_PROPERTY, RESULT_PROPERTY, hypothesis_profile  # noqa: F401

SESSION_KEY = pytest.StashKey["ProofSession"]()
THEOREMS_DIRS_KEY = pytest.StashKey[dict]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("proofs", "living proof suite")
    group.addoption("--proof-report", metavar="DIR", default=None,
                    help="directory for status.json, STATUS.md, index.html, .smt2 files and plots "
                         "(default: [tool.proofs] report, else <project root>/reports)")
    group.addoption("--proof-scale", choices=("default", "full"), default="default",
                    help="simulation size: 'default' finishes in seconds, 'full' is the size the claims are about")
    group.addoption("--proof-seed", type=int, default=0, metavar="N",
                    help="base seed mixed into every per-lemma seed (default 0)")
    group.addoption("--proof-profile", choices=("dev", "ci", "thorough"), default=None,
                    help="Hypothesis profile of the lemmas' property tests (default: ci under CI=true, else dev); "
                         "tests that are not lemmas keep their own")
    group.addoption("--proof-reuse", action="store_true", default=False,
                    help="reuse the verdict on record for every lemma whose fingerprint is unchanged")
    group.addoption("--proof-coq", choices=("auto", "on", "off"), default="auto",
                    help="re-check every proved symbolic goal with Coq's kernel (coqc): 'auto' (default) when coqc "
                         "is installed, 'on', or 'off'")
    group.addoption("--proof-cluster", metavar="ADDRESS", default=None,
                    help="run chunked simulations on Dask: 'local' for a local cluster sized to the machine, "
                         "or a scheduler address such as tcp://host:8786")


def pytest_configure(config: pytest.Config) -> None:
    config.stash[THEOREMS_DIRS_KEY] = {}
    if not hasattr(config, "workerinput"):  # the xdist controller or a plain run gathers the results
        session = ProofSession(config)
        config.stash[SESSION_KEY] = session
        config.pluginmanager.register(session, "proofs-session")


# -- collection ---------------------------------------------------------------------------------


def is_lemma_module(file_path: Path, config: pytest.Config) -> bool:
    """A .py file (not _private) of its project's theorems folder: directly in it (a family module)
    or in a family package directly in it (one module per claim)."""
    if file_path.suffix != ".py" or file_path.name.startswith("_"):
        return False
    folder = file_path.parent
    known: dict[Path, bool] = config.stash[THEOREMS_DIRS_KEY]
    if folder not in known:
        from proofs.config import load  # stdlib only: tomllib
        from proofs.layout import family_of_file

        try:
            theorems = load(folder).theorems
        except Exception:  # a malformed [tool.proofs] is reported by the suite, not here
            theorems = folder if folder.name == "theorems" else folder.parent
        known[folder] = family_of_file(file_path, theorems) is not None
    return known[folder]


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makemodule(module_path: Path, parent: pytest.Collector):
    """A lemma module named on the command line (or matching python_files) is collected by the
    suite, not as a test module, so an import error becomes one failing item there too."""
    if is_lemma_module(module_path, parent.config):
        from proofs.suite import LemmaModule

        return LemmaModule.from_parent(parent, path=module_path)
    return None


def pytest_collect_file(file_path: Path, parent: pytest.Collector):
    if not is_lemma_module(file_path, parent.config):
        return None
    if parent.session.isinitpath(file_path):
        return None  # pytest's python plugin asks pytest_pycollect_makemodule, above
    if any(fnmatch.fnmatch(file_path.name, pattern) for pattern in parent.config.getini("python_files")):
        return None  # likewise
    from proofs.suite import LemmaModule

    return LemmaModule.from_parent(parent, path=file_path)


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    if any(type(item).__module__ == "proofs.suite" for item in items):
        from proofs.suite import resolve_dependencies

        resolve_dependencies(config)


# -- results, gathered on the controller ----------------------------------------------------------


def record_of(report: pytest.TestReport) -> dict[str, Any] | None:
    for name, value in report.user_properties:
        if name == RESULT_PROPERTY:
            return json.loads(value)
    return None


def pytest_report_teststatus(report: pytest.TestReport, config: pytest.Config):
    """Show the suite's own words (PROVED, REFUTED, ...) while it runs."""
    if report.when != "call":
        return None
    record = record_of(report)
    if record is None:
        return None
    word = record["status"].upper() + (" (reused)" if record.get("reused") else "")
    if record.get("kind") == "axiom" and report.passed:  # cited, never proved: not counted as a verdict
        return "axiom", "A", "AXIOM (cited)"
    if report.passed:
        return record["status"], record["status"][0].upper(), word
    expected = record["expected"]
    return "failed", "F", f"{word} (expected {expected.upper()})" if expected else word


class ProofSession:
    """The controller's state for one run: results from every worker, then the report. Idle (and
    importing nothing) in a run that collects no lemma."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.started = time.perf_counter()
        self.results: dict[str, dict[str, Any]] = {}
        self.collection_errors: list[str] = []
        self.written: Path | None = None
        self.summary: dict[str, Any] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when != "call":
            return
        if (record := record_of(report)) is not None:
            self.results[record["id"]] = record
            if any((e.get("facts") or {}).get("coq_goal") for e in record.get("evidence", ())):
                from proofs.suite import kernel_recheck  # only a run whose engines stated goals in Coq

                kernel_recheck(self.config, record)
        self.collection_errors.extend(v for k, v in report.user_properties if k == COLLECTION_ERROR_PROPERTY)

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if not self.results and not self.collection_errors:
            return  # not a proof run (e.g. `pytest tests/`): leave any earlier report alone
        from proofs.suite import write_session_report

        self.written, self.summary = write_session_report(self.config, self.results, self.collection_errors,
                                                          time.perf_counter() - self.started)
        if self.summary.get("kernel", {}).get("conflicts"):  # a translation Coq contradicts fails the run
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter) -> None:
        if self.written is None:
            return
        from proofs.suite import terminal_summary

        terminal_summary(terminalreporter, self.summary, self.written)
