"""Running one z3 check: satisfiability of the hypotheses, the proof by the negation, the exact
replay of any counterexample, the cross-check at points, and the teeth of each premise; the raw
answers go to `proofs.kernel`, which alone decides. Inductions and existential claims have their
own runs here."""

from __future__ import annotations

import time
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable

from proofs import kernel
from proofs.errors import InvalidCheck
from proofs.records import Check, CheckContext
from proofs.smt import solver
from proofs.smt.query import Query, loosened, symbols_of, version, z3
from proofs.smt.replay import (
    ReplayUnsupported, assignment, cross_check, evaluate, plain_number, replay, shown,
)
from proofs.smt.teeth import teeth as premise_teeth
from proofs.status import Evidence, Status

ENGINE = "z3"
MODEL_POINTS = 12  # models of the hypotheses drawn when random points rarely meet them
FEW_POINTS = 20


# -- the engine ------------------------------------------------------------------------------------


def _write(directory: Path, relative: str, text: str) -> str:
    path = directory / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return relative


class _Run:
    """One z3 check in progress: its queries, their files, its share of the time limit."""

    def __init__(self, check: Check, context: CheckContext, query: Query) -> None:
        self.check, self.context, self.query = check, context, query
        self.stem = f"smt2/{check.lemma_id}/{check.name}"
        self.artifacts: list[str] = []
        self.second_opinions: list[str] = []
        self.started = time.perf_counter()

    def remaining(self) -> float:
        return max(0.1, self.check.timeout_s - (time.perf_counter() - self.started))

    def solve(self, assertions: list[Any], suffix: str, limit: float | None = None, second_opinion: bool = True,
              extra_models: int = 0) -> solver.Answer:
        """Solve with z3 in the worker; re-check the same .smt2 with cvc5 when asked and installed."""
        text = solver.benchmark(self.query, assertions)
        self.artifacts.append(_write(self.context.report_dir, f"{self.stem}.{suffix}.smt2", text))
        seconds = min(self.remaining(), limit) if limit is not None else self.remaining()
        cvc5_seconds = min(seconds / 2, solver.CVC5_SECONDS) if second_opinion else 0.0
        answer = solver.ask(text, cvc5_seconds, seconds, limit if limit is not None else self.check.timeout_s,
                     extra_models, self.context.seed)
        if second_opinion and answer.result in ("sat", "unsat", "unknown"):
            self.second_opinions.append(f"{suffix}: {answer.cvc5}")
        return answer

    def evidence(self, status: Status, detail: str, counterexample: dict | None = None, hypotheses: tuple = (),
                 facts: dict | None = None, engine: str = ENGINE) -> list[Evidence]:
        if self.second_opinions and all(o.endswith(solver.NOT_INSTALLED) for o in self.second_opinions):
            second = "; not re-checked by cvc5: not installed (pip install cvc5)"
        else:
            second = "; cvc5 " + ", ".join(self.second_opinions) if self.second_opinions else ""
        return [Evidence(engine, status, f"z3 {version()}: {detail}{second}", counterexample,
                         time.perf_counter() - self.started, tuple(self.artifacts), self.check.name, hypotheses,
                         facts=facts or {})]


def _stopped(session: _Run, answer: solver.Answer) -> list[Evidence] | None:
    if answer.result == "timeout":
        return session.evidence(Status.TIMEOUT, answer.reason)
    if answer.result == "error":
        return session.evidence(Status.ERROR, answer.reason)
    return None


