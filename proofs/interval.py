"""The validated-numerics engine: bounds over boxes by rigorous interval arithmetic (Arb, through
python-flint, in `proofs.arb`).

    @LEMMA.check("interval")
    def share_at_least_half():
        x, n = sp.symbols("x n", positive=True)
        return interval.Bound(x / (x + n), box={x: (1, 50), n: (1, 1)}, bound=sp.Rational(1, 2))

A goal states `expr ≥ bound` (or `>` with strict=True) for every point of a finite box, with the
expression written in sympy (exp, log, the trigonometric and hyperbolic functions and their
inverses, sqrt and powers, abs, sign, floor, min and max, Piecewise, erf, erfc, gamma, loggamma,
digamma, zeta, harmonic, LambertW). The ends of a box are exact numbers: integers, fractions,
sympy's rationals, and any exact sympy constant (`pi`, `pi/2`, `E`, `sqrt(2)`, `log(2)`), which Arb
encloses in a ball at the working precision; a float end is read as the decimal it prints as (0.1
is 1/10). Each sub-box is evaluated with Arb balls, certified to contain every value the expression
takes there. A sub-box is certified when

1. its enclosure lies above the bound; or
2. a variable whose partial derivative has a certified sign on it is pinned to the face holding
   the minimum, and the enclosure there lies above the bound; or
3. (one free variable) monotonicity, applied recursively up to `derivative_order`: f ≥ 0 on
   [a, b] when f(a) ≥ 0 and f' ≥ 0 on [a, b], or f(b) ≥ 0 and f' ≤ 0; and f' ≥ 0 in turn when
   f'(a) ≥ 0 and f'' ≥ 0, and so on. This certifies bounds that are tight where the expression
   and its first derivatives vanish (x − sin x ≥ 0 at 0 needs f''' = cos x ≥ 0). Derivatives
   are sympy's, each evaluated in Arb balls, and a value at an end is taken exactly where sympy
   reduces it to a rational (sin π = 0, whose ball has no sign). A derivative whose enclosure is
   finite on the sub-box has no pole there. Rules 2 and 3 are off for an expression with a jump
   (floor, ceiling, sign, Piecewise, Heaviside), whose sympy derivative ignores the jump.

A sub-box that is none of these is split: at a rational critical point when one free variable is
left, the expression is convex there and Newton's method on its derivative lands on a simple
fraction (so that a tight interior minimum such as e^t − 1 − t at t = 0 becomes the end of two
sub-boxes, certified by rule 3), otherwise along its widest side. The corners of the box are
looked at first; where a corner or the middle of a sub-box has an enclosure below the bound, the
claim is false *at that point*: the point and its certified enclosure are the counterexample (the
rest of the sub-box may well satisfy the claim).

The claim's domain may be unbounded; the box never is. A goal over an unbounded `domain` must say
what covers the rest with `tail=` (a goal or a list of goals, proved in the same check: a
monotonicity or an asymptotic argument), or it is not proved. The kernel decides from the counts
(`kernel.enclosure`): every sub-box certified and the tail covered is `proved`; a certified
violation is `refuted`; sub-boxes left when the limit is hit make it `unknown`.

Every enclosure comes from `proofs.arb`, the certified evaluation this engine shares with the
sympy engine.
"""

from __future__ import annotations

import heapq
import itertools
import time
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

import sympy as sp

from proofs import kernel
from proofs.arb import (  # noqa: F401 - version, exact_number and compile_arb are part of this engine's API
    JUMPS, MAX_BITS, POINT_BITS, PRECISION_BITS, START_BITS, NotEnclosable, _require_flint, as_fraction, ball, ball_text,
    compile_arb, dyadic, enclose, exact_number, flint, precision, refine, shown, version,
)
from proofs.deadline import goal_result, run_with_deadline
from proofs.errors import InvalidCheck
from proofs.records import Check, CheckContext
from proofs.status import Evidence, Status


ENGINE = "interval"
MAX_BOXES = 200_000
MIN_WIDTH = Fraction(1, 10**12)  # relative to the box: a side this narrow is not split further
DERIVATIVE_ORDER = 6  # the highest derivative the monotonicity rule uses by default
RULE_BUDGET = 48  # enclosures the monotonicity rule may spend on one sub-box
NEWTON_STEPS = 12

Box = Mapping[sp.Symbol, tuple[Any, Any]]



