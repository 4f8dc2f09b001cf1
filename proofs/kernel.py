"""The trusted kernel: the only place where what an engine answered becomes `proved`.

Everything else in `proofs` is an untrusted helper, a *tactic* in Knuckledragger's words
(`kdrag/kernel.py` beside `kdrag/tactics.py`). The engine modules build queries, run the solvers
in a child process, replay counterexamples, sample points and write artefacts; they may get any
of that wrong without making a false claim `proved`, because they only hand their raw answers
(z3's and cvc5's words, how many points were evaluated, whether a witness replayed) to one of the
functions below, which alone decide. `tests/test_kernel.py` asserts that no other module of the
package can produce `proved`.

Every rule here is one the reader of a report relies on:
- a goal is proved only when the engine closed it *and* the numbers were evaluated and agree;
- the hypotheses of a universal claim must be shown satisfiable, or the proof may be vacuous;
- a second solver that finds a model where z3 found none is a conflict, never a proof;
- a definite "false" from sympy without a witness is undecided, never tested and never proved;
- a number that decides is a certified ball, and a ball that cannot decide is undecided, never a verdict;
- only symbolic checks may prove.
"""

from __future__ import annotations

from dataclasses import dataclass

from proofs.status import CheckKind, Status


@dataclass(frozen=True, slots=True)
class Decision:
    status: Status
    reason: str


def _unproved_numbers(points_evaluated: int) -> Decision | None:
    if points_evaluated < 1:
        return Decision(Status.UNKNOWN, "the solver closed the goal, but no point was evaluated numerically, "
                                        "so the answer is not cross-checked")
    return None


def universal(*, negation: str, negation_second: str, hypotheses: str, hypotheses_second: str,
              hypotheses_met_at_a_point: bool, points_evaluated: int, falsified: bool,
              counterexample_replayed: bool) -> Decision:
    """∀ vars: hypotheses ⟹ claim, from z3's answer on hypotheses ∧ ¬claim.

    `negation`/`hypotheses` are z3's words ("sat", "unsat", "unknown"; "none" when there are no
    hypotheses), the `_second` ones cvc5's. `hypotheses_met_at_a_point`: some point met every
    hypothesis in exact arithmetic. `falsified`: a point met them and the claim failed there.
    `counterexample_replayed`: z3's model of the negation replayed exactly as a counterexample.
    """
    if {negation, negation_second} == {"sat", "unsat"}:
        return Decision(Status.CONFLICT, f"z3 answers {negation} on the negation but cvc5 answers {negation_second}")
    if {hypotheses, hypotheses_second} == {"sat", "unsat"}:
        return Decision(Status.CONFLICT, f"z3 answers {hypotheses} on the hypotheses but cvc5 answers "
                                         f"{hypotheses_second}")
    if hypotheses == "unsat":
        if hypotheses_met_at_a_point:
            return Decision(Status.CONFLICT, "z3 says the hypotheses are unsatisfiable, but they hold at a point "
                                             "(exact rational arithmetic)")
        return Decision(Status.VACUOUS, "the hypotheses alone are unsatisfiable: the claim holds vacuously")
    if negation == "sat":
        if counterexample_replayed:
            return Decision(Status.REFUTED, "z3 found a model of the negation, replayed exactly as a counterexample")
        return Decision(Status.ERROR, "z3 found a model of the negation that does not replay in exact arithmetic: "
                                      "an artefact of the encoding, not a counterexample")
    if negation != "unsat":
        return Decision(Status.UNKNOWN, f"z3 answered {negation} on the negation")
    if negation_second == "sat":
        return Decision(Status.CONFLICT, "z3 answers unsat on the negation but cvc5 finds a model")
    if falsified:
        return Decision(Status.CONFLICT, "z3 says unsat, but the claim is false at a point that meets the "
                                         "hypotheses (exact rational arithmetic)")
    if hypotheses not in ("sat", "none") and not hypotheses_met_at_a_point:
        return Decision(Status.UNKNOWN, "the negation has no model, but the hypotheses were not shown satisfiable, "
                                        "so the proof may be vacuous")
    if (undecided := _unproved_numbers(points_evaluated)) is not None:
        return undecided
    return Decision(Status.PROVED, f"the negation has no model; the claim holds at all {points_evaluated} points "
                                   f"evaluated")


def existential(*, answer: str, answer_second: str, witness_replayed: bool) -> Decision:
    """∃ vars: hypotheses ∧ claim, from z3's answer on hypotheses ∧ claim."""
    if {answer, answer_second} == {"sat", "unsat"}:
        return Decision(Status.CONFLICT, f"z3 answers {answer} but cvc5 answers {answer_second}")
    if answer == "unsat":
        return Decision(Status.REFUTED, "no values satisfy the hypotheses and the claim: the existential is false")
    if answer != "sat":
        return Decision(Status.UNKNOWN, f"z3 answered {answer}")
    if not witness_replayed:
        return Decision(Status.ERROR, "z3's witness does not replay in exact arithmetic")
    return Decision(Status.PROVED, "a witness replayed exactly: the hypotheses and the claim hold there")


