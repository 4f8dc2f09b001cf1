"""Statuses, evidence, verdicts and the one table that combines evidence into a verdict.

This module is the single place where the status vocabulary lives (DESIGN.md, "Statuses").
Reports, graph colours and the command line all read `STATUS_INFO` and `combine` from here.
It imports nothing outside the standard library so that every other module can depend on it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping


class Status(enum.StrEnum):
    """What is known about a claim. The string values are the JSON contract."""

    PROVED = "proved"
    TESTED = "tested"
    REFUTED = "refuted"
    CONFLICT = "conflict"
    UNKNOWN = "unknown"
    TIMEOUT = "timeout"
    VACUOUS = "vacuous"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class StatusInfo:
    meaning: str
    colour: str  # fill colour in the report and the dependency graph


STATUS_INFO: Mapping[Status, StatusInfo] = {
    Status.PROVED: StatusInfo("a symbolic engine closed the goal and the numeric cross-check agrees", "#2e7d32"),
    Status.TESTED: StatusInfo("property tests and simulations found no counterexample within their bounds", "#9ccc65"),
    Status.REFUTED: StatusInfo("a concrete counterexample exists, replayed numerically", "#c62828"),
    Status.CONFLICT: StatusInfo("evidence disagrees: an encoding or an engine is wrong", "#6a1b9a"),
    Status.UNKNOWN: StatusInfo("an engine gave up (incomplete theory, no answer)", "#9e9e9e"),
    Status.TIMEOUT: StatusInfo("a stated resource limit was hit", "#ff9800"),
    Status.VACUOUS: StatusInfo("the hypotheses are unsatisfiable, or no generated input met them", "#fdd835"),
    Status.ERROR: StatusInfo("a check crashed or the statement is ill-formed", "#000000"),
}

# After the conflict rule, the first status present wins. Written once; tested as a truth table.
PRECEDENCE: tuple[Status, ...] = (
    Status.REFUTED,
    Status.ERROR,
    Status.VACUOUS,
    Status.PROVED,
    Status.TESTED,
    Status.TIMEOUT,
    Status.UNKNOWN,
)

# A symbolic goal with one of these statuses is undecided: it keeps its lemma from being proved.
UNDECIDED_GOAL: frozenset[Status] = frozenset({Status.UNKNOWN, Status.TIMEOUT})


def combine(statuses: Iterable[Status], *, undecided_goal: bool = False) -> Status:
    """The verdict of a lemma from the statuses of its pieces of evidence.

    `proved` needs every goal of every symbolic check proved: with `undecided_goal` (a symbolic
    goal came back unknown or timed out, or a check proves only part of the statement) the goals
    that were proved only count as checks that found no counterexample, so the lemma is at most
    `tested`, and a counterexample beside them refutes it without a conflict (nothing proved the
    whole statement). Then `conflict` if a `proved` meets a `refuted` (or a cross-check reported a
    disagreement), else the first of PRECEDENCE that is present. No evidence at all is `unknown`:
    nothing was shown either way.
    """
    present = set(statuses)
    if undecided_goal and Status.PROVED in present:  # no proof of the whole statement: nothing to conflict with
        present = (present - {Status.PROVED}) | {Status.TESTED}
    if Status.CONFLICT in present or {Status.PROVED, Status.REFUTED} <= present:
        return Status.CONFLICT
    for status in PRECEDENCE:
        if status in present:
            return status
    return Status.UNKNOWN


class CheckKind(enum.StrEnum):
    """What a check is allowed to conclude. Only symbolic checks may prove."""

    SYMBOLIC = "symbolic"
    PROPERTY = "property"
    SIMULATION = "simulation"

    @property
    def can_prove(self) -> bool:
        return self is CheckKind.SYMBOLIC


@dataclass(frozen=True, slots=True)
class Evidence:
    """One engine's answer about one claim (for a symbolic check: about one goal).

    `counterexample` holds plain Python numbers (and short strings) so it survives JSON and
    can be replayed by hand. `artifacts` are paths relative to the report directory.
    `status` may be `conflict` only when a cross-check found two engines disagreeing.
    `kind` says what the check that produced it may conclude (only symbolic goals can prove, and
    an undecided symbolic goal keeps the lemma from `proved`); None for supporting evidence such
    as a counterexample replayed in the lemma's own code. `facts` holds what an engine measured,
    in plain JSON: `points_evaluated` for a numeric cross-check, `slack` for a simulated bound.
    """

    engine: str
    status: Status
    detail: str
    counterexample: Mapping[str, Any] | None = None
    elapsed_s: float = 0.0
    artifacts: tuple[str, ...] = ()
    check: str = ""
    hypotheses: tuple[Mapping[str, Any], ...] = ()  # z3 proofs: each hypothesis, whether it is needed
    kind: CheckKind | None = None
    facts: Mapping[str, Any] = field(default_factory=dict)

    @property
    def undecided_goal(self) -> bool:
        """A symbolic goal left unknown or timed out, or proved for only a part of the statement."""
        return self.kind is CheckKind.SYMBOLIC and (self.status in UNDECIDED_GOAL or (
            self.status is Status.PROVED and bool(self.facts.get("part"))))

    def to_json(self) -> dict[str, Any]:
        return {
            "engine": self.engine,
            "check": self.check,
            "kind": self.kind.value if self.kind is not None else None,
            "status": self.status.value,
            "detail": self.detail,
            "counterexample": dict(self.counterexample) if self.counterexample is not None else None,
            "elapsed_s": round(self.elapsed_s, 4),
            "artifacts": list(self.artifacts),
            "hypotheses": [dict(h) for h in self.hypotheses],
            "facts": dict(self.facts),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Evidence:
        return cls(
            engine=data["engine"],
            check=data.get("check", ""),
            status=Status(data["status"]),
            detail=data["detail"],
            counterexample=data.get("counterexample"),
            elapsed_s=float(data.get("elapsed_s", 0.0)),
            artifacts=tuple(data.get("artifacts", ())),
            hypotheses=tuple(data.get("hypotheses", ())),
            kind=CheckKind(data["kind"]) if data.get("kind") else None,
            facts=dict(data.get("facts") or {}),
        )


@dataclass(frozen=True, slots=True)
class Verdict:
    """The combined status of a lemma with the evidence it was derived from.

    A verdict is not a truth value: `if verdict:` raises, so nobody confuses `tested` with
    `proved` by accident.
    """

    evidence: tuple[Evidence, ...] = field(default_factory=tuple)
    problems: tuple[str, ...] = ()
    claim_gap: str | None = None  # why the declared claim is not proved although goals were (kernel.declared_claim)

    @property
    def status(self) -> Status:
        if self.problems:
            return Status.ERROR
        return combine((e.status for e in self.evidence), undecided_goal=bool(self.undecided_goals))

    @property
    def undecided_goals(self) -> tuple[str, ...]:
        """The symbolic goals that came back unknown or timed out: each keeps the lemma from proved."""
        goals = tuple(f"{e.check} (certifies only: {e.facts['part']})" if e.facts.get("part") else
                      f"{e.check} ({e.status.value})" for e in self.evidence if e.undecided_goal)
        return goals + ((self.claim_gap,) if self.claim_gap else ())

    def __bool__(self) -> bool:
        raise TypeError("a Verdict has no truth value; compare verdict.status with a Status")
