"""z3 goals stated in Coq: universal claims, existential claims with their witness, and inductions
with their recursive definitions.

    goal = from_z3.universal("mine.half/algebra", hypotheses=[n >= 1, x >= n], claim=x / (x + n) >= 0.5,
                             points=[{"x": 2, "n": 1}])

The translation keeps the suite's names (renamed only where Coq would not accept them, which the
goal's notes say) and writes the claim the way z3 was asked it:

- Real is Coq's `R`, Int is `Z`, and a Boolean is a proposition (`Prop`): `=` between Booleans
  is `<->`, and `(ite c a b)` is the prelude's `ite c a b`, which branches on the proposition c.
- An uninterpreted function is a variable of function type (`r : Z -> R`); one with a Boolean
  argument has no translation (Coq would need propositional extensionality to match z3).
- Division: z3's x/0 is some unspecified value, Coq's is 0 (`Rinv_0`). z3 proved the claim for
  every value of x/0, so in particular for 0: the Coq statement is an instance of what z3 proved,
  and at every point where no denominator vanishes the two say the same. The goal's notes record
  it when a denominator is not a constant.
- Integer division and remainder agree between SMT-LIB (Euclidean) and Coq (`Z.div`, `Z.modulo`,
  floor) only for a positive divisor: a positive constant divisor is translated, any other is not.
- Powers with a constant natural exponent are Coq's `^`; any other power has no translation;
  so have quantifiers, `to_int`, `is_int` and any other operator, each named in `missing`.

`points` are assignments where the suite's exact evaluation found the hypotheses and the claim
true (a cross-check point, a witness, a model). Each becomes a closed instance of the statement
that Coq is asked to refute: if it can, the translation says something other than what z3 proved.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable, Iterable, Mapping, Sequence

from proofs.coq import text as t
from proofs.coq.goals import CitedAxiom, CoqGoal, Missing

try:
    import z3
except ImportError:  # the caller's engine needs z3 anyway; this module is only imported with it
    z3 = None


def portfolio(features: set[str], *, equation: bool = False, prefix: str = "prepare",
              reals: Sequence[str] = ()) -> tuple[str, ...]:
    """The scripts tried on a goal, cheapest first, chosen by what the goal contains.

    Each starts with `prefix` (`prepare`: intros, the two cases of each ite, each quotient named)
    and ends with a decision procedure for the arithmetic left: lra for reals, lia for integers,
    both after `integers_as_reals` when they mix, nra and nia when it is nonlinear. Between them,
    only where the goal needs it: `intuition` for propositions that are z3 Booleans, then a split
    on each of them (`case_props`); the squares of differences of its products
    (`square_products`) or of its real variables (`reals`) for nra; Ackermann's congruence facts
    for function applications (`ackermann`, the dearest, last); `field` first for an equation."""
    real, integer = "R" in features, "Z" in features
    nonlinear, props, functions = "nonlinear" in features, "prop" in features, "function" in features
    scripts = []
    if equation and real:  # field reads the quotients itself; its side conditions (d <> 0) by lra or nra
        unnamed = prefix.replace("prepare", "intros; split_ites; try contradiction")
        scripts = [f"{unnamed}; field; try lra", f"{unnamed}; field; try nra"]
    if real:
        linear = ["lra"] + (["integers_as_reals; lra"] if integer else [])
        deciders = [*linear, *(["nra"] + (["integers_as_reals; nra"] if integer else []) if nonlinear else [])]
    elif integer:
        deciders = ["lia"] + (["nia"] if nonlinear else [])
    else:
        deciders = ["tauto"]
    for decider in deciders:
        scripts.append(f"{prefix}; {decider}")
        if props and decider != "tauto":  # intuition takes the propositions apart, the decider the arithmetic
            head, _, last = decider.rpartition("; ")
            scripts.append(f"{prefix}; {head + '; ' if head else ''}intuition {last}")
    if real and integer:
        scripts.append(f"{prefix}; lia")
    if nonlinear and real:
        scripts.append(f"{prefix}; square_products; {'integers_as_reals; ' if integer else ''}nra")
        pairs = [(a, b) for i, a in enumerate(reals) for b in reals[i + 1:]]
        if pairs and len(reals) <= 6:
            hints = "; ".join(f"pose proof (Rle_0_sqr ({a} - {b}))" for a, b in pairs)
            scripts.append(f"{prefix}; {hints}; unfold Rsqr in *; nra")
    if props:
        scripts.append(f"{prefix}; case_props; {deciders[-1]}")
    if functions:
        scripts.append(f"{prefix}; {'case_props; ' if props else ''}ackermann; {deciders[0]}")
    return tuple(dict.fromkeys(scripts))


_PLANTED_FLIP = False  # test-only: turn every ≤ into ≥ (and < into >) in the claim, a translation bug


class planted_flip:
    """Context manager for tests: the exporter flips each comparison of the claim, a planted
    translation bug that the instance check must catch as a conflict."""

    def __enter__(self) -> None:
        global _PLANTED_FLIP
        _PLANTED_FLIP = True

    def __exit__(self, *exc: object) -> None:
        global _PLANTED_FLIP
        _PLANTED_FLIP = False


_FLIPPED = {"<=": ">=", ">=": "<=", "<": ">", ">": "<"}


@dataclass(frozen=True)
class Recursion:
    """F(start) = base; F(k) = step for k > start, with `step` written on `index` (k) and
    `previous` (F(k−1)): the shape of `smt.Query.recursive_function`."""

    function: Any
    start: int
    base: Any
    index: Any
    previous: Any
    step: Any


@dataclass(frozen=True)
class UsedAxiom:
    """A premise that is an instance of a cited axiom: the axiom is stated once in Coq as an
    `Axiom` (`hypotheses ⟹ claim` over `variables`), and the goal takes it from there instead of
    as a premise, so `Print Assumptions` lists it. `premise` is the premise as the query has it;
    `bindings` map each of the axiom's variables (by name) to an expression of the goal."""

    name: str
    reference: str
    variables: Sequence[Any]
    hypotheses: Sequence[Any]
    claim: Any
    premise: Any
    bindings: Mapping[str, Any]
    source: str = ""


