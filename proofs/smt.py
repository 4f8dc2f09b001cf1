"""The SMT engine: z3, with cvc5 as a second opinion; the only module that imports either.

A check states its goal on a `Query`:

    @LEMMA.check("z3")
    def threshold(q):
        x, n, p = q.reals("x n p")
        q.given(x > 0, n >= 1, p > 0, p < 1)
        q.prove((x / (x + n) >= p) == (x * (1 - p) >= n * p))

The engine then (1) asks whether the hypotheses are satisfiable at all (else `vacuous`),
(2) asks for a model of hypotheses ∧ ¬claim: `unsat` is `proved`, `sat` is a counterexample,
(3) replays every counterexample in exact rational arithmetic, independently of z3, so that an
artefact of the encoding (z3 defines x/0, for instance) is not reported as a refutation, and
(4) cross-checks every proof by evaluating the claim at random points that meet the hypotheses,
(5) re-solves every exported query with cvc5 when it is installed (sat against unsat is
`conflict`; an unknown beside an answer is recorded, not counted), and (6) after a proof, drops
each premise (`q.given`) in turn and records whether the claim then fails: a premise without
teeth is flagged in the report. Domain constraints (`q.domain`) are the statement's setting and
are not dropped.
Each query is written as `.smt2`, parsed into a fresh context and solved in a child process
that is killed at the wall-clock limit, because z3 does not always honour its own timeout.
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from proofs.deadline import Ending, run_with_deadline
from proofs.status import Evidence, Status

try:
    import z3
except ImportError:  # reported per check as a clear error, see `SolverMissing`
    z3 = None

try:
    import cvc5  # the second opinion; optional
except ImportError:
    cvc5 = None

if TYPE_CHECKING:
    from proofs.checks import CheckContext
    from proofs.lemma import Check

ENGINE = "z3"
CROSS_CHECK_SAMPLES = 3000
TEETH_SECONDS = 0.5  # each drop-one-hypothesis query; undecided ones fall back to random points
CVC5_SECONDS = 0.5  # cvc5's own limit per query, on top of z3's; it answers in ~20 ms when it can


class SolverMissing(RuntimeError):
    """A solver the check needs is not installed. The message says how to install it."""


def _require_z3() -> None:
    if z3 is None:
        raise SolverMissing("z3 is not installed: `pip install z3-solver` (it is a dependency of this package)")


def version() -> str | None:
    return z3.get_version_string() if z3 is not None else None


# The z3 vocabulary a check needs, re-exported so that lemma modules never import z3 themselves.
if z3 is not None:
    And, Or, Not, Implies, If, Sum, Product = z3.And, z3.Or, z3.Not, z3.Implies, z3.If, z3.Sum, z3.Product
    Distinct = z3.Distinct


class Query:
    """One goal in its own z3 context: variables, hypotheses, and the claim to prove."""

    def __init__(self) -> None:
        _require_z3()
        self.context = z3.Context()
        self.domain_constraints: list[Any] = []
        self.premises: list[Any] = []
        self.claim: Any = None
        self.numeric_claim: Callable[..., bool] | None = None
        self.existential = False

    @property
    def hypotheses(self) -> list[Any]:
        return [*self.domain_constraints, *self.premises]

    def roles(self) -> list[str]:
        return ["domain"] * len(self.domain_constraints) + ["premise"] * len(self.premises)

    def reals(self, names: str) -> list[Any]:
        return z3.Reals(names, self.context)

    def ints(self, names: str) -> list[Any]:
        return z3.Ints(names, self.context)

    def bools(self, names: str) -> list[Any]:
        return z3.Bools(names, self.context)

    def function(self, name: str, *sorts: str) -> Any:
        """An uninterpreted function, e.g. q.function("h", "Int", "Int", "Int") for h: ℤ×ℤ → ℤ.
        Counterexamples that involve one are not replayable in exact arithmetic (`error`)."""
        table = {"Int": z3.IntSort, "Real": z3.RealSort, "Bool": z3.BoolSort}
        return z3.Function(name, *[table[s](self.context) for s in sorts])

    def domain(self, *constraints: Any) -> None:
        """Where the claim is stated (x = e^Δ > 0, 0 < p < 1). Part of the hypotheses; unlike
        premises, not dropped by the teeth analysis."""
        self.domain_constraints.extend(constraints)

    def given(self, *premises: Any) -> None:
        """Premises the proof should need; one without teeth is flagged in the report."""
        self.premises.extend(premises)

    def replay(self, numeric_claim: Callable[..., bool]) -> None:
        """The claim in the lemma's own numeric code: called with a counterexample's values as
        keyword arguments, it says whether the claim holds there. A z3 counterexample at which
        it holds is an encoding artefact (`error`), not a refutation."""
        self.numeric_claim = numeric_claim

    def prove(self, claim: Any) -> None:
        """∀ variables: hypotheses ⟹ claim; proved when hypotheses ∧ ¬claim has no model."""
        if self.claim is not None:
            raise ValueError("a z3 check proves one claim; state a second claim in a second check")
        self.claim = claim

    def exists(self, claim: Any) -> None:
        """∃ variables: hypotheses ∧ claim; proved by a witness replayed in exact arithmetic,
        refuted when hypotheses ∧ claim has no model at all."""
        self.prove(claim)
        self.existential = True


# -- solving in a child process ----------------------------------------------------------------


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


def _solve(smt2: str, second_opinion_seconds: float = 5.0) -> dict[str, Any]:
    """z3 on the query in a fresh context, then cvc5 on the same text (its answer under "cvc5")."""
    solver = z3.Solver(ctx=z3.Context())
    solver.from_string(smt2)
    result = solver.check()
    answer: dict[str, Any] = {"result": str(result)}
    if result == z3.sat:
        model = solver.model()
        answer["model"] = {d.name(): _plain_value(model[d]) for d in model.decls() if d.arity() == 0}
    elif result == z3.unknown:
        answer["reason"] = solver.reason_unknown()
    answer["cvc5"] = cvc5_answer(smt2, second_opinion_seconds)
    return answer


def cvc5_answer(smt2: str, seconds: float) -> str:
    """cvc5's answer to an exported query: sat, unsat, unknown, 'not installed' or 'error: …'."""
    if cvc5 is None:
        return "not installed (pip install cvc5 for a second opinion)"
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


