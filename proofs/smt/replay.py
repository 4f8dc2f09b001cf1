"""Exact evaluation, independent of z3: counterexamples replayed and claims cross-checked in
rational arithmetic, at z3's models and at random points with random functions.

z3 defines x/0 and gives it an arbitrary value; Python's Fractions raise instead, which is how a
model that lives only in the encoding is told from a counterexample."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable

from proofs.smt.query import Query, Recursive, symbols_of, z3
CROSS_CHECK_SAMPLES = 3000  # random points tried at most
CROSS_CHECK_ENOUGH = 100  # points meeting the hypotheses after which the random search stops
EXACT_POINTS = 3  # points kept in exact values, where the claim holds (a re-check by Coq tries to refute them)


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
        return {"recursive": True, "values": {str(plain_number(k)): plain_number(v) for k, v in self.memo.items()}}


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
        return {"entries": [[*map(plain_number, k), plain_number(v)] for k, v in self.entries.items()],
                "else": plain_number(self.otherwise) if self.otherwise is not None else None}


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
        return {"entries": [[*map(plain_number, k), plain_number(v)] for k, v in self.entries.items()], "else": None}


def _scalar(kind: str, payload: Any) -> Any:
    if kind == "bool":
        return payload
    if kind in ("rational", "approximate"):
        return Fraction(*payload)
    raise ReplayUnsupported(f"model value {payload!r} is not a number")


def assignment(model: dict[str, tuple[str, Any]]) -> tuple[dict[str, Any], bool]:
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


def plain_number(value: Any) -> Any:
    if isinstance(value, Fraction):
        return int(value) if value.denominator == 1 else float(value)
    if isinstance(value, (FunctionTable, RandomFunction, RecursiveValue)):
        return value.plain()
    return value


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
    exact: tuple[dict[str, Any], ...] = ()  # the first points where the hypotheses and the claim hold, exact values


def cross_check(query: Query, seed: int, samples: int = CROSS_CHECK_SAMPLES,
                models: list[dict[str, tuple[str, Any]]] = ()) -> Sampled:
    """Evaluate the hypotheses and the claim, in exact rational arithmetic, at random points (with
    random functions) and at the given models of the hypotheses.

    A point where the evaluation divides by zero is skipped: there the encoding is undefined.
    """
    rng = random.Random(seed)
    constants, functions = symbols_of(query)
    try:
        hypotheses = [compile_expression(h) for h in query.hypotheses]
        claim = compile_expression(query.claim)
    except ReplayUnsupported:
        return Sampled(0, None, None)

    def points():
        for model in models:
            try:
                values, _ = assignment(model)
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
    met, witness, exact = 0, None, []
    for values in points():
        try:
            if not all(h(values) for h in hypotheses):
                continue
            holds = claim(values)
        except (ZeroDivisionError, ReplayUnsupported):
            continue
        met += 1
        plain = {k: plain_number(v) for k, v in values.items() if k in own}
        witness = witness or plain
        if not holds:
            return Sampled(met, witness, plain, tuple(exact))
        if len(exact) < EXACT_POINTS and all(isinstance(v, (Fraction, bool)) for k, v in values.items() if k in own):
            exact.append({k: v for k, v in values.items() if k in own})
        if met >= CROSS_CHECK_ENOUGH + len(models):
            break
    return Sampled(met, witness, None, tuple(exact))


def shown(values: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(values.items()))


def replay(query: Query, model: dict[str, tuple[str, Any]]) -> tuple[bool, str, dict[str, Any] | None]:
    """Replay a model of hypotheses ∧ ¬claim in exact rational arithmetic: a counterexample only if the
    hypotheses hold and the claim fails there; a division by zero is an artefact of z3's total division."""
    try:
        values, exact = assignment(model)
    except ReplayUnsupported as problem:
        return False, f"sat, but the model cannot be replayed: {problem}", None
    constants, functions = symbols_of(query)
    for constant in constants:
        values.setdefault(constant.decl().name(), False if z3.is_bool(constant) else Fraction(0))
    for name, definition in query.recursive.items():  # the real sequence, not the model's table for it
        values[name] = RecursiveValue(definition, values)
    own = {c.decl().name() for c in constants} | {f.name() for f in functions}  # not z3's internal '/0'
    counterexample = {name: plain_number(value) for name, value in sorted(values.items()) if name in own}
    text = shown(counterexample)
    try:
        hypotheses_hold = all(evaluate(h, values) for h in query.hypotheses)
        claim_holds = evaluate(query.claim, values)
    except ZeroDivisionError:
        return False, (f"sat, but the model ({text}) divides by zero: an artefact of z3's total division, not a "
                       f"counterexample; add the missing hypothesis"), counterexample
    except ReplayUnsupported as problem:
        return False, f"sat ({text}), but the model cannot be replayed: {problem}", counterexample
    if not hypotheses_hold or claim_holds:
        return False, (f"sat ({text}), but the replay in exact arithmetic disagrees (hypotheses hold: "
                       f"{hypotheses_hold}, claim holds: {claim_holds})"), counterexample
    how = "exactly" if exact else "with 40-digit approximations of algebraic values"
    return True, (f"sat: counterexample {text}; replayed {how}: the hypotheses hold and the claim is "
                  f"false"), counterexample