def _kind(sort: Any, missing: Missing) -> str:
    if sort.kind() == z3.Z3_REAL_SORT:
        return t.REAL
    if sort.kind() == z3.Z3_INT_SORT:
        return t.INTEGER
    if sort.kind() == z3.Z3_BOOL_SORT:
        return t.PROP
    missing.add(f"the sort {sort}")
    return t.REAL


class _Writer:
    """Writes z3 expressions as Coq terms, with the names of one goal."""

    def __init__(self, missing: Missing) -> None:
        self.missing = missing
        self.taken: set[str] = set()
        self.names: dict[str, str] = {}  # z3 name → Coq identifier
        self.types: dict[str, str] = {}  # Coq identifier → its Coq type
        self.order: list[str] = []  # the z3 names of the free symbols, in order of appearance
        self.substitute: dict[int, t.Term] = {}  # z3 ast id → a term written in its place
        self.values: Mapping[str, Any] | None = None  # an instance: the value of each free symbol
        self.flip = False
        self.denominators: list[str] = []
        self.features: set[str] = set()  # what the portfolio is chosen by: real, integer, nonlinear, prop, …

    # -- names ---------------------------------------------------------------------------------
    def declare(self, declaration: Any) -> str:
        name = declaration.name()
        if name not in self.names:
            identifier = t.identifier(name, self.taken)
            if identifier != name:
                self.missing.note(f"the variable {name} is {identifier} in Coq")
            self.names[name] = identifier
            self.order.append(name)
            domain = [_coq_type(_kind(declaration.domain(i), self.missing)) for i in range(declaration.arity())]
            if declaration.arity():
                self.features.add("function")
            if any(declaration.domain(i).kind() == z3.Z3_BOOL_SORT for i in range(declaration.arity())):
                self.missing.add("a function with a Boolean argument")
            result = _coq_type(_kind(declaration.range(), self.missing))
            self.types[identifier] = " -> ".join([*domain, result])
        return self.names[name]

    def fresh(self, wanted: str) -> str:
        return t.identifier(wanted, self.taken)

    # -- terms ---------------------------------------------------------------------------------
    def term(self, expr: Any) -> t.Term:
        replaced = self.substitute.get(expr.get_id())
        if replaced is not None:
            return replaced
        if z3.is_quantifier(expr) or z3.is_var(expr):
            self.missing.add("a quantifier")
            return t.Term("?")
        if z3.is_true(expr):
            return t.Term("True", t.ATOM, t.PROP)
        if z3.is_false(expr):
            return t.Term("False", t.ATOM, t.PROP)
        if z3.is_int_value(expr):
            return t.number(expr.as_long(), t.INTEGER)
        if z3.is_rational_value(expr):
            return t.number(Fraction(expr.numerator_as_long(), expr.denominator_as_long()), t.REAL)
        if z3.is_algebraic_value(expr):
            self.missing.add("an algebraic number")
            return t.Term("?")
        declaration = expr.decl()
        kind = declaration.kind()
        if kind == z3.Z3_OP_UNINTERPRETED:
            return self._symbol(expr)
        children = [self.term(child) for child in expr.children()]
        sort = _kind(expr.sort(), self.missing)
        if sort in (t.REAL, t.INTEGER):
            self.features.add(sort)
        if kind == z3.Z3_OP_MUL and sum(_constant(child) is None for child in expr.children()) > 1:
            self.features.add("nonlinear")
        if kind in (z3.Z3_OP_ADD, z3.Z3_OP_SUB, z3.Z3_OP_MUL):
            operator, level = {z3.Z3_OP_ADD: ("+", t.SUM), z3.Z3_OP_SUB: ("-", t.SUM),
                               z3.Z3_OP_MUL: ("*", t.PRODUCT)}[kind]
            result = children[0]
            for child in children[1:]:
                result = t.arithmetic(result, operator, child, level)
            return result
        if kind == z3.Z3_OP_UMINUS:
            return t.negation(children[0])
        if kind == z3.Z3_OP_DIV:
            if not z3.is_rational_value(expr.arg(1)):
                self.denominators.append(children[1].alone())
                self.features.add("nonlinear")
            return t.arithmetic(children[0], "/", children[1], t.PRODUCT)
        if kind in (z3.Z3_OP_IDIV, z3.Z3_OP_MOD):
            divisor = expr.arg(1)
            if not (z3.is_int_value(divisor) and divisor.as_long() > 0):
                self.missing.add("integer division or remainder by a divisor that is not a positive constant")
            function = "Z.div" if kind == z3.Z3_OP_IDIV else "Z.modulo"
            return t.Term(f"{function} {children[0].at(t.APPLICATION - 1, t.INTEGER)} "
                          f"{children[1].at(t.APPLICATION - 1, t.INTEGER)}", t.APPLICATION, t.INTEGER, t.INTEGER)
        if kind == z3.Z3_OP_POWER:
            exponent = expr.arg(1)
            value = _constant(exponent)
            if value is None or value.denominator != 1 or value < 0:
                self.missing.add("a power whose exponent is not a natural constant")
                return t.Term("?")
            if value > 1 and _constant(expr.arg(0)) is None:
                self.features.add("nonlinear")
            return t.power(children[0], int(value))
        if kind == z3.Z3_OP_TO_REAL:
            if z3.is_int_value(expr.arg(0)):  # a constant made real: the real literal lra and field read
                return _value_term(Fraction(expr.arg(0).as_long()), t.REAL)
            return t.application("IZR", children, t.REAL)
        if kind in (z3.Z3_OP_LE, z3.Z3_OP_LT, z3.Z3_OP_GE, z3.Z3_OP_GT):
            operator = {z3.Z3_OP_LE: "<=", z3.Z3_OP_LT: "<", z3.Z3_OP_GE: ">=", z3.Z3_OP_GT: ">"}[kind]
            if self.flip:
                operator = _FLIPPED[operator]
            return t.comparison(children[0], operator, children[1])
        if kind in (z3.Z3_OP_EQ, z3.Z3_OP_IFF):
            if children[0].kind == t.PROP:
                return t.iff(children[0], children[1])
            return t.comparison(children[0], "=", children[1])
        if kind == z3.Z3_OP_DISTINCT:
            pairs = [(a, b) for i, a in enumerate(children) for b in children[i + 1:]]
            if children[0].kind == t.PROP:
                return t.connective([t.neg(t.iff(a, b)) for a, b in pairs], "/\\", t.AND, "True")
            return t.connective([t.comparison(a, "<>", b) for a, b in pairs], "/\\", t.AND, "True")
        if kind == z3.Z3_OP_AND:
            return t.connective(children, "/\\", t.AND, "True")
        if kind == z3.Z3_OP_OR:
            return t.connective(children, "\\/", t.OR, "False")
        if kind == z3.Z3_OP_NOT:
            return t.neg(children[0])
        if kind == z3.Z3_OP_IMPLIES:
            return t.implication(children[0], children[1])
        if kind == z3.Z3_OP_XOR:
            return t.neg(t.iff(children[0], children[1]))
        if kind == z3.Z3_OP_ITE:
            self.features.add("ite")
            condition, then, otherwise = children
            parts = [condition.at(t.APPLICATION - 1, t.REAL),
                     then.at(t.APPLICATION - 1, t.REAL), otherwise.at(t.APPLICATION - 1, t.REAL)]
            if then.kind == t.INTEGER:  # the branches must be read as integers, the condition as it is
                parts[1:] = [then.at(t.APPLICATION - 1, None), otherwise.at(t.APPLICATION - 1, None)]
            return t.Term(f"ite {' '.join(parts)}", t.APPLICATION, sort, t.REAL if condition.scope == t.REAL else None)
        self.missing.add(f"the operator {declaration.name()}")
        return t.Term("?")

    def _symbol(self, expr: Any) -> t.Term:
        declaration = expr.decl()
        name = declaration.name()
        kind = _kind(expr.sort(), self.missing)
        arguments = [self.term(child) for child in expr.children()]
        if self.values is not None:
            value = _instance_value(self.values, name, [_constant(child, self.values) for child in expr.children()])
            if value is not None:
                return _value_term(value, kind)
        identifier = self.declare(declaration)
        self.features.add("prop" if kind == t.PROP else kind)
        return t.application(identifier, arguments, kind)

    def binders(self, names: Iterable[str] | None = None) -> str:
        """`(x n : R) (r : Z -> R)`: the symbols in order of appearance, grouped by type."""
        groups: list[tuple[str, list[str]]] = []
        for name in (self.order if names is None else names):
            identifier = self.names[name]
            kind = self.types[identifier]
            if groups and groups[-1][0] == kind:
                groups[-1][1].append(identifier)
            else:
                groups.append((kind, [identifier]))
        return " ".join(f"({' '.join(ids)} : {kind})" for kind, ids in groups)


