"""The validated-numerics engine: bounds over boxes by rigorous interval arithmetic (Arb, through
python-flint); the only module that imports flint.

    @LEMMA.check("interval")
    def share_at_least_half():
        x, n = sp.symbols("x n", positive=True)
        return interval.Bound(x / (x + n), box={x: (1, 50), n: (1, 1)}, bound=sp.Rational(1, 2))

A goal states `expr ≥ bound` (or `>` with strict=True) for every point of a finite box, with the
expression written in sympy (exp, log, sin, cos, tan, atan, sqrt, powers, abs). Each sub-box is
evaluated with Arb balls, whose results are certified to contain every value the expression takes
there: a sub-box whose enclosure lies above the bound is certified, one whose enclosure lies
below it is a certified violation, and the rest are split along their widest side (branch and
bound). Where a partial derivative has a certified sign on a sub-box, the minimum lies on the
corresponding face, so that variable is pinned to the face before the enclosure is taken, which
is what makes tight bounds certifiable.

The claim's domain may be unbounded; the box never is. A goal over an unbounded `domain` must say
what covers the rest with `tail=` (another goal, proved in the same check: a monotonicity or an
asymptotic argument), or it is not proved. The kernel decides from the counts (`kernel.enclosure`):
every sub-box certified and the tail covered is `proved`; a certified violation is `refuted` with
the sub-box as counterexample; sub-boxes left when the limit is hit make it `unknown`.
"""

from __future__ import annotations

import heapq
import math
import time
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable, Mapping

import sympy as sp

from proofs import kernel
from proofs.deadline import goal_result, run_with_deadline
from proofs.errors import InvalidCheck, SolverMissing
from proofs.records import Check, CheckContext
from proofs.status import Evidence, Status

try:
    import flint
except ImportError:  # reported per check, see `SolverMissing`
    flint = None

ENGINE = "interval"
PRECISION_BITS = 128
MAX_BOXES = 200_000
MIN_WIDTH = 1e-12  # relative to the box: a side this narrow is not split further

Box = Mapping[sp.Symbol, tuple[Any, Any]]


def version() -> str | None:
    return flint.__version__ if flint is not None else None


@dataclass(frozen=True)
class Bound:
    """expr ≥ bound (strict=False) or expr > bound (strict=True) at every point of `box`.

    `domain` is where the claim is stated (the box when omitted); where it reaches past the box,
    `tail` is the goal (a `cas.Bound`, `cas.Limit` or another `interval.Bound`) that covers the
    rest, and `tail_note` says in words how it does.
    """

    expr: Any
    box: Box
    bound: Any = 0
    strict: bool = False
    domain: Box | None = None
    tail: Any = None
    tail_note: str = ""
    max_boxes: int = MAX_BOXES
    name: str = "enclosure"


def _require_flint() -> None:
    if flint is None:
        raise SolverMissing("python-flint is not installed: `pip install python-flint` (Arb interval arithmetic)")


# -- sympy → Arb ------------------------------------------------------------------------------------------

_FUNCTIONS = {sp.exp: "exp", sp.log: "log", sp.sin: "sin", sp.cos: "cos", sp.tan: "tan", sp.atan: "atan",
              sp.Abs: "__abs__", sp.erf: "erf", sp.gamma: "gamma", sp.sinh: "sinh", sp.cosh: "cosh",
              sp.tanh: "tanh"}