def run(check: Check, context: CheckContext) -> list[Evidence]:
    """Run one z3 check: satisfiability of the hypotheses, proof by the negation, cross-check, then
    the teeth of each premise (is the claim still true without it?)."""
    query = Query.of(check)
    if query.claim is None:
        raise InvalidCheck(f"z3 check {check.name!r} never called q.prove(claim) or q.exists(claim): "
                           f"there is nothing to prove")
    foreign = sorted({d.partition("/")[0] for d in query.drawn_on} - set(check.uses))
    if foreign:
        raise InvalidCheck(f"z3 check {check.name!r} draws on {foreign} with q.use, but the lemma does not list "
                           f"them in uses=; add them, so the graph shows what it rests on")
    session = _Run(check, context, query)
    if query.existential:
        return _witness(session)
    if query.induction_variable is not None:
        return _induction(session)

    sampled = cross_check(query, context.seed)
    hypotheses = solver.Answer("none")
    if query.hypotheses:
        wanted = MODEL_POINTS if sampled.met < FEW_POINTS else 0
        hypotheses = session.solve(query.hypotheses, "hypotheses", extra_models=wanted)
        if (stop := _stopped(session, hypotheses)) is not None:
            return stop
        if hypotheses.result == "sat" and wanted:
            sampled = cross_check(query, context.seed, models=[hypotheses.model, *hypotheses.models])

    replayed, counterexample, replay_note = False, None, ""
    negation = solver.Answer("not asked")
    if hypotheses.result != "unsat":
        negation = session.solve([*query.hypotheses, z3.Not(query.claim)], "negation")
        if (stop := _stopped(session, negation)) is not None:
            return stop
        if negation.result == "sat":
            replayed, replay_note, counterexample = replay(query, negation.model)

    decision = kernel.universal(
        negation=negation.result, negation_second=negation.cvc5, hypotheses=hypotheses.result,
        hypotheses_second=hypotheses.cvc5, hypotheses_met_at_a_point=sampled.witness is not None,
        points_evaluated=sampled.met, falsified=sampled.falsifier is not None,
        counterexample_replayed=replayed)
    facts: dict[str, Any] = {"points_evaluated": sampled.met}
    if query.drawn_on:
        facts["draws_on"] = list(query.drawn_on)
    status = decision.status
    if status is Status.REFUTED or (status is Status.ERROR and negation.result == "sat"):
        found = session.evidence(status, replay_note, counterexample, facts=facts)
        if status is Status.REFUTED and query.numeric_claim is not None:
            found.append(_numeric_replay(session, query.numeric_claim, counterexample))
        return found
    if status is Status.CONFLICT:
        point = sampled.falsifier or (sampled.witness if hypotheses.result == "unsat" else None)
        return session.evidence(status, decision.reason, point, facts=facts, engine=f"{ENGINE}+check")
    if status is not Status.PROVED:
        reason = negation.reason or hypotheses.reason
        return session.evidence(status, decision.reason + (f" ({reason})" if reason else ""), facts=facts)
    teeth = premise_teeth(session)
    idle = [t["hypothesis"] for t in teeth if t["needed"] is False and t["role"] == "premise"]
    note = f"; premises without teeth: {idle}" if idle else ("; every premise needed" if teeth and all(
        t["needed"] for t in teeth) else "")
    return session.evidence(status, f"unsat: {decision.reason}{note}", hypotheses=tuple(teeth),
                            facts={**facts, **_coq_goal(session, sampled.exact)})


def _coq_goal(session: _Run, points: tuple[dict[str, Any], ...] = (), witness: dict[str, Any] | None = None
              ) -> dict[str, Any]:
    """The proved goal stated in Coq, for the re-check by coqc the run makes at its end (only when
    the run asks for it). The translation is untrusted, like this engine; a failure to translate is
    shown, never fatal to the proof."""
    if not session.context.kernel:
        return {}
    try:
        goal = coq_goal(f"{session.check.lemma_id}/{session.check.name}", session.query, points, witness)
    except Exception as problem:  # noqa: BLE001 - a translator's failure names itself; the proof stands
        return {"coq_goal": None, "coq_error": f"{type(problem).__name__}: {problem}"}
    return {"coq_goal": goal.to_json()}


def coq_goal(label: str, query: Query, points: Any = (), witness: dict[str, Any] | None = None) -> Any:
    """The query's goal stated in Coq (a `proofs.coq.CoqGoal`), each cited axiom it draws on an
    Axiom with its bindings; raises what the translator raises."""
    from proofs.coq import from_z3

    axioms = [from_z3.UsedAxiom(name=c["id"].replace(".", "_"), reference=c["reference"],
                                variables=c["variables"], hypotheses=c["hypotheses"], claim=c["claim"],
                                premise=c["premise"], bindings=dict(c["bindings"]), source=c["id"])
              for c in query.cited]
    return from_z3.from_query(label, query, points=points, witness=witness, axioms=axioms, evaluate=evaluate)