def _coq_type(kind: str) -> str:
    return {t.REAL: "R", t.INTEGER: "Z", t.PROP: "Prop"}[kind]


# -- constants and instances ---------------------------------------------------------------------


def _constant(expr: Any, values: Mapping[str, Any] | None = None) -> Fraction | bool | None:
    """The value of a closed integer or rational expression (numerals, + − ×, and the variables
    given in `values`), or None: how an instance finds which entry of a function table it reads."""
    if z3.is_int_value(expr):
        return Fraction(expr.as_long())
    if z3.is_rational_value(expr):
        return Fraction(expr.numerator_as_long(), expr.denominator_as_long())
    if z3.is_true(expr) or z3.is_false(expr):
        return z3.is_true(expr)
    if not z3.is_app(expr):
        return None
    kind = expr.decl().kind()
    if kind == z3.Z3_OP_UNINTERPRETED and expr.num_args() == 0:
        value = (values or {}).get(expr.decl().name())
        return _as_number(value)
    parts = [_constant(child, values) for child in expr.children()]
    if any(p is None or isinstance(p, bool) for p in parts):
        return None
    if kind == z3.Z3_OP_ADD:
        return sum(parts, Fraction(0))
    if kind == z3.Z3_OP_SUB:
        return parts[0] - sum(parts[1:], Fraction(0))
    if kind == z3.Z3_OP_MUL:
        result = Fraction(1)
        for p in parts:
            result *= p
        return result
    if kind == z3.Z3_OP_UMINUS:
        return -parts[0]
    if kind == z3.Z3_OP_TO_REAL:
        return parts[0]
    return None


