"""The sympy engine, with every answer re-evaluated by mpmath; the only module that imports sympy.

A sympy check returns one goal or a list of goals:

    @LEMMA.check("sympy")
    def margin_over_log():
        return cas.Limit(threshold / log(n), n, expected=1, samples={p: (0.1, 0.5, 0.9)})

Goals: `Identity` (lhs − rhs simplifies to 0), `Limit` (sympy's limit meets the expected value),
`Bound` (expr ≥ bound, or > bound, on a domain) and `Induction` (a claim about a running sum for
every integer n ≥ start, by its base case and a step that sympy proves). This module is an
untrusted helper: it gathers sympy's and mpmath's answers and the kernel (`proofs.kernel`)
decides. sympy's answer is never taken on its own: mpmath re-evaluates it at high precision (at
growing arguments for a limit, with the working precision raised with the size of the argument,
and at random points for an identity or bound). When sympy answers a definite False, a witness is
searched for near the edges of the domain, on a grid and around sign changes, not only at random.
"""

from __future__ import annotations

import itertools
import math
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

import mpmath
import sympy as sp

from proofs import kernel
from proofs.deadline import goal_result, run_with_deadline
from proofs.errors import InvalidCheck
from proofs.records import Check, CheckContext
from proofs.status import Evidence, Status

ENGINE = "sympy"
PRECISION_DIGITS = 60
# For a limit at infinity: x = 10**3, 10**12, ..., 10**3072. mpmath has no overflow, and the
# working precision grows with the exponent so that 1 + 1/x is still distinct from 1.
GROWTH_EXPONENTS = (3, 12, 48, 192, 768, 3072)
LIMIT_TOLERANCE = 1e-2
POINT_SAMPLES = 32
SEARCH_GRID = 9  # points per dimension of the witness search grid
INDUCTION_REPLAY = 200  # values of n at which a failed step is replayed directly

Domain = Mapping[sp.Symbol, tuple[float, float]]


def version() -> str:
    return sp.__version__


@dataclass(frozen=True)
class Identity:
    """lhs = rhs for every value of the symbols (with their sympy assumptions) in `domain`."""

    lhs: Any
    rhs: Any
    domain: Domain = field(default_factory=dict)
    name: str = "identity"


@dataclass(frozen=True)
class Limit:
    """lim_{var → point} expr = expected. `samples` gives values of the other symbols for the
    numeric re-evaluation; sympy itself sees them as symbols with their assumptions."""

    expr: Any
    var: sp.Symbol
    expected: Any
    point: Any = sp.oo
    samples: Mapping[sp.Symbol, Sequence[Any]] = field(default_factory=dict)
    relation: str = "=="  # the claim is `limit <relation> expected`: one of RELATIONS
    at: Sequence[Any] | None = None  # where mpmath re-evaluates; default 10^3 … 10^3072 (too far for 2^(2^n))
    name: str = "limit"


@dataclass(frozen=True)
class Bound:
    """expr ≥ bound (strict=False) or expr > bound (strict=True) on `domain`."""

    expr: Any
    domain: Domain
    bound: Any = 0
    strict: bool = False
    calculus: bool = True  # False: only sympy's assumptions on the expression as written, no simplify or minimum
    name: str = "bound"


@dataclass(frozen=True)
class Induction:
    """For every integer n ≥ start: Σ_{k=start}^{n} term(k)  <relation>  rhs(n), with relation one of
    "==", "<=", "<".

    Proved by induction: the base case n = start is evaluated exactly, and the step is proved by
    sympy: for "==", rhs(n+1) − rhs(n) − term(n+1) simplifies to 0; for "<=" and "<",
    term(n+1) ≤ rhs(n+1) − rhs(n) for every n ≥ start (then the inequality carries over from n
    to n+1). When the step cannot be proved, the claim is evaluated directly at n = start …
    start + 200, and a failure there refutes it. `var` must be an integer symbol.
    """

    term: Any  # a function of `var` (the summation index takes its place)
    rhs: Any
    var: sp.Symbol
    start: int = 0
    relation: str = "=="
    name: str = "induction"


Goal = Identity | Limit | Bound | Induction

