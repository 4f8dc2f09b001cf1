"""The SMT engine: z3, with cvc5 as a second opinion; the only module that imports either.

A check states its goal on a `Query`:

    @LEMMA.check("z3")
    def threshold(q):
        x, n, p = q.reals("x n p")
        q.domain(x > 0, n >= 1, p > 0, p < 1)
        q.prove((x / (x + n) >= p) == (x * (1 - p) >= n * p))

This module is an untrusted helper: it gathers answers and the kernel (`proofs.kernel`) decides.
For a universal claim it (1) asks z3 and cvc5 whether the hypotheses are satisfiable, (2) asks
both for a model of hypotheses ∧ ¬claim, (3) replays every such model in exact rational
arithmetic, independently of z3 (z3 defines x/0, for instance, and a model that divides by zero
is an artefact of the encoding, not a counterexample), (4) evaluates the claim exactly at points
that meet the hypotheses: random points, random interpretations of the uninterpreted functions,
and models of the hypotheses z3 draws under varied random bounds (so that equalities and narrow
regions are met too), and (5) after a proof drops each premise (`q.given`) in turn to record
whether the claim then fails: a premise without teeth is flagged in the report. Domain
constraints (`q.domain`) are the statement's setting and are not dropped.
Every query is written as `.smt2` and solved in the solver worker (`proofs.deadline`), which is
killed at the wall-clock limit, because z3 does not always honour its own timeout.
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable

from proofs import kernel
from proofs.deadline import Ending, run_with_deadline
from proofs.errors import InvalidCheck, SolverMissing
from proofs.records import Check, CheckContext
from proofs.status import Evidence, Status

try:
    import z3
except ImportError:  # reported per check as a clear error, see `SolverMissing`
    z3 = None

try:
    import cvc5  # the second opinion; optional
except ImportError:
    cvc5 = None

ENGINE = "z3"
CROSS_CHECK_SAMPLES = 3000  # random points tried at most
CROSS_CHECK_ENOUGH = 100  # points meeting the hypotheses after which the random search stops
MODEL_POINTS = 12  # models of the hypotheses drawn when random points rarely meet them
FEW_POINTS = 20
TEETH_SECONDS = 0.5  # each drop-one-hypothesis query; undecided ones fall back to random points
CVC5_SECONDS = 0.5  # cvc5's own limit per query, on top of z3's; it answers in ~20 ms when it can


def _require_z3() -> None:
    if z3 is None:
        raise SolverMissing("z3 is not installed: `pip install z3-solver` (it is a dependency of this package)")


def version() -> str | None:
    return z3.get_version_string() if z3 is not None else None


# The z3 vocabulary a check needs, re-exported so that lemma modules never import z3 themselves.
if z3 is not None:
    And, Or, Not, Implies, If, Sum, Product = z3.And, z3.Or, z3.Not, z3.Implies, z3.If, z3.Sum, z3.Product
    Distinct, ForAll, Exists = z3.Distinct, z3.ForAll, z3.Exists


class Query:
    """One goal in its own z3 context: variables, hypotheses, and the claim to prove."""

    def __init__(self, context: Any = None) -> None:
        _require_z3()
        self.context = context if context is not None else z3.Context()
        self.domain_constraints: list[Any] = []
        self.premises: list[Any] = []
        self.claim: Any = None
        self.numeric_claim: Callable[..., bool] | None = None
        self.existential = False
        self.recursive: dict[str, Recursive] = {}
        self.induction_variable: Any = None
        self.induction_start = 0
        self.drawn_on: list[str] = []  # 'lemma/check' of every statement taken by q.use
        self.used_facts: list[Any] = []

    @property
    def hypotheses(self) -> list[Any]:
        return [*self.domain_constraints, *self.premises]

    def roles(self) -> list[str]:
        """domain, premise, or used (a fact another lemma proved, taken with q.use)."""
        used = {id(fact) for fact in self.used_facts}
        return ["domain"] * len(self.domain_constraints) + [
            "used" if id(p) in used else "premise" for p in self.premises]

    def reals(self, names: str) -> list[Any]:
        return z3.Reals(names, self.context)

    def ints(self, names: str) -> list[Any]:
        return z3.Ints(names, self.context)

    def bools(self, names: str) -> list[Any]:
        return z3.Bools(names, self.context)

    def function(self, name: str, *sorts: str) -> Any:
        """An uninterpreted function, e.g. q.function("h", "Int", "Int", "Int") for h: ℤ×ℤ → ℤ.
        Counterexamples carry its table of values, and replay exactly."""
        table = {"Int": z3.IntSort, "Real": z3.RealSort, "Bool": z3.BoolSort}
        unknown = [s for s in sorts if s not in table]
        if unknown or len(sorts) < 2:
            raise InvalidCheck(f"q.function({name!r}, *{sorts!r}): give the argument sorts then the result sort, "
                               f"each one of {sorted(table)}")
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
            raise InvalidCheck("a z3 check proves one claim; state a second claim in a second check")
        self.claim = claim

    def exists(self, claim: Any) -> None:
        """∃ variables: hypotheses ∧ claim; proved by a witness replayed in exact arithmetic,
        refuted when hypotheses ∧ claim has no model at all."""
        self.prove(claim)
        self.existential = True

    def recursive_function(self, name: str, *, start: int = 0, base: Any,
                           step: Callable[[Any, Any], Any], sort: str = "Real") -> Any:
        """A sequence F: ℤ → sort defined by F(start) = base and F(k) = step(k, F(k−1)) for k > start,
        e.g. a running sum: q.recursive_function("A", base=a(0), step=lambda k, prev: prev + a(k)).

        The solver sees the definition at the points an induction needs; the exact evaluator
        computes F by the recursion itself, so cross-checks evaluate the real sequence."""
        table = {"Int": z3.IntSort, "Real": z3.RealSort, "Bool": z3.BoolSort}
        if sort not in table:
            raise InvalidCheck(f"recursive_function({name!r}, sort={sort!r}): sort must be one of {sorted(table)}")
        function = z3.Function(name, z3.IntSort(self.context), table[sort](self.context))
        if not z3.is_expr(base):  # a plain number: the constant of the function's sort
            base = z3.IntVal(base, self.context) if sort == "Int" else z3.RealVal(str(base), self.context)
        index = z3.Int(f"{name}!k", self.context)
        previous = z3.Const(f"{name}!prev", table[sort](self.context))
        self.recursive[name] = Recursive(function, start, base, index, previous, step(index, previous))
        return function

    def induction(self, variable: Any, start: int = 0) -> None:
        """Prove the claim for every integer `variable` ≥ start by induction: the base case
        P(start) and the step P(n) ⟹ P(n+1) are separate z3 queries, and the claim itself is
        evaluated at concrete n, with every recursive function computed by its recursion.
        Hypotheses are assumed at n and at n+1: state ones that do not depend on n."""
        if not z3.is_int(variable):
            raise InvalidCheck(f"q.induction({variable}): the induction variable must be an integer (q.ints)")
        self.induction_variable, self.induction_start = variable, int(start)

    def use(self, other: Any, *, check: str | None = None, **bindings: Any) -> Any:
        """Take another lemma's proved z3 statement as a premise, by reference, the way
        Knuckledragger's `prove(thm, by=[p])` takes proofs: the statement is rebuilt from that
        lemma's own check, so the fact used is the fact proved there, never a retyped copy.

        `bindings` map the other statement's variable names to expressions of this query
        (`x=a + b, n=count`); a variable left unbound becomes a fresh one, i.e. the
        premise is an instance that the solver may choose. The other lemma must be in this
        lemma's `uses=`, and its verdict decides whether this one is fully proved."""
        registry = getattr(other, "sink", None)
        candidates = [c for c in (registry.checks(other.id) if hasattr(registry, "checks") else [])
                      if c.engine == "z3" and (check is None or c.name == check)]
        if len(candidates) != 1:
            names = [c.name for c in registry.checks(other.id) if c.engine == "z3"] if hasattr(registry, "checks") else []
            raise InvalidCheck(f"q.use({getattr(other, 'id', other)!r}, check={check!r}): expected exactly one z3 "
                               f"check to draw on, found {names or 'none'}; name one with check=")
        used = Query(self.context)
        candidates[0].fn(used)
        if used.claim is None or used.existential or used.induction_variable is not None or used.recursive:
            raise InvalidCheck(f"q.use({other.id!r}): its check {candidates[0].name!r} must state a universal claim "
                               f"without induction or recursive functions, to be used as a premise")
        fact = z3.Implies(z3.And(*used.hypotheses), used.claim) if used.hypotheses else used.claim
        constants, _ = _symbols(used)
        unknown = sorted(set(bindings) - {c.decl().name() for c in constants})
        if unknown:
            raise InvalidCheck(f"q.use({other.id!r}): its statement has no variable(s) {unknown}; it has "
                               f"{sorted(c.decl().name() for c in constants)}")
        pairs = []
        for constant in constants:
            name = constant.decl().name()
            target = bindings.get(name)
            if target is None:
                target = z3.Const(f"{other.id.replace('.', '_')}!{name}", constant.sort())
            elif not z3.is_expr(target):  # a number: the constant of the variable's sort
                target = (z3.IntVal(int(target), self.context) if z3.is_int(constant)
                          else z3.RealVal(str(target), self.context))
            pairs.append((constant, target))
        fact = z3.substitute(fact, *pairs)
        self.premises.append(fact)
        self.used_facts.append(fact)
        self.drawn_on.append(f"{other.id}/{candidates[0].name}")
        return fact


