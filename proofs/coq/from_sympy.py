"""sympy and interval goals stated in Coq: identities (closed by `field`) and bounds on a box
(closed by Coq Interval's `interval`, with bisection and Taylor models).

    goal = from_sympy.translate("lemma.id/check/goal", cas.Identity(lhs, rhs, domain))

The expressions are sympy's; the translation writes

- a symbol as a real variable, with its sympy assumptions as hypotheses (`positive` is `x > 0`),
  and its range in the goal's domain or box as `lo <= x <= hi`;
- `+ − × /`, integer powers (`x ^ 3`, `/ x ^ 3`), `sqrt`, `exp`, `log` (Coq's `ln`), `sin`, `cos`,
  `tan`, `atan`, `Abs` (`Rabs`), `pi` (`PI`), `E` (`exp 1`) and other powers as `Rpower x y`
  (Coq's exp (y ln x)); any other function has no translation and is named in `missing`.
  Coq's `ln`, `sqrt` and `Rpower` are total (0 outside their domain, where sympy's are complex):
  the note on the goal says so, and the box or the hypotheses are what keep the arguments inside.
- An identity gets one more hypothesis per denominator that is not a constant, `d <> 0`: where a
  denominator vanishes sympy's two sides are undefined, so the identity says nothing there, while
  Coq's x/0 = 0 would make the statement about something else.

A `cas.Limit`, a `cas.Bound` on an unbounded domain and an `interval.Bound` whose domain reaches
past its box (proved there by a tail goal) are not translated; they are named in `missing`.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Mapping, Sequence

import sympy as sp

from proofs.coq import text as t
from proofs.coq.goals import CoqGoal, Missing

_FUNCTIONS = {sp.exp: "exp", sp.log: "ln", sp.sin: "sin", sp.cos: "cos", sp.tan: "tan", sp.atan: "atan",
              sp.Abs: "Rabs", sp.sqrt: "sqrt"}
_TOTAL = {"ln": "Coq's ln x is 0 for x ≤ 0", "sqrt": "Coq's sqrt x is 0 for x < 0",
          "Rpower": "Coq's Rpower x y is exp (y ln x), which is 1 for x ≤ 0"}

IDENTITY = ("intros; field; lra", "intros; field; nra", "intros; field; intuition nra", "intros; ring",
            "intros; field")
INSTANCE = ("intros; lra", "intros; field_simplify; lra", "intros; nra")


class _Writer:
    def __init__(self, missing: Missing) -> None:
        self.missing = missing
        self.taken: set[str] = set()
        self.names: dict[sp.Symbol, str] = {}
        self.denominators: list[t.Term] = []
        self.values: Mapping[sp.Symbol, Fraction] | None = None

    def symbol(self, symbol: sp.Symbol) -> str:
        if symbol not in self.names:
            name = t.identifier(str(symbol), self.taken)
            if name != str(symbol):
                self.missing.note(f"the variable {symbol} is {name} in Coq")
            self.names[symbol] = name
        return self.names[symbol]

    def term(self, expr: Any) -> t.Term:
        expr = sp.sympify(expr)
        if isinstance(expr, sp.Symbol):
            if self.values is not None and expr in self.values:
                return t.number(self.values[expr], t.REAL)
            return t.Term(self.symbol(expr), t.ATOM, t.REAL)
        if expr.is_Rational:
            return t.number(Fraction(int(expr.p), int(expr.q)), t.REAL)
        if expr.is_Float:
            return t.number(Fraction(str(expr)), t.REAL)
        if expr is sp.pi:
            return t.Term("PI", t.ATOM, t.REAL)
        if expr is sp.E:
            return t.Term("exp 1", t.APPLICATION, t.REAL, t.REAL)
        if expr.is_Add:
            terms = list(expr.as_ordered_terms())
            result = self.term(terms[0])
            for term in terms[1:]:
                if term.could_extract_minus_sign():
                    result = t.arithmetic(result, "-", self.term(-term), t.SUM)
                else:
                    result = t.arithmetic(result, "+", self.term(term), t.SUM)
            return result
        if expr.is_Mul:
            return self._product(expr)
        if expr.is_Pow:
            base, exponent = expr.args
            if exponent.is_Integer:
                power = int(exponent)
                if power >= 0:
                    return t.power(self.term(base), power)
                return self._product(expr)
            if exponent == sp.Rational(1, 2):
                return self._function("sqrt", base)
            if exponent == -sp.Rational(1, 2):
                return self._product(expr)
            self.missing.note(_TOTAL["Rpower"])
            return t.application("Rpower", [self.term(base), self.term(exponent)], t.REAL)
        name = _FUNCTIONS.get(type(expr))
        if name is not None and len(expr.args) == 1:
            return self._function(name, expr.args[0])
        self.missing.add(f"the function {type(expr).__name__}")
        return t.Term("?")

    def _function(self, name: str, argument: Any) -> t.Term:
        if name in _TOTAL:
            self.missing.note(_TOTAL[name])
        return t.application(name, [self.term(argument)], t.REAL)

    def _product(self, expr: Any) -> t.Term:
        """a * b / (c * d): the factors with a negative exponent go below the line."""
        numerator, denominator = [], []
        sign = 1
        for factor in sp.Mul.make_args(expr):
            if factor.is_Rational and not factor.is_Integer:
                numerator.append(sp.Integer(factor.p))
                denominator.append(sp.Integer(factor.q))
            elif factor.is_Pow and (factor.exp.is_Integer and factor.exp < 0 or factor.exp == -sp.Rational(1, 2)):
                denominator.append(factor.base ** (-factor.exp))
            elif factor == -1:
                sign = -sign
            else:
                numerator.append(factor)
        numerator = [f for f in numerator if f != 1]
        top = self._chain(numerator) if numerator else t.number(1, t.REAL)
        if denominator:
            below = self._chain([d for d in denominator if d != 1])
            if below is not None:
                if not all(d.is_number for d in denominator):
                    self.denominators.append(below)
                top = t.arithmetic(top, "/", below, t.PRODUCT)
        return t.negation(top) if sign < 0 else top

    def _chain(self, factors: Sequence[Any]) -> t.Term | None:
        if not factors:
            return None
        numbers = [f for f in factors if f.is_number]
        others = [f for f in factors if not f.is_number]
        result = None
        for factor in [*numbers, *others]:
            term = self.term(factor)
            result = term if result is None else t.arithmetic(result, "*", term, t.PRODUCT)
        return result


def _exact(value: Any) -> Fraction | None:
    """A finite box or domain end as an exact rational (a float as the decimal it was written as),
    or None for an infinite end or a constant that is not rational (then written symbolically)."""
    if isinstance(value, float):
        return Fraction(repr(value)) if math.isfinite(value) else None
    if isinstance(value, (int, Fraction)):
        return Fraction(value)
    value = sp.sympify(value)
    if value.is_Rational:
        return Fraction(int(value.p), int(value.q))
    if value.is_Float:
        return Fraction(str(value))
    return None


def _end(writer: _Writer, value: Any) -> t.Term | None:
    exact = _exact(value)
    if exact is not None:
        return t.number(exact, t.REAL)
    value = sp.sympify(value)
    if value.is_infinite:
        return None
    return writer.term(value)


def _range(writer: _Writer, symbol: sp.Symbol, low: Any, high: Any) -> list[t.Term]:
    """lo <= x <= hi, or one side of it for an unbounded end."""
    x = t.Term(writer.symbol(symbol), t.ATOM, t.REAL)
    lower, upper = _end(writer, low), _end(writer, high)
    if lower is not None and upper is not None:
        return [t.Term(f"{lower.at(t.COMPARISON - 1)} <= {x.text} <= {upper.at(t.COMPARISON - 1)}",
                       t.COMPARISON, t.PROP, t.REAL)]
    if lower is not None:
        return [t.comparison(x, ">=", lower)]
    if upper is not None:
        return [t.comparison(x, "<=", upper)]
    return []


def _assumptions(writer: _Writer, symbol: sp.Symbol) -> list[t.Term]:
    x = t.Term(writer.symbol(symbol), t.ATOM, t.REAL)
    zero = t.number(0, t.REAL)
    if symbol.is_positive:
        return [t.comparison(x, ">", zero)]
    if symbol.is_nonnegative:
        return [t.comparison(x, ">=", zero)]
    if symbol.is_negative:
        return [t.comparison(x, "<", zero)]
    if symbol.is_nonpositive:
        return [t.comparison(x, "<=", zero)]
    if symbol.is_integer:
        writer.missing.note(f"{symbol} is an integer in sympy and any real in Coq: the statement is stronger")
    return []


def _binders(writer: _Writer, symbols: Sequence[sp.Symbol]) -> str:
    return f"({' '.join(writer.symbol(s) for s in symbols)} : R)" if symbols else ""


def _statement(binders: str, premises: Sequence[t.Term], conclusion: t.Term) -> str:
    lines = [f"  {t.arrow_operand(p)} ->" for p in premises] + [f"  {t.arrow_operand(conclusion, t.ARROW)}"]
    body = "\n".join(lines)
    return f"forall {binders},\n{body}" if binders else body.strip()


def _symbols(*exprs: Any) -> list[sp.Symbol]:
    return sorted(set().union(*(sp.sympify(e).free_symbols for e in exprs)), key=str)


def identity(label: str, lhs: Any, rhs: Any, domain: Mapping[sp.Symbol, tuple[Any, Any]] = (),
             points: Sequence[Mapping[sp.Symbol, Any]] = ()) -> CoqGoal:
    """lhs = rhs for every value of the symbols in `domain` (with their sympy assumptions), where
    every denominator is nonzero; closed by `field`."""
    missing = Missing()
    writer = _Writer(missing)
    lhs, rhs = sp.sympify(lhs), sp.sympify(rhs)
    symbols = _symbols(lhs, rhs)
    for symbol in symbols:
        writer.symbol(symbol)
    left, right = writer.term(lhs), writer.term(rhs)
    conclusion = t.comparison(left, "=", right)
    premises = []
    for symbol in symbols:
        premises += _assumptions(writer, symbol)
        if symbol in dict(domain):
            premises += _range(writer, symbol, *dict(domain)[symbol])
    seen = set()
    for denominator in writer.denominators:
        if denominator.text not in seen:
            seen.add(denominator.text)
            premises.append(t.comparison(denominator, "<>", t.number(0, t.REAL)))
    rational = all(e.is_rational_function(*symbols) for e in (lhs, rhs)) if symbols else True
    statement = _statement(_binders(writer, symbols), premises, conclusion)
    instances = _identity_instances(lhs, rhs, symbols, domain, points, missing)
    return CoqGoal(label, "sympy", _name(label), statement, "idtac", (IDENTITY,), tuple(instances),
                   INSTANCE, missing=tuple(missing.features), notes=tuple(missing.notes),
                   kind="rational identity" if rational else "identity")


def _identity_instances(lhs: Any, rhs: Any, symbols: Sequence[sp.Symbol], domain: Mapping, points: Sequence,
                        missing: Missing) -> list[str]:
    """lhs = rhs at rational points of the domain (its midpoint, or the points given), where both
    sides are defined and equal in exact arithmetic."""
    candidates = list(points)
    if not candidates:
        middle = {}
        for symbol in symbols:
            low, high = dict(domain).get(symbol, (1, 2))
            low_exact, high_exact = _exact(low), _exact(high)
            if low_exact is None or high_exact is None:
                low_exact, high_exact = Fraction(1), Fraction(2)
            middle[symbol] = (low_exact * 2 + high_exact) / 3  # a third of the way: avoids symmetric cancellations
        candidates = [middle]
    found = []
    for point in candidates:
        exact = {s: sp.Rational(Fraction(v).numerator, Fraction(v).denominator) for s, v in point.items()}
        try:
            left, right = sp.nsimplify(lhs.subs(exact)), sp.nsimplify(rhs.subs(exact))
        except (ZeroDivisionError, TypeError):
            continue
        if not (left.is_Rational and right.is_Rational and left == right):
            continue
        probe = Missing()
        writer = _Writer(probe)
        writer.values = {s: Fraction(int(v.p), int(v.q)) for s, v in exact.items()}
        term = t.comparison(writer.term(lhs), "=", writer.term(rhs))
        if not probe.features:
            found.append(term.alone())
    return found


def _name(label: str) -> str:
    parts = label.split("/")[1:] or [label]
    return t.identifier("__".join(parts), set())


_PLANTED_FLIP = False


def bound(label: str, expr: Any, bound_value: Any, box: Mapping[sp.Symbol, tuple[Any, Any]], *,
          strict: bool = False, engine: str = "interval") -> CoqGoal:
    """expr ≥ bound (or >) at every point of the box; closed by `interval` on the gap
    `0 <= expr - bound`, with bisection along each variable and Taylor models."""
    missing = Missing()
    writer = _Writer(missing)
    expr, bound_value = sp.sympify(expr), sp.sympify(bound_value)
    symbols = sorted(box, key=str)
    for symbol in symbols:
        writer.symbol(symbol)
    operator = ">" if strict else ">="
    if _PLANTED_FLIP:
        operator = "<" if strict else "<="
    conclusion = t.comparison(writer.term(expr), operator, writer.term(bound_value))
    premises = []
    for symbol in symbols:
        low, high = box[symbol]
        if _end(writer, low) is None or _end(writer, high) is None:
            missing.add("a box with an infinite side")
        premises += _range(writer, symbol, low, high)
    statement = _statement(_binders(writer, symbols), premises, conclusion)
    gap = "gt_by_gap" if strict else "ge_by_gap"
    names = [writer.symbol(s) for s in symbols]
    scripts = [f"intros; apply {gap}; interval", f"intros; apply {gap}; interval with (i_prec 100)"]
    if names:  # a closed goal (no variable) has nothing to bisect: `interval with ()` does not parse
        scripts.append(f"intros; apply {gap}; interval with ({', '.join(f'i_bisect {n}' for n in names)})")
    for name in names[:2]:  # Taylor models along one variable, then derivatives (monotone pieces)
        scripts.append(f"intros; apply {gap}; interval with (i_bisect {name}, i_taylor {name}, i_degree 5)")
        scripts.append(f"intros; apply {gap}; interval with (i_bisect {name}, i_autodiff {name}, i_depth 20)")
    instances = []
    middle = {}
    for symbol in symbols:
        low, high = (_exact(v) for v in box[symbol])
        if low is None or high is None:
            break
        middle[symbol] = (low * 2 + high) / 3
    else:
        try:
            value = (expr - bound_value).subs({s: sp.Rational(v.numerator, v.denominator) for s, v in middle.items()})
            holds = bool(sp.N(value, 50) > 0) if strict else bool(sp.N(value, 50) >= 0)
        except TypeError:
            holds = False
        if holds:
            probe = Missing()
            point = _Writer(probe)
            point.values = middle
            at = t.comparison(point.term(expr), operator, point.term(bound_value))
            if not probe.features:
                instances.append(at.alone())
    refute = "apply Rle_not_lt" if strict else "apply Rlt_not_ge"
    instance_tactics = (f"intros; {refute}; interval", f"intros; {refute}; interval with (i_prec 100)")
    return CoqGoal(label, engine, _name(label), statement, "idtac", (tuple(scripts),), tuple(instances),
                   instance_tactics, missing=tuple(missing.features), notes=tuple(missing.notes), kind="bound")


class planted_flip:
    """Test-only: the bound's comparison is written the wrong way round."""

    def __enter__(self) -> None:
        global _PLANTED_FLIP
        _PLANTED_FLIP = True

    def __exit__(self, *exc: object) -> None:
        global _PLANTED_FLIP
        _PLANTED_FLIP = False


