"""The sympy engine, with every answer re-evaluated in certified arithmetic (Arb balls); the only
module that asks sympy for a verdict.

A sympy check returns one goal or a list of goals:

    @LEMMA.check("sympy")
    def margin_over_log():
        return cas.Limit(threshold / log(n), n, expected=1, samples={p: (0.1, 0.5, 0.9)})

Goals: `Identity` (lhs − rhs simplifies to 0), `Limit` (sympy's limit meets the expected value),
`Bound` (expr ≥ bound, or > bound, on a domain) and `Induction` (a claim about a running sum for
every integer n ≥ start, by its base case and a step that sympy proves). This module is an
untrusted helper: it gathers sympy's answers and the balls' and the kernel (`proofs.kernel`)
decides.

**Numbers that cannot lie.** sympy's answer is never taken on its own, and no float decides
anything here. Every number is an Arb ball (python-flint, compiled from the sympy expression by
`arb.compile_arb`), certified to contain the exact value, evaluated at an exact point (a
fraction) at adaptive precision: the precision starts at 128 bits and doubles until the balls
decide the question or a cap is reached (4096 bits at the points of a domain, 65536 at the points
of a limit), and a ball that cannot decide is counted as undecided, never as an answer:

- identity at a point: the two sides' balls are disjoint (a certified witness), or their
  difference lies within 2^-100 relative (agreement);
- bound at a point: the gap's ball lies below the bound (a certified witness), above it, or
  within 2^-100 of it (tight, no witness);
- limit: each point's ball is computed until its radius is 2^-40 of its size, then the sequence
  is compared with each value (below);
- induction: the sign of lhs(n) − rhs(n), exactly when both are rational, else by its ball.

A point where an expression has no finite ball (a pole, 0/0, a domain error, an overflow; tried
up to 512 bits at a point of a domain, up to the cap at a point of a limit) is skipped and
replaced by a nearby point (at most two tries); the number skipped is in the facts
(`points_skipped`). A symbol a domain leaves out ranges over (0, 10), (−10, 0) or (−10, 10), as
its sign assumptions allow; a bound is looked at on the corners of its domain (nudged inside)
before random points. A part of an expression Arb cannot evaluate, or sympy's limit raising, makes
the goal `unknown` with the reason, never `error`.

**Limits.** A limit at ±∞ is evaluated at x = ±10^3, 10^12, 10^48, 10^192, 10^768, 10^3072; a
limit at a finite point a from the stated `side` ("+", "-", or "+-" for both; by default the
side the variable's assumptions allow, else both) at a ± 10^-3 … a ± 10^-3072; `at=` replaces
those points. The balls *approach* a finite value L when the ball nearest the limit is within
1/100·max(1, |L|) of it and no farther than the ball farthest from the limit; they *exclude* L
when the two nearest balls both lie farther than that; they approach +∞ when the nearest ball is
certified above the two before it. With R the claimed relation and E the claimed value:

| sympy's L meets R E | balls and L | balls and R E | verdict |
| --- | --- | --- | --- |
| yes | approach L | | `proved` |
| yes | exclude L | | `conflict`: the balls contradict sympy, whose answer supports the claim |
| no | approach L | | `refuted`: sympy and the balls agree on a value that fails the claim |
| no | exclude L | certify R E fails | `refuted`: the balls contradict both sympy and the claim (two wrong values for one limit); the detail names sympy's value too |
| no | exclude L | cannot certify | `conflict`: sympy's reason for refuting is contradicted |
| cannot tell | | | `unknown` |
| | cannot decide (the cap) | | `unknown`, with the nearest ball |

"R E fails" is certified by the two balls nearest the limit lying, by more than the tolerance, on
the wrong side of E (for "==": farther than the tolerance from it). A two-sided limit whose sides
differ does not exist: a claim about it is refuted when the balls approach both sides' values.
"""

from __future__ import annotations

import itertools
import random
import time
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Sequence

import sympy as sp

from proofs import kernel
from proofs.deadline import goal_result, run_with_deadline
from proofs.errors import InvalidCheck
from proofs.arb import (MAX_BITS, NotEnclosable, as_fraction, ball, ball_text, compile_arb, dyadic, enclose,
                             exact_number, precision, refine, shown)
from proofs.records import Check, CheckContext
from proofs.status import Evidence, Status

ENGINE = "sympy"
CROSS_CHECK_ENGINE = "sympy+arb"  # the engine named on a conflict between sympy and the balls
# Distances 10^k for a limit at ±∞ and 10^-k for one at a finite point.
GROWTH_EXPONENTS = (3, 12, 48, 192, 768, 3072)
LIMIT_TOLERANCE = Fraction(1, 100)
LIMIT_ACCURACY = (Fraction(1, 2**40), Fraction(1, 2**400))  # radius / max(1, |value|): first try, then harder
LIMIT_MAX_BITS = MAX_BITS
IDENTITY_TOLERANCE = Fraction(1, 2**100)
POINT_MAX_BITS = 4096
UNDEFINED_BITS = 512  # a point of a domain with no finite ball at this precision is skipped
NEARBY_ATTEMPTS = 2
POINT_SAMPLES = 32
SEARCH_GRID = 9  # points per dimension of the witness search grid
INDUCTION_REPLAY = 200  # values of n at which a failed step is replayed directly
SIDES = ("+", "-", "+-")
DEFAULT_RANGE = (Fraction(-10), Fraction(10))