def compile_arb(expr: Any, symbols: list[sp.Symbol]) -> Callable[[list[Any]], Any]:
    """A function of Arb balls (one per symbol) that returns a ball enclosing expr's values.

    Constants are converted exactly (a rational p/q becomes the ball of p divided by q, never a
    float), so the enclosure is rigorous."""
    index = {s: i for i, s in enumerate(symbols)}
    arb = flint.arb

    def build(node: Any) -> Callable[[list[Any]], Any]:
        if node in index:
            i = index[node]
            return lambda values: values[i]
        if node.is_Integer:
            value = arb(int(node))
            return lambda values: value
        if node.is_Rational:
            value = arb(int(node.p)) / int(node.q)
            return lambda values: value
        if node is sp.pi:
            value = arb.pi()
            return lambda values: value
        if node is sp.E:
            value = arb(1).exp()
            return lambda values: value
        if node.is_Float:
            value = arb(str(node))
            return lambda values: value
        if node.is_Add:
            terms = [build(a) for a in node.args]
            return lambda values: _sum(t(values) for t in terms)
        if node.is_Mul:
            factors = [build(a) for a in node.args]
            return lambda values: _product(f(values) for f in factors)
        if node.is_Pow:
            base, exponent = node.args
            base_fn = build(base)
            if exponent.is_Integer:
                power = int(exponent)
                if power >= 0:
                    return lambda values: base_fn(values) ** power
                return lambda values: 1 / (base_fn(values) ** (-power))
            if exponent == sp.Rational(1, 2):
                return lambda values: base_fn(values).sqrt()
            exponent_fn = build(exponent)
            return lambda values: (exponent_fn(values) * base_fn(values).log()).exp()
        name = _FUNCTIONS.get(type(node))
        if name is not None and len(node.args) == 1:
            argument = build(node.args[0])
            return lambda values: getattr(argument(values), name)()
        raise InvalidCheck(f"interval arithmetic cannot evaluate {node} (a {type(node).__name__}); use exp, log, "
                           f"sin, cos, tan, atan, sqrt, powers, abs, erf, gamma, sinh, cosh, tanh")

    return build(sp.sympify(expr))


def _sum(values: Any) -> Any:
    total = flint.arb(0)
    for value in values:
        total = total + value
    return total


def _product(values: Any) -> Any:
    total = flint.arb(1)
    for value in values:
        total = total * value
    return total


def _ball(low: Fraction, high: Fraction) -> Any:
    return _exact(low).union(_exact(high))


def _exact(value: Fraction) -> Any:
    """The ball of a rational number: exact when the denominator is a power of two."""
    return flint.arb(value.numerator) / value.denominator


def _fraction(value: Any) -> Fraction:
    if isinstance(value, float):
        return Fraction(value)  # a float is an exact dyadic rational
    rational = sp.Rational(sp.nsimplify(value))
    return Fraction(int(rational.p), int(rational.q))


# -- branch and bound ---------------------------------------------------------------------------------------


@dataclass
class Search:
    certified: int = 0
    undecided: int = 0
    violation: dict[str, Any] | None = None
    pinned: int = 0  # sub-boxes certified after pinning a monotone variable to a face
    boxes: int = 0
    narrowest: list[tuple[float, float]] = field(default_factory=list)


