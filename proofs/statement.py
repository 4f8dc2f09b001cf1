"""A lemma's formal claim, declared once, and evaluated by every one of its checks.

    from fractions import Fraction
    from proofs import Claim, lemma
    from proofs.statement import And

    HALF = lemma("mine.half", title=..., statement=...,
                 claim=Claim(lambda x, n: x / (x + n) >= Fraction(1, 2),
                             where=lambda x, n: And(n >= 1, x >= n)))

A claim is `∀ parameters: where ⟹ holds`, written as one Python function of named parameters
(and an optional `where`, the domain the claim is stated on). The same function is called in
three worlds, so that the solver, the property test and the simulation check one statement, not
three copies of it:

- with z3 terms, by `q.prove_claim()` in a z3 check: the goal is the claim itself (`where`
  becomes the domain, `holds` the claim to prove), and `q.use(OTHER)` draws on another lemma's
  or a cited axiom's declared claim;
- with sympy symbols, by `LEMMA.claim.goal(...)`, for a sympy or interval goal;
- with numbers, by `LEMMA.claim(**values)` in a property test or a simulation: whether the claim
  holds at that point, evaluated exactly (a float is the exact rational it stands for; a constant
  written in the claim, 0.1, means 1/10 in every world; exp, log and sqrt at 50 digits), with an
  optional `tolerance` for values that were measured.

Inside the function, parameters support + − × / ** and comparisons; the connectives are the
ones of this module (`And`, `Or`, `Not`, `Implies`, `Iff`, `If`), with `Sum` and `All` over an
integer range (recursions in z3, sums in sympy, loops on numbers) and `exp`, `log`, `sqrt` (which
z3 has no form for: state such a claim with x = e^Δ, or check it with sympy or Arb). A parameter
that is a sequence is declared in `sorts` ({"e": ("Int", "Real")}) and called, `e(k)`.

Every numeric evaluation and every goal built from a claim is recorded in the ledger of the check
that runs it, so the card can say which checks evaluated the declared claim, and `proofs.kernel`
can refuse `proved` to a lemma whose symbolic checks prove something other than its claim.
"""

from __future__ import annotations

import contextlib
import contextvars
import inspect
import math
import numbers
import sys
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any, Callable, Iterator, Mapping

from proofs.errors import InvalidArgument, InvalidCheck

DIGITS = 50  # working precision of exp, log and sqrt on numbers
SORTS = ("Real", "Int", "Bool")


class NotExpressible(InvalidCheck):
    """The claim uses something the world it is called in has no form for (exp in z3)."""


# -- the ledger: what each check did with declared claims ------------------------------------------------


@dataclass
class Ledger:
    """What one check did with declared claims: numeric evaluations (inside the claim's domain or
    not, holding or not) and goals built from a claim, per lemma id."""

    evaluations: dict[str, dict[str, int]] = field(default_factory=dict)
    goals: list[dict[str, Any]] = field(default_factory=list)

    def evaluated(self, lemma_id: str, inside: bool, holds: bool) -> None:
        counts = self.evaluations.setdefault(lemma_id, {"inside": 0, "outside": 0, "failed": 0})
        counts["inside" if inside else "outside"] += 1
        counts["failed"] += int(inside and not holds)

    def built(self, lemma_id: str, goal: str, link: str, why: str = "", query: Any = None) -> None:
        self.goals.append({"lemma": lemma_id, "goal": goal, "link": link, "why": why, "query": query})


_LEDGER: contextvars.ContextVar[Ledger | None] = contextvars.ContextVar("proofs_claim_ledger", default=None)
_OVERRIDES: contextvars.ContextVar[Mapping[str, Callable[..., Any]]] = contextvars.ContextVar(
    "proofs_claim_overrides", default={})
_QUERY: contextvars.ContextVar[Any] = contextvars.ContextVar("proofs_claim_query", default=None)


@contextlib.contextmanager
def recording() -> Iterator[Ledger]:
    """Record what the code run inside does with declared claims (one check's run)."""
    ledger = Ledger()
    token = _LEDGER.set(ledger)
    try:
        yield ledger
    finally:
        _LEDGER.reset(token)


def note_goal(lemma_id: str, goal: str, *, link: str = "built", why: str = "", query: Any = None) -> None:
    """Record in the running check's ledger that a goal was built from a lemma's declared claim (a
    z3 goal passes its query, whose link is read once the check has stated everything)."""
    ledger = _LEDGER.get()
    if ledger is not None:
        ledger.built(lemma_id, goal, link, why, query)


@contextlib.contextmanager
def overridden(lemma_id: str, holds: Callable[..., Any]) -> Iterator[None]:
    """Within the block, the claim of `lemma_id` is `holds` (a mutant of it), in every world."""
    token = _OVERRIDES.set({**_OVERRIDES.get(), lemma_id: holds})
    try:
        yield
    finally:
        _OVERRIDES.reset(token)


