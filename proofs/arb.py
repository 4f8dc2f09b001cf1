"""Certified evaluation in Arb balls (python-flint): the only module that imports flint.

Every number the sympy engine (`proofs.cas`) and the interval engine (`proofs.interval`) compute
is a ball certified to contain the exact value: `compile_arb` turns a sympy expression into a
function of balls (constants converted exactly, never through a float), `enclose` evaluates it at
an exact point, `refine` doubles the working precision until a question about the balls is
decided or a cap is reached, and `exact_number` turns an author's number (a float is read as the
decimal it prints as, π stays π) into the exact one it denotes.
"""

from __future__ import annotations

from contextlib import contextmanager
from fractions import Fraction
from typing import Any, Callable, Iterator, Sequence, TypeVar

import sympy as sp

from proofs.errors import InvalidCheck, SolverMissing

try:
    import flint
except ImportError:  # reported per check, see `SolverMissing`
    flint = None

PRECISION_BITS = 128  # enclosures over boxes: the width of the box, not the precision, dominates there
START_BITS = 128  # certified evaluation at a point starts here and doubles ...
MAX_BITS = 1 << 16  # ... up to this cap (about 19,700 digits)
POINT_BITS = 4096  # the cap for the sign of the gap at a point of a box (a value of exactly 0 never decides)

T = TypeVar("T")


def version() -> str | None:
    return flint.__version__ if flint is not None else None


class NotEnclosable(InvalidCheck):
    """An expression has a part with no counterpart in Arb (an unevaluated sum, an unknown function)."""


def _require_flint() -> None:
    if flint is None:
        raise SolverMissing("python-flint is not installed: `pip install python-flint` (Arb interval arithmetic)")


# -- exact numbers -------------------------------------------------------------------------------------------


def exact_number(value: Any, what: str = "value") -> Any:
    """The exact sympy number an author's number denotes: an int, a Fraction or a sympy rational
    as it is; a float as the decimal it prints as (0.1 is 1/10; ±inf is ±oo); a sympy constant
    expression (pi/2, sqrt(2), log(2)) as it is. Anything else is an `InvalidCheck`."""
    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    if isinstance(value, float):
        number = sp.sympify(value)
        return number if number.is_infinite else sp.Rational(repr(value))
    try:
        number = sp.sympify(value)
    except (sp.SympifyError, TypeError) as failure:
        raise InvalidCheck(f"{what}={value!r} is not a number: {failure}") from None
    if number.is_Float:
        return sp.Rational(str(number))
    if not number.is_number or number.free_symbols or number is sp.nan or number.is_extended_real is False:
        raise InvalidCheck(f"{what}={value!r} is not a real number; give an int, a fraction, a float or an exact "
                           f"sympy constant such as sp.pi / 2")
    return number


def as_fraction(number: Any) -> Fraction | None:
    """A rational sympy number as a Fraction; None for an irrational constant."""
    if isinstance(number, Fraction):
        return number
    if getattr(number, "is_Rational", False):
        return Fraction(int(number.p), int(number.q))
    return None


# -- sympy → Arb ---------------------------------------------------------------------------------------------

_UNARY = {sp.exp: "exp", sp.log: "log", sp.sin: "sin", sp.cos: "cos", sp.tan: "tan", sp.cot: "cot",
          sp.sec: "sec", sp.csc: "csc", sp.asin: "asin", sp.acos: "acos", sp.atan: "atan", sp.sinh: "sinh",
          sp.cosh: "cosh", sp.tanh: "tanh", sp.coth: "coth", sp.sech: "sech", sp.csch: "csch",
          sp.asinh: "asinh", sp.acosh: "acosh", sp.atanh: "atanh", sp.erf: "erf", sp.erfc: "erfc",
          sp.erfi: "erfi", sp.gamma: "gamma", sp.loggamma: "lgamma", sp.digamma: "digamma", sp.zeta: "zeta",
          sp.sign: "sgn", sp.floor: "floor", sp.ceiling: "ceil", sp.LambertW: "lambertw"}
_CONSTANTS: dict[Any, Callable[[], Any]] = {}
JUMPS = (sp.floor, sp.ceiling, sp.sign, sp.Piecewise, sp.Heaviside, sp.frac)  # not continuous everywhere


def _constants() -> dict[Any, Callable[[], Any]]:
    if not _CONSTANTS:
        arb = flint.arb
        _CONSTANTS.update({sp.pi: arb.pi, sp.E: arb.const_e, sp.EulerGamma: arb.const_euler,
                           sp.Catalan: arb.const_catalan,
                           sp.GoldenRatio: lambda: (1 + arb(5).sqrt()) / 2})
    return _CONSTANTS


