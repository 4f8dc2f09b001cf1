"""Running a lemma's checks and turning what they say into a verdict.

This is the one place that knows which engine runs which check and how a crash becomes `error`
evidence. What a check of each kind may conclude is the kernel's rule (`kernel.admit`).
"""

from __future__ import annotations

import time
import zlib
from dataclasses import replace
from typing import Callable

from proofs import kernel, statement
from proofs.errors import InvalidCheck, SolverMissing, describe
from proofs.records import Check, CheckContext, Lemma
from proofs.registry import Registry
from proofs.status import CheckKind, Evidence, Status, Verdict

REPLAY_ENGINE = "replay"  # a counterexample replayed in the lemma's own code: supporting evidence


def _runner(engine: str) -> Callable[[Check, CheckContext], list[Evidence]]:
    """The engine module's `run`, imported when first needed so that a run without sympy checks
    never imports sympy."""
    from proofs import cas, interval, prop, sim, smt

    return {"z3": smt.run, "sympy": cas.run, "interval": interval.run, "hypothesis": prop.run,
            "simulation": sim.run}[engine]


def seed_for(lemma_id: str, check_name: str, base_seed: int = 0) -> int:
    """A stable seed per check, as pytest-randomly does: crc32 of a stable name."""
    return zlib.crc32(f"{lemma_id}/{check_name}".encode()) ^ base_seed


def context_for(check: Check, context: CheckContext) -> CheckContext:
    return replace(context, seed=seed_for(check.lemma_id, check.name, context.seed))


def run_check(check: Check, context: CheckContext) -> list[Evidence]:
    """Run one check; a crash or a forbidden conclusion becomes `error` evidence, never an exception.
    The context's `seed` is the run's base seed; the check's own seed is derived from its name."""
    started = time.perf_counter()

    def failed(detail: str) -> list[Evidence]:
        return [Evidence(check.engine, Status.ERROR, detail, None, time.perf_counter() - started, (), check.name,
                         kind=check.kind)]

    try:
        with statement.recording() as ledger:
            evidence = _runner(check.engine)(check, context_for(check, context))
    except SolverMissing as missing:
        return failed(str(missing))
    except InvalidCheck as misuse:  # the author's mistake: say where their check is
        return failed(f"ill-formed check: {misuse} (check defined at {check.location})")
    except Exception as crash:  # a broken check fails its own lemma only
        return failed(f"check crashed: {describe(crash)}")
    admitted = []
    for e in evidence:
        if e.kind is None and e.engine != REPLAY_ENGINE:
            e = replace(e, kind=check.kind)
        if check.claim is not None and e.kind is not None:
            e = replace(e, facts={**e.facts, "claim": _claim_fact(check, e, ledger)})
        if check.part and e.kind is not None:
            e = replace(e, facts={**e.facts, "part": check.part})
        status = kernel.admit(check.kind, e.status)
        if status is not e.status:
            e = replace(e, status=status, detail=f"a {check.kind.value} check cannot prove; it reported: {e.detail}")
        admitted.append(e)
    return admitted


def _claim_fact(check: Check, evidence: Evidence, ledger: statement.Ledger) -> dict:
    """What this piece of evidence has to do with the lemma's declared claim: for a symbolic goal,
    whether it is the claim ('built'), an instance of it, or a goal of its own ('own'); for a
    property test or a simulation, how many times it evaluated the claim, inside its domain."""
    lemma_id = check.claim.lemma_id
    if evidence.kind is CheckKind.SYMBOLIC:
        goal = evidence.check.rpartition("/")[2]
        for entry in ledger.goals:
            if entry["lemma"] != lemma_id:
                continue
            if entry["query"] is not None:  # a z3 goal: its link is known once the check stated it all
                link = entry["query"].claim_link()
                if link is not None:
                    return {"link": link["link"], "why": link["why"]}
            elif entry["goal"] == goal:
                return {"link": entry["link"], "why": entry["why"]}
        return {"link": "own", "why": "this goal is stated by the check, not built from the declared claim"}
    counts = ledger.evaluations.get(lemma_id, {"inside": 0, "outside": 0, "failed": 0})
    return {"link": "evaluated" if counts["inside"] else "not evaluated", **counts}


def run_lemma(lemma: Lemma, registry: Registry, context: CheckContext) -> Verdict:
    """The verdict of one lemma: `error` with the problems if it is ill-declared, else its evidence combined."""
    problems = registry.problems(lemma.id)
    if problems:
        return Verdict(problems=problems)
    evidence: list[Evidence] = []
    for check in registry.checks(lemma.id):
        evidence.extend(run_check(check, context))
    if lemma.explain is not None:  # a sentence for each counterexample, for the reader of the report
        evidence = [_explained(e, lemma) for e in evidence]
    gap = None
    if lemma.claim is not None:
        decision = kernel.declared_claim(links=[(e.status, e.facts.get("claim", {}).get("link"))
                                                for e in evidence if e.kind is CheckKind.SYMBOLIC])
        gap = decision.reason if decision.status is not Status.PROVED else None
    return Verdict(evidence=tuple(evidence), claim_gap=gap)


def _explained(evidence: Evidence, lemma: Lemma) -> Evidence:
    if not evidence.counterexample or evidence.status not in (Status.REFUTED, Status.CONFLICT):
        return evidence
    try:
        sentence = str(lemma.explain(evidence.counterexample))
    except Exception as crash:  # noqa: BLE001 - an explanation that fails must not hide the counterexample
        sentence = f"(the lemma's explain= failed on this counterexample: {type(crash).__name__}: {crash})"
    return replace(evidence, facts={**evidence.facts, "sentence": sentence})