# -- the claim ---------------------------------------------------------------------------------------------


def _parameters(function: Callable[..., Any], what: str) -> tuple[str, ...]:
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        raise InvalidArgument(f"{what}={function!r} is not a function of named parameters") from None
    names = []
    for parameter in signature.parameters.values():
        if parameter.kind not in (parameter.POSITIONAL_OR_KEYWORD, parameter.KEYWORD_ONLY):
            raise InvalidArgument(f"{what}: parameter {parameter.name!r} must be a plain named parameter "
                                  f"(no *args, **kwargs or positional-only)")
        names.append(parameter.name)
    return tuple(names)


@dataclass(frozen=True)
class Claim:
    """∀ parameters: where ⟹ holds. `sorts` gives each parameter's z3 sort ("Real" by default,
    "Int", "Bool", or a tuple (argument sorts…, result sort) for a sequence or function)."""

    holds: Callable[..., Any]
    where: Callable[..., Any] | None = None
    sorts: Mapping[str, str | tuple[str, ...]] = field(default_factory=dict)
    lemma_id: str = ""  # set when the claim is declared on a lemma

    def __post_init__(self) -> None:
        names = _parameters(self.holds, "holds")
        if self.where is not None:
            unknown = sorted(set(_parameters(self.where, "where")) - set(names))
            if unknown:
                raise InvalidArgument(f"where= reads {unknown}, which the claim does not have; its parameters "
                                      f"are {list(names)}")
        for name, sort in self.sorts.items():
            if name not in names:
                raise InvalidArgument(f"sorts names {name!r}, which is not a parameter of the claim {list(names)}")
            parts = (sort,) if isinstance(sort, str) else tuple(sort)
            if not parts or any(p not in SORTS for p in parts):
                raise InvalidArgument(f"sorts[{name!r}]={sort!r}: expected one of {SORTS}, or a tuple of them "
                                      f"(argument sorts, then the result sort)")

    # -- reading -------------------------------------------------------------------------------
    @property
    def parameters(self) -> tuple[str, ...]:
        return _parameters(self.holds, "holds")

    def sort(self, name: str) -> tuple[str, ...]:
        sort = self.sorts.get(name, "Real")
        return (sort,) if isinstance(sort, str) else tuple(sort)

    def bound_to(self, lemma_id: str) -> Claim:
        return replace(self, lemma_id=lemma_id)

    def source(self) -> str:
        """The text of the claim as written, for the card (the lambda or function)."""
        parts = []
        for label, function in (("holds", self.holds), ("where", self.where)):
            if function is None:
                continue
            try:
                text = inspect.getsource(function).strip()
            except (OSError, TypeError):
                text = repr(function)
            parts.append(f"{label}: {text}")
        return "\n".join(parts)

    def _relation(self) -> Callable[..., Any]:
        return _OVERRIDES.get().get(self.lemma_id, self.holds)

    def _values(self, values: Mapping[str, Any]) -> None:
        names = self.parameters
        missing = [n for n in names if n not in values]
        extra = sorted(set(values) - set(names))
        if missing or extra:
            label = f"the claim of {self.lemma_id}" if self.lemma_id else "the claim"
            raise InvalidArgument(f"{label} takes {list(names)}; missing {missing}, unknown {extra}")

    def _call(self, function: Callable[..., Any] | None, values: Mapping[str, Any]) -> Any:
        if function is None:
            return True
        wanted = _parameters(function, "where")
        return function(**{k: values[k] for k in wanted})

    # -- numbers -------------------------------------------------------------------------------
    def __call__(self, *, tolerance: float = 0.0, **values: Any) -> bool:
        """Whether the claim holds at this point (where ⟹ holds), evaluated exactly; recorded in the
        running check's ledger. `tolerance` relaxes each comparison by tolerance·max(1, |a|, |b|),
        for values measured in floating point."""
        self._values(values)
        scale = Fraction(tolerance) if tolerance else Fraction(0)
        wrapped = {name: _number_parameter(values[name], scale) for name in self.parameters}
        inside = _truth(self._call(self.where, wrapped))
        holds = _truth(self._call(self._relation(), wrapped)) if inside else True
        ledger = _LEDGER.get()
        if ledger is not None:
            ledger.evaluated(self.lemma_id, inside, holds)
        return holds

    def require(self, *, tolerance: float = 0.0, outside_ok: bool = False, **values: Any) -> None:
        """Assert that the claim holds at this measured point, with a message that names the point.
        The point must lie inside the claim's domain (`where`), within the tolerance, unless
        `outside_ok`: a measured point outside it would make the claim hold vacuously, and a domain
        that mis-describes the model would pass unseen."""
        shown = ", ".join(f"{k}={_short(v)}" for k, v in values.items())
        if not outside_ok and not self.applies(tolerance=tolerance, **values):
            raise AssertionError(f"the measured point {shown} is outside the domain (where) of the declared claim of "
                                 f"{self.lemma_id or 'the lemma'}: the claim says nothing there")
        if not self(tolerance=tolerance, **values):
            raise AssertionError(f"the declared claim of {self.lemma_id or 'the lemma'} fails at {shown}")

    def first_failure(self, *, tolerance: float = 0.0, **columns: Any) -> dict[str, Any] | None:
        """Evaluate the claim at each row of equal-length columns (a simulation's measured points);
        the first row where it fails, as plain values, or None."""
        def is_column(name: str, value: Any) -> bool:  # a sequence parameter is one value, not a column
            return len(self.sort(name)) == 1 and hasattr(value, "__len__") and not isinstance(value, str)

        lengths = {len(c) for k, c in columns.items() if is_column(k, c)}
        if len(lengths) != 1:
            raise InvalidArgument(f"first_failure takes columns of one length; got lengths {sorted(lengths)}")
        (length,) = lengths
        for row in range(length):
            point = {k: (c[row] if is_column(k, c) else c) for k, c in columns.items()}
            if not self(tolerance=tolerance, **point):
                return {k: _short(v) for k, v in point.items()}
        return None

    def applies(self, *, tolerance: float = 0.0, **values: Any) -> bool:
        """Whether the point is inside the claim's domain (`where`), exactly or within the tolerance."""
        self._values(values)
        scale = Fraction(tolerance) if tolerance else Fraction(0)
        wrapped = {name: _number_parameter(values[name], scale) for name in values}
        return _truth(self._call(self.where, wrapped))

    # -- symbols ---------------------------------------------------------------------------------
    def z3(self, variables: Mapping[str, Any], query: Any = None) -> tuple[Any, Any]:
        """(where, holds) as z3 formulas over the given terms (one per parameter)."""
        self._values(variables)
        token = _QUERY.set(query)
        try:
            wrapped = {k: _symbolic(v, "z3") for k, v in variables.items()}
            where, holds = (_unwrap(self._call(self.where, wrapped), "z3"),
                            _unwrap(self._call(self._relation(), wrapped), "z3"))
            return _z3_bool(where, variables), _z3_bool(holds, variables)
        finally:
            _QUERY.reset(token)

    def sympy(self, **symbols: Any) -> tuple[Any, Any]:
        """(where, holds) as sympy expressions over the given symbols (one per parameter)."""
        self._values(symbols)
        wrapped = {k: _symbolic(v, "sympy") for k, v in symbols.items()}
        return (_unwrap(self._call(self.where, wrapped), "sympy"),
                _unwrap(self._call(self._relation(), wrapped), "sympy"))

    def goal(self, *, name: str = "claim", engine: str = "sympy", tail: Any = None, tail_note: str = "",
             **symbols: Any) -> Any:
        """The sympy (engine="sympy") or interval (engine="interval") goal that *is* the claim:
        an equation becomes a `cas.Identity`, an inequality a `cas.Bound` or `interval.Bound` of
        lhs − rhs. The domain is read from `where`, which must be a conjunction of bounds on single
        parameters (lo ≤ x, x < hi, …); the goal is then recorded as built from the claim."""
        import sympy as sp

        where, relation = self.sympy(**symbols)
        box = _box_of(where, symbols)
        if box is None:
            raise InvalidCheck(f"the claim of {self.lemma_id}: where={where} is not a conjunction of bounds on single "
                               f"parameters, so no goal can be built from it; state the goal yourself and say why")
        relation = sp.sympify(relation)
        if engine == "sympy":
            from proofs import cas

            if isinstance(relation, sp.Eq):
                goal = cas.Identity(relation.lhs, relation.rhs, box, name=name)
            elif isinstance(relation, (sp.Ge, sp.Gt, sp.Le, sp.Lt)):
                gap = relation.lhs - relation.rhs if isinstance(relation, (sp.Ge, sp.Gt)) else relation.rhs - relation.lhs
                goal = cas.Bound(gap, box, strict=isinstance(relation, (sp.Gt, sp.Lt)), name=name)
            else:
                raise InvalidCheck(f"the claim of {self.lemma_id} is {relation}: a sympy goal is built from an "
                                   f"equation or an inequality")
        elif engine == "interval":
            from proofs import interval

            if not isinstance(relation, (sp.Ge, sp.Gt, sp.Le, sp.Lt)):
                raise InvalidCheck(f"the claim of {self.lemma_id} is {relation}: an interval goal is an inequality")
            gap = relation.lhs - relation.rhs if isinstance(relation, (sp.Ge, sp.Gt)) else relation.rhs - relation.lhs
            finite = {s: b for s, b in box.items()}
            unbounded = any(sp.sympify(lo).is_infinite or sp.sympify(hi).is_infinite for lo, hi in box.values())
            goal = interval.Bound(gap, box=finite if not unbounded else _clipped(finite), strict=isinstance(
                relation, (sp.Gt, sp.Lt)), domain=finite if unbounded else None, tail=tail, tail_note=tail_note,
                name=name)
        else:
            raise InvalidArgument(f"engine={engine!r}: a goal built from a claim is 'sympy' or 'interval'")
        ledger = _LEDGER.get()
        if ledger is not None:
            ledger.built(self.lemma_id, name, "built", f"{engine} goal on {box}")
        return goal