@dataclass(frozen=True)
class Bound:
    """expr ≥ bound (strict=False) or expr > bound (strict=True) at every point of `box`.

    `box` maps each symbol to (low, high), closed, both finite. An end may be an int, a Fraction,
    a sympy rational, a float (read as the decimal it prints as), or any exact sympy constant such
    as `sp.pi`, `sp.pi / 2`, `sp.E`, `sp.sqrt(2)` or `sp.log(2)`: Arb encloses it in a ball, so the
    box covered is exactly the one written. `domain` is where the claim is stated (the box when
    omitted; its ends may be infinite); where it reaches past the box, `tail` is the goal, or a
    list of goals (`cas.Bound`, `cas.Limit` or `interval.Bound`), that covers the rest, every one
    of which must be proved, and `tail_note` says in words how they do. `derivative_order` is the
    highest derivative the monotonicity rule may use (0 turns it off).
    """

    expr: Any
    box: Box
    bound: Any = 0
    strict: bool = False
    domain: Box | None = None
    tail: Any = None
    tail_note: str = ""
    max_boxes: int = MAX_BOXES
    derivative_order: int = DERIVATIVE_ORDER
    name: str = "enclosure"




# -- branch and bound ---------------------------------------------------------------------------------------


@dataclass
class Search:
    certified: int = 0
    undecided: int = 0
    violation: dict[str, Any] | None = None
    pinned: int = 0  # sub-boxes certified after pinning a monotone variable to a face
    monotone: int = 0  # sub-boxes certified by recursive monotonicity (rule 3)
    critical_cuts: int = 0  # sub-boxes split at a rational critical point
    boxes: int = 0
    narrowest: list[tuple[float, float]] = field(default_factory=list)


End = Any  # a Fraction, or an exact sympy constant (an end of the box as the author wrote it)


def _end_ball(end: End) -> Any:
    return ball(end)


def _side_ball(low: End, high: End) -> Any:
    if low == high:
        return _end_ball(low)
    return _end_ball(low).union(_end_ball(high))


def _cut(low: End, high: End) -> Fraction:
    """A rational strictly between two ends: their middle, exactly when both are rational."""
    if isinstance(low, Fraction) and isinstance(high, Fraction):
        return (low + high) / 2
    with precision(PRECISION_BITS):
        return dyadic((_end_ball(low) + _end_ball(high)) / 2)


def _width(low: End, high: End) -> Fraction:
    if isinstance(low, Fraction) and isinstance(high, Fraction):
        return high - low
    with precision(PRECISION_BITS):
        return dyadic(_end_ball(high) - _end_ball(low))


def _as_end(number: Any) -> End:
    fraction = as_fraction(number)
    return fraction if fraction is not None else number


class _Gap:
    """The gap expr − bound and its partial derivatives, each compiled to Arb once, on demand."""

    def __init__(self, gap: Any, symbols: list[sp.Symbol]) -> None:
        self.gap, self.symbols = gap, symbols
        self._compiled: dict[tuple[int, ...], Callable | None] = {}
        self._expressions: dict[tuple[int, ...], Any] = {}

    def expression(self, orders: tuple[int, ...]) -> Any:
        if orders not in self._expressions:
            expression = self.gap
            for symbol, count in zip(self.symbols, orders):
                if count:
                    expression = sp.diff(expression, symbol, count)
            self._expressions[orders] = expression
        return self._expressions[orders]

    def exact_sign(self, orders: tuple[int, ...], point: Sequence[tuple[End, End]]) -> int | None:
        """The sign of ∂^orders gap at a point whose value there sympy reduces to a rational number
        exactly (a polynomial at a fraction; sin at the end π, which is 0): exact arithmetic where
        a ball around a value of exactly 0 cannot have a sign; None otherwise."""
        if not all(low == high for low, high in point):
            return None
        value = self.expression(orders).subs({s: sp.Rational(low.numerator, low.denominator)
                                             if isinstance(low, Fraction) else low
                                             for s, (low, _) in zip(self.symbols, point)})
        if not value.is_Rational:
            return None
        return 1 if value.is_positive else (-1 if value.is_negative else 0)

    def __call__(self, orders: tuple[int, ...]) -> Callable | None:
        if orders not in self._compiled:
            expression = self.expression(orders)
            try:
                self._compiled[orders] = compile_arb(expression, self.symbols)
            except NotEnclosable:
                if not any(orders):
                    raise
                self._compiled[orders] = None  # a derivative Arb cannot evaluate: the rule is not used
        return self._compiled[orders]


