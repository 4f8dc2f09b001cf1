"""Building a z3 goal: what a check calls (`q.reals`, `q.domain`, `q.given`, `q.prove`, `q.use`,
`q.recursive_function`, `q.induction`). Nothing here solves or decides; `proofs.smt.engine` runs
the goal and `proofs.kernel` decides."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from proofs.errors import InvalidCheck, SolverMissing
from proofs.statement import note_goal

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
        self.declared: Any = None  # the lemma's declared claim (proofs.statement.Claim), for q.prove_claim
        self.built_from_claim: dict[str, Any] | None = None  # set by q.prove_claim
        self.cited: list[dict[str, Any]] = []  # instances of cited axioms taken by q.use: for the Coq re-check

    @classmethod
    def of(cls, check: Any) -> "Query":
        """The query a z3 check builds, as the engine runs it: the lemma's declared claim is there
        for `q.prove_claim`."""
        query = cls()
        query.declared = check.claim
        check.fn(query)
        return query

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
        A hypothesis that does not mention n is assumed throughout; one that does is carried by
        the induction: the step proves (H(n) ⟹ P(n)) ∧ H(n+1) ⟹ P(n+1), which is sound whatever H."""
        if not z3.is_int(variable):
            raise InvalidCheck(f"q.induction({variable}): the induction variable must be an integer (q.ints)")
        self.induction_variable, self.induction_start = variable, int(start)

    def _variable(self, name: str, sort: tuple[str, ...]) -> Any:
        table = {"Int": z3.IntSort, "Real": z3.RealSort, "Bool": z3.BoolSort}
        if len(sort) == 1:
            return z3.Const(name, table[sort[0]](self.context))
        return z3.Function(name, *[table[s](self.context) for s in sort])

    def _claim_terms(self, claim: Any, bindings: dict[str, Any], fresh: Callable[[str], str],
                     label: str) -> tuple[dict[str, Any], list[str]]:
        """One z3 term per parameter of `claim`: the binding (checked against the parameter's sort),
        or a fresh variable. Returns the terms and the names of the bindings that are not plain
        variables (an instance, not a renaming)."""
        unknown = sorted(set(bindings) - set(claim.parameters))
        if unknown:
            raise InvalidCheck(f"{label}: the claim has no parameter(s) {unknown}; it has {list(claim.parameters)}")
        terms, instances = {}, []
        for name in claim.parameters:
            sort = claim.sort(name)
            if name not in bindings:
                terms[name] = self._variable(fresh(name), sort)
                continue
            target = bindings[name]
            if len(sort) > 1:
                if not isinstance(target, z3.FuncDeclRef) or target.arity() != len(sort) - 1:
                    raise InvalidCheck(f"{label}: {name}={target!r} must be a z3 function of {len(sort) - 1} "
                                       f"argument(s) (q.function), as the claim declares sorts[{name!r}]={sort}")
                terms[name] = target
                continue
            if not z3.is_expr(target):  # a number: the constant of the parameter's sort
                target = (z3.IntVal(int(target), self.context) if sort[0] == "Int"
                          else z3.RealVal(str(target), self.context) if sort[0] == "Real" else z3.BoolVal(bool(target), self.context))
                instances.append(name)
            expected = {"Int": z3.is_int, "Real": z3.is_arith, "Bool": z3.is_bool}[sort[0]]
            if not expected(target):
                raise InvalidCheck(f"{label}: {name}={target} has sort {target.sort()}, but the claim's parameter "
                                   f"{name!r} is {sort[0]}")
            if name not in instances and not (z3.is_const(target) and target.decl().kind() == z3.Z3_OP_UNINTERPRETED):
                instances.append(name)
            terms[name] = target
        return terms, instances

    def prove_claim(self, **bindings: Any) -> Any:
        """Prove the lemma's declared claim itself: its `where` becomes the domain and its relation
        the claim, over variables named after its parameters (or the query's own variables, given
        as bindings: `q.prove_claim(x=x)`). The goal is then *the* claim, and the card says so;
        binding a parameter to an expression or a number, or adding premises with `q.given`,
        proves an instance of it instead, which the card says too. `q.induction(n, start)` after
        it proves the claim by induction on an integer parameter."""
        claim = self.declared
        if claim is None:
            raise InvalidCheck("q.prove_claim(): the lemma declares no claim=proofs.Claim(...) to prove")
        terms, instances = self._claim_terms(claim, bindings, lambda name: name, "q.prove_claim()")
        names = [t.decl().name() for n, t in terms.items() if n not in instances and z3.is_expr(t)]
        if len(set(names)) != len(names):
            instances.append("two parameters bound to one variable")
        where, holds = claim.z3(terms, self)
        constraints = list(where.children()) if z3.is_and(where) else ([] if z3.is_true(where) else [where])
        self.domain(*constraints)
        self.prove(holds)
        self.built_from_claim = {"lemma": claim.lemma_id, "instances": instances,
                                 "hypotheses": len(self.domain_constraints) + len(self.premises),
                                 "where": len(constraints)}
        note_goal(claim.lemma_id, "z3", query=self)
        return holds

    def claim_link(self) -> dict[str, Any] | None:
        """How this goal relates to the lemma's declared claim, once the check has stated it all:
        'built' (the goal is the claim: its domain is the claim's where, plus facts drawn on with
        q.use, and its variables are the claim's parameters), 'instance' (with why), or None."""
        if self.built_from_claim is None:
            return None
        record = self.built_from_claim
        used = {id(f) for f in self.used_facts}
        extra_domain = len(self.domain_constraints) - record["where"]
        extra_premises = [p for p in self.premises if id(p) not in used]
        reasons = []
        if record["instances"]:
            reasons.append(f"parameters bound to expressions: {record['instances']}")
        if extra_domain > 0:
            reasons.append(f"{extra_domain} domain constraint(s) beyond the claim's where")
        if extra_premises:
            reasons.append(f"premises beyond the claim: {[str(p) for p in extra_premises]}")
        if self.existential:
            reasons.append("stated as an existential")
        if reasons:
            return {"lemma": record["lemma"], "link": "instance", "why": "; ".join(reasons)}
        return {"lemma": record["lemma"], "link": "built", "why": "the goal is the declared claim"}

    def use(self, other: Any, *, check: str | None = None, **bindings: Any) -> Any:
        """Take another lemma's (or a cited axiom's) statement as a premise, by reference, the way
        Knuckledragger's `prove(thm, by=[p])` takes proofs, never as a retyped copy.

        When `other` declares a claim (`claim=proofs.Claim(...)`, a lemma or an axiom), the premise
        is that claim, `where ⟹ holds`, at the bindings: each binding must have the parameter's
        sort, and a parameter left unbound becomes a fresh variable the solver may choose. This
        works whatever proved the other claim (an induction included). Otherwise the statement is
        rebuilt from the other lemma's own z3 check (a universal claim without induction).

        `bindings` map the other statement's variable names to expressions of this query
        (`x=a + b, n=count`). The other lemma must be in this lemma's `uses=`, and its verdict
        decides whether this one is fully proved."""
        if getattr(other, "claim", None) is not None and check is None:
            label = f"q.use({other.id!r})"
            prefix = other.id.replace(".", "_")
            terms, _ = self._claim_terms(other.claim, bindings, lambda name: f"{prefix}!{name}", label)
            where, holds = other.claim.z3(terms, self)
            fact = holds if z3.is_true(where) else z3.Implies(where, holds)
            self.premises.append(fact)
            self.used_facts.append(fact)
            self.drawn_on.append(f"{other.id}/claim")
            if getattr(other, "is_axiom", False):  # its general form, for a re-check that states it as an Axiom
                generic = {name: self._variable(f"{prefix}!{name}", other.claim.sort(name))
                           for name in other.claim.parameters}
                general_where, general_holds = other.claim.z3(generic, self)
                self.cited.append({"id": other.id, "reference": other.reference, "variables": list(generic.values()),
                                   "hypotheses": [] if z3.is_true(general_where) else [general_where],
                                   "claim": general_holds, "premise": fact,
                                   "bindings": {generic[name].decl().name(): terms[name] for name in generic
                                                if z3.is_expr(generic[name])}})
            return fact
        if getattr(other, "is_axiom", False):
            raise InvalidCheck(f"q.use({other.id!r}): the axiom declares no claim=proofs.Claim(...), so there is no "
                               f"statement to instantiate; declare its claim, or cite it through uses= only")
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