def _clipped(box: Mapping[Any, tuple[Any, Any]]) -> dict[Any, tuple[Any, Any]]:
    """A finite box inside an unbounded domain, for an interval goal whose tail covers the rest."""
    import sympy as sp

    clipped = {}
    for symbol, (lo, hi) in box.items():
        lo, hi = sp.sympify(lo), sp.sympify(hi)
        lo = lo if not lo.is_infinite else (hi - 100 if not hi.is_infinite else -100)
        hi = hi if not hi.is_infinite else lo + 100
        clipped[symbol] = (lo, hi)
    return clipped


def _box_of(where: Any, symbols: Mapping[str, Any]) -> dict[Any, tuple[Any, Any]] | None:
    """{symbol: (lo, hi)} when `where` is a conjunction of bounds on single symbols (open or closed
    ends are left to the symbols' assumptions and the goal's strictness), else None."""
    import sympy as sp

    box = {s: [-sp.oo, sp.oo] for s in symbols.values()}
    where = sp.sympify(where)
    if where is sp.true:
        return {s: tuple(b) for s, b in box.items()}
    parts = where.args if isinstance(where, sp.And) else (where,)
    for part in parts:
        if not isinstance(part, (sp.Ge, sp.Gt, sp.Le, sp.Lt)):
            return None
        lhs, rhs = part.lhs, part.rhs
        if lhs in box and rhs.is_number:
            symbol, value, lower = lhs, rhs, isinstance(part, (sp.Ge, sp.Gt))
        elif rhs in box and lhs.is_number:
            symbol, value, lower = rhs, lhs, isinstance(part, (sp.Le, sp.Lt))
        else:
            return None
        if lower:
            box[symbol][0] = sp.Max(box[symbol][0], value)
        else:
            box[symbol][1] = sp.Min(box[symbol][1], value)
    return {s: (b[0], b[1]) for s, b in box.items()}