def _balls(box: Sequence[tuple[End, End]]) -> list[Any]:
    return [_side_ball(low, high) for low, high in box]


def _enclosure(function: Callable, box: Sequence[tuple[End, End]], sign: int = 1) -> Any | None:
    try:
        value = function(_balls(box))
    except (ArithmeticError, ValueError, TypeError):
        return None
    value = value if sign > 0 else -value
    return value if value.is_finite() else None


def _certify(goal: Bound, deadline: float) -> Search:
    symbols = sorted(goal.box, key=str)
    gap_expr = sp.sympify(goal.expr) - sp.sympify(goal.bound)
    missing = gap_expr.free_symbols - set(symbols)
    if missing:
        raise InvalidCheck(f"interval Bound {goal.name!r}: give a range in box= for {sorted(map(str, missing))}")
    initial = []
    for symbol in symbols:
        low, high = (exact_number(v, f"box[{symbol}]") for v in goal.box[symbol])
        if low.is_infinite or high.is_infinite or (high - low).is_extended_negative:
            raise InvalidCheck(f"interval Bound {goal.name!r}: box[{symbol}]={goal.box[symbol]!r} must be a finite "
                               f"range low ≤ high; cover an unbounded domain with domain= and tail=")
        initial.append((_as_end(low), _as_end(high)))
    gap = _Gap(gap_expr, symbols)
    enclosure = gap(tuple(0 for _ in symbols))
    # sympy differentiates a Piecewise branch by branch, past its jumps: with a jump anywhere, no
    # derivative may certify anything (a certified-finite enclosure rules out poles, not jumps)
    smooth = not gap_expr.has(*JUMPS)
    search = Search()
    budget = [0]

    def accepts(value: Any | None, strict: bool) -> bool:
        return value is not None and (bool(value > 0) if strict else bool(value >= 0))

    def rejects(value: Any | None) -> bool:
        return value is not None and (bool(value <= 0) if goal.strict else bool(value < 0))

    def nonnegative(orders: tuple[int, ...], sign: int, box: list[tuple[End, End]], strict: bool) -> bool:
        """sign·∂^orders gap ≥ 0 (> 0 when strict) on the box: by its enclosure, or by rule 3."""
        function = gap(orders)
        if function is None or budget[0] <= 0:
            return False
        budget[0] -= 1
        value = _enclosure(function, box, sign)
        if accepts(value, strict):
            return True
        if value is not None and bool(value < 0):  # certainly the wrong sign somewhere: no rule helps
            return False
        exact = gap.exact_sign(orders, box)  # a point where the value may be exactly 0: rational arithmetic
        if exact is not None:
            return sign * exact > 0 or (sign * exact == 0 and not strict)
        active = [axis for axis, (low, high) in enumerate(box) if low != high]
        if len(active) != 1 or sum(orders) >= goal.derivative_order:
            return False
        (axis,) = active
        low, high = box[axis]
        higher = tuple(count + (i == axis) for i, count in enumerate(orders))
        for end, direction in ((low, 1), (high, -1)):  # from the face holding the minimum
            face = list(box)
            face[axis] = (end, end)
            if nonnegative(orders, sign, face, strict) and nonnegative(higher, sign * direction, box, False):
                return True
        return False

    def critical_cut(box: list[tuple[End, End]]) -> Fraction | None:
        """A simple fraction near the minimum of a convex one-variable sub-box, by Newton's method."""
        active = [axis for axis, (low, high) in enumerate(box) if low != high]
        if len(active) != 1:
            return None
        (axis,) = active
        first = gap(tuple(int(i == axis) for i in range(len(box))))
        second = gap(tuple(2 * int(i == axis) for i in range(len(box))))
        if first is None or second is None:
            return None
        curvature = _enclosure(second, box)
        if curvature is None or not bool(curvature > 0):
            return None
        low, high = box[axis]
        guess = _cut(low, high)
        for _ in range(NEWTON_STEPS):
            point = list(box)
            point[axis] = (guess, guess)
            slope, bend = _enclosure(first, point), _enclosure(second, point)
            if slope is None or bend is None or not bool(bend > 0):
                return None
            guess = guess - dyadic(slope / bend)
        for denominator in (10**3, 10**6):
            candidate = guess.limit_denominator(denominator)
            with precision(PRECISION_BITS):
                inside = bool(_end_ball(low) < ball(candidate)) and bool(ball(candidate) < _end_ball(high))
            if inside:
                return candidate
        return None

    def point_value(box: list[tuple[End, End]]) -> Any | None:
        """The gap at a point (every side degenerate), at the precision that decides its sign."""
        value, _ = refine(lambda: _enclosure(enclosure, box),
                          lambda v: v is not None and (accepts(v, goal.strict) or rejects(v)), cap=POINT_BITS)
        return value

    def violation(box: list[tuple[End, End]], point: list[tuple[End, End]], value: Any) -> dict[str, Any]:
        coordinates = {str(s): shown(end) for s, (end, _) in zip(symbols, point)}
        return {**coordinates, "enclosure": ball_text(value),
                "point": dict(coordinates),  # the same point, for explain= functions that read it here
                "enclosure_at_point": [shown(value.lower()), shown(value.upper())],
                "searched_box": {str(s): [shown(l), shown(h)] for s, (l, h) in zip(symbols, box)}}

    # the corners first: a claim that fails at an end of the box (where no sub-box's middle falls)
    for corner in itertools.islice(itertools.product(*[sorted({low, high}, key=str) for low, high in initial]), 64):
        point = [(end, end) for end in corner]
        value = point_value(point)
        if rejects(value):
            search.boxes += 1
            search.violation = violation(initial, point, value)
            return search

    widths = [_width(low, high) or Fraction(1) for low, high in initial]
    queue: list[tuple[tuple[int, Fraction], int, list[tuple[End, End]]]] = [((0, Fraction(0)), 0, initial)]
    counter = 0
    with precision(PRECISION_BITS):
        while queue:
            if search.boxes >= goal.max_boxes or time.monotonic() > deadline:
                search.undecided = len(queue)
                search.narrowest = [(shown(l), shown(h)) for l, h in queue[0][2]]
                return search
            _, _, box = heapq.heappop(queue)
            search.boxes += 1
            value = _enclosure(enclosure, box)
            if accepts(value, goal.strict):
                search.certified += 1
                continue
            if all(low == high for low, high in box):  # a point: its sign is decided at the precision it needs
                value = point_value(box)
                if accepts(value, goal.strict):
                    search.certified += 1
                elif rejects(value):
                    search.violation = violation(box, box, value)
                    return search
                else:
                    search.undecided += 1
                    search.narrowest = search.narrowest or [(shown(l), shown(h)) for l, h in box]
                continue
            middle = [(_cut(low, high),) * 2 if low != high else (low, high) for low, high in box]
            at_middle = _enclosure(enclosure, middle)
            if rejects(at_middle):
                search.violation = violation(box, middle, at_middle)
                return search
            # pin every variable whose partial derivative has a certified sign to the face holding the minimum
            pinned = list(box)
            for axis in range(len(box) if smooth else 0):
                slope = gap(tuple(int(i == axis) for i in range(len(box))))
                derivative = _enclosure(slope, box) if slope is not None else None
                if derivative is not None and bool(derivative >= 0):
                    pinned[axis] = (box[axis][0], box[axis][0])
                elif derivative is not None and bool(derivative <= 0):
                    pinned[axis] = (box[axis][1], box[axis][1])
            if pinned != box and accepts(_enclosure(enclosure, pinned), goal.strict):
                search.certified += 1
                search.pinned += 1
                continue
            budget[0] = RULE_BUDGET
            if smooth and goal.derivative_order > 0 and nonnegative(tuple(0 for _ in box), 1, list(box), goal.strict):
                search.certified += 1
                search.monotone += 1
                continue
            # split at a rational critical point, else along the widest side (relative to the starting box)
            relative = [_width(low, high) / width for (low, high), width in zip(box, widths)]
            axis = max(range(len(box)), key=lambda i: relative[i])
            if relative[axis] < MIN_WIDTH:
                search.undecided += 1
                search.narrowest = search.narrowest or [(shown(l), shown(h)) for l, h in box]
                continue
            low, high = box[axis]
            cut = critical_cut(box) if smooth and goal.derivative_order > 0 else None
            if cut is not None:
                search.critical_cuts += 1
                axis = next(i for i, (l, h) in enumerate(box) if l != h)
                low, high = box[axis]
            else:
                cut = _cut(low, high)
            for half in ((low, cut), (cut, high)):
                part = list(box)
                part[axis] = half
                counter += 1
                lower = _enclosure(enclosure, part)
                priority = (1, dyadic(lower.lower())) if lower is not None else (0, Fraction(0))
                heapq.heappush(queue, (priority, counter, part))
    return search


