"""Building a z3 goal: what a check calls (`q.reals`, `q.domain`, `q.given`, `q.prove`, `q.use`,
`q.recursive_function`, `q.induction`). Nothing here solves or decides; `proofs.smt.engine` runs
the goal and `proofs.kernel` decides."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from proofs.errors import InvalidCheck, SolverMissing

try:
    import z3
except ImportError:  # reported per check as a clear error, see `SolverMissing`
    z3 = None


def _require_z3() -> None:
    if z3 is None:
        raise SolverMissing("z3 is not installed: `pip install z3-solver` (it is a dependency of this package)")


def version() -> str | None:
    return z3.get_version_string() if z3 is not None else None


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
        constants, _ = symbols_of(used)
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


# -- points that meet the hypotheses ------------------------------------------------------------------


def symbols_of(query: Query) -> tuple[list[Any], list[Any]]:
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


def loosened(query: Query, hypotheses: list[Any], claim: Any = None) -> Query:
    """The same query with other hypotheses (and, if given, another claim)."""
    loose = Query(query.context)
    loose.premises, loose.claim = list(hypotheses), query.claim if claim is None else claim
    loose.recursive = dict(query.recursive)
    return loose