# -- the three worlds ------------------------------------------------------------------------------------


def _is_z3(value: Any) -> bool:
    z3 = sys.modules.get("z3")
    return z3 is not None and isinstance(value, z3.ExprRef)


def _is_sympy(value: Any) -> bool:
    sympy = sys.modules.get("sympy")
    return sympy is not None and isinstance(value, sympy.Basic)


def _exact(value: Any) -> Fraction | None:
    """An exact rational for a Python, numpy or sympy number (a float is the rational it stores)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, Fraction):
        return value
    if _is_sympy(value):
        return Fraction(int(value.p), int(value.q)) if value.is_Rational else None
    mpmath = sys.modules.get("mpmath")
    if mpmath is not None and isinstance(value, mpmath.mpf):  # exactly, never through a float
        if not mpmath.isfinite(value):
            raise InvalidArgument(f"{value!r} is not a finite number; a claim is evaluated at finite points")
        mantissa, exponent = value.man_exp
        return Fraction(int(mantissa) * 2 ** int(exponent)) if exponent >= 0 else Fraction(int(mantissa),
                                                                                         2 ** -int(exponent))
    if isinstance(value, numbers.Integral):
        return Fraction(int(value))
    if isinstance(value, numbers.Real):
        number = float(value)
        if not math.isfinite(number):
            raise InvalidArgument(f"{value!r} is not a finite number; a claim is evaluated at finite points")
        return Fraction(number)
    if hasattr(value, "item") and getattr(value, "ndim", 1) == 0:  # a numpy scalar
        return _exact(value.item())
    return None


def _literal(value: Any) -> Fraction | None:
    """A constant written in the claim: a float literal means its decimal reading (0.1 is 1/10)."""
    if type(value) is float:  # a Python float, as written; a numpy float is a measured value
        return Fraction(repr(value))
    return _exact(value)


class _Number:
    """A number inside a claim evaluated at a point: exact rationals (or 50-digit mpmath after exp,
    log, sqrt), comparisons relaxed by the tolerance in force."""

    __slots__ = ("value", "tolerance")

    def __init__(self, value: Any, tolerance: Fraction) -> None:
        self.value, self.tolerance = value, tolerance

    @staticmethod
    def of(other: Any, tolerance: Fraction) -> _Number:
        if isinstance(other, _Number):
            return other
        exact = _literal(other)
        if exact is not None:
            return _Number(exact, tolerance)
        mpmath = sys.modules.get("mpmath")
        if mpmath is not None and isinstance(other, mpmath.mpf):
            return _Number(other, tolerance)
        if _is_sympy(other) and other.is_number:
            return _Number(_sympy_number(other), tolerance)
        raise InvalidCheck(f"{other!r} ({type(other).__name__}) cannot be mixed with numbers in a claim")

    def _pair(self, other: Any) -> tuple[Any, Any]:
        right = _Number.of(other, self.tolerance).value
        left = self.value
        if isinstance(left, Fraction) and isinstance(right, Fraction):
            return left, right
        import mpmath

        with mpmath.workdps(DIGITS):
            return _mpf(left), _mpf(right)

    def _arith(self, other: Any, operation: Callable[[Any, Any], Any], reflected: bool = False) -> _Number:
        left, right = self._pair(other)
        if reflected:
            left, right = right, left
        if isinstance(left, Fraction) and isinstance(right, Fraction):
            return _Number(operation(left, right), self.tolerance)
        import mpmath

        with mpmath.workdps(DIGITS):
            return _Number(operation(left, right), self.tolerance)

    def __add__(self, o): return self._arith(o, lambda a, b: a + b)
    def __radd__(self, o): return self._arith(o, lambda a, b: a + b, True)
    def __sub__(self, o): return self._arith(o, lambda a, b: a - b)
    def __rsub__(self, o): return self._arith(o, lambda a, b: a - b, True)
    def __mul__(self, o): return self._arith(o, lambda a, b: a * b)
    def __rmul__(self, o): return self._arith(o, lambda a, b: a * b, True)
    def __truediv__(self, o): return self._arith(o, lambda a, b: a / b)
    def __rtruediv__(self, o): return self._arith(o, lambda a, b: a / b, True)
    def __neg__(self): return _Number(-self.value, self.tolerance)
    def __pos__(self): return self
    def __abs__(self): return _Number(abs(self.value), self.tolerance)

    def __pow__(self, o):
        exponent = _Number.of(o, self.tolerance).value
        if isinstance(exponent, Fraction) and exponent.denominator == 1 and isinstance(self.value, Fraction):
            return _Number(self.value ** int(exponent), self.tolerance)
        import mpmath

        with mpmath.workdps(DIGITS):
            return _Number(mpmath.power(_mpf(self.value), _mpf(exponent)), self.tolerance)

    def __rpow__(self, o):
        return _Number.of(o, self.tolerance) ** self

    def _slack(self, a: Any, b: Any) -> Any:
        if not self.tolerance:
            return 0
        return self.tolerance * max(1, abs(a), abs(b)) if isinstance(a, Fraction) and isinstance(b, Fraction) else (
            _mpf(self.tolerance) * max(1, abs(a), abs(b)))

    def __le__(self, o): a, b = self._pair(o); return a <= b + self._slack(a, b)
    def __lt__(self, o): a, b = self._pair(o); return a < b + self._slack(a, b)
    def __ge__(self, o): a, b = self._pair(o); return a + self._slack(a, b) >= b
    def __gt__(self, o): a, b = self._pair(o); return a + self._slack(a, b) > b
    def __eq__(self, o): a, b = self._pair(o); return abs(a - b) <= self._slack(a, b)  # type: ignore[override]
    def __ne__(self, o): return not self.__eq__(o)  # type: ignore[override]
    __hash__ = None  # type: ignore[assignment]

    def __float__(self) -> float:
        return float(self.value)

    def __int__(self) -> int:
        return int(self.value)

    def __index__(self) -> int:
        if isinstance(self.value, Fraction) and self.value.denominator == 1:
            return int(self.value)
        raise TypeError(f"{self.value} is not an integer")

    def __repr__(self) -> str:
        return f"{self.value}"


def _mpf(value: Any) -> Any:
    import mpmath

    if isinstance(value, Fraction):
        return mpmath.mpf(value.numerator) / value.denominator
    return mpmath.mpf(value)


def _sympy_number(value: Any) -> Any:
    import sympy as sp

    if value.is_Rational:
        return Fraction(int(value.p), int(value.q))
    import mpmath

    with mpmath.workdps(DIGITS):
        return mpmath.mpf(str(sp.N(value, DIGITS + 10)))


class _Sequence:
    """A sequence or function parameter evaluated at a point: a list, an array, or a callable."""

    def __init__(self, values: Any, tolerance: Fraction) -> None:
        self.values, self.tolerance = values, tolerance

    def __call__(self, *arguments: Any) -> _Number:
        plain = [int(a) if isinstance(a, _Number) else a for a in arguments]
        value = self.values(*plain) if callable(self.values) else self.values[plain[0]]
        exact = _exact(value)  # a measured value (a numpy float included): the rational it stores
        return _Number(exact, self.tolerance) if exact is not None else _Number.of(value, self.tolerance)


def _number_parameter(value: Any, tolerance: Fraction) -> Any:
    if isinstance(value, bool):
        return value
    numpy = sys.modules.get("numpy")
    if numpy is not None and isinstance(value, numpy.bool_):
        return bool(value)
    if _exact(value) is not None:
        return _Number(_exact(value), tolerance)
    if callable(value) or (hasattr(value, "__getitem__") and not isinstance(value, str)):
        return _Sequence(value, tolerance)
    return _Number.of(value, tolerance)


def _short(value: Any) -> Any:
    exact = _exact(value)
    if exact is None:
        return value if isinstance(value, (bool, str, int)) else repr(value)
    return int(exact) if exact.denominator == 1 else float(exact)


def _truth(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    numpy = sys.modules.get("numpy")
    if numpy is not None and isinstance(value, numpy.bool_):
        return bool(value)
    raise InvalidCheck(f"the claim evaluated to {value!r}, not a truth value: compare, don't compute")


class _Symbolic:
    """A z3 or sympy term inside a claim: arithmetic and comparisons build the world's formula, and
    constants (Fraction, int, a float literal read as its decimal) become the world's exact ones."""

    __slots__ = ("term", "world")

    def __init__(self, term: Any, world: str) -> None:
        self.term, self.world = term, world

    def _const(self, value: Any) -> Any:
        if isinstance(value, _Symbolic):
            return value.term
        if isinstance(value, bool):
            return value
        exact = _literal(value)
        if exact is None:
            return value  # already a term of the world (a z3 or sympy expression)
        if self.world == "z3":
            import z3

            context = self.term.ctx
            return (z3.IntVal(exact.numerator, context) if exact.denominator == 1 and z3.is_int(self.term)
                    else z3.RealVal(f"{exact.numerator}/{exact.denominator}", context))
        import sympy as sp

        return sp.Rational(exact.numerator, exact.denominator)

    def _op(self, other: Any, operation: Callable[[Any, Any], Any], reflected: bool = False) -> _Symbolic:
        left, right = self.term, self._const(other)
        if reflected:
            left, right = right, left
        return _Symbolic(operation(left, right), self.world)

    def __add__(self, o): return self._op(o, lambda a, b: a + b)
    def __radd__(self, o): return self._op(o, lambda a, b: a + b, True)
    def __sub__(self, o): return self._op(o, lambda a, b: a - b)
    def __rsub__(self, o): return self._op(o, lambda a, b: a - b, True)
    def __mul__(self, o): return self._op(o, lambda a, b: a * b)
    def __rmul__(self, o): return self._op(o, lambda a, b: a * b, True)
    def __truediv__(self, o): return self._op(o, _divide)
    def __rtruediv__(self, o): return self._op(o, _divide, True)
    def __pow__(self, o): return self._op(o, lambda a, b: a ** b)
    def __rpow__(self, o): return self._op(o, lambda a, b: a ** b, True)
    def __neg__(self): return _Symbolic(-self.term, self.world)
    def __pos__(self): return self

    def __abs__(self):
        if self.world == "z3":
            import z3

            return _Symbolic(z3.If(self.term >= 0, self.term, -self.term), "z3")
        import sympy as sp

        return _Symbolic(sp.Abs(self.term), "sympy")

    def _rel(self, other: Any, name: str) -> _Symbolic:
        right = self._const(other)
        if self.world == "sympy":
            import sympy as sp

            table = {"le": sp.Le, "lt": sp.Lt, "ge": sp.Ge, "gt": sp.Gt, "eq": sp.Eq, "ne": sp.Ne}
            return _Symbolic(table[name](self.term, right), "sympy")
        table = {"le": lambda a, b: a <= b, "lt": lambda a, b: a < b, "ge": lambda a, b: a >= b,
                 "gt": lambda a, b: a > b, "eq": lambda a, b: a == b, "ne": lambda a, b: a != b}
        return _Symbolic(table[name](self.term, right), "z3")

    def __le__(self, o): return self._rel(o, "le")
    def __lt__(self, o): return self._rel(o, "lt")
    def __ge__(self, o): return self._rel(o, "ge")
    def __gt__(self, o): return self._rel(o, "gt")
    def __eq__(self, o): return self._rel(o, "eq")  # type: ignore[override]
    def __ne__(self, o): return self._rel(o, "ne")  # type: ignore[override]
    __hash__ = None  # type: ignore[assignment]

    def __bool__(self) -> bool:
        raise InvalidCheck("a claim used a symbolic comparison as a Python truth value (`if`, `and`, `or`, "
                           "`not`); write it with the connectives And, Or, Not, Implies, If of proofs.statement")

    def __call__(self, *arguments: Any) -> _Symbolic:  # a sequence parameter: a z3 function, a sympy Function
        if self.world == "z3" and not _is_z3(self.term):  # a z3 function declaration: constants of its argument sorts
            import z3

            terms = []
            for position, argument in enumerate(arguments):
                if isinstance(argument, _Symbolic) or _is_z3(argument):
                    terms.append(argument.term if isinstance(argument, _Symbolic) else argument)
                    continue
                exact = _literal(argument)
                sort = self.term.domain(position)
                terms.append(z3.IntVal(int(exact), sort.ctx) if sort.kind() == z3.Z3_INT_SORT
                             else z3.RealVal(f"{exact.numerator}/{exact.denominator}", sort.ctx))
            return _Symbolic(self.term(*terms), "z3")
        return _Symbolic(self.term(*[self._const(a) for a in arguments]), self.world)