# Each returns True, False, or None when sympy cannot tell (then the goal is `unknown`). With an
# infinite side the comparison is in the extended reals: nothing is below −∞ or above +∞, so
# "lim < −∞" is false even when the limit is −∞.
_EXTENDED = {"==": sp.Eq, ">": sp.Gt, ">=": sp.Ge, "<": sp.Lt, "<=": sp.Le}
_FINITE = {
    "==": lambda a, b: sp.simplify(a - b) == 0,
    ">": lambda a, b: sp.simplify(a - b).is_positive,
    ">=": lambda a, b: sp.simplify(a - b).is_nonnegative,
    "<": lambda a, b: sp.simplify(b - a).is_positive,
    "<=": lambda a, b: sp.simplify(b - a).is_nonnegative,
}


def _holds(relation: str, a: Any, b: Any) -> bool | None:
    a, b = sp.sympify(a), sp.sympify(b)
    if a.is_infinite or b.is_infinite:
        truth = _EXTENDED[relation](a, b)
        return bool(truth) if truth in (sp.true, sp.false) else None
    return _FINITE[relation](a, b)


RELATIONS = {relation: (lambda a, b, relation=relation: _holds(relation, a, b)) for relation in _EXTENDED}


# -- numeric re-evaluation -----------------------------------------------------------------------


def _numeric(expr: Any, symbols: Sequence[sp.Symbol]):
    function = sp.lambdify(list(symbols), expr, modules="mpmath")
    return lambda *values: function(*[mpmath.mpf(str(v)) if not isinstance(v, mpmath.mpf) else v for v in values])


def _interval(domain: Domain, symbol: sp.Symbol) -> tuple[float, float]:
    return domain.get(symbol, (-10.0, 10.0))


def _unbounded_draw(rng: random.Random, low: float, high: float) -> Any:
    """A point of an unbounded interval, spread across orders of magnitude (10^-3 … 10^6 from its
    finite end, or from 0 on both sides of a line)."""
    spread = mpmath.power(10, mpmath.mpf(rng.uniform(-3, 6)))
    if math.isinf(low) and math.isinf(high):
        return spread if rng.random() < 0.5 else -spread
    return mpmath.mpf(low) + spread if math.isinf(high) else mpmath.mpf(high) - spread


def _random_points(domain: Domain, symbols: Sequence[sp.Symbol], rng: random.Random, count: int) -> list[tuple]:
    points = []
    for _ in range(count):
        point = []
        for symbol in symbols:
            low, high = (float(v) for v in _interval(domain, symbol))
            if math.isinf(low) or math.isinf(high):
                point.append(_unbounded_draw(rng, low, high))
            elif low > 0 and high / low > 100:  # log-uniform across orders of magnitude
                point.append(mpmath.power(10, mpmath.mpf(rng.uniform(mpmath.log10(low), mpmath.log10(high)))))
            else:
                point.append(mpmath.mpf(rng.uniform(low, high)))
        points.append(tuple(point))
    return points


def _finite(low: float, high: float) -> tuple[float, float]:
    """The interval, with an infinite end replaced by ±10^6 from the other end (or from 0)."""
    low, high = float(low), float(high)
    if math.isinf(low) and math.isinf(high):
        return -1e6, 1e6
    if math.isinf(low):
        return high - 1e6, high
    if math.isinf(high):
        return low, low + 1e6
    return low, high


def _axis(low: float, high: float, count: int) -> list[Any]:
    """Points along one axis: both edges (nudged inside), and a grid, log-spaced across decades; an
    infinite end is replaced by ±10^6 from the other end (or from 0)."""
    low, high = _finite(low, high)
    low_m, high_m = mpmath.mpf(low), mpmath.mpf(high)
    nudge = (high_m - low_m) * mpmath.mpf(10) ** -12
    if low > 0 and high / low > 100:
        grid = [mpmath.power(10, mpmath.log10(low_m) + (mpmath.log10(high_m) - mpmath.log10(low_m)) * i / (count - 1))
                for i in range(count)]
    else:
        grid = [low_m + (high_m - low_m) * i / (count - 1) for i in range(count)]
    return [low_m + nudge, *grid[1:-1], high_m - nudge]


def _search_points(domain: Domain, symbols: Sequence[sp.Symbol], rng: random.Random) -> Iterator[tuple]:
    """Where a witness is looked for once sympy says False: random points, the corners and edges of
    the domain (nudged inside), and a grid (coarser as the dimension grows)."""
    yield from _random_points(domain, symbols, rng, POINT_SAMPLES * 8)
    per_axis = max(3, int(round(4096 ** (1 / max(1, len(symbols))))))
    per_axis = min(per_axis, SEARCH_GRID * 8 + 1)
    axes = [_axis(*_interval(domain, s), per_axis) for s in symbols]
    yield from itertools.product(*axes)