def _tail_goals(tail: Any) -> list[Any]:
    return list(tail) if isinstance(tail, (list, tuple)) else [tail]


def _decide(goal: Bound, seconds: float) -> tuple[Status, str, dict | None, dict]:
    _require_flint()
    started = time.monotonic()
    try:
        search = _certify(goal, started + seconds * 9 / 10)
    except NotEnclosable as failure:  # the author's expression: reported as an ill-formed goal
        raise InvalidCheck(f"interval Bound {goal.name!r}: {failure}") from None
    tail_covered, tail_text = True, ""
    domain = goal.domain or goal.box
    ends = {s: tuple(exact_number(v, f"domain[{s}]") for v in domain[s]) for s in domain}
    box_ends = {s: tuple(exact_number(v, f"box[{s}]") for v in goal.box[s]) for s in goal.box}
    unbounded = any(end.is_infinite for pair in ends.values() for end in pair)
    outside = unbounded or any(ends[s] != box_ends.get(s) for s in ends)
    if outside:
        if goal.tail is None:
            tail_covered, tail_text = False, "; the domain reaches past the box and no tail= goal covers the rest"
        else:
            from proofs import cas

            texts = []
            for tail in _tail_goals(goal.tail):
                status, detail, _, _ = (_decide(tail, seconds / 4) if isinstance(tail, Bound) else cas._decide(tail, 0))
                tail_covered = tail_covered and status is Status.PROVED
                texts.append(f"{status.value}: {detail}")
            tail_text = f"; tail ({goal.tail_note or 'outside the box'}): {' | '.join(texts)}"
    decision = kernel.enclosure(boxes_certified=search.certified, undecided_boxes=search.undecided,
                                violating_box=search.violation is not None, tail_covered=tail_covered)
    relation = ">" if goal.strict else "≥"
    detail = (f"{goal.expr} {relation} {goal.bound} on {dict((str(k), v) for k, v in goal.box.items())}: "
              f"{search.boxes} sub-boxes examined, {search.certified} certified ({search.pinned} after pinning a "
              f"monotone variable, {search.monotone} by monotonicity of derivatives up to order "
              f"{goal.derivative_order}; {search.critical_cuts} cut at a critical point), {search.undecided} "
              f"undecided; {decision.reason}{tail_text}")
    facts = {"points_evaluated": search.boxes, "boxes_certified": search.certified,
             "boxes_undecided": search.undecided}
    if search.undecided:
        facts["undecided_box"] = search.narrowest
    return decision.status, detail, search.violation, facts