def _divide(a: Any, b: Any) -> Any:
    """a / b as in the other worlds: the exact quotient. z3 divides two integers by `div`, so they are
    made reals first (n * (n + 1) / 2 is the same number in z3, sympy and at a point)."""
    if _is_z3(a) and _is_z3(b):
        import z3

        if z3.is_int(a) and z3.is_int(b):
            return z3.ToReal(a) / z3.ToReal(b)
    elif _is_z3(a) and isinstance(b, int) and z3_is_int(a):
        import z3

        return z3.ToReal(a) / b
    elif _is_z3(b) and isinstance(a, int) and z3_is_int(b):
        import z3

        return a / z3.ToReal(b)
    return a / b


def z3_is_int(term: Any) -> bool:
    import z3

    return z3.is_int(term)


def _symbolic(value: Any, world: str) -> Any:
    if isinstance(value, (_Symbolic, bool)):
        return value
    return _Symbolic(value, world)


def _unwrap(value: Any, world: str) -> Any:
    if isinstance(value, _Symbolic):
        return value.term
    if isinstance(value, bool) and world == "z3":
        return value
    return value


def _world(values: tuple[Any, ...]) -> str:
    for value in values:
        if isinstance(value, _Symbolic):
            return value.world
        if _is_z3(value):
            return "z3"
        if _is_sympy(value) and not value.is_number:
            return "sympy"
    return "number"