def compile_arb(expr: Any, symbols: Sequence[sp.Symbol]) -> Callable[[Sequence[Any]], Any]:
    """A function of Arb balls (one per symbol) that returns a ball enclosing expr's values.

    Constants are computed at the precision in force when the function is called (a rational p/q
    is the ball of p/q, never a float; π is Arb's π), so the enclosure is rigorous at every
    precision `refine` tries. Integer powers are taken from the ends of the ball (Arb's own power
    goes through exp(n·log x), which is nan when the ball contains 0). A part Arb has no
    counterpart for raises `NotEnclosable`."""
    _require_flint()
    index = {s: i for i, s in enumerate(symbols)}
    arb = flint.arb

    def constant(compute: Callable[[], Any]) -> Callable[[Sequence[Any]], Any]:
        cache: dict[int, Any] = {}

        def value(values: Sequence[Any]) -> Any:
            bits = flint.ctx.prec
            if bits not in cache:
                cache[bits] = compute()
            return cache[bits]

        return value

    def build(node: Any) -> Callable[[Sequence[Any]], Any]:
        if node in index:
            i = index[node]
            return lambda values: values[i]
        if node.is_Integer:
            whole = arb(int(node))
            return lambda values: whole
        if node.is_Rational:
            return constant(lambda: arb(flint.fmpq(int(node.p), int(node.q))))
        if node.is_Float:
            exact = sp.Rational(node)  # a sympy Float is the binary number it holds
            return constant(lambda: arb(flint.fmpq(int(exact.p), int(exact.q))))
        if node in _constants():
            return constant(_constants()[node])
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
                return lambda values: _integer_power(base_fn(values), power)
            if exponent == sp.Rational(1, 2):
                return lambda values: base_fn(values).sqrt()
            exponent_fn = build(exponent)
            return lambda values: _real_power(base_fn(values), exponent_fn(values))
        if isinstance(node, sp.Abs):
            argument = build(node.args[0])
            return lambda values: _absolute(argument(values))
        if isinstance(node, (sp.Min, sp.Max)):
            parts = [build(a) for a in node.args]
            pick = "min" if isinstance(node, sp.Min) else "max"

            def extreme(values: Sequence[Any]) -> Any:
                balls = [p(values) for p in parts]
                result = balls[0]
                for ball in balls[1:]:
                    result = getattr(result, pick)(ball)
                return result

            return extreme
        if isinstance(node, sp.harmonic) and len(node.args) == 1:  # H(n) = ψ(n + 1) + γ
            argument = build(node.args[0])
            return lambda values: (argument(values) + 1).digamma() + arb.const_euler()
        if isinstance(node, sp.polygamma) and node.args[0] == 0:  # sympy writes digamma(x) as polygamma(0, x)
            argument = build(node.args[1])
            return lambda values: argument(values).digamma()
        if isinstance(node, sp.Piecewise):
            return _piecewise(node, build)
        name = _UNARY.get(type(node))
        if name is not None and len(node.args) == 1:
            argument = build(node.args[0])
            return lambda values: getattr(argument(values), name)()
        if isinstance(node, sp.atan2):
            y, x = build(node.args[0]), build(node.args[1])
            return lambda values: arb.atan2(y(values), x(values))
        raise NotEnclosable(f"Arb cannot evaluate {node} (a {type(node).__name__}); the functions it evaluates are "
                            f"{', '.join(sorted({*(f.__name__ for f in _UNARY), 'Abs', 'Min', 'Max', 'Piecewise', 'harmonic', 'atan2', 'polygamma(0, ·)'}))}")

    return build(sp.sympify(expr))


def _piecewise(node: Any, build: Callable[[Any], Callable]) -> Callable[[Sequence[Any]], Any]:
    """Piecewise: the first branch whose condition the balls certify, or the union of the branches
    whose conditions they cannot rule out."""
    branches = [(build(e), _condition(c, build)) for e, c in node.args]

    def value(values: Sequence[Any]) -> Any:
        candidates = []
        for branch, condition in branches:
            truth = condition(values)
            if truth is False:
                continue
            candidates.append(branch(values))
            if truth is True:
                break
        if not candidates:
            return flint.arb.nan()
        result = candidates[0]
        for ball in candidates[1:]:
            result = result.union(ball)
        return result

    return value


def _condition(condition: Any, build: Callable[[Any], Callable]) -> Callable[[Sequence[Any]], bool | None]:
    """A condition of a Piecewise as a three-valued test on balls (None: the balls cannot tell)."""
    if condition is sp.true:
        return lambda values: True
    if condition is sp.false:
        return lambda values: False
    if isinstance(condition, (sp.And, sp.Or)):
        parts = [_condition(c, build) for c in condition.args]
        conjunction = isinstance(condition, sp.And)

        def combined(values: Sequence[Any]) -> bool | None:
            truths = [p(values) for p in parts]
            if conjunction:
                return False if False in truths else (True if all(t is True for t in truths) else None)
            return True if True in truths else (False if all(t is False for t in truths) else None)

        return combined
    if isinstance(condition, sp.Not):
        inner = _condition(condition.args[0], build)
        return lambda values: None if inner(values) is None else not inner(values)
    relations = {sp.StrictLessThan: ("<", ">="), sp.LessThan: ("<=", ">"), sp.StrictGreaterThan: (">", "<="),
                 sp.GreaterThan: (">=", "<")}
    if type(condition) in relations:
        holds, fails = relations[type(condition)]
        difference = build(condition.lhs - condition.rhs)
        tests = {"<": lambda b: bool(b < 0), "<=": lambda b: bool(b <= 0), ">": lambda b: bool(b > 0),
                 ">=": lambda b: bool(b >= 0)}

        def compare(values: Sequence[Any]) -> bool | None:
            ball = difference(values)
            if tests[holds](ball):
                return True
            return False if tests[fails](ball) else None

        return compare
    raise NotEnclosable(f"Arb cannot evaluate the Piecewise condition {condition}")


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


