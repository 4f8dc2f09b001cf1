"""The command line: `python -m proofs VERB ...`, reading the report of the last run.

Exit codes (DESIGN.md): 0 when every verdict matches its `expect`, 1 when one does not or
there is a conflict, 2 for a usage or tool error (no report, unknown id, a module that fails to
import where the tool needs it). Paths default to the project's `[tool.proofs]` configuration,
found from the current folder upwards.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import re
import sys
from pathlib import Path
from typing import Any, Sequence

from rich.console import Console
from rich.table import Table

from proofs.errors import ProofsError, UsageError, author_location
from proofs.records import close_matches
from proofs.status import STATUS_INFO, Status

EXIT_OK, EXIT_MISMATCH, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m proofs", description=__doc__.splitlines()[0])
    parser.add_argument("--report-dir", type=Path, default=None,
                        help="where the last run wrote status.json (default: the project's report folder)")
    # --report-dir is accepted before or after the verb
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--report-dir", type=Path, default=argparse.SUPPRESS, help="as above")
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")

    def verb(name: str, **options):
        return verbs.add_parser(name, parents=[common], **options)

    theorems = argparse.ArgumentParser(add_help=False)
    theorems.add_argument("--theorems-dir", type=Path, default=None,
                          help="the folder of lemma modules (default: the project's, usually theorems)")

    status = verb("status", help="the table of lemmas and verdicts, or one lemma in full")
    status.add_argument("id", nargs="?", help="a lemma id, e.g. averages.am_gm_two")
    status.add_argument("--json", action="store_true", help="print JSON instead of a table")
    why = verb("why", help="what a lemma rests on and what blocks it from being fully proved")
    why.add_argument("id", help="a lemma id")
    axioms = verb("axioms", help="the cited theorems the suite rests on, or those one lemma rests on")
    axioms.add_argument("id", nargs="?", help="a lemma id: list the axioms beneath it, as Lean's #print axioms")
    verb("report", help="re-render STATUS.md and index.html from the last status.json, without re-running any check")
    verb("graph", help="write the dependency graph as graph.svg, graph.dot and graph.graphml")
    verb("errata", help="write errata.md and errata.tex: each claim that fails or depends on the reading, with its "
                        "words, the reading, the counterexample in plain numbers and the correction")
    new = verbs.add_parser("new", parents=[common, theorems],
                           help="scaffold a lemma (and its module) with the four parts laid out")
    new.add_argument("family", help="the theorems module, e.g. averages")
    new.add_argument("name", help="the lemma's snake_case name, e.g. am_gm_two")
    init = verbs.add_parser("init", parents=[common], help="set up a project here: a [tool.proofs] section, "
                                                           "theorems/ with an example lemma, a README paragraph")
    init.add_argument("folder", nargs="?", type=Path, default=Path("."), help="the project folder (default: .)")
    pin = verbs.add_parser("pin", parents=[common, theorems],
                           help="record the current fingerprints of lemmas (statements, checks, the project code "
                                "they call) as the ones the project stands by, and keep the last report's "
                                "hypothesis counterexamples")
    pin.add_argument("ids", nargs="*", help="lemma ids to pin (default: every lemma)")
    check = verbs.add_parser("check", parents=[common, theorems],
                             help="run one lemma's checks now, with a progress bar (the report is not changed)")
    check.add_argument("id", help="a lemma id")
    check.add_argument("--scale", choices=("default", "full"), default="default",
                       help="simulation size (default: default)")
    check.add_argument("--seed", type=int, default=0, help="base seed (default 0)")
    simulate = verbs.add_parser("simulate", parents=[common, theorems],
                                help="run one lemma's simulations only, with a progress bar; writes the plots "
                                     "and prints the figures (full size unless --scale default)")
    simulate.add_argument("id", help="a lemma id")
    simulate.add_argument("--scale", choices=("default", "full"), default="full", help="simulation size (default: full)")
    simulate.add_argument("--seed", type=int, default=0, help="base seed (default 0)")
    simulate.add_argument("--cluster", default=None, metavar="ADDRESS",
                          help="run chunked simulations on Dask: 'local' or a scheduler address")
    mutate = verbs.add_parser("mutate", parents=[common, theorems],
                              help="mutation testing: run false twins of each proved or tested lemma's checks "
                                   "and report which the checks kill; writes the result into status.json")
    mutate.add_argument("ids", nargs="*", help="lemma ids (default: every proved or tested lemma in the report)")
    mutate.add_argument("--limit", type=float, default=5.0, help="seconds per mutant (default 5)")
    mutate.add_argument("--min-score", type=float, default=None, metavar="FRACTION",
                        help="exit 1 when fewer than this fraction of the non-equivalent mutants are killed")
    return parser


def _project(start: Path | None = None):
    from proofs.config import load

    return load(start)


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


def _module_failures(document: dict[str, Any]) -> list[str]:
    """The theorems modules that failed to import in the run that wrote the report, with their errors."""
    return list(document.get("summary", {}).get("collection_errors") or [])


def _report_module_failures(failures: Sequence[str]) -> None:
    if failures:
        print(f"python -m proofs: {len(failures)} theorems module(s) failed to import in the last run, so their "
              f"lemmas are missing from this report (exit code 1):", file=sys.stderr)
        for failure in failures:
            print(f"  {failure}", file=sys.stderr)


def _import_every_module(theorems_dir: Path) -> None:
    """Import every theorems module under the suite's Hypothesis profile, as `mutate` needs them
    all; one that fails is named with its error and the author's line (exit code 1), never left
    to end the command in a traceback."""
    from proofs import prop
    from proofs.layout import lemma_modules

    failures = []
    for name, path in lemma_modules(theorems_dir).items():
        try:
            with prop.lemma_profile(prop.DEFAULT_PROFILE):
                importlib.import_module(name)
        except Exception as failure:  # noqa: BLE001 - shown as it is, at the author's line
            where = author_location(failure.__traceback__)
            failures.append(f"{path} failed to import: {type(failure).__name__}: {failure}"
                            + (f" (at {where})" if where else ""))
    if failures:
        raise ModuleFailed("; ".join(failures) + "; fix it first (its lemmas cannot be mutated)")


def _wrapped_id(lemma_id: str, width: int) -> str:
    """A lemma id in lines of at most `width` characters, broken after a dot or an underscore
    (inside a word only when a single word is longer than the line)."""
    lines, line = [], ""
    for word in re.findall(r"[^._]*[._]|[^._]+$", lemma_id):
        while len(word) > width:
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:width])
            word = word[width:]
        if len(line) + len(word) > width:
            lines.append(line)
            line = ""
        line += word
    return "\n".join(lines + ([line] if line else []))


STATUS_COLUMNS = ("claim", "status", "expected", "fully\nproved")


def _status_table(document: dict[str, Any], width: int) -> Table:
    """The table of lemmas, fit to `width` columns: every column but the id keeps its words whole
    (a verdict is never cut), and the id column takes the rest, its ids wrapped at dots and
    underscores."""
    lemmas = document["lemmas"]
    rows = [(l["claim_ref"] or "—", l["status"], l["expected"] or "—",
             "axiom" if l["kind"] == "axiom" else ("yes" if l["fully_proved"] else "no")) for l in lemmas]
    widths = [max([len(line) for line in header.split("\n")] + [len(row[i]) for row in rows])
              for i, header in enumerate(STATUS_COLUMNS)]
    borders = 3 * (len(STATUS_COLUMNS) + 1) + 1  # a border and a space either side of each cell
    longest = max([len(l["id"]) for l in lemmas] + [len("lemma")])
    id_width = max(12, min(longest, width - borders - sum(widths)))
    table = Table(title=f"{document['summary']['total']} lemmas, report of {document['generated_at']}")
    table.add_column("lemma", overflow="fold", max_width=id_width)
    for header, column_width in zip(STATUS_COLUMNS, widths):
        table.add_column(header, no_wrap=True, min_width=column_width)
    for lemma, (claim, status, expected, fully) in zip(lemmas, rows):
        table.add_row(_wrapped_id(lemma["id"], id_width), claim, _styled(status), expected, fully)
    return table


def status_command(document: dict[str, Any], lemma_id: str | None, as_json: bool, console: Console) -> int:
    if lemma_id is not None:
        if lemma_id not in {l["id"] for l in document["lemmas"]} and _module_failures(document):
            missing = "; ".join(_module_failures(document))
            raise UsageError(f"no lemma {lemma_id!r} in the report, which lacks the lemmas of the theorems module(s) "
                             f"that failed to import in the last run: {missing}")
        lemma = _lemma(document, lemma_id)
        if as_json:
            print(json.dumps(lemma, indent=2, ensure_ascii=False))
        else:
            console.print(f"[bold]{lemma['id']}[/]: {lemma['title']} — {_styled(lemma['status'])}"
                          f" (expected {lemma['expected'] or 'nothing'})")
            console.print(lemma["statement"], markup=False)
            if lemma.get("source_location"):
                where = lemma["source_location"]
                console.print(f"  declared at {where['path']}:{where['line']}", markup=False)
            for problem in lemma["problems"]:
                console.print(f"  problem: {problem}", markup=False)
            for goal in lemma.get("undecided_goals", ()):
                console.print(f"  undecided goal (keeps it from proved): {goal}", markup=False)
            for e in lemma["evidence"]:
                console.print(f"  {_styled(e['status'])} {e['engine']} {e['check']}: ", end="")
                console.print(e["detail"], markup=False)
                if e["counterexample"] is not None:
                    console.print(f"      counterexample: {json.dumps(e['counterexample'])}", markup=False)
        return _exit_code([lemma])
    failures = _module_failures(document)
    if as_json:
        print(json.dumps({"summary": document["summary"], "lemmas": document["lemmas"]}, indent=2, ensure_ascii=False))
    else:
        from proofs.report.page import SECOND_SOLVER_MISSING, second_solver

        console.print(_status_table(document, console.width))
        if second_solver(document) == SECOND_SOLVER_MISSING:
            console.print(f"z3's proofs were {SECOND_SOLVER_MISSING} (pip install cvc5)", markup=False)
    _report_module_failures(failures)
    return EXIT_MISMATCH if failures else _exit_code(document["lemmas"])


def why_command(document: dict[str, Any], lemma_id: str, console: Console) -> int:
    import networkx as nx

    from proofs.registry import dependency_graph

    lemma = _lemma(document, lemma_id)
    lemmas = {l["id"]: l for l in document["lemmas"]}
    graph = dependency_graph({l["id"]: l["uses"] for l in document["lemmas"]})
    audit = lemma.get("audit", {})
    cited = audit.get("axioms", [])
    modulo = f", modulo {len(cited)} cited axiom(s)" if cited and lemma["fully_proved"] else ""
    console.print(f"[bold]{lemma_id}[/] is {_styled(lemma['status'])}; "
                  f"fully proved: {'yes' if lemma['fully_proved'] else 'no'}{modulo}")
    beneath = sorted(nx.descendants(graph, lemma_id))
    if not beneath:
        console.print("It rests on no other lemma.")
    for dependency in beneath:
        status = lemmas[dependency]["status"] if dependency in lemmas else "not in this report"
        kind = " (axiom)" if lemmas.get(dependency, {}).get("kind") == "axiom" else ""
        console.print(f"  rests on {dependency}{kind}: {_styled(status) if dependency in lemmas else status}")
    for step in audit.get("assumed", []):
        console.print(f"  assumed by hand: {step}", markup=False)
    for goal in audit.get("undecided_goals", []):
        console.print(f"  undecided symbolic goal: {goal}", markup=False)
    for kind, label in (("tested_only", "only tested"), ("undecided", "undecided"), ("refuted", "refuted")):
        for dependency in audit.get(kind, []):
            console.print(f"  rests on {dependency}, {label}", markup=False)
    blockers = lemma["conditional_on"]
    if lemma["status"] != Status.PROVED:
        console.print(f"It is not proved itself: its verdict is {lemma['status']}.")
    if blockers:
        console.print("Blocked by (unproved, beneath it): " + ", ".join(blockers))
    return _exit_code([lemma])


def axioms_command(document: dict[str, Any], lemma_id: str | None, console: Console,
                   report_dir: Path = Path("reports")) -> int:
    lemmas = {l["id"]: l for l in document["lemmas"]}
    if lemma_id is not None:
        lemma = _lemma(document, lemma_id)
        cited = lemma.get("audit", {}).get("axioms", [])
        assumed = lemma.get("audit", {}).get("assumed", [])
        console.print(f"[bold]{lemma_id}[/] rests on {len(cited)} cited axiom(s)"
                      + (f" and {len(assumed)} step(s) assumed by hand" if assumed else ""))
    else:
        cited = sorted(i for i, l in lemmas.items() if l["kind"] == "axiom")
        console.print(f"{len(cited)} cited axiom(s) in the suite")
    for axiom_id in cited:
        axiom = lemmas.get(axiom_id, {})
        console.print(f"  [bold]{axiom_id}[/]: {axiom.get('title', '')}")
        console.print(f"      {axiom.get('reference', '')}", markup=False)
        if axiom.get("formal"):
            console.print(f"      applied as: {axiom['formal']}", markup=False)
    if lemma_id is not None:
        for step in lemmas[lemma_id].get("audit", {}).get("assumed", []):
            console.print(f"  assumed by hand (not a cited axiom): {step}", markup=False)
        _coq_assumptions(lemmas[lemma_id], report_dir, console)
    return EXIT_OK


def _coq_assumptions(lemma: dict[str, Any], report_dir: Path, console: Console) -> None:
    """Coq's `Print Assumptions` for each goal of the lemma Coq checked, like Lean's #print axioms: the
    cited theorems stated as Axioms, and what Coq's own reals rest on. Read from the report, or
    asked of coqc when the report did not keep it."""
    from proofs import coq

    checked = [e["facts"]["kernel"] for e in lemma["evidence"]
               if (e.get("facts") or {}).get("kernel", {}).get("outcome") == "checked"]
    if not checked:
        console.print("  Coq: no goal of this lemma was checked by Coq's kernel in this report")
        return
    for goal in checked:
        listed = list(goal.get("assumptions") or ())
        if not goal.get("assumptions_exact") and coq.available() and goal.get("file"):
            module, _, name = goal["lemma"].rpartition(".")
            try:
                listed = list(coq.assumptions(report_dir / "coq", module, name))
            except RuntimeError as problem:
                console.print(f"  Coq {goal['lemma']}: Print Assumptions failed: {problem}", markup=False)
                continue
        kinds = coq.kinds_of_assumptions(listed)
        console.print(f"  Coq {goal['lemma']} (checked): Print Assumptions lists {len(listed)}", markup=False)
        for kind, names in kinds.items():
            if names:
                console.print(f"      {kind}: {', '.join(names)}", markup=False)


def errata_command(document: dict[str, Any], report_dir: Path, console: Console) -> int:
    """errata.md and errata.tex from the last status.json; a report without claims has none."""
    from proofs.report.errata import errata_entries, write_errata
    from proofs.report.page import claims_headline

    if not document.get("claims"):
        raise UsageError("the report has no claims: errata are written per claim, from the project's claims file "
                         "([tool.proofs] claims = \"claims.toml\"); run `pytest theorems/` after adding one")
    for path in write_errata(document, report_dir, claims_headline(document)):
        console.print(f"wrote {path}")
    count = len(errata_entries(document))
    console.print(f"{count} claim(s) that fail or depend on the reading; `pdflatex errata.tex` in {report_dir} "
                  f"makes the PDF")
    return EXIT_OK


def _import_family(theorems_dir: Path, family: str, lemma_id: str | None = None) -> None:
    """Import the family's module (`theorems/<family>.py`) or every module of its package
    (`theorems/<family>/*.py`) under the suite's Hypothesis profile. An import failure is reported
    with its own exception and the author's line, never as a missing module, when it is the
    module that declares `lemma_id` (or any, without one) that failed."""
    from proofs import prop
    from proofs.layout import family_modules, lemma_modules

    names = lemma_modules(theorems_dir)
    files = family_modules(theorems_dir.resolve())
    if family not in files:
        available = sorted(files)
        raise UsageError(f"no theorems module or package for family {family!r} in {theorems_dir}"
                         f"{close_matches(family, available)}; families: {', '.join(available) or 'none'}")
    failures = []
    for name, path in names.items():
        if path not in files[family]:
            continue
        try:
            with prop.lemma_profile(prop.DEFAULT_PROFILE):
                importlib.import_module(name)
        except Exception as failure:  # noqa: BLE001 - shown as it is, at the author's line
            where = author_location(failure.__traceback__)
            failures.append(f"{path} failed to import: {type(failure).__name__}: {failure}"
                            + (f" (at {where})" if where else ""))
    from proofs.registry import REGISTRY

    if failures and (lemma_id is None or lemma_id not in REGISTRY):
        raise ModuleFailed("; ".join(failures))


class ModuleFailed(ProofsError):
    """A theorems module raised while being imported."""


def check_command(lemma_id: str, theorems_dir: Path, report_dir: Path, scale: str, seed: int, console: Console,
                  engines: tuple[str, ...] | None = None, cluster: str | None = None) -> int:
    """Import the lemma's family module, run its checks (only `engines`, if given) under a
    progress bar, and print the verdict and each piece of evidence with its figures."""
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from proofs import prop
    from proofs.checks import run_check
    from proofs.records import CheckContext
    from proofs.registry import REGISTRY
    from proofs.report import expectation_message
    from proofs.status import Verdict

    family = lemma_id.partition(".")[0]
    _import_family(theorems_dir, family, lemma_id)
    if lemma_id not in REGISTRY:
        raise UsageError(f"no lemma {lemma_id!r}{close_matches(lemma_id, [l.id for l in REGISTRY.lemmas()])}")
    with prop.lemma_profile(prop.DEFAULT_PROFILE):
        REGISTRY.resolve_missing()
    lemma = REGISTRY.get(lemma_id)
    problems = REGISTRY.problems(lemma_id)
    context = CheckContext(report_dir, seed, scale, prop.DEFAULT_PROFILE, cluster)
    if cluster is not None:  # Dask's own progress bar for the chunks, on the terminal
        from proofs import sim

        sim.use_cluster(cluster, progress=True)
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
                evidence.extend(run_check(check, context))
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


def pin_command(theorems_dir: Path, root: Path, ids: Sequence[str], report_dir: Path, console: Console) -> int:
    """Fingerprint every lemma and record the chosen ones (all by default) in the manifest."""
    from proofs import pins, prop
    from proofs.registry import REGISTRY, module_names

    if not theorems_dir.is_dir():
        raise UsageError(f"no theorems directory at {theorems_dir}; run from the project or pass --theorems-dir")
    for name in module_names(theorems_dir):
        try:
            with prop.lemma_profile(prop.DEFAULT_PROFILE):
                importlib.import_module(name)
        except Exception as failure:  # noqa: BLE001 - pinning half a suite would record a wrong manifest
            where = author_location(failure.__traceback__)
            raise UsageError(f"cannot pin: theorems module {name} failed to import: {type(failure).__name__}: "
                             f"{failure}" + (f" (at {where})" if where else "") + "; fix it first") from None
    declared = {l.id: l for l in REGISTRY.lemmas()}
    unknown = [i for i in ids if i not in declared]
    if unknown:
        raise UsageError(f"no lemma {unknown[0]!r}{close_matches(unknown[0], list(declared))}")
    path = pins.manifest_path(theorems_dir)
    recorded = pins.load_manifest(path) or {}
    updated = dict(recorded) if ids else {}
    for lemma_id in ids or declared:
        updated[lemma_id] = pins.fingerprint(declared[lemma_id], REGISTRY.checks(lemma_id), root)
    pins.save_manifest(path, updated)
    changed = sorted(i for i in updated if recorded.get(i) not in (None, updated[i]))
    added = sorted(i for i in updated if i not in recorded)
    console.print(f"pinned {len(ids or declared)} lemma(s) in {path}: {len(changed)} changed, {len(added)} new")
    for lemma_id in changed:
        console.print(f"  changed: {lemma_id}", markup=False)
    if (report_dir / "status.json").exists():
        from proofs.prop import REGRESSIONS, keep_counterexamples
        from proofs.report import load_status

        new = keep_counterexamples(theorems_dir / REGRESSIONS, load_status(report_dir))
        console.print(f"kept {new} new counterexample(s) from {report_dir / 'status.json'} in "
                      f"{theorems_dir / REGRESSIONS}; they are replayed on every run")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    console = Console()
    parser = _parser()
    arguments = parser.parse_args(argv)  # argparse exits with 2 on a usage error
    try:
        if arguments.verb == "init":
            from proofs.scaffold import init_project

            for path in init_project(arguments.folder):
                console.print(f"wrote {path}")
            console.print("next: `pytest theorems/` runs the example lemma and writes reports/")
            return EXIT_OK
        project = _project()
        report_dir = arguments.report_dir or project.report
        theorems_dir = getattr(arguments, "theorems_dir", None) or project.theorems
        if arguments.verb == "new":
            from proofs.scaffold import new_lemma

            module = new_lemma(theorems_dir, arguments.family, arguments.name)
            console.print(f"added {arguments.family}.{arguments.name} to {module}; run `pytest {module}` and edit it")
            return EXIT_OK
        if arguments.verb == "pin":
            return pin_command(theorems_dir, project.root, arguments.ids, report_dir, console)
        if arguments.verb in ("check", "simulate"):
            engines = ("simulation",) if arguments.verb == "simulate" else None
            return check_command(arguments.id, theorems_dir, report_dir, arguments.scale, arguments.seed, console,
                                 engines, getattr(arguments, "cluster", None))
        if arguments.verb == "mutate":
            from proofs.mutate import mutate_command

            _import_every_module(theorems_dir)
            return mutate_command(arguments.ids, theorems_dir, project.root, report_dir, arguments.limit, console,
                                  arguments.min_score)
        from proofs.report import load_status, write_graph, write_report

        document = load_status(report_dir)
        if arguments.verb == "status":
            return status_command(document, arguments.id, arguments.json, console)
        if arguments.verb == "why":
            return why_command(document, arguments.id, console)
        if arguments.verb == "axioms":
            return axioms_command(document, arguments.id, console, report_dir)
        if arguments.verb == "errata":
            return errata_command(document, report_dir, console)
        if arguments.verb == "graph":
            for path in write_graph(document, report_dir):
                console.print(f"wrote {path}")
            return EXIT_OK
        write_report(document, report_dir)
        console.print(f"re-rendered {report_dir / 'STATUS.md'} and index.html from status.json")
        return _exit_code(document["lemmas"])
    except ModuleFailed as failure:
        print(f"python -m proofs: {failure}", file=sys.stderr)
        return EXIT_MISMATCH
    except ProofsError as problem:
        print(f"python -m proofs: {problem}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # e.g. `python -m proofs status --json | head`: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(EXIT_OK)