def _benchmark(query: Query, assertions: list[Any]) -> str:
    solver = z3.Solver(ctx=query.context)
    solver.add(*assertions)
    return solver.to_smt2()


# -- replaying counterexamples without z3 --------------------------------------------------------


class ReplayUnsupported(ValueError):
    """The expression uses an operator the exact evaluator does not know."""


def _assignment(model: dict[str, tuple[str, Any]]) -> tuple[dict[str, Any], bool]:
    values, exact = {}, True
    for name, (kind, payload) in model.items():
        if kind == "bool":
            values[name] = payload
        elif kind in ("rational", "approximate"):
            values[name] = Fraction(*payload)
            exact = exact and kind == "rational"
        else:
            raise ReplayUnsupported(f"model value {name}={payload!r} is not a number")
    return values, exact


_ARITHMETIC = {
    "add": lambda args: sum(args, Fraction(0)),
    "mul": lambda args: math.prod(args, start=Fraction(1)),
    "sub": lambda args: args[0] - sum(args[1:], Fraction(0)),
    "uminus": lambda args: -args[0],
    "div": lambda args: args[0] / args[1],
    "idiv": lambda args: Fraction(args[0] // args[1]),
    "mod": lambda args: Fraction(args[0] % args[1]),
    "to_real": lambda args: args[0],
    "to_int": lambda args: Fraction(math.floor(args[0])),
    "le": lambda args: args[0] <= args[1],
    "lt": lambda args: args[0] < args[1],
    "ge": lambda args: args[0] >= args[1],
    "gt": lambda args: args[0] > args[1],
    "eq": lambda args: args[0] == args[1],
    "distinct": lambda args: len(set(args)) == len(args),
    "and": all,
    "or": any,
    "not": lambda args: not args[0],
    "implies": lambda args: (not args[0]) or args[1],
    "xor": lambda args: args[0] != args[1],
    "power": lambda args: _integer_power(*args),
}


def _integer_power(base: Fraction, exponent: Fraction) -> Fraction:
    if exponent.denominator != 1:
        raise ReplayUnsupported("a non-integer power cannot be replayed exactly")
    return base ** int(exponent)


def _operator_names() -> dict[int, str]:
    return {
        z3.Z3_OP_ADD: "add", z3.Z3_OP_MUL: "mul", z3.Z3_OP_SUB: "sub", z3.Z3_OP_UMINUS: "uminus",
        z3.Z3_OP_DIV: "div", z3.Z3_OP_IDIV: "idiv", z3.Z3_OP_MOD: "mod", z3.Z3_OP_TO_REAL: "to_real",
        z3.Z3_OP_TO_INT: "to_int", z3.Z3_OP_LE: "le", z3.Z3_OP_LT: "lt", z3.Z3_OP_GE: "ge",
        z3.Z3_OP_GT: "gt", z3.Z3_OP_EQ: "eq", z3.Z3_OP_DISTINCT: "distinct", z3.Z3_OP_AND: "and",
        z3.Z3_OP_OR: "or", z3.Z3_OP_NOT: "not", z3.Z3_OP_IMPLIES: "implies", z3.Z3_OP_XOR: "xor",
        z3.Z3_OP_POWER: "power",
    }


def compile_expression(expr: Any) -> Callable[[dict[str, Any]], Any]:
    """Turn a z3 arithmetic/Boolean expression into a Python function of exact rational values.

    Walking z3's tree goes through ctypes and is slow, so it is walked once here. Division by
    zero raises ZeroDivisionError: z3 gives x/0 an arbitrary value, Python does not, which is
    exactly how a counterexample that lives only in the encoding is caught.
    """
    names = _operator_names()

    def build(node: Any) -> Callable[[dict[str, Any]], Any]:
        if z3.is_true(node) or z3.is_false(node):
            constant = z3.is_true(node)
            return lambda values: constant
        if z3.is_int_value(node):
            integer = Fraction(node.as_long())
            return lambda values: integer
        if z3.is_rational_value(node):
            rational = Fraction(node.numerator_as_long(), node.denominator_as_long())
            return lambda values: rational
        if z3.is_const(node) and node.decl().kind() == z3.Z3_OP_UNINTERPRETED:
            name, default = node.decl().name(), (False if z3.is_bool(node) else Fraction(0))  # model completion
            return lambda values: values.get(name, default)
        children = [build(child) for child in node.children()]
        kind = node.decl().kind()
        if kind == z3.Z3_OP_ITE:  # lazy: the branch not taken may divide by zero harmlessly
            condition, then, otherwise = children
            return lambda values: then(values) if condition(values) else otherwise(values)
        if kind not in names:
            raise ReplayUnsupported(f"operator {node.decl().name()!r} is not replayable")
        operation = _ARITHMETIC[names[kind]]
        return lambda values: operation([child(values) for child in children])

    return build(expr)


def evaluate(expr: Any, values: dict[str, Any]) -> Any:
    """Evaluate a z3 expression once, in exact rational arithmetic (see `compile_expression`)."""
    return compile_expression(expr)(values)


def _plain_number(value: Any) -> Any:
    if isinstance(value, Fraction):
        return int(value) if value.denominator == 1 else float(value)
    return value


# -- the cross-check of proofs -------------------------------------------------------------------


def _variables(query: Query) -> list[Any]:
    seen: dict[str, Any] = {}

    def visit(expr: Any) -> None:
        if z3.is_const(expr) and expr.decl().kind() == z3.Z3_OP_UNINTERPRETED:
            seen.setdefault(expr.decl().name(), expr)
        for child in expr.children():
            visit(child)

    for expr in [*query.hypotheses, query.claim]:
        visit(expr)
    return list(seen.values())


def _random_value(rng: random.Random, variable: Any) -> Any:
    """A value from a mix of shapes that typical hypotheses ask for: probabilities in (0, 1),
    small counts, large magnitudes and negatives, so that enough points meet the hypotheses."""
    if z3.is_bool(variable):
        return rng.random() < 0.5
    shape = rng.randrange(5)
    if shape == 0:
        value = Fraction(rng.randint(1, 999), 1000)  # strictly inside (0, 1)
    elif shape == 1:
        value = Fraction(rng.randint(1, 10))
    elif shape == 2:
        value = Fraction(rng.randint(1, 10**6), rng.choice([1, 7, 64]))
    elif shape == 3:
        value = -Fraction(rng.randint(0, 10**3), rng.choice([1, 3, 16]))
    else:
        value = Fraction(rng.randint(1, 10**4), 100)
    return Fraction(int(value)) if z3.is_int(variable) else value


@dataclass(frozen=True, slots=True)
class Sampled:
    """What random points said: how many met the hypotheses, the first that did, the first
    that met them and falsified the claim."""

    met: int
    witness: dict[str, Any] | None
    falsifier: dict[str, Any] | None


def cross_check(query: Query, seed: int, samples: int = CROSS_CHECK_SAMPLES) -> Sampled:
    """Evaluate the hypotheses and the claim at random points, in exact rational arithmetic.

    A point where the evaluation divides by zero is skipped: there the encoding is undefined.
    """
    rng = random.Random(seed)
    variables = _variables(query)
    try:
        hypotheses = [compile_expression(h) for h in query.hypotheses]
        claim = compile_expression(query.claim)
    except ReplayUnsupported:
        return Sampled(0, None, None)
    met, witness = 0, None
    for _ in range(samples):
        values = {v.decl().name(): _random_value(rng, v) for v in variables}
        plain = {k: _plain_number(v) for k, v in values.items()}
        try:
            if not all(h(values) for h in hypotheses):
                continue
            met += 1
            witness = witness or plain
            if not claim(values):
                return Sampled(met, witness, plain)
        except (ZeroDivisionError, ReplayUnsupported):
            continue
    return Sampled(met, witness, None)


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

    def solve(self, assertions: list[Any], suffix: str, limit: float | None = None) -> tuple[Ending, Any, str]:
        """Solve with z3 in a child process; re-check the same .smt2 with cvc5 when installed."""
        text = _benchmark(self.query, assertions)
        name = f"{self.stem}.{suffix}.smt2"
        self.artifacts.append(_write(self.context.report_dir, name, text))
        seconds = min(self.remaining(), limit) if limit is not None else self.remaining()
        second_opinion = min(seconds / 2, CVC5_SECONDS)  # an unknown beside z3's answer is only recorded
        outcome = run_with_deadline(_solve, (text, second_opinion), seconds + second_opinion)
        if outcome.ending is Ending.RETURNED:
            self.second_opinions.append(f"{suffix}: {outcome.value['cvc5']}")
        return outcome.ending, outcome.value, outcome.detail

    def evidence(self, status: Status, detail: str, counterexample: dict | None = None,
                 hypotheses: tuple = ()) -> list[Evidence]:
        second = "; cvc5 " + ", ".join(self.second_opinions) if self.second_opinions else ""
        return [Evidence(ENGINE, status, f"z3 {version()}: {detail}{second}", counterexample,
                         time.perf_counter() - self.started, tuple(self.artifacts), self.check.name, hypotheses)]

    def conflict(self, engine: str, what: str, point: dict[str, Any] | None) -> list[Evidence]:
        return [Evidence(engine, Status.CONFLICT, what, point, time.perf_counter() - self.started,
                         tuple(self.artifacts), self.check.name)]

    def failure(self, ending: Ending, answer: Any, detail: str) -> list[Evidence] | None:
        """A stop: the solver ran out of time or crashed, or cvc5 contradicts z3."""
        if ending is Ending.TIMED_OUT:
            return self.evidence(Status.TIMEOUT, detail)
        if ending in (Ending.RAISED, Ending.DIED):
            return self.evidence(Status.ERROR, detail or str(answer).strip().splitlines()[-1])
        second = answer["cvc5"]
        if {answer["result"], second} == {"sat", "unsat"}:
            return self.conflict(f"{ENGINE}+cvc5", f"z3 {version()} answers {answer['result']} but cvc5 "
                                 f"{cvc5_version()} answers {second} on {self.artifacts[-1]}", None)
        return None


def run(check: Check, context: CheckContext) -> list[Evidence]:
    """Run one z3 check: satisfiability of the hypotheses, proof by the negation, then the teeth
    of each hypothesis (is the claim still true without it?)."""
    query = Query()
    check.fn(query)
    if query.claim is None:
        raise ValueError(f"z3 check {check.name!r} never called q.prove(claim): there is nothing to prove")
    session = _Run(check, context, query)
    if query.existential:
        return _witness(session)

    hypotheses_note = "no hypotheses"
    if query.hypotheses:
        ending, answer, detail = session.solve(query.hypotheses, "hypotheses")
        if (stop := session.failure(ending, answer, detail)) is not None:
            return stop
        if answer["result"] == "unsat":
            witness = cross_check(query, context.seed).witness
            if witness is not None:
                return session.conflict(f"{ENGINE}+exact-arithmetic", f"z3 {version()} says the hypotheses are "
                                        f"unsatisfiable, but they hold at a point (exact rational arithmetic)", witness)
            return session.evidence(Status.VACUOUS, "the hypotheses alone are unsatisfiable: the claim holds vacuously")
        hypotheses_note = ("hypotheses satisfiable" if answer["result"] == "sat"
                           else f"satisfiability of the hypotheses unknown ({answer.get('reason')})")

    ending, answer, detail = session.solve([*query.hypotheses, z3.Not(query.claim)], "negation")
    if (stop := session.failure(ending, answer, detail)) is not None:
        return stop
    if answer["result"] == "unknown":
        return session.evidence(Status.UNKNOWN, f"unknown: {answer.get('reason')} ({hypotheses_note})")
    if answer["result"] == "sat":
        status, text, counterexample = replay(query.hypotheses, query.claim, answer["model"], _variables(query))
        found = session.evidence(status, text, counterexample)
        if status is Status.REFUTED and query.numeric_claim is not None:
            found.append(_numeric_replay(session, query.numeric_claim, counterexample))
        return found
    sampled = cross_check(query, context.seed)
    if sampled.falsifier is not None:
        return session.conflict(f"{ENGINE}+exact-arithmetic", f"z3 {version()} says unsat, but the claim is false "
                                f"at a point that meets the hypotheses (exact rational arithmetic)", sampled.falsifier)
    checked = (f"cross-check: claim true at all {sampled.met} random points meeting the hypotheses" if sampled.met
               else "cross-check: none of the random points met the hypotheses, so nothing was evaluated")
    teeth = _teeth(session)
    idle = [t["hypothesis"] for t in teeth if t["needed"] is False]
    note = f"; premises without teeth: {idle}" if idle else ("; every premise needed" if teeth else "")
    return session.evidence(Status.PROVED, f"unsat: the negation has no model ({hypotheses_note}); {checked}{note}",
                            hypotheses=tuple(teeth))


def _witness(session: _Run) -> list[Evidence]:
    """An existential claim: find a model of hypotheses ∧ claim and replay it exactly."""
    query = session.query
    ending, answer, detail = session.solve([*query.hypotheses, query.claim], "witness")
    if (stop := session.failure(ending, answer, detail)) is not None:
        return stop
    if answer["result"] == "unknown":
        return session.evidence(Status.UNKNOWN, f"unknown: {answer.get('reason')}")
    if answer["result"] == "unsat":
        return session.evidence(Status.REFUTED, "unsat: no values satisfy the hypotheses and the claim, so the "
                                                "existential is false for every candidate witness")
    try:
        values, exact = _assignment(answer["model"])
        for variable in _variables(query):
            values.setdefault(variable.decl().name(), False if z3.is_bool(variable) else Fraction(0))
        holds = all(evaluate(h, values) for h in query.hypotheses) and evaluate(query.claim, values)
    except (ZeroDivisionError, ReplayUnsupported) as problem:
        return session.evidence(Status.ERROR, f"sat, but the witness cannot be replayed: {type(problem).__name__}")
    witness = ", ".join(f"{k}={v}" for k, v in sorted(values.items()))
    if not holds:
        return session.evidence(Status.ERROR, f"sat, but the witness ({witness}) does not replay in exact arithmetic")
    how = "exactly" if exact else "with 40-digit approximations of algebraic values"
    return session.evidence(Status.PROVED, f"sat: witness {witness}; replayed {how}: the hypotheses and the claim hold")


def _numeric_replay(session: _Run, numeric_claim: Callable[..., bool], counterexample: dict[str, Any]) -> Evidence:
    """Replay z3's counterexample in the lemma's own numeric code, as a piece of evidence."""
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


def _teeth(session: _Run) -> list[dict[str, Any]]:
    """Drop each hypothesis in turn: needed if the claim then fails (with a counterexample replayed
    in exact arithmetic), not needed if it still holds, None if neither z3 (within TEETH_SECONDS)
    nor random points could tell."""
    query, teeth = session.query, []
    for index, (dropped, role) in enumerate(zip(query.hypotheses, query.roles())):
        if role == "domain":
            continue  # the statement's own setting; only premises are dropped (0.3-1 s each)
        rest = [h for i, h in enumerate(query.hypotheses) if i != index]
        ending, answer, _ = session.solve([*rest, z3.Not(query.claim)], f"drop-{index + 1}", limit=TEETH_SECONDS)
        entry: dict[str, Any] = {"hypothesis": str(dropped), "role": role, "needed": None, "counterexample": None}
        if ending is Ending.RETURNED and answer["result"] == "unsat":
            entry["needed"] = False
        elif ending is Ending.RETURNED and answer["result"] == "sat":
            status, _, counterexample = replay(rest, query.claim, answer["model"], _variables(query))
            if status is Status.REFUTED:
                entry["needed"], entry["counterexample"] = True, counterexample
        if entry["needed"] is None:  # z3 timed out or its model was an artefact: try random points
            loose = Query.__new__(Query)
            loose.domain_constraints, loose.premises, loose.claim = [], rest, query.claim
            falsifier = cross_check(loose, session.context.seed).falsifier
            if falsifier is not None:
                entry["needed"], entry["counterexample"] = True, falsifier
        teeth.append(entry)
    return teeth


def replay(hypotheses: list[Any], claim: Any, model: dict[str, tuple[str, Any]],
           variables: list[Any]) -> tuple[Status, str, dict[str, Any] | None]:
    """Replay a model in exact rational arithmetic: `refuted` only if the hypotheses hold and the
    claim fails there; a division by zero is an artefact of z3's total division (`error`)."""
    try:
        values, exact = _assignment(model)
    except ReplayUnsupported as problem:
        return Status.ERROR, f"sat, but the model cannot be replayed: {problem}", None
    for variable in variables:
        values.setdefault(variable.decl().name(), False if z3.is_bool(variable) else Fraction(0))
    counterexample = {name: _plain_number(value) for name, value in sorted(values.items())}
    exact_text = ", ".join(f"{k}={v}" for k, v in sorted(values.items()))
    try:
        hypotheses_hold = all(evaluate(h, values) for h in hypotheses)
        claim_holds = evaluate(claim, values)
    except ZeroDivisionError:
        return (Status.ERROR, f"sat, but the model ({exact_text}) divides by zero: an artefact of z3's total "
                              f"division, not a counterexample; add the missing hypothesis", counterexample)
    except ReplayUnsupported as problem:
        return Status.ERROR, f"sat ({exact_text}), but the model cannot be replayed: {problem}", counterexample
    if not hypotheses_hold or claim_holds:
        return (Status.ERROR, f"sat ({exact_text}), but the replay in exact arithmetic disagrees "
                              f"(hypotheses hold: {hypotheses_hold}, claim holds: {claim_holds})", counterexample)
    how = "exactly" if exact else "with 40-digit approximations of algebraic values"
    return (Status.REFUTED, f"sat: counterexample {exact_text}; replayed {how}: the hypotheses hold and the "
                            f"claim is false", counterexample)