def _exact_power(end: Any, power: int) -> Any:
    """end**power for an exact ball end (power ≥ 0), by repeated squaring with rigorous rounding."""
    result, base = flint.arb(1), end
    while power:
        if power & 1:
            result = result * base
        base = base * base
        power >>= 1
    return result


def _integer_power(ball: Any, power: int) -> Any:
    """ball**power, tight: x^n is monotone on [|x|min, |x|max] (even n) or on the ball (odd n)."""
    if not ball.is_finite():
        return flint.arb.nan()
    if power < 0:
        return 1 / _integer_power(ball, -power)
    if power == 0:
        return flint.arb(1)
    if power % 2:
        low, high = ball.lower(), ball.upper()
    else:
        low, high = ball.abs_lower(), ball.abs_upper()
    return _exact_power(low, power).union(_exact_power(high, power))


def _real_power(base: Any, exponent: Any) -> Any:
    """base**exponent for a real exponent: defined for base > 0, and for base ≥ 0 when exponent > 0."""
    if not (base.is_finite() and exponent.is_finite()):
        return flint.arb.nan()
    if bool(base > 0):
        return (exponent * base.log()).exp()
    if bool(base >= 0) and bool(exponent > 0):
        high = base.upper()
        top = (exponent * high.log()).exp() if bool(high > 0) else flint.arb(0)
        return flint.arb(0).union(top)
    return flint.arb.nan()


def _absolute(ball: Any) -> Any:
    """|ball| as the ball of [min |x|, max |x|] (Arb's own abs keeps the width of the ball around 0)."""
    if not ball.is_finite():
        return flint.arb.nan()
    return ball.abs_lower().union(ball.abs_upper())


# -- certified evaluation: shared with the sympy engine ---------------------------------------------------------


@contextmanager
def precision(bits: int) -> Iterator[None]:
    """Arb's working precision set to `bits` for the block, and restored after it."""
    _require_flint()
    previous = flint.ctx.prec
    flint.ctx.prec = bits
    try:
        yield
    finally:
        flint.ctx.prec = previous


def ball(number: Any) -> Any:
    """The ball of an exact number (a Fraction, a sympy rational or constant) at the current precision."""
    fraction = as_fraction(number)
    if fraction is not None:
        if fraction.denominator == 1:
            return flint.arb(fraction.numerator)
        return flint.arb(flint.fmpq(fraction.numerator, fraction.denominator))
    return compile_arb(number, [])([])


def enclose(function: Callable[[Sequence[Any]], Any], point: Sequence[Any]) -> Any | None:
    """function's ball at an exact point at the current precision, or None where it has no finite
    ball there (a pole, 0/0, a domain error, an overflow: the balls say nan or infinite)."""
    try:
        value = function([ball(coordinate) for coordinate in point])
    except (ArithmeticError, ValueError, TypeError):  # flint raises these on a domain error
        return None
    return value if value.is_finite() else None


def refine(evaluate: Callable[[], T], decided: Callable[[T], bool], *, start: int = START_BITS,
           cap: int = MAX_BITS) -> tuple[T, int]:
    """Evaluate at `start` bits, doubling until `decided` says the balls answer the question or
    the cap is reached; return the last result and its precision (the caller says which)."""
    bits = start
    while True:
        with precision(bits):
            result = evaluate()
        if decided(result) or bits >= cap:
            return result, bits
        bits *= 2


def ball_text(value: Any | None, digits: int = 20) -> str:
    """A ball as text that Arb parses back into a ball containing the same value: `[0.25 +/- 1e-40]`."""
    if value is None:
        return "undefined"
    return value.str(digits, radius=True)


def dyadic(value: Any) -> Fraction:
    """The exact midpoint of a finite ball, for ordering and for choosing where to cut, never for
    a decision."""
    mantissa, exponent = value.mid().man_exp()
    mantissa, exponent = int(mantissa), int(exponent)
    return Fraction(mantissa * 2**exponent) if exponent >= 0 else Fraction(mantissa, 2**-exponent)


def shown(value: Any | None) -> float | str:
    """A ball (or an exact number) as a plain number for a report: its midpoint as a float, or its
    text where a float cannot hold it (JSON has no infinity)."""
    if value is None:
        return "undefined"
    if not hasattr(value, "mid"):
        with precision(PRECISION_BITS):
            value = ball(value)
    huge, tiny = flint.arb(2) ** 1000, flint.arb(2) ** -1000
    if bool(value.abs_upper() < huge) and (value.mid().is_zero() or bool(value.abs_lower() > tiny)):
        return float(value.mid())
    return value.mid().str(12, radius=False)