@dataclass(frozen=True)
class Recursive:
    """F(start) = base; F(k) = step(k, F(k−1)) for k > start, with `step` built on `index`/`previous`."""

    function: Any
    start: int
    base: Any
    index: Any
    previous: Any
    step: Any

    def at(self, point: Any) -> Any:
        """The definition at `point`, as a z3 formula the solver can use."""
        later = z3.substitute(self.step, (self.index, point), (self.previous, self.function(point - 1)))
        return z3.And(z3.Implies(point == self.start, self.function(point) == self.base),
                      z3.Implies(point > self.start, self.function(point) == later))


RECURSION_LIMIT = 200  # the exact evaluator computes a recursive function up to start + this


class RecursiveValue:
    """A recursive function evaluated by its recursion, from the other values of a point."""

    def __init__(self, definition: Recursive, values: dict[str, Any]) -> None:
        self.definition, self.values = definition, values
        self.base = compile_expression(definition.base)
        self.step = compile_expression(definition.step)
        self.memo: dict[Any, Any] = {}

    def __call__(self, point: Any) -> Any:
        start = self.definition.start
        if point.denominator != 1 or point < start or point - start > RECURSION_LIMIT:
            raise ReplayUnsupported(f"{self.definition.function.name()}({point}) is outside start … start+"
                                    f"{RECURSION_LIMIT}")
        if point not in self.memo:
            value = self.base(self.values)
            index_name, previous_name = self.definition.index.decl().name(), self.definition.previous.decl().name()
            for k in range(start + 1, int(point) + 1):
                value = self.step({**self.values, index_name: Fraction(k), previous_name: value})
            self.memo[point] = value
        return self.memo[point]

    def plain(self) -> dict[str, Any]:
        return {"recursive": True, "values": {str(_plain_number(k)): _plain_number(v) for k, v in self.memo.items()}}


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
        return "not installed (pip install cvc5 for a second opinion)"
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