def identity(*, simplified_to_zero: bool, sympy_says_different: bool, points_evaluated: int,
             numeric_difference: bool, points_undecided: int = 0) -> Decision:
    """lhs = rhs: sympy simplified lhs − rhs to 0, and the Arb balls of the two sides agreed (within
    the stated tolerance) at every point they decided. `numeric_difference`: at a point the two
    sides' balls are disjoint, a certified witness. `points_undecided`: points where the balls
    could not decide at the precision cap."""
    if simplified_to_zero and numeric_difference:
        return Decision(Status.CONFLICT, "sympy simplifies lhs − rhs to 0, but at a point the Arb balls of the two "
                                         "sides are disjoint")
    if numeric_difference:
        return Decision(Status.REFUTED, "at a point the Arb balls of the two sides are disjoint: a certified witness")
    if simplified_to_zero:
        if points_undecided:
            return Decision(Status.UNKNOWN, f"lhs − rhs simplifies to 0, but at {points_undecided} points the balls "
                                            f"could not decide at the precision cap")
        return _unproved_numbers(points_evaluated) or Decision(
            Status.PROVED, f"lhs − rhs simplifies to 0; the Arb balls agree at {points_evaluated} points")
    if sympy_says_different:
        return Decision(Status.UNKNOWN, "sympy says the two sides differ, but no witness was found: neither "
                                        "proved nor refuted")
    return Decision(Status.UNKNOWN, "sympy could not reduce lhs − rhs to 0; numeric agreement is not a proof")


def limit(*, evaluated: bool, relation_holds: bool | None, numeric_agrees: bool | None, points_evaluated: int,
          numeric_refutes_claim: bool = False) -> Decision:
    """lim expr (relation) expected: sympy's limit, re-evaluated in Arb balls approaching the point.

    `numeric_agrees`: True when the balls approach sympy's value, False when they exclude it at the
    points nearest the limit, None when they cannot tell (the precision cap). `numeric_refutes_claim`:
    the balls nearest the limit certify that the claimed relation fails. A value both sympy and the
    balls reject is refuted; a verdict they disagree on is a conflict:

    sympy meets claim | balls vs sympy | balls vs claim   | decision
    yes               | approach       |                  | proved
    yes               | exclude        |                  | conflict
    no                | approach       |                  | refuted
    no                | exclude        | certify it fails | refuted (two wrong values: sympy's and the claim's)
    no                | exclude        | cannot certify   | conflict
    cannot tell       | approach       |                  | unknown
    any               | cannot tell    |                  | unknown
    """
    if not evaluated:
        return Decision(Status.UNKNOWN, "sympy could not evaluate the limit")
    if numeric_agrees is False:
        if relation_holds is False and numeric_refutes_claim:
            return Decision(Status.REFUTED, "the Arb balls exclude sympy's limit and certify that the claimed relation "
                                            "fails: sympy's value and the claimed one are both wrong")
        return Decision(Status.CONFLICT, "sympy's limit disagrees with the Arb balls nearest the limit")
    if numeric_agrees is None:
        return Decision(Status.UNKNOWN, "the Arb balls cannot decide whether they approach sympy's limit (the "
                                        "precision cap was reached, or too few points have a finite ball)")
    if relation_holds is None:
        return Decision(Status.UNKNOWN, "sympy cannot decide whether the limit meets the claimed relation")
    if not relation_holds:
        return Decision(Status.REFUTED, "the limit does not meet the claimed relation, and the Arb balls approach it")
    return _unproved_numbers(points_evaluated) or Decision(
        Status.PROVED, f"the limit meets the claimed relation; the Arb balls approach it at {points_evaluated} points")


def bound(*, sympy_answer: bool | None, violation: bool, points_evaluated: int, points_undecided: int = 0) -> Decision:
    """expr ≥ bound (or >) on a domain: sympy's assumptions or calculus, and the Arb balls at points.
    `violation`: a point whose gap's ball lies below the bound, a certified witness."""
    if sympy_answer is True and violation:
        return Decision(Status.CONFLICT, "sympy proves the bound, but at a point the Arb ball of the gap lies below it")
    if violation:
        return Decision(Status.REFUTED, "at a point the Arb ball of the gap lies below the bound: a certified witness")
    if sympy_answer is True:
        if points_undecided:
            return Decision(Status.UNKNOWN, f"sympy proves the bound, but at {points_undecided} points the balls could "
                                            f"not decide at the precision cap")
        return _unproved_numbers(points_evaluated) or Decision(
            Status.PROVED, f"sympy proves the bound; the Arb balls agree at {points_evaluated} points")
    if sympy_answer is False:
        return Decision(Status.UNKNOWN, "sympy says the bound is false, but no witness was found: neither "
                                        "proved nor refuted")
    return Decision(Status.UNKNOWN, "sympy could not decide the bound; numeric agreement is not a proof")


