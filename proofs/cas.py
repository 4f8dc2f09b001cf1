"""The sympy engine, with every answer re-evaluated by mpmath; the only module that imports sympy.

A sympy check returns one goal or a list of goals:

    @LEMMA.check("sympy")
    def margin_over_log(n):
        return cas.Limit(threshold / log(n), n, expected=1, samples={p: (0.1, 0.5, 0.9)})

Goals: `Identity` (lhs − rhs simplifies to 0), `Limit` (sympy's limit equals the expected
value) and `Bound` (expr ≥ bound, or > bound, on a domain). sympy's answer is never taken on
its own: mpmath re-evaluates it at high precision, at growing arguments for a limit and at
random points for an identity or bound. sympy answering None is `unknown`; sympy and mpmath
disagreeing is `conflict` (sympy's `limit` has returned wrong answers, see DESIGN.md).
"""

from __future__ import annotations

import itertools
import math
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

import mpmath
import sympy as sp

from proofs.deadline import Ending, run_with_deadline
from proofs.status import Evidence, Status

if TYPE_CHECKING:
    from proofs.checks import CheckContext
    from proofs.lemma import Check

ENGINE = "sympy"
PRECISION_DIGITS = 60
# For a limit at infinity: x = 10**3, 10**12, ..., 10**3072. mpmath has no overflow.
GROWTH_EXPONENTS = (3, 12, 48, 192, 768, 3072)
LIMIT_TOLERANCE = 1e-2
POINT_SAMPLES = 32

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


Goal = Identity | Limit | Bound

# Each returns True, False, or None when sympy cannot tell (then the goal is `unknown`).
RELATIONS = {
    "==": lambda a, b: a == b if (a.is_infinite or b.is_infinite) else sp.simplify(a - b) == 0,
    ">": lambda a, b: (a == sp.oo) if a.is_infinite else sp.simplify(a - b).is_positive,
    ">=": lambda a, b: (a == sp.oo) if a.is_infinite else sp.simplify(a - b).is_nonnegative,
    "<": lambda a, b: (a == -sp.oo) if a.is_infinite else sp.simplify(b - a).is_positive,
    "<=": lambda a, b: (a == -sp.oo) if a.is_infinite else sp.simplify(b - a).is_nonnegative,
}


# -- numeric re-evaluation -----------------------------------------------------------------------


def _numeric(expr: Any, symbols: Sequence[sp.Symbol]):
    function = sp.lambdify(list(symbols), expr, modules="mpmath")
    return lambda *values: function(*[mpmath.mpf(str(v)) if not isinstance(v, mpmath.mpf) else v for v in values])


def _points(domain: Domain, symbols: Sequence[sp.Symbol], rng: random.Random, count: int) -> list[tuple]:
    points = []
    for _ in range(count):
        point = []
        for symbol in symbols:
            low, high = domain.get(symbol, (-10.0, 10.0))
            if low > 0 and high / low > 100:  # log-uniform across orders of magnitude
                point.append(mpmath.power(10, mpmath.mpf(rng.uniform(mpmath.log10(low), mpmath.log10(high)))))
            else:
                point.append(mpmath.mpf(rng.uniform(low, high)))
        points.append(tuple(point))
    return points


def _plain(point: Sequence[Any], symbols: Sequence[sp.Symbol]) -> dict[str, float]:
    return {str(s): float(v) for s, v in zip(symbols, point)}


def _json_number(value: Any) -> float | str:
    """A float where it is finite, else mpmath's short text: JSON has no infinity."""
    number = float(value)
    return number if math.isfinite(number) else mpmath.nstr(value, 8)


def _symbols(*exprs: Any) -> list[sp.Symbol]:
    return sorted(set().union(*(sp.sympify(e).free_symbols for e in exprs)), key=str)


# -- the goals -----------------------------------------------------------------------------------