Domain = Mapping[sp.Symbol, tuple[Any, Any]]


def version() -> str:
    return sp.__version__


@dataclass(frozen=True)
class Identity:
    """lhs = rhs for every value of the symbols (with their sympy assumptions) in `domain`
    ({symbol: (low, high)}, ends exact numbers, floats or ±inf; (−10, 10) when a symbol is not
    given)."""

    lhs: Any
    rhs: Any
    domain: Domain = field(default_factory=dict)
    name: str = "identity"


@dataclass(frozen=True)
class Limit:
    """lim_{var → point} expr  <relation>  expected. `samples` gives values of the other symbols for
    the numeric re-evaluation; sympy itself sees them as symbols with their assumptions.

    `point` is ±oo (default oo) or a finite number; `side` is where a finite point is approached
    from: "+" (from above), "-" (from below) or "+-" (both, the two-sided limit); None takes the
    side the variable's assumptions allow (a positive variable at 0: "+"), else both. `at` replaces
    the points the balls are evaluated at (default: 10^3 … 10^3072 toward ±∞, distances 10^-3 …
    10^-3072 from a finite point)."""

    expr: Any
    var: sp.Symbol
    expected: Any
    point: Any = sp.oo
    samples: Mapping[sp.Symbol, Sequence[Any]] = field(default_factory=dict)
    relation: str = "=="  # the claim is `limit <relation> expected`: one of RELATIONS
    at: Sequence[Any] | None = None  # where the balls re-evaluate; default 10^3 … 10^3072 (too far for 2^(2^n))
    name: str = "limit"
    side: str | None = None


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


# -- relations, decided symbolically or by a ball -------------------------------------------------------------------


def _sign_of_constant(value: Any) -> int | None:
    """-1, 0 or 1 for an exact real constant: exactly when it is rational, by its ball otherwise
    (zero only when sympy reduces it to 0); None when neither can tell."""
    value = sp.sympify(value)
    if value.is_Rational:
        return 1 if value.is_positive else (-1 if value.is_negative else 0)
    try:
        result, _ = refine(lambda: enclose(compile_arb(value, []), ()),
                           lambda b: b is not None and (bool(b > 0) or bool(b < 0) or b.is_zero()),
                           cap=POINT_MAX_BITS)
    except NotEnclosable:
        result = None
    if result is not None and bool(result > 0):
        return 1
    if result is not None and bool(result < 0):
        return -1
    if (result is not None and result.is_zero()) or sp.simplify(value) == 0:
        return 0
    return None


# Each returns True, False, or None when neither sympy nor the balls can tell (then the goal is
# `unknown`). With an infinite side the comparison is in the extended reals: nothing is below −∞ or
# above +∞, so "lim < −∞" is false even when the limit is −∞.
_EXTENDED = {"==": sp.Eq, ">": sp.Gt, ">=": sp.Ge, "<": sp.Lt, "<=": sp.Le}
_BY_SIGN = {"==": {0}, ">": {1}, ">=": {0, 1}, "<": {-1}, "<=": {-1, 0}}
_BY_ASSUMPTION = {"==": lambda d: d == 0, ">": lambda d: d.is_positive, ">=": lambda d: d.is_nonnegative,
                  "<": lambda d: d.is_negative, "<=": lambda d: d.is_nonpositive}


def _holds(relation: str, a: Any, b: Any) -> bool | None:
    a, b = sp.sympify(a), sp.sympify(b)
    if a.is_infinite or b.is_infinite:
        truth = _EXTENDED[relation](a, b)
        return bool(truth) if truth in (sp.true, sp.false) else None
    difference = sp.simplify(a - b)
    if difference.is_number:
        sign = _sign_of_constant(difference)
        return None if sign is None else sign in _BY_SIGN[relation]
    return _BY_ASSUMPTION[relation](difference)


RELATIONS = {relation: (lambda a, b, relation=relation: _holds(relation, a, b)) for relation in _EXTENDED}


# -- exact points ---------------------------------------------------------------------------------------------------


def _rational(number: Any) -> Fraction:
    """An exact end as a fraction (an irrational constant by the midpoint of its ball: a sample
    point, not a claim about the end)."""
    fraction = as_fraction(number)
    if fraction is not None:
        return fraction
    with precision(128):
        return dyadic(ball(number))


def _range(domain: Domain, symbol: sp.Symbol) -> tuple[Any, Any]:
    """A symbol's range as exact sympy numbers (±oo for an infinite end); a symbol the domain does
    not give ranges over (0, 10), (−10, 0) or (−10, 10), as its assumptions allow."""
    if symbol not in domain:
        low, high = DEFAULT_RANGE
        if symbol.is_nonnegative:
            low = Fraction(0)
        elif symbol.is_nonpositive:
            high = Fraction(0)
        return sp.Rational(low), sp.Rational(high)
    low, high = domain[symbol]
    return exact_number(low, f"domain[{symbol}]"), exact_number(high, f"domain[{symbol}]")


