"""The records of the Coq re-check: a goal as a translator states it, a cited axiom, and what
Coq made of the goal.

A translator (`proofs.coq.from_z3`, `proofs.coq.from_sympy`) turns a goal an engine proved into a
`CoqGoal`: the Coq proposition, the proof scripts to try in turn, and closed instances of the
statement that must hold (points where the suite's exact evaluation says the hypotheses and the
claim hold). A goal with something that has no translation names it in `missing` and is never
sent to Coq. `proofs.coq.run.recheck` turns goals into `KernelResult`s.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, field


class Outcome(enum.StrEnum):
    """What Coq made of a goal. The string values are what status.json's `kernel` field says."""

    CHECKED = "checked"  # coqc accepted the Lemma with Qed: Coq's kernel checked the proof term
    NOT_CHECKED = "not checked"  # no tactic of the portfolio closed it; the last error is kept
    NOT_EXPORTABLE = "not exportable"  # a feature has no translation; it is named
    CONFLICT = "conflict"  # the translated statement does not type-check, or Coq refutes an instance of it
    NOT_RECHECKED = "not re-checked"  # coqc is not installed (or the re-check was not asked for)


@dataclass(frozen=True, slots=True)
class CitedAxiom:
    """A published theorem the suite cites, stated in Coq as an `Axiom`: `Print Assumptions` of
    every lemma that uses it lists it by name. `reference` is printed in a comment above it."""

    name: str  # a Coq identifier
    statement: str  # a closed Coq proposition
    reference: str
    source: str = ""  # the suite's id of the axiom, e.g. multimodal.pinsker_inequality


@dataclass(frozen=True, slots=True)
class CoqGoal:
    """One goal, stated in Coq.

    `statement` is the proposition (closed: every variable bound by `forall`). `setup` is the
    proof's fixed opening (intros, an induction) that leaves `len(branches)` subgoals; each branch
    is a tuple of alternative scripts tried in turn (the portfolio). `instances` are closed
    propositions that must hold, for Coq to try to refute: proving the negation of one means the
    translation is wrong. `missing` names what has no translation (then nothing else matters).
    """

    label: str  # where it comes from: 'lemma.id/check' or 'lemma.id/check/goal'
    engine: str  # z3, sympy or interval
    name: str  # the Coq name of the Lemma, unique within its suite lemma's module
    statement: str = ""
    setup: str = "intros"
    branches: tuple[tuple[str, ...], ...] = ()
    instances: tuple[str, ...] = ()
    instance_tactics: tuple[str, ...] = ("intros; lra",)
    axioms: tuple[CitedAxiom, ...] = ()
    missing: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # what a reader should know: renamed variables, Coq's x/0 = 0, …
    kind: str = "universal"  # universal, existential, induction, bound, identity

    @property
    def exportable(self) -> bool:
        return not self.missing

    def to_json(self) -> dict:
        """Plain data (to cross from an xdist worker to the controller, which re-checks in batches)."""
        return {"label": self.label, "engine": self.engine, "name": self.name, "statement": self.statement,
                "setup": self.setup, "branches": [list(b) for b in self.branches], "instances": list(self.instances),
                "instance_tactics": list(self.instance_tactics),
                "axioms": [{"name": a.name, "statement": a.statement, "reference": a.reference, "source": a.source}
                           for a in self.axioms],
                "missing": list(self.missing), "notes": list(self.notes), "kind": self.kind}

    @classmethod
    def from_json(cls, data: dict) -> "CoqGoal":
        return cls(data["label"], data["engine"], data["name"], data["statement"], data["setup"],
                   tuple(tuple(b) for b in data["branches"]), tuple(data["instances"]), tuple(data["instance_tactics"]),
                   tuple(CitedAxiom(**a) for a in data["axioms"]), tuple(data["missing"]), tuple(data["notes"]),
                   data["kind"])

    @property
    def module(self) -> str:
        """The Coq module of the suite lemma the goal belongs to (its id with `.` as `__`)."""
        lemma_id = self.label.split("/", 1)[0]
        return "".join(c if c.isalnum() or c == "_" else "_" for c in lemma_id.replace(".", "__")) or "goals"

    def fingerprint(self, salt: str = "") -> str:
        """What decides Coq's answer: the statement, the scripts, the instances, the axioms, and
        `salt` (Coq's version and the prelude). Two goals with the same fingerprint get the same
        answer, so a cached one need not be re-checked."""
        parts = [self.statement, self.setup, repr(self.branches), repr(self.instances), repr(self.instance_tactics),
                 repr([(a.name, a.statement) for a in self.axioms]), "|".join(self.missing), salt]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:24]


@dataclass(frozen=True, slots=True)
class KernelResult:
    """Coq's answer on one goal.

    `detail` says why: the script that closed it, the last error, the missing feature, or what
    the conflict is. `assumptions` is what `Print Assumptions` listed for a checked lemma (axioms
    by their qualified name). `file` is the `.v` holding the lemma, relative to the output
    folder; `statement` is the Lemma as written there, for the lemma's card."""

    label: str
    outcome: Outcome
    detail: str
    statement: str = ""
    lemma: str = ""  # Module.name of the Coq lemma
    file: str | None = None
    script: str | None = None
    assumptions: tuple[str, ...] = ()
    assumptions_exact: bool = False  # True: Print Assumptions of this lemma alone; else a union, or not asked
    notes: tuple[str, ...] = ()
    fingerprint: str = ""
    cached: bool = False
    elapsed_s: float = 0.0

    def to_json(self) -> dict:
        return {"outcome": self.outcome.value, "detail": self.detail, "statement": self.statement,
                "lemma": self.lemma, "file": self.file, "script": self.script,
                "assumptions": list(self.assumptions), "assumptions_exact": self.assumptions_exact, "notes": list(self.notes), "fingerprint": self.fingerprint,
                "cached": self.cached, "elapsed_s": round(self.elapsed_s, 3)}


@dataclass(slots=True)
class Missing:
    """Collects the features a translation meets and cannot state, and notes for the reader."""

    features: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, feature: str) -> None:
        if feature not in self.features:
            self.features.append(feature)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)