def _identity(goal: Identity, seed: int) -> tuple[Status, str, dict | None]:
    difference = sp.simplify(sp.sympify(goal.lhs) - sp.sympify(goal.rhs))
    symbols = _symbols(goal.lhs, goal.rhs)
    lhs, rhs = _numeric(goal.lhs, symbols), _numeric(goal.rhs, symbols)
    falsifier = None
    for point in _points(goal.domain, symbols, random.Random(seed), POINT_SAMPLES):
        left, right = lhs(*point), rhs(*point)
        if abs(left - right) > mpmath.mpf(10) ** -(PRECISION_DIGITS // 2) * max(1, abs(left)):
            falsifier = {**_plain(point, symbols), "lhs": float(left), "rhs": float(right)}
            break
    if difference == 0 and falsifier is None:
        return Status.PROVED, f"lhs − rhs simplifies to 0; mpmath agrees at {POINT_SAMPLES} random points", None
    if difference == 0:
        return Status.CONFLICT, "sympy simplifies lhs − rhs to 0, but mpmath finds them different", falsifier
    if falsifier is not None:
        return Status.REFUTED, f"lhs − rhs simplifies to {difference}; mpmath confirms a difference", falsifier
    return Status.UNKNOWN, (f"sympy could not reduce lhs − rhs (left {difference}); "
                            f"numerically equal at {POINT_SAMPLES} points, which is not a proof"), None


def _growing(point: Any) -> list[Any]:
    if point == sp.oo:
        return [mpmath.power(10, k) for k in GROWTH_EXPONENTS]
    if point == -sp.oo:
        return [-mpmath.power(10, k) for k in GROWTH_EXPONENTS]
    return [mpmath.mpf(str(sp.N(point, PRECISION_DIGITS))) + mpmath.power(10, -k // 3) for k in GROWTH_EXPONENTS]


def _sequence_agrees(values: list[Any], limit: Any) -> bool:
    if limit == sp.oo:
        return values[-1] > values[0] and values[-1] > values[-2]
    if limit == -sp.oo:
        return values[-1] < values[0] and values[-1] < values[-2]
    target = mpmath.mpf(str(sp.N(limit, PRECISION_DIGITS)))
    errors = [abs(v - target) for v in values]
    return errors[-1] <= LIMIT_TOLERANCE * max(1, abs(target)) and errors[-1] <= errors[0] + mpmath.mpf(10) ** -40


def _limit(goal: Limit, seed: int) -> tuple[Status, str, dict | None]:
    answer = sp.limit(goal.expr, goal.var, goal.point)
    if answer.has(sp.Limit) or answer.has(sp.AccumBounds) or answer == sp.nan:
        return Status.UNKNOWN, f"sympy could not evaluate the limit (answered {answer})", None
    others = sorted(goal.samples, key=str)
    missing = set(_symbols(goal.expr)) - {goal.var, *others}
    if missing:
        raise ValueError(f"Limit {goal.name!r}: give numeric samples for {sorted(map(str, missing))} "
                         f"(samples={{symbol: (values, ...)}}) so that mpmath can re-evaluate it")
    grid = [dict(zip(others, combo)) for combo in itertools.product(*(goal.samples[s] for s in others))]
    xs = [mpmath.mpf(str(x)) for x in goal.at] if goal.at is not None else _growing(goal.point)
    if goal.relation not in RELATIONS:
        raise ValueError(f"Limit {goal.name!r}: relation={goal.relation!r} is not one of {sorted(RELATIONS)}")
    claimed = RELATIONS[goal.relation](answer, sp.sympify(goal.expected))
    sequences = {}
    for values in grid:
        function = _numeric(goal.expr.subs(values), [goal.var])
        sequence = [function(x) for x in xs]
        limit_here = answer.subs(values)
        label = ", ".join(f"{k}={v}" for k, v in values.items()) or "no parameters"
        sequences[label] = [_json_number(v) for v in sequence]
        if not _sequence_agrees(sequence, limit_here):
            return Status.CONFLICT, (f"sympy answers {answer}, but mpmath at {goal.var} = {[mpmath.nstr(x, 4) for x in xs]} "
                                     f"({label}) gives {[mpmath.nstr(v, 6) for v in sequence]}"), \
                {"sympy_limit": str(answer), "sample": label, "numeric": [_json_number(v) for v in sequence]}
    numeric = "; ".join(f"[{k}] {[f'{v:.4g}' if isinstance(v, float) else v for v in seq]}"
                        for k, seq in sequences.items())
    where = f"{goal.var} = {list(goal.at)}" if goal.at is not None else f"{goal.var} = 10^{list(GROWTH_EXPONENTS)}"
    if claimed is None:
        return Status.UNKNOWN, (f"limit = {answer}, but sympy cannot decide whether it is {goal.relation} "
                                f"{goal.expected}; mpmath agrees with the limit at {where}"), None
    if claimed:
        return Status.PROVED, (f"limit = {answer} {goal.relation} {goal.expected}; mpmath agrees at {where}: "
                               f"{numeric}"), None
    return Status.REFUTED, (f"limit = {answer}, so the claimed limit {goal.relation} {goal.expected} fails; "
                            f"replayed by mpmath at {where}: {numeric}"), \
        {"sympy_limit": str(answer), "claimed": f"{goal.relation} {goal.expected}", "numeric": sequences}


def _bound(goal: Bound, seed: int) -> tuple[Status, str, dict | None]:
    gap = sp.sympify(goal.expr) - sp.sympify(goal.bound)
    if goal.calculus:  # simplification can take minutes on large trigonometric sums
        gap = sp.simplify(gap)
    symbols = _symbols(goal.expr, goal.bound)
    relation = ">" if goal.strict else "≥"
    answer = gap.is_positive if goal.strict else gap.is_nonnegative
    how = "assumptions"
    if answer is None and goal.calculus and len(symbols) == 1:
        (symbol,) = symbols
        low, high = goal.domain.get(symbol, (-sp.oo, sp.oo))
        interval = sp.Interval(low if low != float("-inf") else -sp.oo, high if high != float("inf") else sp.oo)
        least = sp.minimum(gap, symbol, interval)
        if least is not None and least.is_comparable:
            # a strict bound needs the minimum to be > 0; an infimum not attained is not enough evidence here
            answer = bool(least > 0) if goal.strict else bool(least >= 0)
            how = f"calculus: the minimum of the gap on {interval} is {least}"
    gap_numeric = _numeric(gap, symbols)
    falsifier = None
    for point in _points(goal.domain, symbols, random.Random(seed), POINT_SAMPLES * 4):
        value = gap_numeric(*point)
        if value < 0 or (goal.strict and value == 0):
            falsifier = {**_plain(point, symbols), "gap": float(value)}
            break
    if answer is True and falsifier is None:
        return Status.PROVED, f"expr {relation} {goal.bound} by {how}; mpmath agrees at {POINT_SAMPLES * 4} points", None
    if answer is True:
        return Status.CONFLICT, f"sympy proves expr {relation} {goal.bound} ({how}), but mpmath finds a violation", falsifier
    if falsifier is not None:
        return Status.REFUTED, f"expr {relation} {goal.bound} fails; mpmath point below the bound", falsifier
    return Status.UNKNOWN, (f"sympy could not decide expr {relation} {goal.bound} (answered {answer}); "
                            f"no violation at {POINT_SAMPLES * 4} random points, which is not a proof"), None


def _decide(goal: Goal, seed: int) -> tuple[Status, str, dict | None]:
    mpmath.mp.dps = PRECISION_DIGITS
    if isinstance(goal, Identity):
        return _identity(goal, seed)
    if isinstance(goal, Limit):
        return _limit(goal, seed)
    if isinstance(goal, Bound):
        return _bound(goal, seed)
    raise TypeError(f"a sympy check returned {goal!r}; expected cas.Identity, cas.Limit or cas.Bound")


def run(check: Check, context: CheckContext) -> list[Evidence]:
    """Run every goal the check returns, each in a child process under the check's time limit."""
    goals = check.fn()
    goals = list(goals) if isinstance(goals, (list, tuple)) else [goals]
    if not goals:
        raise ValueError(f"sympy check {check.name!r} returned no goal: there is nothing to prove")
    evidence = []
    for goal in goals:
        started = time.perf_counter()
        outcome = run_with_deadline(_decide, (goal, context.seed), check.timeout_s)
        label = f"{check.name}/{getattr(goal, 'name', 'goal')}"
        artifact = _write_goal(context.report_dir, check, goal)
        if outcome.ending is Ending.RETURNED:
            status, detail, counterexample = outcome.value
        elif outcome.ending is Ending.TIMED_OUT:
            status, detail, counterexample = Status.TIMEOUT, outcome.detail, None
        else:
            status, counterexample = Status.ERROR, None
            detail = outcome.detail or str(outcome.value).strip().splitlines()[-1]
        engine = f"{ENGINE}+mpmath" if status is Status.CONFLICT else ENGINE
        evidence.append(Evidence(engine, status, f"sympy {version()} [{label}]: {detail}", counterexample,
                                 time.perf_counter() - started, (artifact,), label))
    return evidence


def _write_goal(directory: Path, check: Check, goal: Goal) -> str:
    """The goal in sympy's own notation, so the report shows exactly what was asked."""
    relative = f"sympy/{check.lemma_id}/{check.name}.{getattr(goal, 'name', 'goal')}.txt"
    path = directory / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    fields = vars(goal)
    path.write_text("\n".join(f"{k}: {sp.srepr(v) if isinstance(v, sp.Basic) else v}" for k, v in fields.items()) + "\n")
    return relative