def _as_number(value: Any) -> Fraction | bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, Fraction)):
        return Fraction(value)
    if isinstance(value, float):
        return Fraction(value)
    return None


def _instance_value(values: Mapping[str, Any], name: str, arguments: list[Any]) -> Fraction | bool | None:
    """The value of symbol `name` at `arguments` in an instance: a number for a constant, an entry
    of the table for a function (a mapping from argument tuples, or {"entries": [[*args, value]],
    "else": value} as the suite's plain counterexamples give it, or an object with `.entries`)."""
    value = values.get(name)
    if value is None:
        return None
    if not arguments:
        return _as_number(value)
    if any(a is None for a in arguments):
        return None
    key = tuple(arguments)
    table, otherwise = _table(value)
    for entry_key, entry_value in table:
        if tuple(_as_number(k) for k in entry_key) == key:
            return _as_number(entry_value)
    return _as_number(otherwise) if otherwise is not None else None


def _table(value: Any) -> tuple[list[tuple[tuple, Any]], Any]:
    if isinstance(value, Mapping) and "entries" in value:
        rows = [(tuple(row[:-1]), row[-1]) for row in value["entries"]]
        return rows, value.get("else")
    if isinstance(value, Mapping) and "values" in value:  # a recursive function, by its computed values
        return [((Fraction(k),), v) for k, v in value["values"].items()], None
    entries = getattr(value, "entries", None)
    if isinstance(entries, Mapping):
        return [((k if isinstance(k, tuple) else (k,)), v) for k, v in entries.items()], getattr(value, "otherwise", None)
    memo = getattr(value, "memo", None)
    if isinstance(memo, Mapping):
        return [((k,), v) for k, v in memo.items()], None
    if isinstance(value, Mapping):
        return [((k if isinstance(k, tuple) else (k,)), v) for k, v in value.items()], None
    return [], None


def _value_term(value: Fraction | bool, kind: str) -> t.Term:
    if isinstance(value, bool):
        return t.Term("True" if value else "False", t.ATOM, t.PROP)
    return t.number(value, kind)


# -- statements ----------------------------------------------------------------------------------


def _lines(premises: list[t.Term], conclusion: t.Term, indent: str = "  ") -> str:
    parts = [f"{indent}{t.arrow_operand(p)} ->" for p in premises]
    return "\n".join([*parts, f"{indent}{t.arrow_operand(conclusion, t.ARROW)}"])


def _forall(binders: str, body: str) -> str:
    return f"forall {binders},\n{body}" if binders else body.lstrip()


def _check_z3() -> None:
    if z3 is None:
        raise ImportError("z3 is not installed: `pip install z3-solver`")


def _name(label: str) -> str:
    """The Coq name of a goal's Lemma: the check's name (the last parts of its label)."""
    parts = label.split("/")[1:] or [label]
    return t.identifier("__".join(parts), set())