def enclosure(*, boxes_certified: int, undecided_boxes: int, violating_box: bool, tail_covered: bool) -> Decision:
    """f ≥ 0 (or > 0) on a box, by rigorous interval enclosures over a subdivision of it.
    `violating_box`: a point of a sub-box whose certified enclosure lies below the bound (the
    claim fails at that point; the rest of the sub-box may satisfy it)."""
    if violating_box:
        return Decision(Status.REFUTED, "at a point of the box the certified enclosure of the expression lies below "
                                        "the bound: the point and its enclosure are the counterexample")
    if undecided_boxes:
        return Decision(Status.UNKNOWN, f"{undecided_boxes} sub-boxes could not be certified within the limit")
    if not tail_covered:
        return Decision(Status.UNKNOWN, "the bounded box is certified, but nothing covers the unbounded tail")
    if boxes_certified < 1:
        return Decision(Status.ERROR, "no box was certified: the domain is empty")
    return Decision(Status.PROVED, f"certified on all {boxes_certified} sub-boxes by interval enclosures")


def induction(*, base: Decision, step: Decision, falsified: bool, points_evaluated: int) -> Decision:
    """∀ n ≥ n0: P(n), from a proved base case P(n0) and a proved step P(n) ⟹ P(n+1), with the claim
    itself evaluated at concrete n (`falsified`: it fails at one, evaluated directly)."""
    both = base.status is Status.PROVED and step.status is Status.PROVED
    if falsified and both:
        return Decision(Status.CONFLICT, "base case and step are proved, but the claim fails at a concrete n")
    if falsified or base.status is Status.REFUTED:
        return Decision(Status.REFUTED, "the claim fails at a concrete n, evaluated directly")
    for part, decision in (("base case", base), ("inductive step", step)):
        if decision.status is not Status.PROVED:
            status = decision.status if decision.status in (Status.CONFLICT, Status.ERROR, Status.TIMEOUT,
                                                            Status.VACUOUS) else Status.UNKNOWN
            return Decision(status, f"the {part} is not proved ({decision.status.value}: {decision.reason})")
    return _unproved_numbers(points_evaluated) or Decision(
        Status.PROVED, f"base case and inductive step proved; the claim holds at all {points_evaluated} "
                       f"values of n evaluated")


def evaluated(*, holds: bool | None, where: str) -> Decision:
    """A fact about one concrete value (a base case), evaluated in exact arithmetic."""
    if holds is None:
        return Decision(Status.UNKNOWN, f"{where}: the exact evaluation could not decide")
    return Decision(Status.PROVED if holds else Status.REFUTED, f"{where}: {'holds' if holds else 'fails'}, "
                                                                 f"evaluated exactly")


def simplified(*, holds: bool | None, what: str) -> Decision:
    """A symbolic fact sympy reduced exactly (an increment that simplifies to 0, a sign it proves)."""
    if holds is None or holds is False:
        return Decision(Status.UNKNOWN, f"sympy cannot show {what}")
    return Decision(Status.PROVED, f"sympy shows {what}")


def declared_claim(*, links: list[tuple[Status, str | None]]) -> Decision:
    """A lemma that declares its claim is proved only if a symbolic goal that *is* that claim (built
    from it, not an instance of it and not a goal of the check's own) was proved. `links` holds,
    for each symbolic goal, its status and its link to the declared claim."""
    if any(status is Status.PROVED and link == "built" for status, link in links):
        return Decision(Status.PROVED, "a proved symbolic goal is the declared claim")
    return Decision(Status.UNKNOWN, "the declared claim: no proved symbolic goal is built from it (the goals "
                                    "proved are instances of it or goals of their own)")


def recheck(*, outcome: str, detail: str) -> Decision | None:
    """A proof assistant's answer on a goal an engine proved. A statement Coq cannot type, or whose
    instance at a point where the suite's exact evaluation says it holds Coq refutes, means the
    translation (or the engine) is wrong: a conflict. Every other answer leaves the goal's status
    as the engine's evidence made it (checked adds trust; not checked, not exportable and not
    re-checked take none away); the re-check never proves anything on its own."""
    if outcome == "conflict":
        return Decision(Status.CONFLICT, f"the Coq re-check contradicts the translated goal: {detail}")
    return None


def admit(kind: CheckKind, status: Status) -> Status:
    """What a check of this kind may conclude: only symbolic checks may prove."""
    if status is Status.PROVED and not kind.can_prove:
        return Status.ERROR
    return status