def _benchmark(query: Query, assertions: list[Any]) -> str:
    solver = z3.Solver(ctx=query.context)
    solver.add(*assertions)
    return solver.to_smt2()


# -- exact evaluation, independent of z3 ---------------------------------------------------------------


class ReplayUnsupported(ValueError):
    """The expression uses an operator (or a function value) the exact evaluator does not know."""


class FunctionTable:
    """An uninterpreted function's value as a model gives it: a table of entries and an else-value."""

    def __init__(self, entries: dict[tuple, Any], otherwise: Any | None) -> None:
        self.entries, self.otherwise = entries, otherwise

    def __call__(self, *args: Any) -> Any:
        if args in self.entries:
            return self.entries[args]
        if self.otherwise is None:
            raise ReplayUnsupported("the model leaves this function value symbolic")
        return self.otherwise

    def plain(self) -> dict[str, Any]:
        return {"entries": [[*map(_plain_number, k), _plain_number(v)] for k, v in self.entries.items()],
                "else": _plain_number(self.otherwise) if self.otherwise is not None else None}


class RandomFunction:
    """A function drawn at random, value by value as it is asked for: a cross-check point for a
    claim about every function."""

    def __init__(self, rng: random.Random, result: Any) -> None:
        self.rng, self.result, self.entries = rng, result, {}

    def __call__(self, *args: Any) -> Any:
        if args not in self.entries:
            self.entries[args] = _random_value(self.rng, self.result, small=True)
        return self.entries[args]

    def plain(self) -> dict[str, Any]:
        return {"entries": [[*map(_plain_number, k), _plain_number(v)] for k, v in self.entries.items()], "else": None}


