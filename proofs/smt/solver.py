"""Solving, in the solver worker: z3 on an exported query in a fresh context, cvc5 on the same text
as a second opinion, and the models as plain picklable values. Every call goes through
`proofs.deadline`, whose worker process is killed at the wall-clock limit, because z3 does not
always honour its own timeout."""

from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from proofs.deadline import Ending, run_with_deadline
from proofs.smt.query import Query, z3

try:
    import cvc5  # the second opinion
except ImportError:
    cvc5 = None
CVC5_SECONDS = 0.5  # cvc5's own limit per query, on top of z3's; it answers in ~20 ms when it can
NOT_INSTALLED = "not installed"  # cvc5's word when it is missing: the proof is z3's alone


# -- solving, in the solver worker -------------------------------------------------------------------


def _plain_value(value: Any) -> tuple[str, Any]:
    if z3.is_true(value) or z3.is_false(value):
        return ("bool", z3.is_true(value))
    if z3.is_int_value(value):
        return ("rational", (value.as_long(), 1))
    if z3.is_rational_value(value):
        return ("rational", (value.numerator_as_long(), value.denominator_as_long()))
    if z3.is_algebraic_value(value):
        approx = value.approx(40)
        return ("approximate", (approx.numerator_as_long(), approx.denominator_as_long()))
    return ("other", str(value))


def _plain_model(model: Any) -> dict[str, tuple[str, Any]]:
    """A z3 model as picklable plain values; a function as its table of entries and else-value."""
    values: dict[str, tuple[str, Any]] = {}
    for declaration in model.decls():
        if declaration.arity() == 0:
            values[declaration.name()] = _plain_value(model[declaration])
            continue
        interpretation = model[declaration]
        entries = []
        for index in range(interpretation.num_entries()):
            entry = interpretation.entry(index)
            entries.append(([_plain_value(entry.arg_value(j)) for j in range(entry.num_args())],
                            _plain_value(entry.value())))
        otherwise = _plain_value(interpretation.else_value())
        values[declaration.name()] = ("function", (entries, otherwise if otherwise[0] != "other" else None))
    return values


def _constants(solver: Any) -> list[Any]:
    seen: dict[str, Any] = {}

    def visit(expr: Any) -> None:
        if z3.is_const(expr) and expr.decl().kind() == z3.Z3_OP_UNINTERPRETED:
            seen.setdefault(expr.decl().name(), expr)
        for child in expr.children():
            visit(child)

    for assertion in solver.assertions():
        visit(assertion)
    return [c for c in seen.values() if z3.is_arith(c)]


def _more_models(solver: Any, count: int, seed: int) -> list[dict[str, tuple[str, Any]]]:
    """Models of the asserted formulas, each pushed away from the last one found: a few variables
    are made to differ from it, or to cross a random threshold, so that a cross-check meets the
    hypotheses at varied points even where random sampling rarely does (equalities, narrow regions)."""
    rng, models = random.Random(seed), []
    constants = _constants(solver)
    if not constants:
        return models
    solver.set("timeout", 200)
    model = solver.model()
    for _ in range(count * 3):
        if len(models) >= count:
            break
        solver.push()
        for constant in rng.sample(constants, k=min(len(constants), rng.randint(1, 3))):
            current = model.eval(constant, model_completion=True)
            if rng.random() < 0.5:
                solver.add(constant != current)
            else:
                offset = rng.choice([Fraction(1, 7), Fraction(1, 2), Fraction(1), Fraction(3), Fraction(rng.randint(1, 99), 100)])
                step = z3.RealVal(str(offset), solver.ctx) if not z3.is_int(constant) else z3.IntVal(max(1, int(offset)), solver.ctx)
                solver.add(constant >= current + step if rng.random() < 0.5 else constant <= current - step)
        if solver.check() == z3.sat:
            model = solver.model()
            models.append(_plain_model(model))
        solver.pop()
    return models


def _solve(smt2: str, second_opinion_seconds: float = 5.0, extra_models: int = 0, seed: int = 0) -> dict[str, Any]:
    """z3 on the query in a fresh context, then cvc5 on the same text (its answer under "cvc5").
    With `extra_models`, a satisfiable query also returns that many more varied models."""
    solver = z3.Solver(ctx=z3.Context())
    solver.from_string(smt2)
    result = solver.check()
    answer: dict[str, Any] = {"result": str(result), "models": []}
    if result == z3.sat:
        answer["model"] = _plain_model(solver.model())
        if extra_models:
            answer["models"] = _more_models(solver, extra_models, seed)
    elif result == z3.unknown:
        answer["reason"] = solver.reason_unknown()
    answer["cvc5"] = cvc5_answer(smt2, second_opinion_seconds)
    return answer


def cvc5_answer(smt2: str, seconds: float) -> str:
    """cvc5's answer to an exported query: sat, unsat, unknown, 'not installed' or 'error: …'."""
    if cvc5 is None:
        return NOT_INSTALLED
    if seconds <= 0:
        return "not asked"
    try:
        solver = cvc5.Solver(cvc5.TermManager())
        solver.setOption("tlimit-per", str(max(1, int(seconds * 1000))))
        solver.setLogic("ALL")
        parser = cvc5.InputParser(solver)
        parser.setStringInput(cvc5.InputLanguage.SMT_LIB_2_6, smt2, "query")
        symbols, said = parser.getSymbolManager(), "no check-sat"
        while not (command := parser.nextCommand()).isNull():
            output = command.invoke(solver, symbols).strip()  # e.g. "unsat", or "unknown (TIMEOUT)"
            if output.split(" ")[0] in ("sat", "unsat", "unknown"):
                said = output
        return said
    except Exception as problem:  # a parse error is the interesting case: report it, do not crash
        return f"error: {str(problem).strip().splitlines()[0]}"


def cvc5_version() -> str | None:
    return cvc5.__version__ if cvc5 is not None else None


def benchmark(query: Query, assertions: list[Any]) -> str:
    solver = z3.Solver(ctx=query.context)
    solver.add(*assertions)
    return solver.to_smt2()


@dataclass(frozen=True, slots=True)
class Answer:
    """One query's outcome: z3's word ("sat", "unsat", "unknown", or "timeout"/"error"), its models,
    cvc5's word, and what went wrong when the solver did not return."""

    result: str
    cvc5: str = "not asked"
    model: dict[str, Any] | None = None
    models: tuple[dict[str, Any], ...] = ()
    reason: str = ""


def ask(text: str, second_opinion: float, seconds: float, limit_label: float, extra_models: int = 0,
        seed: int = 0) -> Answer:
    """Solve an exported query in the solver worker, under a wall-clock limit."""
    outcome = run_with_deadline(_solve, (text, second_opinion, extra_models, seed), seconds + second_opinion,
                                limit_label)
    if outcome.ending is Ending.TIMED_OUT:
        return Answer("timeout", reason=outcome.detail)
    if outcome.ending is not Ending.RETURNED:
        return Answer("error", reason=outcome.detail or str(outcome.value).strip().splitlines()[-1])
    value = outcome.value
    said = value["cvc5"] if value["cvc5"] == NOT_INSTALLED else value["cvc5"].split(" ")[0]  # "unknown (TIMEOUT)"
    return Answer(value["result"], said, value.get("model"), tuple(value.get("models", ())),
                  value.get("reason", ""))