def _fraction_of_unit(rng: random.Random) -> Fraction:
    return Fraction(rng.getrandbits(48), 2**48)


def _decade(value: Fraction) -> int:
    """floor(log10 value) of a positive fraction, exactly."""
    k = len(str(value.numerator)) - len(str(value.denominator))
    while Fraction(10) ** k > value:
        k -= 1
    while Fraction(10) ** (k + 1) <= value:
        k += 1
    return k


def _spread(rng: random.Random, first: int, last: int) -> Fraction:
    """A number m·10^k, m uniform in [1, 10), k uniform in [first, last]: spread across orders of magnitude."""
    return (1 + 9 * _fraction_of_unit(rng)) * Fraction(10) ** rng.randint(first, last)


def _draw(rng: random.Random, low: Any, high: Any) -> Fraction:
    """A random exact point of [low, high]: log-spread across decades on a wide positive range or
    an unbounded one (10^-3 … 10^6 from its finite end, or from 0 on both sides of a line)."""
    if low.is_infinite or high.is_infinite:
        spread = _spread(rng, -3, 5)
        if low.is_infinite and high.is_infinite:
            return spread if rng.getrandbits(1) else -spread
        return _rational(low) + spread if high.is_infinite else _rational(high) - spread
    low_q, high_q = _rational(low), _rational(high)
    if low_q > 0 and high_q > 100 * low_q:
        for _ in range(8):
            candidate = _spread(rng, _decade(low_q), _decade(high_q))
            if low_q <= candidate <= high_q:
                return candidate
    return low_q + (high_q - low_q) * _fraction_of_unit(rng)


def _random_points(domain: Domain, symbols: Sequence[sp.Symbol], rng: random.Random, count: int) -> list[tuple]:
    ranges = [_range(domain, s) for s in symbols]
    return [tuple(_draw(rng, low, high) for low, high in ranges) for _ in range(count)]


def _finite(low: Any, high: Any) -> tuple[Fraction, Fraction]:
    """The interval, with an infinite end replaced by ±10^6 from the other end (or from 0)."""
    if low.is_infinite and high.is_infinite:
        return Fraction(-10**6), Fraction(10**6)
    if low.is_infinite:
        return _rational(high) - 10**6, _rational(high)
    if high.is_infinite:
        return _rational(low), _rational(low) + 10**6
    return _rational(low), _rational(high)


def _axis(low: Any, high: Any, count: int) -> list[Fraction]:
    """Points along one axis: both edges (nudged inside), and a grid, log-spaced across decades; an
    infinite end is replaced by ±10^6 from the other end (or from 0)."""
    low_q, high_q = _finite(low, high)
    nudge = (high_q - low_q) / 10**12
    if low_q > 0 and high_q > 100 * low_q:
        with precision(128):
            ratio = ball(high_q) / ball(low_q)
            grid = [min(high_q, max(low_q, dyadic(ball(low_q) * _geometric(ratio, i, count - 1))))
                    for i in range(count)]
    else:
        grid = [low_q + (high_q - low_q) * i / (count - 1) for i in range(count)]
    return [low_q + nudge, *grid[1:-1], high_q - nudge]


def _geometric(ratio: Any, i: int, n: int) -> Any:
    return (ratio.log() * i / n).exp()


def _corners(domain: Domain, symbols: Sequence[sp.Symbol], most: int = 64) -> list[tuple]:
    """The corners of the domain, each end nudged inside as on the grid (at most `most` of them)."""
    ends = [_axis(*_range(domain, s), 2) for s in symbols]
    return list(itertools.islice(itertools.product(*ends), most))


def _search_points(domain: Domain, symbols: Sequence[sp.Symbol], rng: random.Random) -> Iterator[tuple]:
    """Where a witness is looked for once sympy says False: random points, the corners and edges of
    the domain (nudged inside), and a grid (coarser as the dimension grows)."""
    yield from _random_points(domain, symbols, rng, POINT_SAMPLES * 8)
    dimension, per_axis = max(1, len(symbols)), 3
    while (per_axis + 1) ** dimension <= 4096 and per_axis < SEARCH_GRID * 8 + 1:  # about 4096 points in all
        per_axis += 1
    axes = [_axis(*_range(domain, s), per_axis) for s in symbols]
    yield from itertools.product(*axes)


def _nearby(point: tuple, domain: Domain, symbols: Sequence[sp.Symbol], attempt: int) -> tuple:
    """A point near `point`, inside the domain: each coordinate moved by 2^-(8 + attempt) of the
    range (or of 1 + |x| on an unbounded one)."""
    moved = []
    for value, symbol in zip(point, symbols):
        low, high = _range(domain, symbol)
        scale = (_rational(high) - _rational(low)) if not (low.is_infinite or high.is_infinite) else 1 + abs(value)
        step = scale / 2 ** (8 + attempt)
        up = value + step
        moved.append(up if high.is_infinite or up <= _rational(high) else value - step)
    return tuple(moved)