def universal(label: str, hypotheses: Sequence[Any], claim: Any, *, points: Iterable[Mapping[str, Any]] = (),
              axioms: Sequence[UsedAxiom] = (), evaluate: Callable[[Any, Mapping[str, Any]], Any] | None = None,
              used: Mapping[int, str] | None = None) -> CoqGoal:
    """∀ variables: hypotheses ⟹ claim. `points` are where the hypotheses and the claim hold
    (checked again here by `evaluate`, the suite's exact evaluator, when given); `axioms` are
    premises that are instances of cited axioms; `used` maps the position of a premise that is
    another lemma's statement (`q.use`) to that lemma's check, written beside it in a comment."""
    _check_z3()
    missing = Missing()
    writer = _Writer(missing)
    kept = [(i, h) for i, h in enumerate(hypotheses) if not any(h.eq(a.premise) for a in axioms)]
    premises = []
    for position, hypothesis in kept:
        term = writer.term(hypothesis)
        if used and position in used:
            term = t.Term(f"{t.arrow_operand(term)} {t.comment('the statement of ' + used[position])}", t.ARROW - 1,
                          t.PROP, term.scope)
        premises.append(term)
    writer.flip = _PLANTED_FLIP
    conclusion = writer.term(claim)
    writer.flip = False
    body = _lines(premises, conclusion)
    used = [_axiom(a, writer, missing) for a in axioms]  # first: a variable met only in a binding is bound too
    statement = _forall(writer.binders(), body)
    _note_division(writer, missing)
    setup = "intros"
    if used:
        setup = "intros; " + "; ".join(use for _, use in used)
    instances = _instances(hypotheses, claim, points, missing, evaluate)
    reals = [writer.names[n] for n in writer.order if writer.types[writer.names[n]] == "R"]
    branch = portfolio(writer.features, equation=_is_equation(claim), reals=reals)
    return CoqGoal(label, "z3", _name(label), statement, setup, (branch,), tuple(instances),
                   axioms=tuple(axiom for axiom, _ in used), missing=tuple(missing.features),
                   notes=tuple(missing.notes), kind="universal")


def _is_equation(claim: Any) -> bool:
    return z3.is_eq(claim) and not z3.is_bool(claim.arg(0))


def _note_division(writer: _Writer, missing: Missing) -> None:
    if writer.denominators:
        shown = ", ".join(dict.fromkeys(writer.denominators))
        missing.note(f"divides by {shown}: Coq's x/0 is 0, z3's is unspecified; the statements agree wherever "
                     f"the denominators are not 0")


def _axiom(used: UsedAxiom, writer: _Writer, missing: Missing) -> tuple[CitedAxiom, str]:
    """The Axiom in Coq, and the script line that takes this goal's premise from it."""
    inner = _Writer(missing)
    sequences = [v.name() for v in used.variables if isinstance(v, z3.FuncDeclRef)]
    if sequences:  # a parameter that is a function (a sequence): its binding would be a function too
        missing.add(f"a cited axiom over a sequence parameter ({used.name}: {', '.join(sequences)})")
        return CitedAxiom(t.identifier(used.name, set()), "", used.reference, used.source), "idtac"
    premises = [inner.term(h) for h in used.hypotheses]
    conclusion = inner.term(used.claim)
    for variable in used.variables:
        inner.declare(variable.decl())
    order = [v.decl().name() for v in used.variables]
    statement = _forall(inner.binders(order), _lines(premises, conclusion))
    arguments = []
    for name in order:
        bound = used.bindings.get(name)
        if bound is None:
            missing.add(f"the cited axiom {used.name} without a binding for {name}")
            continue
        arguments.append(writer.term(bound).at(t.APPLICATION - 1, None if _is_int(bound) else t.REAL))
    name = t.identifier(used.name, set())
    use = f"pose proof ({name} {' '.join(arguments)})" if arguments else f"pose proof {name}"
    return CitedAxiom(name, statement, used.reference, used.source), use


def _is_int(expr: Any) -> bool:
    return z3.is_int(expr)


def existential(label: str, hypotheses: Sequence[Any], claim: Any, witness: Mapping[str, Any]) -> CoqGoal:
    """∃ variables: hypotheses ∧ claim, proved in Coq by the witness z3 found (values of the
    variables, tables of the functions) and the portfolio on what is left."""
    _check_z3()
    missing = Missing()
    writer = _Writer(missing)
    parts = [writer.term(h) for h in hypotheses]
    writer.flip = _PLANTED_FLIP
    parts.append(writer.term(claim))
    writer.flip = False
    body = t.connective(parts, "/\\", t.AND, "True")
    statement = f"exists {writer.binders()},\n  {body.alone()}" if writer.order else body.alone()
    _note_division(writer, missing)
    chosen = []
    symbols = _declarations([*hypotheses, claim])
    for name in writer.order:
        declaration = symbols[name]
        value = witness.get(name)
        if value is None:
            value = Fraction(0) if declaration.arity() == 0 and declaration.range().kind() != z3.Z3_BOOL_SORT else None
        if value is None and declaration.arity() == 0:
            value = False
        chosen.append(_witness_term(declaration, value, missing))
    setup = f"exists {', '.join(chosen)}" if chosen else "idtac"
    scripts = portfolio(writer.features, prefix="cbv beta; prepare")
    instance = _instance_text([*hypotheses, claim], witness, missing)
    return CoqGoal(label, "z3", _name(label), statement, setup, (scripts,), (instance,) if instance else (),
                   missing=tuple(missing.features), notes=tuple(missing.notes), kind="existential")


