"""The command line: `python -m proofs VERB ...`, reading the report of the last run.

Exit codes (DESIGN.md): 0 when every verdict matches its `expect`, 1 when one does not or
there is a conflict, 2 for a usage or tool error (no report, unknown id).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Sequence

import networkx as nx
from rich.console import Console
from rich.table import Table

from proofs.lemma import close_matches
from proofs.registry import dependency_graph
from proofs.report import load_status, write_report
from proofs.report.write import ReportMissing
from proofs.status import STATUS_INFO, Status

EXIT_OK, EXIT_MISMATCH, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A mistake in how the command was called; the message says how to fix it."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m proofs", description=__doc__.splitlines()[0])
    parser.add_argument("--report-dir", type=Path, default=Path("reports"),
                        help="where the last run wrote status.json (default: reports)")
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    status = verbs.add_parser("status", help="the table of lemmas and verdicts, or one lemma in full")
    status.add_argument("id", nargs="?", help="a lemma id, e.g. context.softmax_crowding")
    status.add_argument("--json", action="store_true", help="print JSON instead of a table")
    why = verbs.add_parser("why", help="what a lemma rests on and what blocks it from being fully proved")
    why.add_argument("id", help="a lemma id")
    verbs.add_parser("report", help="re-render STATUS.md from the last status.json without re-running checks")
    return parser


def _lemma(document: dict[str, Any], lemma_id: str) -> dict[str, Any]:
    by_id = {l["id"]: l for l in document["lemmas"]}
    if lemma_id not in by_id:
        raise UsageError(f"no lemma {lemma_id!r} in the report{close_matches(lemma_id, list(by_id))}")
    return by_id[lemma_id]


def _exit_code(lemmas: Sequence[dict[str, Any]]) -> int:
    bad = any(not l["matches_expectation"] or l["status"] == Status.CONFLICT for l in lemmas)
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
    console.print(f"[bold]{lemma_id}[/] is {_styled(lemma['status'])}; "
                  f"fully proved: {'yes' if lemma['fully_proved'] else 'no'}")
    beneath = sorted(nx.descendants(graph, lemma_id))
    if not beneath:
        console.print("It rests on no other lemma.")
    for dependency in beneath:
        status = lemmas[dependency]["status"] if dependency in lemmas else "not in this report"
        console.print(f"  rests on {dependency}: {_styled(status) if dependency in lemmas else status}")
    blockers = lemma["conditional_on"]
    if lemma["status"] != Status.PROVED:
        console.print(f"It is not proved itself: its verdict is {lemma['status']}.")
    if blockers:
        console.print("Blocked by (unproved, beneath it): " + ", ".join(blockers))
    return _exit_code([lemma])


def main(argv: Sequence[str] | None = None) -> int:
    console = Console()
    parser = _parser()
    arguments = parser.parse_args(argv)  # argparse exits with 2 on a usage error
    try:
        document = load_status(arguments.report_dir)
        if arguments.verb == "status":
            return status_command(document, arguments.id, arguments.json, console)
        if arguments.verb == "why":
            return why_command(document, arguments.id, console)
        write_report(document, arguments.report_dir)
        console.print(f"re-rendered {arguments.report_dir / 'STATUS.md'} from status.json")
        return _exit_code(document["lemmas"])
    except (UsageError, ReportMissing) as problem:
        print(f"python -m proofs: {problem}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