def _induction(session: _Run) -> list[Evidence]:
    """∀ n ≥ start: hypotheses ⟹ P(n), by a base-case query, a step query, and the claim evaluated
    at concrete n with every recursive function computed by its recursion."""
    query = session.query
    n, start = query.induction_variable, query.induction_start
    start_value = z3.IntVal(start, query.context)
    successor = n + 1

    def at(expr: Any, point: Any) -> Any:
        return z3.substitute(expr, (n, point))

    definitions = lambda point: [r.at(point) for r in query.recursive.values()]  # noqa: E731
    sampled = cross_check(query, session.context.seed)
    hypotheses = session.solve([*query.hypotheses, n >= start_value], "hypotheses")
    if (stop := _stopped(session, hypotheses)) is not None:
        return stop
    base_hypotheses = [at(h, start_value) for h in query.hypotheses]
    base = session.solve([*base_hypotheses, *definitions(start_value), z3.Not(at(query.claim, start_value))], "base")
    if (stop := _stopped(session, base)) is not None:
        return stop
    # a hypothesis that mentions n is carried by the induction, not assumed at n: the step proves
    # (H(n) ⟹ P(n)) ∧ H(n+1) ⟹ P(n+1), sound whatever H is (assuming H(n) too would let a hypothesis
    # false below some n, such as n ≥ 45, make the base case vacuous and skip to P(45) unproved)
    fixed = [h for h in query.hypotheses if _unmoved(h, n)]
    moving = [h for h in query.hypotheses if not _unmoved(h, n)]
    carried = z3.Implies(z3.And(*moving), query.claim) if moving else query.claim
    step_hypotheses = [*fixed, n >= start_value, carried, *[at(h, successor) for h in moving],
                       *definitions(n), *definitions(successor)]
    step = session.solve([*step_hypotheses, z3.Not(at(query.claim, successor))], "step")
    if (stop := _stopped(session, step)) is not None:
        return stop
    common = dict(hypotheses=hypotheses.result, hypotheses_second=hypotheses.cvc5,
                  hypotheses_met_at_a_point=sampled.witness is not None, points_evaluated=sampled.met, falsified=False)
    base_replayed, base_note, base_counterexample = (
        replay(loosened(query, base_hypotheses, at(query.claim, start_value)), base.model)
        if base.result == "sat" else (False, "", None))
    base_decision = kernel.universal(negation=base.result, negation_second=base.cvc5,
                                     counterexample_replayed=base_replayed, **common)
    if step.result == "sat":
        step_decision = kernel.Decision(Status.UNKNOWN, "the step has a model: P(n) does not imply P(n+1) as "
                                                        "stated; strengthen the claim so that it carries over")
    else:
        step_decision = kernel.universal(negation=step.result, negation_second=step.cvc5,
                                         counterexample_replayed=False, **common)
    falsifier = sampled.falsifier
    if falsifier is None and step.result == "sat" and base.result == "unsat":
        falsifier = _small_counterexample(session, start)
    decision = kernel.induction(base=base_decision, step=step_decision, falsified=falsifier is not None,
                                points_evaluated=sampled.met)
    detail = (f"induction on {n} from {start}: base {base.result}, step {step.result}; {decision.reason}")
    facts: dict[str, Any] = {"points_evaluated": sampled.met}
    if query.drawn_on:
        facts["draws_on"] = list(query.drawn_on)
    counterexample = falsifier if decision.status in (Status.REFUTED, Status.CONFLICT) else None
    if decision.status is Status.REFUTED and counterexample is None:
        counterexample, detail = base_counterexample, f"{detail}; base case: {base_note}"
    if decision.status is Status.PROVED:
        facts.update(_coq_goal(session, sampled.exact))
    return session.evidence(decision.status, detail, counterexample, facts=facts)