def _plain(point: Sequence[Any], symbols: Sequence[sp.Symbol]) -> dict[str, Any]:
    return {str(s): shown(v) for s, v in zip(symbols, point)}


def _one() -> Any:
    return ball(Fraction(1))


def _symbols(*exprs: Any) -> list[sp.Symbol]:
    return sorted(set().union(*(sp.sympify(e).free_symbols for e in exprs)), key=str)


@dataclass
class _Tally:
    """What the balls did at the points of one goal."""

    evaluated: int = 0  # points the balls decided
    skipped: int = 0  # points without a finite ball (each replaced by a nearby point)
    undecided: int = 0  # points where the balls could not decide at the precision cap
    bits: int = 0  # the highest precision used

    def facts(self) -> dict[str, int]:
        return {"points_evaluated": self.evaluated, "points_skipped": self.skipped,
                "points_undecided": self.undecided, "max_bits": self.bits}

    def text(self) -> str:
        return (f"Arb balls at {self.evaluated} points (up to {self.bits} bits; {self.skipped} skipped where "
                f"undefined, {self.undecided} undecided)")


def _settle(point: tuple, domain: Domain, symbols: Sequence[sp.Symbol], evaluate: Callable[[tuple], Any],
            decided: Callable[[Any], bool], defined: Callable[[Any], bool], tally: _Tally,
            cap: int = POINT_MAX_BITS) -> tuple[tuple, Any] | None:
    """The balls at `point`, at the precision that decides, or at a nearby point where `point` has
    none up to UNDEFINED_BITS; None when neither has (each try counted as skipped)."""
    for attempt in range(NEARBY_ATTEMPTS + 1):
        where = point if attempt == 0 else _nearby(point, domain, symbols, attempt)
        result, bits = refine(lambda: evaluate(where), defined, cap=UNDEFINED_BITS)
        if defined(result) and not decided(result) and bits < cap:
            result, bits = refine(lambda: evaluate(where), decided, start=2 * bits, cap=cap)
        tally.bits = max(tally.bits, bits)
        if defined(result):
            return where, result
        tally.skipped += 1
    return None


# -- the goals -----------------------------------------------------------------------------------


def _numerics_failed(what: str, failure: Exception, facts: dict | None = None) -> tuple[Status, str, None, dict]:
    return Status.UNKNOWN, f"{what}; the numeric cross-check cannot run: {failure}", None, facts or {}


def _identity(goal: Identity, seed: int) -> tuple[Status, str, dict | None, dict]:
    lhs_expr, rhs_expr = sp.sympify(goal.lhs), sp.sympify(goal.rhs)
    difference = sp.simplify(lhs_expr - rhs_expr)
    zero = difference == 0
    said = "" if zero else f"lhs − rhs simplifies to {difference}; "
    symbols = _symbols(lhs_expr, rhs_expr)
    try:
        lhs, rhs = compile_arb(lhs_expr, symbols), compile_arb(rhs_expr, symbols)
    except NotEnclosable as failure:
        return _numerics_failed(f"{said or 'lhs − rhs simplifies to 0; '}not proved", failure, _Tally().facts())
    rng = random.Random(seed)
    tally = _Tally()
    tolerance = IDENTITY_TOLERANCE

    def evaluate(point: tuple) -> tuple[Any, Any] | None:
        left, right = enclose(lhs, point), enclose(rhs, point)
        return None if left is None or right is None else (left, right)

    def differ(sides: tuple[Any, Any]) -> bool:
        gap = sides[0] - sides[1]
        return bool(gap > 0) or bool(gap < 0)

    def agree(sides: tuple[Any, Any]) -> bool:
        scale = sides[0].abs_upper().max(_one())
        return bool((sides[0] - sides[1]).abs_upper() <= ball(tolerance) * scale)

    def first_difference(points) -> dict | None:
        for point in points:
            settled = _settle(point, goal.domain, symbols, evaluate,
                              lambda s: s is not None and (differ(s) or agree(s)), lambda s: s is not None, tally)
            if settled is None:
                continue
            where, sides = settled
            if differ(sides):
                tally.evaluated += 1
                return {**_plain(where, symbols), "lhs": shown(sides[0]), "rhs": shown(sides[1]),
                        "enclosure": ball_text(sides[0] - sides[1])}
            if agree(sides):
                tally.evaluated += 1
            else:
                tally.undecided += 1
        return None

    falsifier = first_difference(_random_points(goal.domain, symbols, rng, POINT_SAMPLES) if symbols else [()])
    says_different = False
    if not zero and falsifier is None:
        try:
            says_different = lhs_expr.equals(rhs_expr) is False
        except Exception:  # sympy's equals can fail on expressions it cannot evaluate
            says_different = False
        if symbols:
            falsifier = first_difference(_search_points(goal.domain, symbols, rng))
    decision = kernel.identity(simplified_to_zero=zero, sympy_says_different=says_different,
                               points_evaluated=tally.evaluated, numeric_difference=falsifier is not None,
                               points_undecided=tally.undecided)
    return decision.status, f"{said}{decision.reason}; {tally.text()}", falsifier, tally.facts()