def _plain(point: Sequence[Any], symbols: Sequence[sp.Symbol]) -> dict[str, float]:
    return {str(s): float(v) for s, v in zip(symbols, point)}


def _json_number(value: Any) -> float | str:
    """A float where it is finite, else mpmath's short text: JSON has no infinity."""
    number = float(value)
    return number if math.isfinite(number) else mpmath.nstr(value, 8)


def _symbols(*exprs: Any) -> list[sp.Symbol]:
    return sorted(set().union(*(sp.sympify(e).free_symbols for e in exprs)), key=str)


def _real(value: Any) -> Any | None:
    """A finite real mpmath number, or None (complex, nan, inf, or not a number)."""
    if isinstance(value, mpmath.mpc):
        if abs(value.imag) > mpmath.mpf(10) ** -(PRECISION_DIGITS // 2) * max(1, abs(value.real)):
            return None
        value = value.real
    try:
        value = mpmath.mpf(value)
    except (TypeError, ValueError):
        return None
    return value if mpmath.isfinite(value) else None


def _evaluate(function: Any, point: tuple) -> Any | None:
    try:
        return _real(function(*point))
    except (ZeroDivisionError, ValueError, OverflowError, TypeError):
        return None


# -- the goals -----------------------------------------------------------------------------------


def _differs(left: Any, right: Any) -> bool:
    return abs(left - right) > mpmath.mpf(10) ** -(PRECISION_DIGITS // 2) * max(1, abs(left))


def _identity(goal: Identity, seed: int) -> tuple[Status, str, dict | None, dict]:
    lhs_expr, rhs_expr = sp.sympify(goal.lhs), sp.sympify(goal.rhs)
    difference = sp.simplify(lhs_expr - rhs_expr)
    zero = difference == 0
    symbols = _symbols(lhs_expr, rhs_expr)
    lhs, rhs = _numeric(lhs_expr, symbols), _numeric(rhs_expr, symbols)
    rng = random.Random(seed)

    def first_difference(points) -> tuple[int, dict | None]:
        evaluated = 0
        for point in points:
            left, right = _evaluate(lhs, point), _evaluate(rhs, point)
            if left is None or right is None:
                continue
            evaluated += 1
            if _differs(left, right):
                return evaluated, {**_plain(point, symbols), "lhs": _json_number(left), "rhs": _json_number(right)}
        return evaluated, None

    evaluated, falsifier = first_difference(_random_points(goal.domain, symbols, rng, POINT_SAMPLES)
                                            if symbols else [()])
    says_different = False
    if not zero and falsifier is None:
        try:
            says_different = lhs_expr.equals(rhs_expr) is False
        except Exception:  # sympy's equals can fail on expressions it cannot evaluate
            says_different = False
        more, falsifier = first_difference(_search_points(goal.domain, symbols, rng)) if symbols else (0, None)
        evaluated += more
    decision = kernel.identity(simplified_to_zero=zero, sympy_says_different=says_different,
                               points_evaluated=evaluated, numeric_difference=falsifier is not None)
    said = "" if zero else f"lhs − rhs simplifies to {difference}; "
    return decision.status, f"{said}{decision.reason}", falsifier, {"points_evaluated": evaluated}


def _growing(point: Any) -> list[Any]:
    if point == sp.oo:
        return [mpmath.power(10, k) for k in GROWTH_EXPONENTS]
    if point == -sp.oo:
        return [-mpmath.power(10, k) for k in GROWTH_EXPONENTS]
    return [mpmath.mpf(str(sp.N(point, PRECISION_DIGITS))) + mpmath.power(10, -k // 3) for k in GROWTH_EXPONENTS]


def _digits_for(x: Any) -> int:
    """Working precision at argument x: enough that x ± 1 and 1 ± 1/x stay distinct."""
    magnitude = abs(mpmath.log10(abs(x))) if x != 0 else 0
    return PRECISION_DIGITS + int(magnitude) + 10


def _sequence_agrees(values: list[Any], limit: Any) -> bool:
    if limit == sp.oo:
        return values[-1] > values[0] and values[-1] > values[-2]
    if limit == -sp.oo:
        return values[-1] < values[0] and values[-1] < values[-2]
    target = mpmath.mpf(str(sp.N(limit, PRECISION_DIGITS)))
    errors = [abs(v - target) for v in values]
    return errors[-1] <= LIMIT_TOLERANCE * max(1, abs(target)) and errors[-1] <= errors[0] + mpmath.mpf(10) ** -40


def _limit(goal: Limit, seed: int) -> tuple[Status, str, dict | None, dict]:
    if goal.relation not in RELATIONS:
        raise InvalidCheck(f"Limit {goal.name!r}: relation={goal.relation!r} is not one of {sorted(RELATIONS)}")
    others = sorted(goal.samples, key=str)
    missing = set(_symbols(goal.expr)) - {goal.var, *others}
    if missing:
        raise InvalidCheck(f"Limit {goal.name!r}: give numeric samples for {sorted(map(str, missing))} "
                           f"(samples={{symbol: (values, ...)}}) so that mpmath can re-evaluate it")
    answer = sp.limit(goal.expr, goal.var, goal.point)
    if answer.has(sp.Limit) or answer.has(sp.AccumBounds) or answer == sp.nan:
        decision = kernel.limit(evaluated=False, relation_holds=None, numeric_agrees=True, points_evaluated=0)
        return decision.status, f"{decision.reason} (answered {answer})", None, {}
    grid = [dict(zip(others, combo)) for combo in itertools.product(*(goal.samples[s] for s in others))]
    xs = [mpmath.mpf(str(x)) for x in goal.at] if goal.at is not None else _growing(goal.point)
    claimed = RELATIONS[goal.relation](answer, sp.sympify(goal.expected))
    sequences, evaluated, disagreement = {}, 0, None
    for values in grid:
        function = sp.lambdify([goal.var], goal.expr.subs(values), modules="mpmath")
        sequence = []
        for x in xs:
            with mpmath.workdps(_digits_for(x)):
                value = function(mpmath.mpf(x))
            sequence.append(+value)  # rounded back to the base precision
        evaluated += len(sequence)
        limit_here = answer.subs(values)
        label = ", ".join(f"{k}={v}" for k, v in values.items()) or "no parameters"
        sequences[label] = [_json_number(v) for v in sequence]
        if not _sequence_agrees(sequence, limit_here):
            disagreement = (label, sequence)
            break
    decision = kernel.limit(evaluated=True, relation_holds=claimed, numeric_agrees=disagreement is None,
                            points_evaluated=evaluated)
    where = f"{goal.var} = {list(goal.at)}" if goal.at is not None else f"{goal.var} = 10^{list(GROWTH_EXPONENTS)}"
    facts = {"points_evaluated": evaluated}
    if disagreement is not None:
        label, sequence = disagreement
        return decision.status, (f"sympy answers {answer}, but mpmath at {goal.var} = {[mpmath.nstr(x, 4) for x in xs]} "
                                 f"({label}) gives {[mpmath.nstr(v, 6) for v in sequence]}"), \
            {"sympy_limit": str(answer), "sample": label, "numeric": [_json_number(v) for v in sequence]}, facts
    numeric = "; ".join(f"[{k}] {[f'{v:.4g}' if isinstance(v, float) else v for v in seq]}"
                        for k, seq in sequences.items())
    detail = f"limit = {answer}, claimed {goal.relation} {goal.expected}: {decision.reason}; mpmath at {where}: {numeric}"
    counterexample = ({"sympy_limit": str(answer), "claimed": f"{goal.relation} {goal.expected}", "numeric": sequences}
                      if decision.status is Status.REFUTED else None)
    return decision.status, detail, counterexample, facts


def _local_minimum(gap: Any, point: tuple, domain: Domain, symbols: Sequence[sp.Symbol]) -> tuple[tuple, Any]:
    """Coordinate descent from `point` inside the domain: where a bound fails between grid points."""
    best, best_value = point, _evaluate(gap, point)
    if best_value is None:
        return point, None
    boxes = [_finite(*_interval(domain, s)) for s in symbols]
    steps = [(mpmath.mpf(high) - mpmath.mpf(low)) / 16 for low, high in boxes]
    for _ in range(60):
        improved = False
        for axis, symbol in enumerate(symbols):
            low, high = (mpmath.mpf(v) for v in boxes[axis])
            for direction in (-1, 1):
                candidate = list(best)
                candidate[axis] = min(high, max(low, best[axis] + direction * steps[axis]))
                value = _evaluate(gap, tuple(candidate))
                if value is not None and value < best_value:
                    best, best_value, improved = tuple(candidate), value, True
        if not improved:
            steps = [s / 4 for s in steps]
    return best, best_value


def _bound(goal: Bound, seed: int) -> tuple[Status, str, dict | None, dict]:
    gap = sp.sympify(goal.expr) - sp.sympify(goal.bound)
    if goal.calculus:  # simplification can take minutes on large trigonometric sums
        gap = sp.simplify(gap)
    symbols = _symbols(goal.expr, goal.bound)
    relation = ">" if goal.strict else "≥"
    answer = gap.is_positive if goal.strict else gap.is_nonnegative
    how = "assumptions"
    if answer is None and goal.calculus and len(symbols) == 1:
        (symbol,) = symbols
        low, high = _interval(goal.domain, symbol) if symbol in goal.domain else (-sp.oo, sp.oo)
        interval = sp.Interval(low if low != float("-inf") else -sp.oo, high if high != float("inf") else sp.oo)
        least = sp.minimum(gap, symbol, interval)
        if least is not None and least.is_comparable:
            # a strict bound needs the minimum to be > 0; an infimum not attained is not enough evidence here
            answer = bool(least > 0) if goal.strict else bool(least >= 0)
            how = f"calculus: the minimum of the gap on {interval} is {least}"
    gap_numeric = _numeric(gap, symbols)
    rng = random.Random(seed)

    def violates(value: Any) -> bool:
        return value < 0 or (goal.strict and value == 0)

    evaluated, falsifier = 0, None
    points = _random_points(goal.domain, symbols, rng, POINT_SAMPLES * 4) if symbols else [()]
    if answer is False:  # a definite no: look harder, at the edges, on a grid and around the lowest points
        points = list(_search_points(goal.domain, symbols, rng)) if symbols else [()]
    scored = []
    for point in points:
        value = _evaluate(gap_numeric, point)
        if value is None:
            continue
        evaluated += 1
        scored.append((value, point))
        if violates(value):
            falsifier = {**_plain(point, symbols), "gap": _json_number(value)}
            break
    if falsifier is None and answer is False and scored:
        for _, point in sorted(scored, key=lambda item: item[0])[:8]:  # descend from the lowest points
            point, value = _local_minimum(gap_numeric, point, goal.domain, symbols)
            evaluated += 1
            if value is not None and violates(value):
                falsifier = {**_plain(point, symbols), "gap": _json_number(value)}
                break
    decision = kernel.bound(sympy_answer=answer, violation=falsifier is not None, points_evaluated=evaluated)
    said = {True: f"sympy shows expr {relation} {goal.bound} by {how}", False: f"sympy says expr {relation} "
            f"{goal.bound} is false", None: f"sympy cannot decide expr {relation} {goal.bound}"}[answer]
    return decision.status, f"{said}; {decision.reason}", falsifier, {"points_evaluated": evaluated}


def _induction(goal: Induction, seed: int) -> tuple[Status, str, dict | None, dict]:
    n = goal.var
    if not n.is_integer:
        raise InvalidCheck(f"Induction {goal.name!r}: var={n} must be an integer symbol, e.g. "
                           f"sp.Symbol('n', integer=True, nonnegative=True)")
    if goal.relation not in ("==", "<=", "<"):
        raise InvalidCheck(f"Induction {goal.name!r}: relation={goal.relation!r} is not one of '==', '<=', '<'")
    term, rhs = sp.sympify(goal.term), sp.sympify(goal.rhs)

    def partial_sum(m: int) -> Any:
        return sum((term.subs(n, j) for j in range(goal.start, m + 1)), sp.Integer(0))

    def holds_at(m: int) -> bool | None:
        left, right = partial_sum(m), rhs.subs(n, m)  # exact: rationals stay rationals
        compare = {"==": sp.Eq, "<=": sp.Le, "<": sp.Lt}[goal.relation](left, right)
        truth = sp.simplify(compare)
        if truth in (sp.true, sp.false):
            return bool(truth)
        value = sp.N(left - right, PRECISION_DIGITS)
        if not value.is_real:
            return None
        return {"==": abs(value) < 1e-40, "<=": value <= 0, "<": value < 0}[goal.relation]

    base = kernel.evaluated(holds=holds_at(goal.start), where=f"n = {goal.start}")
    increment = sp.simplify(rhs.subs(n, n + 1) - rhs)  # what the right side gains from n to n+1
    step_term = term.subs(n, n + 1)
    start_assumption = {n: sp.Symbol("m", integer=True, nonnegative=True) + goal.start}
    if goal.relation == "==":
        step_gap = sp.simplify((increment - step_term).subs(start_assumption))
        step_holds = True if step_gap == 0 else None
        step_text = f"rhs(n+1) − rhs(n) − term(n+1) = {step_gap}"
    else:
        step_gap = sp.simplify((increment - step_term).subs(start_assumption))
        step_holds = step_gap.is_nonnegative
        step_text = f"rhs(n+1) − rhs(n) − term(n+1) = {step_gap}, nonnegative: {step_holds}"
    step = kernel.simplified(holds=step_holds, what="the step: " + step_text)
    failure = None
    evaluated = 1
    if step.status is not Status.PROVED or base.status is not Status.PROVED:
        for m in range(goal.start, goal.start + INDUCTION_REPLAY + 1):
            evaluated += 1
            if holds_at(m) is False:
                failure = m
                break
    else:  # the numbers are evaluated anyway, as a cross-check of the proof
        for m in range(goal.start, goal.start + 20):
            evaluated += 1
            if holds_at(m) is False:
                failure = m
                break
    decision = kernel.induction(base=base, step=step, falsified=failure is not None, points_evaluated=evaluated)
    counterexample = None
    if failure is not None:
        counterexample = {str(n): failure, "lhs": _json_number(sp.N(partial_sum(failure), 30)),
                          "rhs": _json_number(sp.N(rhs.subs(n, failure), 30)), "relation": goal.relation}
    detail = f"base {base.status.value} ({base.reason}); step: {step_text}; {decision.reason}"
    return decision.status, detail, counterexample, {"points_evaluated": evaluated}


def _decide(goal: Goal, seed: int) -> tuple[Status, str, dict | None, dict]:
    mpmath.mp.dps = PRECISION_DIGITS
    if isinstance(goal, Identity):
        return _identity(goal, seed)
    if isinstance(goal, Limit):
        return _limit(goal, seed)
    if isinstance(goal, Bound):
        return _bound(goal, seed)
    if isinstance(goal, Induction):
        return _induction(goal, seed)
    raise InvalidCheck(f"a sympy check returned {goal!r}; expected cas.Identity, cas.Limit, cas.Bound or "
                       f"cas.Induction")


def run(check: Check, context: CheckContext) -> list[Evidence]:
    """Run every goal the check returns, each in the solver worker under the check's time limit."""
    goals = check.fn()
    goals = list(goals) if isinstance(goals, (list, tuple)) else [goals]
    if not goals:
        raise InvalidCheck(f"sympy check {check.name!r} returned no goal: there is nothing to prove")
    for goal in goals:
        if not isinstance(goal, (Identity, Limit, Bound, Induction)):
            raise InvalidCheck(f"sympy check {check.name!r} returned {type(goal).__name__}; expected cas.Identity, "
                               f"cas.Limit, cas.Bound or cas.Induction")
    evidence = []
    for goal in goals:
        started = time.perf_counter()
        outcome = run_with_deadline(_decide, (goal, context.seed), check.timeout_s, check.timeout_s)
        label = f"{check.name}/{goal.name}"
        artifact = _write_goal(context.report_dir, check, goal)
        status, detail, counterexample, facts = goal_result(outcome, check.location)
        engine = f"{ENGINE}+mpmath" if status is Status.CONFLICT else ENGINE
        evidence.append(Evidence(engine, status, f"sympy {version()} [{label}]: {detail}", counterexample,
                                 time.perf_counter() - started, (artifact,), label, facts=facts))
    return evidence


def _write_goal(directory: Path, check: Check, goal: Goal) -> str:
    """The goal in sympy's own notation, so the report shows exactly what was asked."""
    relative = f"sympy/{check.lemma_id}/{check.name}.{goal.name}.txt"
    path = directory / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    fields = vars(goal)
    path.write_text("\n".join(f"{k}: {sp.srepr(v) if isinstance(v, sp.Basic) else v}" for k, v in fields.items()) + "\n")
    return relative
