"""Running a lemma's checks and turning what they say into a verdict.

This is the one place that knows which engine runs which check, how a crash becomes `error`
evidence, and that only symbolic checks may conclude `proved`.
"""

from __future__ import annotations

import time
import traceback
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from proofs import cas, prop, sim, smt
from proofs.lemma import Check, Lemma
from proofs.registry import Registry
from proofs.status import Evidence, Status, Verdict

ENGINE_RUNNERS: dict[str, Callable[[Check, "CheckContext"], list[Evidence]]] = {
    "z3": smt.run,
    "sympy": cas.run,
    "hypothesis": prop.run,
    "simulation": sim.run,
}


@dataclass(frozen=True, slots=True)
class CheckContext:
    """Everything a check may depend on besides its own code: all of it is in the report."""

    report_dir: Path
    seed: int
    scale: str = "default"
    hypothesis_profile: str = prop.DEFAULT_PROFILE


def seed_for(lemma_id: str, check_name: str, base_seed: int = 0) -> int:
    """A stable seed per check, as pytest-randomly does: crc32 of a stable name."""
    return zlib.crc32(f"{lemma_id}/{check_name}".encode()) ^ base_seed


def run_check(check: Check, report_dir: Path, base_seed: int = 0, scale: str = "default",
              hypothesis_profile: str = prop.DEFAULT_PROFILE) -> list[Evidence]:
    """Run one check; a crash or a forbidden conclusion becomes `error` evidence, never an exception."""
    context = CheckContext(report_dir, seed_for(check.lemma_id, check.name, base_seed), scale, hypothesis_profile)
    started = time.perf_counter()
    try:
        evidence = ENGINE_RUNNERS[check.engine](check, context)
    except smt.SolverMissing as missing:
        return [Evidence(check.engine, Status.ERROR, str(missing), None, time.perf_counter() - started, (), check.name)]
    except Exception as crash:  # a broken check fails its own lemma only
        where = traceback.extract_tb(crash.__traceback__)[-1]
        detail = f"check crashed: {type(crash).__name__}: {crash} (at {Path(where.filename).name}:{where.lineno})"
        return [Evidence(check.engine, Status.ERROR, detail, None, time.perf_counter() - started, (), check.name)]
    if not check.kind.can_prove:
        evidence = [
            Evidence(e.engine, Status.ERROR, f"a {check.kind.value} check cannot prove; it reported: {e.detail}",
                     e.counterexample, e.elapsed_s, e.artifacts, e.check)
            if e.status is Status.PROVED else e
            for e in evidence
        ]
    return evidence


def run_lemma(lemma: Lemma, registry: Registry, report_dir: Path, base_seed: int = 0, scale: str = "default",
              hypothesis_profile: str = prop.DEFAULT_PROFILE) -> Verdict:
    """The verdict of one lemma: `error` with the problems if it is ill-declared, else its evidence combined."""
    problems = registry.problems(lemma.id)
    if problems:
        return Verdict(problems=problems)
    evidence: list[Evidence] = []
    for check in registry.checks(lemma.id):
        evidence.extend(run_check(check, report_dir, base_seed, scale, hypothesis_profile))
    return Verdict(evidence=tuple(evidence))