def _unmoved(expr: Any, n: Any) -> bool:
    """Whether an expression does not mention the induction variable."""
    fresh = z3.FreshConst(n.sort(), "unmoved")
    return z3.substitute(expr, (n, fresh)).eq(expr)


SMALL_N = 12  # when the step fails, the claim is searched for a counterexample at n = start+1 … start+SMALL_N
SMALL_N_SECONDS = 0.5


def _small_counterexample(session: _Run, start: int) -> dict[str, Any] | None:
    """A counterexample at a small n, found by z3 with every recursion unrolled from the start to that
    n and the other variables left to the solver (random points rarely meet narrow hypotheses), then
    replayed exactly with the recursions computed by themselves; None if there is none up to
    start + SMALL_N."""
    query = session.query
    n = query.induction_variable
    for value in range(start + 1, start + SMALL_N + 1):
        point = z3.IntVal(value, query.context)
        unrolled = [r.at(z3.IntVal(k, query.context)) for r in query.recursive.values() for k in range(start, value + 1)]
        answer = session.solve([*query.hypotheses, n == point, *unrolled, z3.Not(query.claim)], f"n{value}",
                               limit=SMALL_N_SECONDS, second_opinion=False)
        if answer.result != "sat":
            continue
        replayed, _, counterexample = replay(loosened(query, [*query.hypotheses, n == point]), answer.model)
        if replayed:
            return counterexample
    return None


def _witness(session: _Run) -> list[Evidence]:
    """An existential claim: find a model of hypotheses ∧ claim and replay it exactly."""
    query = session.query
    answer = session.solve([*query.hypotheses, query.claim], "witness")
    if (stop := _stopped(session, answer)) is not None:
        return stop
    replayed, text, witness, exact_witness = False, "", None, None
    if answer.result == "sat":
        try:
            values, exact = assignment(answer.model)
            constants, functions = symbols_of(query)
            for constant in constants:
                values.setdefault(constant.decl().name(), False if z3.is_bool(constant) else Fraction(0))
            replayed = all(evaluate(h, values) for h in query.hypotheses) and evaluate(query.claim, values)
            own = {c.decl().name() for c in constants} | {f.name() for f in functions}
            witness = {k: plain_number(v) for k, v in sorted(values.items()) if k in own}
            exact_witness = {k: v for k, v in values.items() if k in own} if exact else None
            how = "exactly" if exact else "with 40-digit approximations of algebraic values"
            text = f"sat: witness {shown(witness)}; replayed {how}"
        except (ZeroDivisionError, ReplayUnsupported) as problem:
            text = f"sat, but the witness cannot be replayed: {type(problem).__name__}"
    decision = kernel.existential(answer=answer.result, answer_second=answer.cvc5, witness_replayed=replayed)
    detail = f"{text}: {decision.reason}" if text else decision.reason
    facts = {"witness": witness, "points_evaluated": 1} if replayed else {}
    if decision.status is Status.PROVED and exact_witness is not None:
        facts.update(_coq_goal(session, witness=exact_witness))
    return session.evidence(decision.status, detail, witness if decision.status is not Status.PROVED else None,
                            facts=facts)


def _numeric_replay(session: _Run, numeric_claim: Callable[..., bool], counterexample: dict[str, Any]) -> Evidence:
    """Replay z3's counterexample in the lemma's own numeric code, as a piece of supporting evidence."""
    started = time.perf_counter()
    try:
        holds = bool(numeric_claim(**counterexample))
    except Exception as crash:
        status, detail = Status.ERROR, f"the numeric replay crashed: {type(crash).__name__}: {crash}"
    else:
        status, detail = ((Status.ERROR, "the lemma's own numeric code says the claim HOLDS at z3's counterexample: "
                                         "an artefact of the encoding, not a refutation") if holds else
                          (Status.REFUTED, "replayed in the lemma's own numeric code: the claim fails there too"))
    return Evidence("replay", status, detail, counterexample, time.perf_counter() - started, (), session.check.name)
