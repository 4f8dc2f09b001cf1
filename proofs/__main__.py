"""The command line: `python -m proofs VERB ...`, reading the report of the last run.

Exit codes (DESIGN.md): 0 when every verdict matches its `expect`, 1 when one does not or
there is a conflict, 2 for a usage or tool error (no report, unknown id).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, Sequence

import networkx as nx
from rich.console import Console
from rich.table import Table

from proofs.lemma import close_matches
from proofs.registry import dependency_graph
from proofs.report import load_status, write_graph, write_report
from proofs.report.write import ReportMissing
from proofs.scaffold import ScaffoldError, new_lemma
from proofs.status import STATUS_INFO, Status

EXIT_OK, EXIT_MISMATCH, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A mistake in how the command was called; the message says how to fix it."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m proofs", description=__doc__.splitlines()[0])
    parser.add_argument("--report-dir", type=Path, default=Path("reports"),
                        help="where the last run wrote status.json (default: reports)")
    # --report-dir is accepted before or after the verb
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--report-dir", type=Path, default=argparse.SUPPRESS, help="as above")
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")

    def verb(name: str, **options):
        return verbs.add_parser(name, parents=[common], **options)

    status = verb("status", help="the table of lemmas and verdicts, or one lemma in full")
    status.add_argument("id", nargs="?", help="a lemma id, e.g. context.softmax_crowding")
    status.add_argument("--json", action="store_true", help="print JSON instead of a table")
    why = verb("why", help="what a lemma rests on and what blocks it from being fully proved")
    why.add_argument("id", help="a lemma id")
    verb("report", help="re-render STATUS.md and index.html from the last status.json, without "
                                    "re-running any check")
    verb("graph", help="write the dependency graph as graph.svg, graph.dot and graph.graphml")
    new = verb("new", help="scaffold a lemma (and its module) with the four parts laid out")
    new.add_argument("family", help="the theorems module, e.g. context")
    new.add_argument("name", help="the lemma's snake_case name, e.g. softmax_crowding")
    new.add_argument("--theorems-dir", type=Path, default=Path("theorems"), help="default: theorems")
    pin = verb("pin", help="record the current statements and encodings as the ones the project "
                                       "stands by (theorems/statements.lock.json), and keep the last report's "
                                       "hypothesis counterexamples (theorems/counterexamples.json)")
    pin.add_argument("ids", nargs="*", help="lemma ids to pin (default: every lemma)")
    pin.add_argument("--theorems-dir", type=Path, default=Path("theorems"), help="default: theorems")
    check = verb("check", help="run one lemma's checks now, with a progress bar (the report is not changed)")
    check.add_argument("id", help="a lemma id")
    check.add_argument("--scale", choices=("default", "full"), default="default", help="simulation size")
    check.add_argument("--seed", type=int, default=0, help="base seed (default 0)")
    simulate = verb("simulate", help="run one lemma's simulations, at full size with --scale full, "
                                                 "with a progress bar; writes the plots and prints the figures")
    simulate.add_argument("id", help="a lemma id")
    simulate.add_argument("--scale", choices=("default", "full"), default="full", help="simulation size (default full)")
    simulate.add_argument("--seed", type=int, default=0, help="base seed (default 0)")
    return parser


def _lemma(document: dict[str, Any], lemma_id: str) -> dict[str, Any]:
    by_id = {l["id"]: l for l in document["lemmas"]}
    if lemma_id not in by_id:
        raise UsageError(f"no lemma {lemma_id!r} in the report{close_matches(lemma_id, list(by_id))}")
    return by_id[lemma_id]


def _exit_code(lemmas: Sequence[dict[str, Any]]) -> int:
    bad = any(not l["matches_expectation"] or l["status"] == Status.CONFLICT or l.get("pin") == "changed"
              for l in lemmas)
    return EXIT_MISMATCH if bad else EXIT_OK


def _styled(status: str) -> str:
    return f"[bold {STATUS_INFO[Status(status)].colour}]{status}[/]"


def status_command(document: dict[str, Any], lemma_id: str | None, as_json: bool, console: Console) -> int:
    if lemma_id is not None:
        lemma = _lemma(document, lemma_id)
        if as_json:
            print(json.dumps(lemma, indent=2, ensure_ascii=False))
        else:
            console.print(f"[bold]{lemma['id']}[/]: {lemma['title']} — {_styled(lemma['status'])}"
                          f" (expected {lemma['expected'] or 'nothing'})")
            console.print(lemma["statement"], markup=False)
            for problem in lemma["problems"]:
                console.print(f"  problem: {problem}", markup=False)
            for e in lemma["evidence"]:
                console.print(f"  {_styled(e['status'])} {e['engine']} {e['check']}: ", end="")
                console.print(e["detail"], markup=False)
                if e["counterexample"] is not None:
                    console.print(f"      counterexample: {json.dumps(e['counterexample'])}", markup=False)
        return _exit_code([lemma])
    if as_json:
        print(json.dumps({"summary": document["summary"], "lemmas": document["lemmas"]}, indent=2, ensure_ascii=False))
        return _exit_code(document["lemmas"])
    table = Table(title=f"{document['summary']['total']} lemmas, report of {document['generated_at']}")
    table.add_column("lemma", no_wrap=True)
    for column in ("claim", "status", "expected", "fully proved"):
        table.add_column(column)
    for l in document["lemmas"]:
        table.add_row(l["id"], l["claim_ref"] or "—", _styled(l["status"]), l["expected"] or "—",
                      "yes" if l["fully_proved"] else "no")
    console.print(table)
    return _exit_code(document["lemmas"])


def why_command(document: dict[str, Any], lemma_id: str, console: Console) -> int:
    lemma = _lemma(document, lemma_id)
    lemmas = {l["id"]: l for l in document["lemmas"]}
    graph = dependency_graph({l["id"]: l["uses"] for l in document["lemmas"]})
    assumed = lemma.get("audit", {}).get("assumed", [])
    modulo = f", modulo {len(assumed)} step(s) assumed by hand" if assumed and lemma["fully_proved"] else ""
    console.print(f"[bold]{lemma_id}[/] is {_styled(lemma['status'])}; "
                  f"fully proved: {'yes' if lemma['fully_proved'] else 'no'}{modulo}")
    beneath = sorted(nx.descendants(graph, lemma_id))
    if not beneath:
        console.print("It rests on no other lemma.")
    for dependency in beneath:
        status = lemmas[dependency]["status"] if dependency in lemmas else "not in this report"
        console.print(f"  rests on {dependency}: {_styled(status) if dependency in lemmas else status}")
    audit = lemma.get("audit", {})
    for step in audit.get("assumed", []):
        console.print(f"  assumed by hand: {step}", markup=False)
    for kind, label in (("tested_only", "only tested"), ("undecided", "undecided"), ("refuted", "refuted")):
        for dependency in audit.get(kind, []):
            console.print(f"  rests on {dependency}, {label}", markup=False)
    blockers = lemma["conditional_on"]
    if lemma["status"] != Status.PROVED:
        console.print(f"It is not proved itself: its verdict is {lemma['status']}.")
    if blockers:
        console.print("Blocked by (unproved, beneath it): " + ", ".join(blockers))
    return _exit_code([lemma])


def check_command(lemma_id: str, report_dir: Path, scale: str, seed: int, console: Console,
                  engines: tuple[str, ...] | None = None) -> int:
    """Import the lemma's family module, run its checks (only `engines`, if given) under a
    progress bar, and print the verdict and each piece of evidence with its figures."""
    import importlib

    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from proofs.checks import run_check
    from proofs.registry import REGISTRY
    from proofs.report import expectation_message
    from proofs.status import Verdict

    family = lemma_id.partition(".")[0]
    try:
        importlib.import_module(f"theorems.{family}")
    except ModuleNotFoundError:
        raise UsageError(f"no theorems module for family {family!r} (looked for theorems/{family}.py)") from None
    if lemma_id not in REGISTRY:
        raise UsageError(f"no lemma {lemma_id!r}{close_matches(lemma_id, [l.id for l in REGISTRY.lemmas()])}")
    REGISTRY.resolve_missing()
    lemma = REGISTRY.get(lemma_id)
    problems = REGISTRY.problems(lemma_id)
    evidence = []
    if not problems:
        checks = [c for c in REGISTRY.checks(lemma_id) if engines is None or c.engine in engines]
        if not checks:
            raise UsageError(f"{lemma_id} has no {' or '.join(engines or ())} check")
        columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                   TimeElapsedColumn())
        with Progress(*columns, console=console, transient=True) as progress:
            task = progress.add_task(lemma_id, total=len(checks))
            for check in checks:
                progress.update(task, description=f"{lemma_id}: {check.engine} {check.name}")
                evidence.extend(run_check(check, report_dir, seed, scale))
                progress.advance(task)
    verdict = Verdict(evidence=tuple(evidence), problems=problems)
    console.print(f"[bold]{lemma_id}[/] — {_styled(verdict.status.value)} (expected "
                  f"{lemma.expect.value if lemma.expect else 'nothing'}); artifacts in {report_dir}, status.json unchanged")
    for problem in problems:
        console.print(f"  problem: {problem}", markup=False)
    for e in evidence:
        console.print(f"  {_styled(e.status.value)} {e.engine} {e.check} ({e.elapsed_s:.2f} s): ", end="")
        console.print(e.detail, markup=False)
        if e.counterexample is not None:
            console.print(f"      counterexample: {json.dumps(e.counterexample)}", markup=False)
    expected = lemma.expect.value if lemma.expect else None
    if engines is not None:  # a subset of the checks: only a contradiction or a crash is a failure
        contradicted = verdict.status in (Status.ERROR, Status.CONFLICT) or (
            verdict.status is Status.REFUTED and expected in (Status.PROVED, Status.TESTED))
        return EXIT_MISMATCH if contradicted else EXIT_OK
    return EXIT_MISMATCH if expectation_message(expected, verdict.status.value) else EXIT_OK


def pin_command(theorems_dir: Path, ids: Sequence[str], report_dir: Path, console: Console) -> int:
    """Fingerprint every lemma and record the chosen ones (all by default) in the manifest."""
    from proofs import pins
    from proofs.registry import REGISTRY, load_theorems

    if not theorems_dir.is_dir():
        raise UsageError(f"no theorems directory at {theorems_dir}; run from the project root or pass --theorems-dir")
    load_theorems(theorems_dir)
    declared = {l.id: l for l in REGISTRY.lemmas()}
    unknown = [i for i in ids if i not in declared]
    if unknown:
        raise UsageError(f"no lemma {unknown[0]!r}{close_matches(unknown[0], list(declared))}")
    path = theorems_dir / pins.MANIFEST
    recorded = pins.load_manifest(path) or {}
    updated = dict(recorded)
    for lemma_id in ids or declared:
        updated[lemma_id] = pins.fingerprint(declared[lemma_id], REGISTRY.checks(lemma_id))
    pins.save_manifest(path, updated)
    changed = sorted(i for i in updated if recorded.get(i) not in (None, updated[i]))
    added = sorted(i for i in updated if i not in recorded)
    console.print(f"pinned {len(ids or declared)} lemma(s) in {path}: {len(changed)} changed, {len(added)} new")
    for lemma_id in changed:
        console.print(f"  changed: {lemma_id}", markup=False)
    if (report_dir / "status.json").exists():
        from proofs.prop import REGRESSIONS, keep_counterexamples

        new = keep_counterexamples(theorems_dir / REGRESSIONS, load_status(report_dir))
        console.print(f"kept {new} new counterexample(s) from {report_dir / 'status.json'} in "
                      f"{theorems_dir / REGRESSIONS}; they are replayed on every run")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    console = Console()
    parser = _parser()
    arguments = parser.parse_args(argv)  # argparse exits with 2 on a usage error
    try:
        if arguments.verb == "new":
            module = new_lemma(arguments.theorems_dir, arguments.family, arguments.name)
            console.print(f"added {arguments.family}.{arguments.name} to {module}; run `pytest {module}` and edit it")
            return EXIT_OK
        if arguments.verb == "pin":
            return pin_command(arguments.theorems_dir, arguments.ids, arguments.report_dir, console)
        if arguments.verb in ("check", "simulate"):
            engines = ("simulation",) if arguments.verb == "simulate" else None
            return check_command(arguments.id, arguments.report_dir, arguments.scale, arguments.seed, console, engines)
        document = load_status(arguments.report_dir)
        if arguments.verb == "status":
            return status_command(document, arguments.id, arguments.json, console)
        if arguments.verb == "why":
            return why_command(document, arguments.id, console)
        if arguments.verb == "graph":
            for path in write_graph(document, arguments.report_dir):
                console.print(f"wrote {path}")
            return EXIT_OK
        write_report(document, arguments.report_dir)
        console.print(f"re-rendered {arguments.report_dir / 'STATUS.md'} and index.html from status.json")
        return _exit_code(document["lemmas"])
    except (UsageError, ReportMissing, ScaffoldError) as problem:
        print(f"python -m proofs: {problem}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # e.g. `python -m proofs status --json | head`: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(EXIT_OK)
