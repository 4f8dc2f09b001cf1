"""Coverage of the Coq re-check: every goal the suite proves today, exported and checked by coqc.

Reads a report of the suite (`status.json`, from `pytest theorems/ --proof-report DIR`) for which
goals are proved, rebuilds each of them from the theorems modules (a z3 check is run on a fresh
`smt.Query`, a sympy or interval check returns its goals), translates them with `proofs.coq`, and
re-checks the lot. Prints, by engine: how many proved goals translate and how many Coq checked,
then the features that block the rest ranked by how many goals each blocks, and the goals not
checked with Coq's last error.

Run: python bench/coq_coverage.py --report /tmp/coq-report [--out /tmp/coq-coverage] [--jobs 2]
     [--no-cache] [--json FILE] [--save-goals FILE | --goals FILE]

`--save-goals` writes the translated goals as JSON; `--goals` re-checks such a file without
translating again (what the engines would hand over in a run): the cost of the re-check alone,
e.g. side by side with `pytest theorems/` to measure the two together on the same cores.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from proofs import coq, smt  # noqa: E402
from proofs.coq import from_sympy  # noqa: E402
from proofs.registry import REGISTRY, load_theorems  # noqa: E402

SEEDS = (0, 1, 2)


def proved_checks(status: dict) -> set[tuple[str, str, str]]:
    """(lemma id, engine, check label) of every proved symbolic goal in a report."""
    found = set()
    for lemma in status["lemmas"]:
        for evidence in lemma["evidence"]:
            if evidence["status"] == "proved" and evidence["engine"] in ("z3", "sympy", "interval"):
                found.add((lemma["id"], evidence["engine"], evidence["check"]))
    return found


def z3_points(query: smt.Query) -> list[dict]:
    """Points where the suite's exact evaluation met the hypotheses (and the claim held)."""
    points = []
    for seed in SEEDS:
        sampled = smt.cross_check(query, seed)
        if sampled.witness is not None and sampled.falsifier is None:
            points.append(sampled.witness)
    return points


def z3_witness(query: smt.Query) -> dict:
    """A model of hypotheses ∧ claim, in exact values (as the engine's witness is)."""
    solver = smt.z3.Solver(ctx=query.context)
    solver.add(*query.hypotheses, query.claim)
    if solver.check() != smt.z3.sat:
        return {}
    from proofs.smt.replay import assignment
    from proofs.smt.solver import _plain_model

    values, _ = assignment(_plain_model(solver.model()))
    return values


def z3_goals(check, label: str) -> coq.CoqGoal:
    from proofs.smt import engine

    query = smt.Query.of(check)
    witness = z3_witness(query) if query.existential else None
    points = [] if query.existential else z3_points(query)
    return engine.coq_goal(label, query, points, witness)  # as the engine exports it, cited axioms included


def collect(status: dict) -> list[coq.CoqGoal]:
    load_theorems(ROOT / "theorems")
    proved = proved_checks(status)
    goals = []
    for lemma in REGISTRY.lemmas():
        for check in REGISTRY.checks(lemma.id):
            if check.engine == "z3":
                if (lemma.id, "z3", check.name) in proved:
                    goals.append(z3_goals(check, f"{lemma.id}/{check.name}"))
            elif check.engine in ("sympy", "interval"):
                returned = check.fn()
                returned = list(returned) if isinstance(returned, (list, tuple)) else [returned]
                for goal in returned:
                    if (lemma.id, check.engine, f"{check.name}/{goal.name}") in proved:
                        goals.append(from_sympy.translate(f"{lemma.id}/{check.name}/{goal.name}", goal))
    return goals


def kind_of(goal: coq.CoqGoal) -> str:
    if goal.engine == "sympy":
        return f"sympy {goal.kind}"
    return f"{goal.engine} {goal.kind}" if goal.engine == "z3" else goal.engine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", type=Path, help="a report folder with status.json")
    parser.add_argument("--out", type=Path, default=Path("/tmp/coq-coverage"))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-cache", action="store_true")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--save-goals", type=Path)
    parser.add_argument("--goals", type=Path)
    parser.add_argument("--no-stretch", action="store_true", help="time limits in wall-clock seconds, whatever the load")
    arguments = parser.parse_args()
    if arguments.no_stretch:
        from proofs.coq import run

        run.STRETCH_CAP = 1.0
    started = time.perf_counter()
    if arguments.goals:
        goals = [coq.CoqGoal.from_json(g) for g in json.loads(arguments.goals.read_text())]
    else:
        goals = collect(json.loads((arguments.report / "status.json").read_text()))
    if arguments.save_goals:
        arguments.save_goals.write_text(json.dumps([g.to_json() for g in goals]))
    translated = time.perf_counter()
    cache = None if arguments.no_cache else coq.Cache(arguments.out / "cache.json")
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    stats: dict = {}
    results = coq.recheck(goals, arguments.out, jobs=arguments.jobs, cache=cache, stats=stats)
    finished = time.perf_counter()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    coq_cpu = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
    table: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    blockers: collections.Counter = collections.Counter()
    for goal, result in zip(goals, results):
        row = table[kind_of(goal)]
        row["proved"] += 1
        row[result.outcome.value] += 1
        for feature in goal.missing:
            blockers[(goal.engine, feature)] += 1
    print(f"{len(goals)} proved goals: translated in {translated - started:.1f} s, re-checked in "
          f"{finished - translated:.1f} s wall, {coq_cpu:.1f} s CPU in coqc (coqc {coq.version()}, "
          f"{arguments.jobs} jobs, {sum(r.cached for r in results)} from the cache; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)\n")
    for phase, numbers in stats.items():
        print(f"  {phase:22} {numbers['goals']:>4} goals  {numbers['wall_s']:>7.1f} s wall  "
              f"{numbers['coqc_cpu_s']:>7.1f} s CPU")
    print()
    outcomes = [o.value for o in coq.Outcome]
    print(f"{'engine / kind':28} {'proved':>6} " + " ".join(f"{o:>15}" for o in outcomes))
    totals: collections.Counter = collections.Counter()
    for name in sorted(table):
        row = table[name]
        totals.update(row)
        print(f"{name:28} {row['proved']:>6} " + " ".join(f"{row[o]:>15}" for o in outcomes))
    print(f"{'all':28} {totals['proved']:>6} " + " ".join(f"{totals[o]:>15}" for o in outcomes))
    by_engine: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for goal, result in zip(goals, results):
        by_engine[goal.engine]["proved"] += 1
        by_engine[goal.engine][result.outcome.value] += 1
    print()
    for engine, row in sorted(by_engine.items()):
        print(f"{engine}: {row['checked']} of {row['proved']} proved goals checked by Coq "
              f"({100 * row['checked'] / row['proved']:.0f} %), {row['not exportable']} not exportable")
    print("\nfeatures blocking the export, by goals blocked:")
    for (engine, feature), count in blockers.most_common():
        print(f"  {count:>3}  {engine}: {feature}")
    print("\nnot checked:")
    for goal, result in zip(goals, results):
        if result.outcome in (coq.Outcome.NOT_CHECKED, coq.Outcome.CONFLICT):
            print(f"  [{result.outcome.value}] {goal.label}: {result.detail[:400]}")
    if arguments.json:
        arguments.json.write_text(json.dumps([{**r.to_json(), "label": g.label, "engine": g.engine,
                                               "kind": g.kind, "missing": list(g.missing)}
                                              for g, r in zip(goals, results)], indent=1))


if __name__ == "__main__":
    main()
