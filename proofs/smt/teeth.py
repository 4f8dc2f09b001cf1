"""The teeth of each premise: after a proof, drop one premise at a time and ask whether the claim
still holds. A premise without teeth is flagged in the report; domain constraints (`q.domain`)
are the statement's setting and are not dropped."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from proofs.smt.query import loosened, z3
from proofs.smt.replay import cross_check, replay

if TYPE_CHECKING:
    from proofs.smt.engine import _Run
TEETH_SECONDS = 0.5  # each drop-one-hypothesis query; undecided ones fall back to random points


def teeth(session: _Run) -> list[dict[str, Any]]:
    """Drop each premise in turn: needed if the claim then fails (with a counterexample replayed in
    exact arithmetic), not needed if it still holds, None if neither z3 (within TEETH_SECONDS) nor
    random points could tell."""
    query, teeth = session.query, []
    for index, (dropped, role) in enumerate(zip(query.hypotheses, query.roles())):
        if role == "domain":
            continue  # the statement's own setting; only premises are dropped (0.3-1 s each)
        rest = [h for i, h in enumerate(query.hypotheses) if i != index]
        answer = session.solve([*rest, z3.Not(query.claim)], f"drop-{index + 1}", limit=TEETH_SECONDS,
                               second_opinion=False)
        entry: dict[str, Any] = {"hypothesis": str(dropped), "role": role, "needed": None, "counterexample": None}
        if answer.result == "unsat":
            entry["needed"] = False
        elif answer.result == "sat":
            loose = loosened(query, rest)
            confirmed, _, counterexample = replay(loose, answer.model)
            if confirmed:
                entry["needed"], entry["counterexample"] = True, counterexample
        if entry["needed"] is None:  # z3 timed out or its model was an artefact: try random points
            falsifier = cross_check(loosened(query, rest), session.context.seed).falsifier
            if falsifier is not None:
                entry["needed"], entry["counterexample"] = True, falsifier
        teeth.append(entry)
    return teeth