def _declarations(exprs: Iterable[Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    seen: set[int] = set()

    def visit(expr: Any) -> None:
        if expr.get_id() in seen:
            return
        seen.add(expr.get_id())
        if z3.is_app(expr) and expr.decl().kind() == z3.Z3_OP_UNINTERPRETED:
            found.setdefault(expr.decl().name(), expr.decl())
        for child in expr.children():
            visit(child)

    for expr in exprs:
        visit(expr)
    return found


def _witness_term(declaration: Any, value: Any, missing: Missing) -> str:
    """A witness as a Coq term: a number, True/False, or a function `fun a => ite (a = 0%Z) 1 0`
    built from its table of values."""
    result = _kind(declaration.range(), missing)
    if declaration.arity() == 0:
        number = _as_number(value)
        if number is None:
            missing.add(f"a witness for {declaration.name()} that is not a number")
            return "0"
        return _value_term(number, result).at(t.APPLICATION - 1, None if result == t.INTEGER else t.REAL)
    rows, otherwise = _table(value) if value is not None else ([], None)
    arguments = [f"a{i}" for i in range(declaration.arity())]
    kinds = [_kind(declaration.domain(i), missing) for i in range(declaration.arity())]
    default = _as_number(otherwise)
    body = _value_term(default if default is not None else (False if result == t.PROP else Fraction(0)), result)
    for key, entry in reversed(rows):
        key_numbers = [_as_number(k) for k in key]
        entry_number = _as_number(entry)
        if entry_number is None or any(k is None for k in key_numbers):
            missing.add(f"a witness table for {declaration.name()} that is not made of numbers")
            continue
        test = t.connective([t.comparison(t.Term(a, t.ATOM, kind), "=", _value_term(k, kind))
                             for a, k, kind in zip(arguments, key_numbers, kinds)], "/\\", t.AND, "True")
        value_term = _value_term(entry_number, result)
        scope = None if result == t.INTEGER else t.REAL
        body = t.Term(f"ite {test.at(t.APPLICATION - 1)} {value_term.at(t.APPLICATION - 1, scope)} "
                      f"{body.at(t.APPLICATION - 1, scope)}", t.APPLICATION, result, t.REAL)
    return f"(fun {' '.join(arguments)} => {body.alone()})"


def _implied_by_range(hypothesis: Any, variable: Any, start: int) -> bool:
    """Whether a hypothesis about the induction variable alone holds for every n ≥ start (z3 decides
    in a moment; anything else, or an answer that is not unsat, keeps the hypothesis)."""
    free = set()

    def visit(node: Any) -> None:
        if z3.is_const(node) and node.decl().kind() == z3.Z3_OP_UNINTERPRETED:
            free.add(node.decl().name())
        for child in node.children():
            visit(child)

    visit(hypothesis)
    if free != {variable.decl().name()}:
        return False
    solver = z3.Solver(ctx=hypothesis.ctx)
    solver.set("timeout", 500)
    solver.add(variable >= start, z3.Not(hypothesis))
    return solver.check() == z3.unsat


def induction(label: str, variable: Any, start: int, hypotheses: Sequence[Any], claim: Any,
              recursions: Sequence[Recursion] = (), *, points: Iterable[Mapping[str, Any]] = (),
              evaluate: Callable[[Any, Mapping[str, Any]], Any] | None = None) -> CoqGoal:
    """∀ n ≥ start: hypotheses ⟹ P(n), with each recursive function F stated by two hypotheses,
    F(start) = base and ∀ k > start, F(k) = step(k, F(k−1)), and proved by induction on n
    (`Z_induction_from`): the portfolio on the base case, and on the step with the definitions
    at n + 1 in hand."""
    _check_z3()
    missing = Missing()
    writer = _Writer(missing)
    n_name = variable.decl().name()
    in_range = [h for h in hypotheses if _mentions(h, n_name) and _implied_by_range(h, variable, start)]
    for h in in_range:  # a bound such as n >= 0 that n >= start already gives: the induction's range states it
        missing.note(f"the hypothesis {h} holds for every n >= {start}, the range the induction states")
    hypotheses = [h for h in hypotheses if not any(h.eq(r) for r in in_range)]
    depends_on_n = [h for h in hypotheses if _mentions(h, n_name)]
    if depends_on_n:
        missing.add("a hypothesis that depends on the induction variable")
    definitions: list[t.Term] = []
    names: list[tuple[str, str, str, str]] = []  # (function, start name, step name, binder)
    for recursion in recursions:
        function = writer.declare(recursion.function)
        base = recursion.base
        if _mentions(base, n_name) or _mentions(recursion.step, n_name):
            base = z3.simplify(base)
            if _mentions(base, n_name) or _mentions(recursion.step, n_name):
                missing.add("a recursive definition that depends on the induction variable")
        kind = _kind(recursion.function.range(), missing)
        at_start = t.application(function, [t.number(recursion.start, t.INTEGER)], kind)
        base_term = writer.term(base)
        definitions.append(t.iff(at_start, base_term) if kind == t.PROP else t.comparison(at_start, "=", base_term))
        binder = writer.fresh(recursion.index.decl().name().split("!")[-1] or "k")
        k_term = t.Term(binder, t.ATOM, t.INTEGER)
        previous = t.application(function, [t.arithmetic(k_term, "-", t.number(1, t.INTEGER), t.SUM)], kind)
        writer.substitute[recursion.index.get_id()] = k_term
        writer.substitute[recursion.previous.get_id()] = previous
        step = writer.term(recursion.step)
        del writer.substitute[recursion.index.get_id()], writer.substitute[recursion.previous.get_id()]
        writer.taken.discard(binder)  # a bound name: free for the next definition
        at_k = t.application(function, [k_term], kind)
        equation = t.iff(at_k, step) if kind == t.PROP else t.comparison(at_k, "=", step)
        guard = t.comparison(k_term, ">", t.number(recursion.start, t.INTEGER))
        definitions.append(t.Term(f"forall {binder} : Z, {t.implication(guard, equation).alone()}", t.TOP, t.PROP))

        names.append((function, f"{function}_start", f"{function}_step", binder))
    premises = [writer.term(h) for h in hypotheses]
    n = writer.fresh(n_name) if n_name not in writer.names else writer.names[n_name]
    writer.substitute[variable.get_id()] = t.Term(n, t.ATOM, t.INTEGER)
    writer.flip = _PLANTED_FLIP
    conclusion = writer.term(claim)
    writer.flip = False
    del writer.substitute[variable.get_id()]
    order = [name for name in writer.order if name != n_name]
    guard = t.comparison(t.Term(n, t.ATOM, t.INTEGER), ">=", t.number(start, t.INTEGER))
    inner = f"forall {n} : Z, {t.arrow_operand(guard)} -> {t.arrow_operand(conclusion, t.ARROW)}"
    body = _lines([*definitions, *premises], t.Term(inner, t.ARROW, t.PROP))  # forall reaches to the end
    statement = _forall(writer.binders(order), body)
    _note_division(writer, missing)
    hypothesis_names = [f"H{i + 1}" for i in range(len(premises))]
    introduced = [writer.names[name] for name in order]
    for function, start_name, step_name, _ in names:
        introduced += [start_name, step_name]
    introduced += hypothesis_names
    property_text = f"fun {n} : Z => {conclusion.alone()}"
    setup = (f"intros {' '.join(introduced)}; "
             f"refine (Z_induction_from {t.number(start, t.INTEGER).at(t.APPLICATION - 1, None)} ({property_text}) _ _); "
             f"cbv beta")
    next_point = []
    for function, _, step_name, _ in names:
        next_point.append(f"pose proof ({step_name} ({n} + 1)%Z ltac:(lia)) as {function}_next")
    step_prefix = "; ".join([f"intros {n} Hn IH", *next_point,
                             f"try replace ({n} + 1 - 1)%Z with {n} in * by ring"])
    features = writer.features | {"Z"}
    base_scripts = portfolio(features, prefix="push_IZR; prepare")
    step_scripts = portfolio(features, prefix=f"{step_prefix}; push_IZR; prepare")
    instances = _induction_instances(variable, start, hypotheses, claim, recursions, points, missing, evaluate)
    return CoqGoal(label, "z3", _name(label), statement, setup, (base_scripts, step_scripts), tuple(instances),
                   missing=tuple(missing.features), notes=tuple(missing.notes), kind="induction")


def _mentions(expr: Any, name: str) -> bool:
    return name in _declarations([expr])


# -- instances -------------------------------------------------------------------------------------


def _instance_text(formulas: Sequence[Any], values: Mapping[str, Any], missing: Missing) -> str | None:
    """The conjunction of `formulas` at the point `values`, as a closed Coq proposition, or None
    when a symbol has no value there."""
    probe = Missing()
    writer = _Writer(probe)
    writer.values = values
    parts = []
    for index, formula in enumerate(formulas):
        writer.flip = _PLANTED_FLIP and index == len(formulas) - 1
        parts.append(writer.term(formula))
    if writer.order or probe.features:
        return None
    return t.connective(parts, "/\\", t.AND, "True").alone()


class _Table:
    """A function at an instance: the values a point gives it, and `default` for any other
    argument, recorded as it is read so that the instance states every value it used."""

    def __init__(self, value: Any, default: Any) -> None:
        rows, otherwise = _table(value) if value is not None else ([], None)
        self.entries: dict[tuple, Any] = {tuple(_as_number(k) for k in key): _as_number(v) for key, v in rows}
        self.otherwise = None
        self.default = _as_number(otherwise) if otherwise is not None else default

    def __call__(self, *arguments: Any) -> Any:
        key = tuple(_as_number(a) for a in arguments)
        if key not in self.entries:
            self.entries[key] = self.default
        return self.entries[key]


def _completed(point: Mapping[str, Any], symbols: Mapping[str, Any]) -> dict[str, Any]:
    """The point in exact numbers, with every function of the goal a `_Table` (0, or False, where
    the point does not say): any interpretation of a function is one the claim covers."""
    values: dict[str, Any] = {}
    for name, declaration in symbols.items():
        value = point.get(name)
        result = declaration.range().kind()
        default = False if result == z3.Z3_BOOL_SORT else Fraction(0)
        if declaration.arity() > 0:
            values[name] = _Table(value, default)
        else:
            number = _as_number(value)
            values[name] = default if number is None else number
    return values


def _holds(formulas: Sequence[Any], values: Mapping[str, Any],
           evaluate: Callable[[Any, Mapping[str, Any]], Any]) -> bool:
    try:
        return all(bool(evaluate(f, values)) for f in formulas)
    except Exception:  # a point the exact evaluator cannot read (x/0, an operator it lacks)
        return False


MAX_INSTANCES = 3


def _instances(hypotheses: Sequence[Any], claim: Any, points: Iterable[Mapping[str, Any]], missing: Missing,
               evaluate: Callable[[Any, Mapping[str, Any]], Any] | None) -> list[str]:
    """Closed instances at the points where the exact evaluation says hypotheses and claim hold."""
    if evaluate is None:
        return []
    found: list[str] = []
    symbols = _declarations([*hypotheses, claim])
    for point in points:
        if len(found) >= MAX_INSTANCES:
            break
        values = _completed(point, symbols)
        if not _holds([*hypotheses, claim], values, evaluate):
            continue
        text = _instance_text([*hypotheses, claim], values, missing)
        if text is not None and text not in found:
            found.append(text)
    return found


INSTANCE_STEPS = 3  # an induction's instances are at n = start … start + this


def _induction_instances(variable: Any, start: int, hypotheses: Sequence[Any], claim: Any,
                         recursions: Sequence[Recursion], points: Iterable[Mapping[str, Any]], missing: Missing,
                         evaluate: Callable[[Any, Mapping[str, Any]], Any] | None) -> list[str]:
    """At a point and a small n: the hypotheses, each recursive definition at start … n, and P(n),
    with every recursive function computed by its recursion (in exact arithmetic, by `evaluate`)
    and every other function read from the point (0 where it does not say)."""
    if evaluate is None:
        return []
    found: list[str] = []
    name = variable.decl().name()
    own = {r.function.name() for r in recursions}
    parts = [*hypotheses, claim, *(r.base for r in recursions), *(r.step for r in recursions)]
    symbols = {k: v for k, v in _declarations(parts).items()
               if k not in own and not any(k in (r.index.decl().name(), r.previous.decl().name()) for r in recursions)}
    for point in points:
        if len(found) >= MAX_INSTANCES:
            break
        for n in range(start, start + INSTANCE_STEPS + 1):
            values = _completed(point, symbols)
            values[name] = Fraction(n)
            formulas = list(hypotheses)
            try:
                for recursion in recursions:
                    table = _Table(None, None)
                    table.entries[(Fraction(recursion.start),)] = evaluate(recursion.base, values)
                    function, context = recursion.function, recursion.function.ctx
                    formulas.append(function(z3.IntVal(recursion.start, context)) == recursion.base)
                    for k in range(recursion.start + 1, n + 1):
                        step_values = {**values, recursion.index.decl().name(): Fraction(k),
                                       recursion.previous.decl().name(): table.entries[(Fraction(k - 1),)]}
                        table.entries[(Fraction(k),)] = evaluate(recursion.step, step_values)
                        at = z3.IntVal(k, context)
                        formulas.append(function(at) == z3.substitute(
                            recursion.step, (recursion.index, at), (recursion.previous, function(at - 1))))
                    values[function.name()] = table
            except Exception:  # the recursion reads something the evaluator cannot: no instance here
                continue
            formulas.append(claim)
            if not _holds([*hypotheses, claim], values, evaluate):
                continue
            text = _instance_text(formulas, values, missing)
            if text is not None and text not in found:
                found.append(text)
                break
    return found


def from_query(label: str, query: Any, *, points: Iterable[Mapping[str, Any]] = (),
               witness: Mapping[str, Any] | None = None, axioms: Sequence[UsedAxiom] = (),
               evaluate: Callable[[Any, Mapping[str, Any]], Any] | None = None) -> CoqGoal:
    """The goal of an `smt.Query` as its check left it: universal, existential (with `witness`)
    or an induction (with its recursive functions). `evaluate` is the suite's exact evaluator
    (`smt.evaluate`), used to keep only the points where the hypotheses and the claim hold."""
    hypotheses = list(query.hypotheses)
    if getattr(query, "existential", False):
        return existential(label, hypotheses, query.claim, witness or {})
    recursions = [Recursion(r.function, r.start, r.base, r.index, r.previous, r.step)
                  for r in getattr(query, "recursive", {}).values()]
    if getattr(query, "induction_variable", None) is not None:
        return induction(label, query.induction_variable, query.induction_start, hypotheses, query.claim,
                         recursions, points=points, evaluate=evaluate)
    # outside an induction no definition of a recursive function is asserted: z3 proved the claim for
    # every function of that name, and the Coq statement quantifies over it the same way
    used: dict[int, str] = {}
    facts = [id(f) for f in getattr(query, "used_facts", [])]
    for position, hypothesis in enumerate(hypotheses):
        if id(hypothesis) in facts:
            drawn = list(getattr(query, "drawn_on", []))
            index = facts.index(id(hypothesis))
            used[position] = drawn[index] if index < len(drawn) else "another lemma"
    return universal(label, hypotheses, query.claim, points=points, axioms=axioms, evaluate=evaluate, used=used)