def _terms(values: tuple[Any, ...], world: str) -> list[Any]:
    if world == "number":
        return list(values)
    anchor = next(v for v in values if isinstance(v, _Symbolic) or _is_z3(v) or _is_sympy(v))
    anchor = anchor if isinstance(anchor, _Symbolic) else _Symbolic(anchor, world)
    return [anchor._const(v) for v in values]


# -- connectives, in every world ---------------------------------------------------------------------------


def And(*conditions: Any) -> Any:
    world = _world(conditions)
    if world == "number":
        return all(_truth(c) for c in conditions)
    terms = _terms(conditions, world)
    if world == "z3":
        import z3

        return _Symbolic(z3.And(*terms), "z3")
    import sympy as sp

    return _Symbolic(sp.And(*terms), "sympy")


def Or(*conditions: Any) -> Any:
    world = _world(conditions)
    if world == "number":
        return any(_truth(c) for c in conditions)
    terms = _terms(conditions, world)
    if world == "z3":
        import z3

        return _Symbolic(z3.Or(*terms), "z3")
    import sympy as sp

    return _Symbolic(sp.Or(*terms), "sympy")


def Not(condition: Any) -> Any:
    world = _world((condition,))
    if world == "number":
        return not _truth(condition)
    (term,) = _terms((condition,), world)
    if world == "z3":
        import z3

        return _Symbolic(z3.Not(term), "z3")
    import sympy as sp

    return _Symbolic(sp.Not(term), "sympy")