# -- limits ----------------------------------------------------------------------------------------------------------


def _side(goal: Limit, point: Any) -> list[str]:
    """The sides a finite point is approached from: the stated one, or the one the variable's
    assumptions allow, or both."""
    if goal.side is not None:
        if goal.side not in SIDES:
            raise InvalidCheck(f"Limit {goal.name!r}: side={goal.side!r} is not one of {list(SIDES)} "
                               f"('+' from above, '-' from below, '+-' both)")
        return ["+", "-"] if goal.side == "+-" else [goal.side]
    if (goal.var - point).is_nonnegative:
        return ["+"]
    if (point - goal.var).is_nonnegative:
        return ["-"]
    return ["+", "-"]


def _sympy_limit(goal: Limit, point: Any, side: str | None) -> tuple[Any | None, str]:
    try:
        answer = sp.limit(goal.expr, goal.var, point) if side is None else sp.limit(goal.expr, goal.var, point, side)
    except Exception as failure:  # sympy's limit has bugs that raise; that is sympy giving up
        return None, f"sympy's limit raised {type(failure).__name__}: {failure}"
    answer = sp.sympify(answer)
    if answer.has(sp.Limit) or answer.has(sp.AccumBounds) or answer in (sp.nan, sp.zoo):
        return None, f"answered {answer}"
    return answer, ""


def _limit_points(goal: Limit, point: Any, side: str | None) -> tuple[list[Any], str]:
    """The points a side of a limit is evaluated at, and how the report says where they are."""
    if goal.at is not None:
        return [exact_number(x, "at") for x in goal.at], f"{goal.var} = {list(goal.at)}"
    exponents = list(GROWTH_EXPONENTS)
    if point == sp.oo:
        return [sp.Integer(10) ** k for k in exponents], f"{goal.var} = 10^{exponents}"
    if point == -sp.oo:
        return [-sp.Integer(10) ** k for k in exponents], f"{goal.var} = -10^{exponents}"
    direction = 1 if side == "+" else -1
    return ([point + direction * sp.Rational(1, 10**k) for k in exponents],
            f"{goal.var} = {point} {'+' if direction > 0 else '−'} 10^-{exponents}")


def _nearby_limit_point(x: Any, point: Any, attempt: int) -> Any:
    """A point a little farther from the limit point than x (or beside an `at` point)."""
    factor = 1 + sp.Rational(1, 2 ** (attempt + 1))
    if point.is_infinite:
        return x * factor
    return point + (x - point) * factor if x != point else point + sp.Rational(1, 2 ** (attempt + 10))


@dataclass
class _Sequence:
    """The balls of one sample along one side of a limit."""

    label: str
    points: list[Any]
    balls: list[Any]


def _accurate(value: Any | None, accuracy: Fraction) -> bool:
    if value is None:
        return False
    return bool(value.rad() <= ball(accuracy) * value.abs_upper().max(_one()))


def _sequence(function: Callable, points: list[Any], point: Any, sample: tuple, accuracy: Fraction, tally: _Tally,
              label: str) -> _Sequence:
    """The balls of expr(x, *sample) at the points x, each at the precision that makes it accurate;
    a point without a finite ball is replaced by one a little farther from the limit."""
    kept_points, balls = [], []
    for x in points:
        for attempt in range(NEARBY_ATTEMPTS + 1):
            where = x if attempt == 0 else _nearby_limit_point(x, point, attempt)
            value, bits = refine(lambda: enclose(function, (where, *sample)), lambda v: _accurate(v, accuracy),
                                 cap=LIMIT_MAX_BITS)
            tally.bits = max(tally.bits, bits)
            if value is not None:
                kept_points.append(where)
                balls.append(value)
                break
            tally.skipped += 1
    return _Sequence(label, kept_points, balls)


def _tolerance(target: Any) -> Any:
    return ball(LIMIT_TOLERANCE) * target.abs_upper().max(_one())


def _approach(balls: list[Any], target: Any) -> bool | None:
    """True: the balls approach `target` (finite, ±oo); False: they exclude it at the two points
    nearest the limit; None: they cannot tell."""
    if len(balls) < 2:
        return None
    first, before, last = balls[0], balls[-2], balls[-1]
    if target == sp.oo or target == -sp.oo:
        up = 1 if target == sp.oo else -1
        if bool(up * last > up * before) and bool(up * last > up * first):
            return True
        return False if bool(up * last < up * before) or bool(up * last < up * first) else None
    try:
        value = enclose(compile_arb(target, []), ())
    except NotEnclosable:
        return None
    if value is None:
        return None
    tolerance = _tolerance(value)
    near, far = (last - value).abs_upper(), (first - value).abs_upper()
    if bool(near <= tolerance) and not bool((last - value).abs_lower() > far):
        return True  # within the tolerance, and not certainly farther than at the first point
    if bool((last - value).abs_lower() > tolerance) and bool((before - value).abs_lower() > tolerance):
        return False
    return None