def _certify(goal: Bound, deadline: float) -> Search:
    flint.ctx.prec = PRECISION_BITS
    symbols = sorted(goal.box, key=str)
    gap = sp.sympify(goal.expr) - sp.sympify(goal.bound)
    missing = gap.free_symbols - set(symbols)
    if missing:
        raise InvalidCheck(f"interval Bound {goal.name!r}: give a range in box= for {sorted(map(str, missing))}")
    for symbol in symbols:
        low, high = goal.box[symbol]
        if not (math.isfinite(float(low)) and math.isfinite(float(high))) or float(low) > float(high):
            raise InvalidCheck(f"interval Bound {goal.name!r}: box[{symbol}]={goal.box[symbol]!r} must be a finite "
                               f"range low ≤ high; cover an unbounded domain with domain= and tail=")
    enclosure = compile_arb(gap, symbols)
    slopes = [compile_arb(sp.diff(gap, s), symbols) for s in symbols]
    search = Search()

    def accepts(ball: Any) -> bool:
        return bool(ball > 0) if goal.strict else bool(ball >= 0)

    def rejects(ball: Any) -> bool:
        return bool(ball < 0) if not goal.strict else bool(ball <= 0)

    def evaluate(box: list[tuple[Any, Any]]) -> Any:
        return enclosure([_ball(low, high) for low, high in box])

    initial = [(_fraction(goal.box[s][0]), _fraction(goal.box[s][1])) for s in symbols]
    widths = [float(high - low) or 1.0 for low, high in initial]
    queue: list[tuple[float, int, list[tuple[Any, Any]]]] = [(0.0, 0, initial)]
    counter = 0
    while queue:
        if search.boxes >= goal.max_boxes or time.monotonic() > deadline:
            search.undecided = len(queue)
            search.narrowest = [(float(l), float(h)) for l, h in queue[0][2]]
            return search
        _, _, box = heapq.heappop(queue)
        search.boxes += 1
        balls = [_ball(low, high) for low, high in box]
        value = enclosure(balls)
        if value.is_finite() and accepts(value):
            search.certified += 1
            continue
        middle = [(low + high) / 2 for low, high in box]
        at_middle = enclosure([_exact(m) for m in middle])
        if at_middle.is_finite() and rejects(at_middle):
            search.violation = {**{str(s): [float(l), float(h)] for s, (l, h) in zip(symbols, box)},
                                "point": {str(s): float(m) for s, m in zip(symbols, middle)},
                                "enclosure_at_point": [float(at_middle.lower()), float(at_middle.upper())]}
            return search
        # pin every variable whose partial derivative has a certified sign to the face holding the minimum
        pinned = list(box)
        for axis, slope in enumerate(slopes):
            derivative = slope(balls)
            if derivative.is_finite() and bool(derivative >= 0):
                pinned[axis] = (box[axis][0], box[axis][0])
            elif derivative.is_finite() and bool(derivative <= 0):
                pinned[axis] = (box[axis][1], box[axis][1])
        if pinned != box:
            value = evaluate(pinned)
            if value.is_finite() and accepts(value):
                search.certified += 1
                search.pinned += 1
                continue
        # split the widest side (relative to the starting box)
        relative = [float(high - low) / width for (low, high), width in zip(box, widths)]
        axis = max(range(len(box)), key=lambda i: relative[i])
        if relative[axis] < MIN_WIDTH:
            search.undecided += 1
            continue
        low, high = box[axis]
        cut = (low + high) / 2
        for half in ((low, cut), (cut, high)):
            part = list(box)
            part[axis] = half
            counter += 1
            lower = evaluate(part)
            priority = float(lower.lower()) if lower.is_finite() else -math.inf
            heapq.heappush(queue, (priority, counter, part))
    return search


def _decide(goal: Bound, seconds: float) -> tuple[Status, str, dict | None, dict]:
    _require_flint()
    started = time.monotonic()
    search = _certify(goal, started + seconds * 0.9)
    tail_covered, tail_text = True, ""
    domain = goal.domain or goal.box
    unbounded = any(not (math.isfinite(float(l)) and math.isfinite(float(h))) for l, h in domain.values())
    outside = unbounded or any(domain[s] != goal.box.get(s) for s in domain)
    if outside:
        if goal.tail is None:
            tail_covered, tail_text = False, "; the domain reaches past the box and no tail= goal covers the rest"
        else:
            from proofs import cas

            status, detail, _, _ = (_decide(goal.tail, seconds / 4) if isinstance(goal.tail, Bound)
                                    else cas._decide(goal.tail, 0))
            tail_covered = status is Status.PROVED
            tail_text = f"; tail ({goal.tail_note or 'outside the box'}): {status.value}: {detail}"
    decision = kernel.enclosure(boxes_certified=search.certified, undecided_boxes=search.undecided,
                                violating_box=search.violation is not None, tail_covered=tail_covered)
    relation = ">" if goal.strict else "≥"
    detail = (f"{goal.expr} {relation} {goal.bound} on {dict((str(k), v) for k, v in goal.box.items())}: "
              f"{search.boxes} sub-boxes examined, {search.certified} certified ({search.pinned} after pinning a "
              f"monotone variable), {search.undecided} undecided; {decision.reason}{tail_text}")
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
                    f"tail: {goal.tail!r}\n")
    return relative