def Implies(premise: Any, conclusion: Any) -> Any:
    world = _world((premise, conclusion))
    if world == "number":
        return (not _truth(premise)) or _truth(conclusion)
    a, b = _terms((premise, conclusion), world)
    if world == "z3":
        import z3

        return _Symbolic(z3.Implies(a, b), "z3")
    import sympy as sp

    return _Symbolic(sp.Implies(a, b), "sympy")


def Iff(left: Any, right: Any) -> Any:
    world = _world((left, right))
    if world == "number":
        return _truth(left) == _truth(right)
    a, b = _terms((left, right), world)
    if world == "z3":
        return _Symbolic(a == b, "z3")
    import sympy as sp

    return _Symbolic(sp.Equivalent(a, b), "sympy")


def If(condition: Any, then: Any, otherwise: Any) -> Any:
    world = _world((condition, then, otherwise))
    if world == "number":
        return then if _truth(condition) else otherwise
    c, a, b = _terms((condition, then, otherwise), world)
    if world == "z3":
        import z3

        return _Symbolic(z3.If(c, a, b), "z3")
    import sympy as sp

    return _Symbolic(sp.Piecewise((a, c), (b, True)), "sympy")


def _function(name: str, value: Any) -> Any:
    world = _world((value,))
    if world == "z3":
        raise NotExpressible(f"{name} has no z3 form: state the claim with a substitution (x = e^Δ), or check it "
                             f"with sympy or interval arithmetic")
    if world == "sympy":
        import sympy as sp

        (term,) = _terms((value,), world)
        return _Symbolic(getattr(sp, name)(term), "sympy")
    number = _Number.of(value, value.tolerance if isinstance(value, _Number) else Fraction(0))
    import mpmath

    with mpmath.workdps(DIGITS):
        return _Number(getattr(mpmath, name)(_mpf(number.value)), number.tolerance)