def run(check: Check, context: CheckContext) -> list[Evidence]:
    """Run every goal the check returns, each in the solver worker under the check's time limit."""
    _require_flint()
    goals = check.fn()
    goals = list(goals) if isinstance(goals, (list, tuple)) else [goals]
    if not goals or not all(isinstance(g, Bound) for g in goals):
        raise InvalidCheck(f"interval check {check.name!r} must return interval.Bound goals, got {goals!r}")
    evidence = []
    for goal in goals:
        started = time.perf_counter()
        outcome = run_with_deadline(_decide, (goal, check.timeout_s), check.timeout_s + 1, check.timeout_s)
        label = f"{check.name}/{goal.name}"
        status, detail, counterexample, facts = goal_result(outcome, check.location)
        if status is Status.PROVED and context.kernel:  # stated in Coq for the re-check by coqc
            from proofs.coq.from_sympy import goal_fact

            facts = {**facts, **goal_fact(f"{check.lemma_id}/{label}", goal)}
        artifact = _write_goal(context.report_dir, check, goal)
        evidence.append(Evidence(ENGINE, status, f"arb (python-flint {version()}) [{label}]: {detail}",
                                 counterexample, time.perf_counter() - started, (artifact,), label, facts=facts))
    return evidence


def _write_goal(directory: Path, check: Check, goal: Bound) -> str:
    relative = f"interval/{check.lemma_id}/{check.name}.{goal.name}.txt"
    path = directory / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"expr: {sp.srepr(sp.sympify(goal.expr))}\nbound: {goal.bound}\nstrict: {goal.strict}\n"
                    f"box: {dict((str(k), v) for k, v in goal.box.items())}\n"
                    f"domain: {dict((str(k), v) for k, v in (goal.domain or goal.box).items())}\n"
                    f"derivative_order: {goal.derivative_order}\ntail: {goal.tail!r}\n")
    return relative