def _scalar(kind: str, payload: Any) -> Any:
    if kind == "bool":
        return payload
    if kind in ("rational", "approximate"):
        return Fraction(*payload)
    raise ReplayUnsupported(f"model value {payload!r} is not a number")


def _assignment(model: dict[str, tuple[str, Any]]) -> tuple[dict[str, Any], bool]:
    values, exact = {}, True
    for name, (kind, payload) in model.items():
        if kind == "function":
            entries, otherwise = payload
            table = {tuple(_scalar(*a) for a in arguments): _scalar(*value) for arguments, value in entries}
            values[name] = FunctionTable(table, _scalar(*otherwise) if otherwise is not None else None)
            exact = exact and all(a[0] != "approximate" for arguments, _ in entries for a in arguments)
            continue
        values[name] = _scalar(kind, payload)
        exact = exact and kind != "approximate"
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
    exactly how a counterexample that lives only in the encoding is caught. An uninterpreted
    function is looked up in the values (a model's table, or a random function).
    """
    names = _operator_names()

    def build(node: Any) -> Callable[[dict[str, Any]], Any]:
        if z3.is_quantifier(node):
            raise ReplayUnsupported("a quantified formula cannot be evaluated at a point")
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
        if kind == z3.Z3_OP_UNINTERPRETED:  # an application of an uninterpreted function
            name = node.decl().name()

            def apply(values: dict[str, Any]) -> Any:
                if name not in values:
                    raise ReplayUnsupported(f"no value for the function {name}")
                return values[name](*[child(values) for child in children])

            return apply
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
    if isinstance(value, (FunctionTable, RandomFunction, RecursiveValue)):
        return value.plain()
    return value


# -- points that meet the hypotheses ------------------------------------------------------------------


def _symbols(query: Query) -> tuple[list[Any], list[Any]]:
    """The constants and the uninterpreted functions of the hypotheses and the claim."""
    constants: dict[str, Any] = {}
    functions: dict[str, Any] = {}

    def visit(expr: Any) -> None:
        if z3.is_app(expr) and expr.decl().kind() == z3.Z3_OP_UNINTERPRETED:
            (constants if expr.num_args() == 0 else functions).setdefault(expr.decl().name(), expr.decl())
        for child in expr.children():
            visit(child)

    for expr in [*query.hypotheses, query.claim]:
        visit(expr)
    bound = set()
    for definition in query.recursive.values():  # what the recursions read, but not their own k and F(k−1)
        visit(definition.base)
        visit(definition.step)
        bound |= {definition.index.decl().name(), definition.previous.decl().name()}
    return ([declaration() for name, declaration in constants.items() if name not in bound],
            list(functions.values()))


_BOOL, _INT, _REAL = "bool", "int", "real"


def _sort_kind(variable: Any) -> str:
    """bool, int or real, for a constant or a sort (read once: z3's ctypes calls are slow)."""
    sort = variable if isinstance(variable, z3.SortRef) else variable.sort()
    kind = sort.kind()
    return _BOOL if kind == z3.Z3_BOOL_SORT else (_INT if kind == z3.Z3_INT_SORT else _REAL)


def _random_value(rng: random.Random, variable: Any, small: bool = False) -> Any:
    """A value from a mix of shapes that typical hypotheses ask for: probabilities in (0, 1),
    small counts, large magnitudes and negatives. `variable` is a constant, a sort, or its kind."""
    kind = variable if isinstance(variable, str) else _sort_kind(variable)
    if kind == _BOOL:
        return rng.random() < 0.5
    if small:  # function values: a few distinct values, so that equalities between them happen
        return Fraction(rng.randint(-1, 3)) if kind == _INT else Fraction(rng.randint(-4, 8), 4)
    shape = rng.randrange(6)
    if shape == 0:
        value = Fraction(rng.randint(1, 999), 1000)  # strictly inside (0, 1)
    elif shape == 1:
        value = Fraction(rng.randint(0, 10))
    elif shape == 2:
        value = Fraction(rng.randint(1, 10**6), rng.choice([1, 7, 64]))
    elif shape == 3:
        value = -Fraction(rng.randint(0, 10**3), rng.choice([1, 3, 16]))
    elif shape == 4:
        value = Fraction(rng.randint(1, 10**4), 100)
    else:
        value = Fraction(rng.randint(1, 3), rng.randint(1, 3))  # ratios of small counts
    return Fraction(int(value)) if kind == _INT else value


@dataclass(frozen=True, slots=True)
class Sampled:
    """What the evaluated points said: how many met the hypotheses, the first that did, the first
    that met them and falsified the claim."""

    met: int
    witness: dict[str, Any] | None
    falsifier: dict[str, Any] | None


def cross_check(query: Query, seed: int, samples: int = CROSS_CHECK_SAMPLES,
                models: list[dict[str, tuple[str, Any]]] = ()) -> Sampled:
    """Evaluate the hypotheses and the claim, in exact rational arithmetic, at random points (with
    random functions) and at the given models of the hypotheses.

    A point where the evaluation divides by zero is skipped: there the encoding is undefined.
    """
    rng = random.Random(seed)
    constants, functions = _symbols(query)
    try:
        hypotheses = [compile_expression(h) for h in query.hypotheses]
        claim = compile_expression(query.claim)
    except ReplayUnsupported:
        return Sampled(0, None, None)

    def points():
        for model in models:
            try:
                values, _ = _assignment(model)
            except ReplayUnsupported:
                continue
            for constant in constants:
                values.setdefault(constant.decl().name(), False if z3.is_bool(constant) else Fraction(0))
            for function in functions:  # unconstrained by the hypotheses: any interpretation will do
                if function.name() not in values:
                    values[function.name()] = RandomFunction(rng, _sort_kind(function.range()))
            yield with_recursion(values)
        kinds = [(c.decl().name(), _sort_kind(c)) for c in constants]
        ranges = [(f.name(), _sort_kind(f.range())) for f in functions]
        for _ in range(samples):
            values = {name: _random_value(rng, kind) for name, kind in kinds}
            values.update({name: RandomFunction(rng, kind) for name, kind in ranges})
            if query.induction_variable is not None:  # the claim at concrete n, near the base case
                start = query.induction_start
                values[query.induction_variable.decl().name()] = Fraction(rng.randint(start, start + 40))
            yield with_recursion(values)

    def with_recursion(values: dict[str, Any]) -> dict[str, Any]:
        for name, definition in query.recursive.items():
            values[name] = RecursiveValue(definition, values)
        return values

    own = {c.decl().name() for c in constants} | {f.name() for f in functions}
    met, witness = 0, None
    for values in points():
        try:
            if not all(h(values) for h in hypotheses):
                continue
            holds = claim(values)
        except (ZeroDivisionError, ReplayUnsupported):
            continue
        met += 1
        plain = {k: _plain_number(v) for k, v in values.items() if k in own}
        witness = witness or plain
        if not holds:
            return Sampled(met, witness, plain)
        if met >= CROSS_CHECK_ENOUGH + len(models):
            break
    return Sampled(met, witness, None)


# -- the engine ------------------------------------------------------------------------------------


def _write(directory: Path, relative: str, text: str) -> str:
    path = directory / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return relative


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
    return Answer(value["result"], value["cvc5"].split(" ")[0], value.get("model"), tuple(value.get("models", ())),
                  value.get("reason", ""))


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
              extra_models: int = 0) -> Answer:
        """Solve with z3 in the worker; re-check the same .smt2 with cvc5 when asked and installed."""
        text = _benchmark(self.query, assertions)
        self.artifacts.append(_write(self.context.report_dir, f"{self.stem}.{suffix}.smt2", text))
        seconds = min(self.remaining(), limit) if limit is not None else self.remaining()
        cvc5_seconds = min(seconds / 2, CVC5_SECONDS) if second_opinion else 0.0
        answer = ask(text, cvc5_seconds, seconds, limit if limit is not None else self.check.timeout_s,
                     extra_models, self.context.seed)
        if second_opinion and answer.result in ("sat", "unsat", "unknown"):
            self.second_opinions.append(f"{suffix}: {answer.cvc5}")
        return answer

    def evidence(self, status: Status, detail: str, counterexample: dict | None = None, hypotheses: tuple = (),
                 facts: dict | None = None, engine: str = ENGINE) -> list[Evidence]:
        second = "; cvc5 " + ", ".join(self.second_opinions) if self.second_opinions else ""
        return [Evidence(engine, status, f"z3 {version()}: {detail}{second}", counterexample,
                         time.perf_counter() - self.started, tuple(self.artifacts), self.check.name, hypotheses,
                         facts=facts or {})]


def _stopped(session: _Run, answer: Answer) -> list[Evidence] | None:
    if answer.result == "timeout":
        return session.evidence(Status.TIMEOUT, answer.reason)
    if answer.result == "error":
        return session.evidence(Status.ERROR, answer.reason)
    return None


def run(check: Check, context: CheckContext) -> list[Evidence]:
    """Run one z3 check: satisfiability of the hypotheses, proof by the negation, cross-check, then
    the teeth of each premise (is the claim still true without it?)."""
    query = Query()
    check.fn(query)
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
    hypotheses = Answer("none")
    if query.hypotheses:
        wanted = MODEL_POINTS if sampled.met < FEW_POINTS else 0
        hypotheses = session.solve(query.hypotheses, "hypotheses", extra_models=wanted)
        if (stop := _stopped(session, hypotheses)) is not None:
            return stop
        if hypotheses.result == "sat" and wanted:
            sampled = cross_check(query, context.seed, models=[hypotheses.model, *hypotheses.models])

    replayed, counterexample, replay_note = False, None, ""
    negation = Answer("not asked")
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
    teeth = _teeth(session)
    idle = [t["hypothesis"] for t in teeth if t["needed"] is False and t["role"] == "premise"]
    note = f"; premises without teeth: {idle}" if idle else ("; every premise needed" if teeth and all(
        t["needed"] for t in teeth) else "")
    return session.evidence(status, f"unsat: {decision.reason}{note}", hypotheses=tuple(teeth), facts=facts)


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
    step_hypotheses = [*query.hypotheses, *[at(h, successor) for h in query.hypotheses], n >= start_value,
                       query.claim, *definitions(n), *definitions(successor)]
    step = session.solve([*step_hypotheses, z3.Not(at(query.claim, successor))], "step")
    if (stop := _stopped(session, step)) is not None:
        return stop
    common = dict(hypotheses=hypotheses.result, hypotheses_second=hypotheses.cvc5,
                  hypotheses_met_at_a_point=sampled.witness is not None, points_evaluated=sampled.met, falsified=False)
    base_replayed, base_note, base_counterexample = (
        replay(_loosened(query, base_hypotheses, at(query.claim, start_value)), base.model)
        if base.result == "sat" else (False, "", None))
    base_decision = kernel.universal(negation=base.result, negation_second=base.cvc5,
                                     counterexample_replayed=base_replayed, **common)
    if step.result == "sat":
        step_decision = kernel.Decision(Status.UNKNOWN, "the step has a model: P(n) does not imply P(n+1) as "
                                                        "stated; strengthen the claim so that it carries over")
    else:
        step_decision = kernel.universal(negation=step.result, negation_second=step.cvc5,
                                         counterexample_replayed=False, **common)
    decision = kernel.induction(base=base_decision, step=step_decision, falsified=sampled.falsifier is not None,
                                points_evaluated=sampled.met)
    detail = (f"induction on {n} from {start}: base {base.result}, step {step.result}; {decision.reason}")
    facts: dict[str, Any] = {"points_evaluated": sampled.met}
    if query.drawn_on:
        facts["draws_on"] = list(query.drawn_on)
    counterexample = sampled.falsifier if decision.status in (Status.REFUTED, Status.CONFLICT) else None
    if decision.status is Status.REFUTED and counterexample is None:
        counterexample, detail = base_counterexample, f"{detail}; base case: {base_note}"
    return session.evidence(decision.status, detail, counterexample, facts=facts)


def _witness(session: _Run) -> list[Evidence]:
    """An existential claim: find a model of hypotheses ∧ claim and replay it exactly."""
    query = session.query
    answer = session.solve([*query.hypotheses, query.claim], "witness")
    if (stop := _stopped(session, answer)) is not None:
        return stop
    replayed, text, witness = False, "", None
    if answer.result == "sat":
        try:
            values, exact = _assignment(answer.model)
            constants, functions = _symbols(query)
            for constant in constants:
                values.setdefault(constant.decl().name(), False if z3.is_bool(constant) else Fraction(0))
            replayed = all(evaluate(h, values) for h in query.hypotheses) and evaluate(query.claim, values)
            own = {c.decl().name() for c in constants} | {f.name() for f in functions}
            witness = {k: _plain_number(v) for k, v in sorted(values.items()) if k in own}
            how = "exactly" if exact else "with 40-digit approximations of algebraic values"
            text = f"sat: witness {_shown(witness)}; replayed {how}"
        except (ZeroDivisionError, ReplayUnsupported) as problem:
            text = f"sat, but the witness cannot be replayed: {type(problem).__name__}"
    decision = kernel.existential(answer=answer.result, answer_second=answer.cvc5, witness_replayed=replayed)
    detail = f"{text}: {decision.reason}" if text else decision.reason
    return session.evidence(decision.status, detail, witness if decision.status is not Status.PROVED else None,
                            facts={"witness": witness, "points_evaluated": 1} if replayed else {})


def _shown(values: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(values.items()))


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


def _teeth(session: _Run) -> list[dict[str, Any]]:
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
            loose = _loosened(query, rest)
            confirmed, _, counterexample = replay(loose, answer.model)
            if confirmed:
                entry["needed"], entry["counterexample"] = True, counterexample
        if entry["needed"] is None:  # z3 timed out or its model was an artefact: try random points
            falsifier = cross_check(_loosened(query, rest), session.context.seed).falsifier
            if falsifier is not None:
                entry["needed"], entry["counterexample"] = True, falsifier
        teeth.append(entry)
    return teeth


def _loosened(query: Query, hypotheses: list[Any], claim: Any = None) -> Query:
    """The same query with other hypotheses (and, if given, another claim)."""
    loose = Query(query.context)
    loose.premises, loose.claim = list(hypotheses), query.claim if claim is None else claim
    loose.recursive = dict(query.recursive)
    return loose


def replay(query: Query, model: dict[str, tuple[str, Any]]) -> tuple[bool, str, dict[str, Any] | None]:
    """Replay a model of hypotheses ∧ ¬claim in exact rational arithmetic: a counterexample only if the
    hypotheses hold and the claim fails there; a division by zero is an artefact of z3's total division."""
    try:
        values, exact = _assignment(model)
    except ReplayUnsupported as problem:
        return False, f"sat, but the model cannot be replayed: {problem}", None
    constants, functions = _symbols(query)
    for constant in constants:
        values.setdefault(constant.decl().name(), False if z3.is_bool(constant) else Fraction(0))
    for name, definition in query.recursive.items():  # the real sequence, not the model's table for it
        values[name] = RecursiveValue(definition, values)
    own = {c.decl().name() for c in constants} | {f.name() for f in functions}  # not z3's internal '/0'
    counterexample = {name: _plain_number(value) for name, value in sorted(values.items()) if name in own}
    shown = _shown(counterexample)
    try:
        hypotheses_hold = all(evaluate(h, values) for h in query.hypotheses)
        claim_holds = evaluate(query.claim, values)
    except ZeroDivisionError:
        return False, (f"sat, but the model ({shown}) divides by zero: an artefact of z3's total division, not a "
                       f"counterexample; add the missing hypothesis"), counterexample
    except ReplayUnsupported as problem:
        return False, f"sat ({shown}), but the model cannot be replayed: {problem}", counterexample
    if not hypotheses_hold or claim_holds:
        return False, (f"sat ({shown}), but the replay in exact arithmetic disagrees (hypotheses hold: "
                       f"{hypotheses_hold}, claim holds: {claim_holds})"), counterexample
    how = "exactly" if exact else "with 40-digit approximations of algebraic values"
    return True, (f"sat: counterexample {shown}; replayed {how}: the hypotheses hold and the claim is "
                  f"false"), counterexample