def exp(value: Any) -> Any:
    return _function("exp", value)


def log(value: Any) -> Any:
    return _function("log", value)


def sqrt(value: Any) -> Any:
    return _function("sqrt", value)


_RECURSIONS: contextvars.ContextVar[dict] = contextvars.ContextVar("proofs_claim_recursions", default={})


def _range_world(upper: Any) -> str:
    return _world((upper,))


def Sum(term: Callable[[Any], Any], upper: Any, start: int = 0) -> Any:
    """Σ_{k = start}^{upper} term(k): a loop on numbers, sympy's Sum, or in z3 a recursion the
    induction and the exact evaluator share (`q.recursive_function`)."""
    return _over_range("Sum", term, upper, start)


def All(fact: Callable[[Any], Any], upper: Any, start: int = 0) -> Any:
    """fact(k) for every k = start … upper: all() on numbers, or in z3 a Boolean recursion."""
    return _over_range("All", fact, upper, start)


def _over_range(kind: str, function: Callable[[Any], Any], upper: Any, start: int) -> Any:
    world = _range_world(upper)
    if world == "number":
        last = int(upper)
        tolerance = upper.tolerance if isinstance(upper, _Number) else Fraction(0)
        values = [function(_Number(Fraction(k), tolerance)) for k in range(start, last + 1)]
        if kind == "All":
            return all(_truth(v) for v in values)
        total: Any = _Number(Fraction(0), tolerance)
        for value in values:
            total = total + value
        return total
    if world == "sympy":
        import sympy as sp

        k = sp.Symbol(f"k_{kind.lower()}", integer=True)
        body = _unwrap(function(_Symbolic(k, "sympy")), "sympy")
        (bound,) = _terms((upper,), "sympy")
        if kind == "All":
            raise NotExpressible("All has no sympy form here; state the per-term fact as its own goal")
        return _Symbolic(sp.Sum(body, (k, start, bound)), "sympy")
    query = _QUERY.get()
    if query is None:
        raise NotExpressible(f"{kind} in z3 needs the query the claim is built in (q.prove_claim or q.use)")
    import z3

    (bound,) = _terms((upper,), "z3")
    step_term = lambda k: _unwrap(function(_Symbolic(k, "z3")), "z3")  # noqa: E731
    start_value = z3.IntVal(start, bound.ctx)
    # one recursion per distinct sum: the same Σ in a used fact and in the claim is the same function,
    # or the solver could tell them apart where only their definitions (asserted in inductions) tie them
    canonical = step_term(z3.Int("claim!k", bound.ctx))
    key = (kind, start, canonical.sexpr() if z3.is_expr(canonical) else repr(canonical))
    memo = query.__dict__.setdefault("claim_recursions", {})
    if key in memo:
        return _Symbolic(memo[key](bound), "z3")
    name = f"claim_{kind.lower()}{len(memo) + 1}"
    if kind == "Sum":  # a real-valued sum: integer terms are made reals, so base and step have its sort
        real = lambda value: z3.ToReal(value) if z3.is_expr(value) and z3.is_int(value) else value  # noqa: E731
        recursion = query.recursive_function(name, start=start, base=real(step_term(start_value)),
                                             step=lambda k, prev: prev + real(step_term(k)))
    else:
        recursion = query.recursive_function(name, start=start, base=step_term(start_value),
                                             step=lambda k, prev: z3.And(prev, step_term(k)), sort="Bool")
    memo[key] = recursion
    return _Symbolic(recursion(bound), "z3")


def _z3_bool(value: Any, variables: Mapping[str, Any]) -> Any:
    """A z3 formula even where the claim's callable gave a Python bool (a `where` with no
    condition, `lambda ...: True`): the Coq export and `z3.is_true` read formulas, not bools."""
    if not isinstance(value, bool):
        return value
    import z3

    context = next((v.ctx for v in variables.values() if z3.is_expr(v)), None)
    return z3.BoolVal(value, ctx=context)