def translate(label: str, goal: Any) -> CoqGoal:
    """A sympy (`cas`) or interval goal, stated in Coq; what has no translation is named. Goals are
    told apart by their class's module and name, so that the engines, which call this, are not
    imported by it."""
    kind = type(goal).__module__.rsplit(".", 1)[-1] + "." + type(goal).__name__
    if kind == "cas.Identity":
        return identity(label, goal.lhs, goal.rhs, goal.domain)
    if kind == "interval.Bound":
        domain = goal.domain or goal.box
        outside = any(domain.get(s) != goal.box.get(s) for s in domain) or set(domain) != set(goal.box)
        if outside:
            return CoqGoal(label, "interval", _name(label),
                           missing=("a domain beyond the box (covered by a tail goal)",), kind="bound")
        return bound(label, goal.expr, goal.bound, goal.box, strict=goal.strict)
    if kind == "cas.Bound":
        box = {s: goal.domain.get(s, (-math.inf, math.inf)) for s in _symbols(goal.expr, goal.bound)}
        if any(not (math.isfinite(float(low)) and math.isfinite(float(high))) for low, high in box.values()):
            return CoqGoal(label, "sympy", _name(label), missing=("a bound on an unbounded domain",), kind="bound")
        return bound(label, goal.expr, goal.bound, box, strict=goal.strict, engine="sympy")
    if kind == "cas.Limit":
        return CoqGoal(label, "sympy", _name(label), missing=("a limit",), kind="limit")
    if kind == "cas.Induction":
        return CoqGoal(label, "sympy", _name(label), missing=("a sympy induction (a sum over k ≤ n)",),
                       kind="induction")
    return CoqGoal(label, "sympy", _name(label), missing=(f"a goal of type {type(goal).__name__}",))


def goal_fact(label: str, goal: Any) -> dict:
    """The `facts` an engine adds to a proved sympy or interval goal for the re-check: the goal in
    Coq as plain data, or what went wrong translating it (shown, never fatal to the proof)."""
    try:
        return {"coq_goal": translate(label, goal).to_json()}
    except Exception as problem:  # noqa: BLE001 - an untrusted translator's failure is reported, not raised
        return {"coq_goal": None, "coq_error": f"{type(problem).__name__}: {problem}"}