def _claim_fails(balls: list[Any], relation: str, expected: Any) -> bool:
    """The two balls nearest the limit certify that `limit <relation> expected` fails, by more than
    the tolerance (a finite expected value only)."""
    if len(balls) < 2 or not sp.sympify(expected).is_number or sp.sympify(expected).is_infinite:
        return False
    try:
        value = enclose(compile_arb(expected, []), ())
    except NotEnclosable:
        return False
    if value is None:
        return False
    tolerance = _tolerance(value)
    fails = {"==": lambda b: bool((b - value).abs_lower() > tolerance),
             "<": lambda b: bool(b - tolerance >= value), "<=": lambda b: bool(b - tolerance > value),
             ">": lambda b: bool(b + tolerance <= value), ">=": lambda b: bool(b + tolerance < value)}[relation]
    return fails(balls[-1]) and fails(balls[-2])


def _distance(balls: list[Any], expected: Any) -> str:
    """How close the ball nearest the limit came to a finite claimed value, as text."""
    expected = sp.sympify(expected)
    if not balls or not expected.is_number or expected.is_infinite:
        return ""
    try:
        value = enclose(compile_arb(expected, []), ())
    except NotEnclosable:
        return ""
    return "" if value is None else f"; f − claimed ∈ {ball_text(balls[-1] - value, 6)}"


def _limit(goal: Limit, seed: int) -> tuple[Status, str, dict | None, dict]:
    if goal.relation not in RELATIONS:
        raise InvalidCheck(f"Limit {goal.name!r}: relation={goal.relation!r} is not one of {sorted(RELATIONS)}")
    others = sorted(goal.samples, key=str)
    missing = set(_symbols(goal.expr)) - {goal.var, *others}
    if missing:
        raise InvalidCheck(f"Limit {goal.name!r}: give numeric samples for {sorted(map(str, missing))} "
                           f"(samples={{symbol: (values, ...)}}) so that the balls can re-evaluate it")
    point = exact_number(goal.point, "point")
    sides: list[str | None] = [None] if point.is_infinite else _side(goal, point)
    expected = sp.sympify(goal.expected)
    answers: dict[str | None, Any] = {}
    for side in sides:
        answer, why = _sympy_limit(goal, point, side)
        if answer is None:
            decision = kernel.limit(evaluated=False, relation_holds=None, numeric_agrees=True, points_evaluated=0)
            return decision.status, f"{decision.reason} ({why})", None, {}
        answers[side] = answer
    if len(sides) == 2:
        same = _holds("==", answers["+"], answers["-"])
        answer_text = (str(answers["+"]) if same else
                       f"no two-sided limit: {answers['-']} from below, {answers['+']} from above" if same is False else
                       f"{answers['-']} from below, {answers['+']} from above (sympy cannot tell whether they are equal)")
        claimed = RELATIONS[goal.relation](answers["+"], expected) if same else (False if same is False else None)
    else:
        answer_text = str(answers[sides[0]])
        claimed = RELATIONS[goal.relation](answers[sides[0]], expected)
    grid = [dict(zip(others, (exact_number(v, f"samples[{s}]") for s, v in zip(others, combo))))
            for combo in itertools.product(*(goal.samples[s] for s in others))]
    tally = _Tally()
    sequences: list[tuple[_Sequence, Any]] = []
    samples: list[tuple] = []
    agreements: list[bool | None] = []
    refutes = False
    places = []
    try:
        # the parameters are balls too: sympy's subs would turn a 0/0 at a sample into nan before any point
        function = compile_arb(sp.sympify(goal.expr), [goal.var, *others])
        for values in grid:
            sample = ", ".join(f"{k}={v}" for k, v in values.items()) or "no parameters"
            for side in sides:
                points, where = _limit_points(goal, point, side)
                places.append(where)
                label = sample if len(sides) == 1 else f"{sample}; from {'above' if side == '+' else 'below'}"
                target = answers[side].subs(values)
                for accuracy in LIMIT_ACCURACY:  # a first pass, then harder where the balls could not tell
                    sequence = _sequence(function, points, point, tuple(values[s] for s in others), accuracy,
                                         tally, label)
                    agreement = _approach(sequence.balls, target)
                    if agreement is not None or len(sequence.balls) < 2:  # decided, or nothing to sharpen
                        break
                tally.evaluated += len(sequence.balls)
                sequences.append((sequence, target))
                samples.append(tuple(values[s] for s in others))
                agreements.append(agreement)
                if agreement is False and _claim_fails(sequence.balls, goal.relation, expected.subs(values)):
                    refutes = True
    except NotEnclosable as failure:
        return _numerics_failed(f"limit = {answer_text}", failure, tally.facts())
    numeric = False if False in agreements else (None if None in agreements else True)
    decision = kernel.limit(evaluated=True, relation_holds=claimed, numeric_agrees=numeric,
                            points_evaluated=tally.evaluated, numeric_refutes_claim=refutes)
    shown_balls = {s.label: [ball_text(b, 8) for b in s.balls] for s, _ in sequences}
    numbers = {s.label: [shown(b) for b in s.balls] for s, _ in sequences}
    nearest = "; ".join(f"[{s.label}] {ball_text(s.balls[-1], 10) if s.balls else 'no ball'} (sympy: {target}"
                        f"{_distance(s.balls, expected.subs(dict(zip(others, sample))))})"
                        for (s, target), sample in zip(sequences, samples))
    where_text = " and ".join(dict.fromkeys(places))
    excluded = "; ".join(f"[{s.label}] sympy answers {target}, the balls nearest the limit are "
                         f"{ball_text(s.balls[-2], 10)} and {ball_text(s.balls[-1], 10)}"
                         for (s, target), agreement in zip(sequences, agreements) if agreement is False)
    detail = (f"limit = {answer_text}, claimed {goal.relation} {goal.expected}: {decision.reason}"
              f"{f' ({excluded})' if excluded else ''}; {tally.text()} at {where_text}; nearest the limit: {nearest}")
    counterexample = None
    if decision.status in (Status.REFUTED, Status.CONFLICT):
        counterexample = {"sympy_limit": answer_text, "claimed": f"{goal.relation} {goal.expected}", "numeric": numbers,
                          "enclosures": shown_balls}
    return decision.status, detail, counterexample, tally.facts()


# -- bounds ----------------------------------------------------------------------------------------------------------


def _local_minimum(gap: Callable, point: tuple, domain: Domain, symbols: Sequence[sp.Symbol]) -> tuple:
    """Coordinate descent from `point` inside the domain, ordering the points by the midpoints of
    their balls: where a bound fails between grid points. Only a search: the point found is
    certified afterwards."""
    def height(where: tuple) -> Fraction | None:
        value = enclose(gap, where)
        return dyadic(value) if value is not None else None

    with precision(128):
        best, best_height = point, height(point)
        if best_height is None:
            return point
        boxes = [_finite(*_range(domain, s)) for s in symbols]
        steps = [(high - low) / 16 for low, high in boxes]
        for _ in range(60):
            improved = False
            for axis in range(len(symbols)):
                low, high = boxes[axis]
                for direction in (-1, 1):
                    candidate = list(best)
                    candidate[axis] = min(high, max(low, best[axis] + direction * steps[axis]))
                    candidate_height = height(tuple(candidate))
                    if candidate_height is not None and candidate_height < best_height:
                        best, best_height, improved = tuple(candidate), candidate_height, True
            if not improved:
                steps = [s / 4 for s in steps]
    return best


def _minimum_meets(least: Any, strict: bool) -> bool | None:
    """Whether sympy's minimum of the gap is ≥ 0 (> 0 when strict): its sign, exactly or by a ball."""
    sign = _sign_of_constant(least)
    if sign is None:
        return None
    return sign > 0 if strict else sign >= 0


def _bound(goal: Bound, seed: int) -> tuple[Status, str, dict | None, dict]:
    gap = sp.sympify(goal.expr) - sp.sympify(goal.bound)
    if goal.calculus:  # simplification can take minutes on large trigonometric sums
        gap = sp.simplify(gap)
    symbols = _symbols(goal.expr, goal.bound)
    relation = ">" if goal.strict else "≥"
    answer = gap.is_positive if goal.strict else gap.is_nonnegative
    how, note = "assumptions", ""
    if answer is None and goal.calculus and len(symbols) == 1:
        (symbol,) = symbols
        low, high = _range(goal.domain, symbol) if symbol in goal.domain else (-sp.oo, sp.oo)
        try:
            least = sp.minimum(gap, symbol, sp.Interval(low, high))
        except Exception as failure:  # sympy cannot find the critical points: it gives up
            least, note = None, f" (sympy's minimum raised {type(failure).__name__}: {failure})"
        if least is not None and least.is_comparable:
            # a strict bound needs the minimum to be > 0; an infimum not attained is not enough evidence here
            answer = _minimum_meets(least, goal.strict)
            how = f"calculus: the minimum of the gap on {sp.Interval(low, high)} is {least}"
    said = {True: f"sympy shows expr {relation} {goal.bound} by {how}", False: f"sympy says expr {relation} "
            f"{goal.bound} is false", None: f"sympy cannot decide expr {relation} {goal.bound}{note}"}[answer]
    try:
        gap_fn = compile_arb(gap, symbols)
    except NotEnclosable as failure:
        return _numerics_failed(said, failure, _Tally().facts())
    rng = random.Random(seed)
    tally = _Tally()

    def violates(value: Any) -> bool:
        return bool(value <= 0) if goal.strict else bool(value < 0)

    def meets(value: Any) -> bool:
        return bool(value > 0) if goal.strict else bool(value >= 0)

    def tight(value: Any) -> bool:
        return bool(value.abs_upper() <= ball(IDENTITY_TOLERANCE))

    def examine(point: tuple) -> tuple[dict | None, tuple | None]:
        """(a certified witness, or None; the point and its gap's midpoint for the descent)."""
        settled = _settle(point, goal.domain, symbols, lambda where: enclose(gap_fn, where),
                          lambda v: v is not None and (violates(v) or meets(v) or tight(v)),
                          lambda v: v is not None, tally)
        if settled is None:
            return None, None
        where, value = settled
        if violates(value):
            tally.evaluated += 1
            return {**_plain(where, symbols), "gap": shown(value), "enclosure": ball_text(value)}, None
        if meets(value) or tight(value):
            tally.evaluated += 1
        else:
            tally.undecided += 1
        return None, (dyadic(value), where)

    falsifier = None
    # the corners of the domain (nudged inside) first, where many bounds are tightest, then random points
    points = [*_corners(goal.domain, symbols), *_random_points(goal.domain, symbols, rng, POINT_SAMPLES * 4)]
    if answer is False:  # a definite no: look harder, at the edges, on a grid and around the lowest points
        points = list(_search_points(goal.domain, symbols, rng)) if symbols else [()]
    scored = []
    for point in points:
        falsifier, score = examine(point)
        if falsifier is not None:
            break
        if score is not None:
            scored.append(score)
    if falsifier is None and answer is False and scored:
        for _, point in sorted(scored, key=lambda item: item[0])[:8]:  # descend from the lowest points
            falsifier, _ = examine(_local_minimum(gap_fn, point, goal.domain, symbols))
            if falsifier is not None:
                break
    decision = kernel.bound(sympy_answer=answer, violation=falsifier is not None, points_evaluated=tally.evaluated,
                            points_undecided=tally.undecided)
    return decision.status, f"{said}; {decision.reason}; {tally.text()}", falsifier, tally.facts()


# -- induction --------------------------------------------------------------------------------------------------------


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
        """The claim at n = m: exactly when both sides are rational (rationals stay rationals), else
        by the sign of the difference's ball (0 only when sympy reduces it to 0)."""
        difference = partial_sum(m) - rhs.subs(n, m)
        if not difference.is_number:
            return None
        sign = _sign_of_constant(difference)
        return None if sign is None else sign in _BY_SIGN[goal.relation]

    base = kernel.evaluated(holds=holds_at(goal.start), where=f"n = {goal.start}")
    increment = sp.simplify(rhs.subs(n, n + 1) - rhs)  # what the right side gains from n to n+1
    step_term = term.subs(n, n + 1)
    start_assumption = {n: sp.Symbol("m", integer=True, nonnegative=True) + goal.start}
    step_gap = sp.simplify((increment - step_term).subs(start_assumption))
    if goal.relation == "==":
        step_holds = True if step_gap == 0 else None
        step_text = f"rhs(n+1) − rhs(n) − term(n+1) = {step_gap}"
    else:
        step_holds = step_gap.is_nonnegative
        step_text = f"rhs(n+1) − rhs(n) − term(n+1) = {step_gap}, nonnegative: {step_holds}"
    step = kernel.simplified(holds=step_holds, what="the step: " + step_text)
    failure = None
    evaluated = 1
    replay = INDUCTION_REPLAY + 1 if step.status is not Status.PROVED or base.status is not Status.PROVED else 20
    for m in range(goal.start, goal.start + replay):  # with a proof, the numbers are evaluated as a cross-check
        evaluated += 1
        if holds_at(m) is False:
            failure = m
            break
    decision = kernel.induction(base=base, step=step, falsified=failure is not None, points_evaluated=evaluated)
    counterexample = None
    if failure is not None:
        left, right = partial_sum(failure), rhs.subs(n, failure)
        with precision(256):
            left_ball, right_ball = ball_of(left), ball_of(right)
            counterexample = {str(n): failure, "lhs": shown(left_ball), "rhs": shown(right_ball),
                              "relation": goal.relation,
                              "enclosure": ball_text(left_ball - right_ball) if left_ball is not None
                              and right_ball is not None else "undefined"}
    detail = f"base {base.status.value} ({base.reason}); step: {step_text}; {decision.reason}"
    return decision.status, detail, counterexample, {"points_evaluated": evaluated}


def ball_of(number: Any) -> Any | None:
    """The ball of an exact constant at the current precision, or None when Arb cannot evaluate it."""
    try:
        return enclose(compile_arb(number, []), ())
    except NotEnclosable:
        return None


def _decide(goal: Goal, seed: int) -> tuple[Status, str, dict | None, dict]:
    deciders = {Identity: _identity, Limit: _limit, Bound: _bound, Induction: _induction}
    decider = next((d for kind, d in deciders.items() if isinstance(goal, kind)), None)
    if decider is None:
        raise InvalidCheck(f"a sympy check returned {goal!r}; expected cas.Identity, cas.Limit, cas.Bound or "
                           f"cas.Induction")
    try:
        return decider(goal, seed)
    except (ArithmeticError, RecursionError) as failure:  # the numerics gave up: the engine's unknown, not an error
        return Status.UNKNOWN, f"the numeric cross-check raised {type(failure).__name__}: {failure}", None, {}


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
        if status is Status.PROVED and context.kernel:  # stated in Coq for the re-check by coqc
            from proofs.coq.from_sympy import goal_fact

            facts = {**facts, **goal_fact(f"{check.lemma_id}/{label}", goal)}
        engine = CROSS_CHECK_ENGINE if status is Status.CONFLICT else ENGINE
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
