"""Mutation testing of the checks: false twins of each lemma's claim must be rejected.

`python -m proofs mutate [ID …]` takes every proved or tested lemma (or the ones named), makes
mutants of what its checks assert, runs each mutant through the same engine, and records per
lemma how many were killed (the check rejected the mutant: a counterexample, a conflict), how many
survived (the check accepted it), how many are equivalent (they only weaken the claim, so they
are true whenever it is) and how many were undecided (the engine gave up within the limit).

Operators, each with a test in tests/test_mutate.py:
- `flip`: a comparison negated (≤ becomes >, = becomes ≠);
- `boundary`: a comparison made strict or non-strict (≤ becomes <; in a property test or a
  simulation only toward the strict side, which asserts more);
- `constant`: a numeric constant moved up or down (z3: by 1 for integers, 10 % or 1/10 otherwise;
  sympy and interval goals: the bound or expected value moved to the stronger side; tests and
  simulations: a threshold moved halfway toward the stronger side);
- `swap`: the operands of − or / swapped;
- `drop-conjunct`: one conjunct of an `And` dropped;
- `widen-domain`: a domain constraint (`q.domain`) dropped, so the claim is stated on more points;
- `power`: a simulation's claimed values (`sim.compare`) moved by the deviation it declares it can
  detect; the simulation must reject them.

The declared claim (`claim=proofs.Claim(...)`) is mutated where it is written, once, by the same
comparison operators, and each mutant is run through every check of the lemma (listed under the
check name `claim`): a mutation in the one place the claim is stated must meet the solver, the
property test and the simulation alike.

Each mutant has an identity, `check | operator | site | change` (the site is the comparison or
expression as written). A `survivors=` key explains the survivor with exactly that identity; a key
that matches no mutant is an error (exit 2), so an explanation cannot outlive the code it explains.

How equivalent mutants are told apart. A z3 mutant is classified by z3 itself before it is run:
if the original hypotheses and claim imply the mutant's claim (H ∧ C ∧ ¬C′ is unsatisfiable),
the mutant is a weakening, true whenever the claim is, and a check that accepts it is right to:
it is recorded as equivalent, never as a survivor. A widened domain is equivalent when the new
domain implies the old one (H′ ∧ ¬H unsatisfiable). Goal and test mutants are built to be
stronger than the original by construction (the bound or threshold moves to the side that claims
more), so none of them is equivalent; one that survives shows slack in the check, and its text
is shown on the lemma's card.
"""

from __future__ import annotations

import ast
import copy
import dataclasses
import importlib
import inspect
import json
import textwrap
import time
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from proofs.records import Check, CheckContext, original_function
from proofs.report.mutation import Outcome, score  # noqa: F401 - score is part of this module's API
from proofs.status import Status

MAX_Z3_MUTANTS = 14
MAX_GOAL_MUTANTS = 3
MAX_TEST_MUTANTS = 4
MAX_SIMULATION_MUTANTS = 2
OPERATORS = ("flip", "boundary", "constant", "swap", "drop-conjunct", "widen-domain", "power")


@dataclass(frozen=True, slots=True)
class Mutant:
    """One mutant: in which check, by which operator, at which site (the expression or comparison
    as written), with which change. Its `identity` is what a `survivors=` key must equal."""

    check: str
    operator: str
    site: str
    change: str
    outcome: str = ""
    detail: str = ""

    @property
    def text(self) -> str:
        return f"{self.site}: {self.change}"

    @property
    def identity(self) -> str:
        return f"{self.check} | {self.operator} | {self.site} | {self.change}"

    def to_json(self) -> dict[str, str]:
        return {**dataclasses.asdict(self), "text": self.text, "identity": self.identity}


# -- z3 claims ---------------------------------------------------------------------------------------


def _z3():
    import z3

    return z3


def _comparison_twins(node: Any) -> list[tuple[str, Any, str]]:
    z3 = _z3()
    a, b = (node.arg(0), node.arg(1)) if node.num_args() == 2 else (None, None)
    if a is None or not (z3.is_arith(a) and z3.is_arith(b)):
        return []
    table = {
        z3.Z3_OP_LE: [("flip", a > b, "≤ → >"), ("boundary", a < b, "≤ → <")],
        z3.Z3_OP_LT: [("flip", a >= b, "< → ≥"), ("boundary", a <= b, "< → ≤")],
        z3.Z3_OP_GE: [("flip", a < b, "≥ → <"), ("boundary", a > b, "≥ → >")],
        z3.Z3_OP_GT: [("flip", a <= b, "> → ≤"), ("boundary", a >= b, "> → ≥")],
        z3.Z3_OP_EQ: [("flip", a != b, "= → ≠")],
    }
    return table.get(node.decl().kind(), [])


def _node_twins(node: Any) -> list[tuple[str, Any, str]]:
    """Every single-operator mutant of one node: (operator, replacement, description)."""
    z3 = _z3()
    twins = list(_comparison_twins(node)) if z3.is_app(node) else []
    if z3.is_int_value(node) or z3.is_rational_value(node):
        value = Fraction(node.as_long()) if z3.is_int_value(node) else Fraction(
            node.numerator_as_long(), node.denominator_as_long())
        steps = [Fraction(1)] if z3.is_int_value(node) else [max(abs(value) / 10, Fraction(1, 10))]
        for step in steps:
            for moved in (value + step, value - step):
                replacement = (z3.IntVal(int(moved), node.ctx) if z3.is_int_value(node)
                               else z3.RealVal(f"{moved.numerator}/{moved.denominator}", node.ctx))
                twins.append(("constant", replacement, f"{value} → {moved}"))
    elif z3.is_app(node) and node.num_args() == 2 and node.decl().kind() in (z3.Z3_OP_SUB, z3.Z3_OP_DIV):
        a, b = node.arg(0), node.arg(1)
        swapped = b - a if node.decl().kind() == z3.Z3_OP_SUB else b / a
        twins.append(("swap", swapped, f"{node} → {swapped}"))
    elif z3.is_and(node) and node.num_args() >= 2:
        for index in range(node.num_args()):
            rest = [node.arg(i) for i in range(node.num_args()) if i != index]
            twins.append(("drop-conjunct", z3.And(*rest) if len(rest) > 1 else rest[0],
                          f"dropped conjunct {node.arg(index)}"))
    return twins


def _subterms(expr: Any) -> Iterator[Any]:
    z3 = _z3()
    seen = set()
    stack = [expr]
    while stack:
        node = stack.pop(0)
        key = node.get_id()
        if key in seen:
            continue
        seen.add(key)
        yield node
        if z3.is_app(node):
            stack.extend(node.children())


def claim_mutants(claim: Any) -> list[tuple[str, Any, str, str]]:
    """(operator, mutated claim, site, change) for every site of the claim, in a stable order that
    alternates operators, so that a cap keeps a mix."""
    z3 = _z3()
    by_operator: dict[str, list[tuple[str, Any, str, str]]] = {}
    for node in _subterms(claim):
        for operator, replacement, description in _node_twins(node):
            mutated = z3.substitute(claim, (node, replacement))
            if not mutated.eq(claim):
                by_operator.setdefault(operator, []).append((operator, mutated, str(node), description))
    mixed = []
    while any(by_operator.values()):
        for operator in OPERATORS:
            if by_operator.get(operator):
                mixed.append(by_operator[operator].pop(0))
    return mixed


def _implies(premises: list[Any], conclusion: Any, seconds: float) -> bool | None:
    """Does premises ⟹ conclusion hold? z3 in the solver worker; None when it cannot tell."""
    from proofs import smt

    z3 = _z3()
    query = smt.Query.__new__(smt.Query)
    query.context = conclusion.ctx
    text = smt.benchmark(query, [*premises, z3.Not(conclusion)])
    answer = smt.ask(text, 0.0, seconds, seconds)
    return {"unsat": True, "sat": False}.get(answer.result)


def _run_z3_mutant(query: Any, hypotheses: list[Any], claim: Any, seconds: float) -> tuple[str, str]:
    """Kill by a counterexample of hypotheses ⟹ claim′ that replays exactly; survive if z3 proves it."""
    from proofs import smt

    z3 = _z3()
    text = smt.benchmark(query, [*hypotheses, z3.Not(claim)])
    answer = smt.ask(text, 0.0, seconds, seconds)
    if answer.result == "sat":
        mutated = smt.loosened(query, hypotheses, claim)
        replayed, note, _ = smt.replay(mutated, answer.model)
        if replayed:
            return Outcome.KILLED, note
        falsifier = smt.cross_check(mutated, 0).falsifier
        if falsifier is not None:
            return Outcome.KILLED, f"a random point falsifies it: {falsifier}"
        return Outcome.UNDECIDED, f"z3 finds a model that does not replay: {note}"
    if answer.result == "unsat":
        return Outcome.SURVIVED, "z3 proves the mutant too"
    return Outcome.UNDECIDED, f"z3 answered {answer.result} {answer.reason}".strip()


def z3_mutants(check: Check, seconds: float) -> list[Mutant]:
    from proofs import smt

    z3 = _z3()
    query = smt.Query.of(check)
    if query.claim is None:
        return []
    if query.induction_variable is not None:
        return _induction_mutants(check, query, seconds)
    hypotheses = query.hypotheses
    results = []
    if query.existential:  # an existential is strengthened by asking for a witness of a twin
        return []
    for operator, mutated, site, change in claim_mutants(query.claim)[:MAX_Z3_MUTANTS]:
        weaker = _implies([*hypotheses, query.claim], mutated, seconds)
        if weaker:
            results.append(Mutant(check.name, operator, site, change, Outcome.EQUIVALENT,
                                  "the claim implies it: a weakening, true whenever the claim is"))
            continue
        outcome, detail = _run_z3_mutant(query, hypotheses, mutated, seconds)
        results.append(Mutant(check.name, operator, site, change, outcome, detail))
    for index, constraint in enumerate(query.domain_constraints):
        widened = [c for i, c in enumerate(query.domain_constraints) if i != index] + query.premises
        narrower = _implies(widened, z3.And(*query.domain_constraints) if query.domain_constraints else True,
                            seconds)
        if narrower:
            results.append(Mutant(check.name, "widen-domain", str(constraint), "dropped", Outcome.EQUIVALENT,
                                  "the other hypotheses already imply it: the domain does not grow"))
            continue
        outcome, detail = _run_z3_mutant(query, widened, query.claim, seconds)
        if outcome == Outcome.SURVIVED:
            detail = "the claim also holds on the wider domain: the constraint has no teeth"
        results.append(Mutant(check.name, "widen-domain", str(constraint), "dropped", outcome, detail))
    return results


def _induction_mutants(check: Check, query: Any, seconds: float) -> list[Mutant]:
    """Mutants of a claim proved by induction, each run through the whole induction (base case,
    step, and the claim evaluated at concrete n with the recursions computed)."""
    from proofs import smt

    n = query.induction_variable
    definitions = [r.at(point) for r in query.recursive.values() for point in (n, n - 1)]
    results = []
    for operator, mutated, site, change in claim_mutants(query.claim)[:MAX_Z3_MUTANTS]:
        if _implies([*query.hypotheses, *definitions, n >= query.induction_start, query.claim], mutated, seconds):
            results.append(Mutant(check.name, operator, site, change, Outcome.EQUIVALENT,
                                  "the claim implies it at every n: a weakening"))
            continue

        def twin(q, mutated=mutated):
            check.fn(q)
            q.claim = mutated.translate(q.context)
            q.built_from_claim = None  # a twin of the goal, not the declared claim

        evidence = smt.run(dataclasses.replace(check, fn=twin, timeout_s=seconds * 3),
                           CheckContext(Path("/tmp/proofs-mutants"), 0))
        status = evidence[0].status
        outcome = (Outcome.KILLED if status in (Status.REFUTED, Status.CONFLICT) else
                   Outcome.SURVIVED if status is Status.PROVED else Outcome.UNDECIDED)
        results.append(Mutant(check.name, operator, site, change, outcome, f"{status.value}: {evidence[0].detail[:160]}"))
    return results


# -- sympy and interval goals ----------------------------------------------------------------------------


def _stronger_goals(goal: Any) -> list[tuple[str, Any, str]]:
    """Goal twins that claim strictly more than the goal, so that none is a weakening."""
    import sympy as sp

    from proofs import cas, interval

    def nudge(value: Any) -> Any:
        value = sp.sympify(value)
        return sp.Rational(1, 10) if value == 0 else abs(value) / 10

    twins = []
    if isinstance(goal, cas.Identity):
        rhs = sp.sympify(goal.rhs)
        twins.append(("constant", dataclasses.replace(goal, rhs=rhs + nudge(rhs)), f"rhs → rhs + {nudge(rhs)}"))
        twins.append(("constant", dataclasses.replace(goal, rhs=rhs * sp.Rational(11, 10)), "rhs → 1.1·rhs"))
    elif isinstance(goal, (cas.Bound, interval.Bound)):
        bound = sp.sympify(goal.bound)
        twins.append(("constant", dataclasses.replace(goal, bound=bound + nudge(bound)),
                      f"bound {bound} → {bound + nudge(bound)}"))
        if not goal.strict:
            twins.append(("boundary", dataclasses.replace(goal, strict=True), "≥ → >"))
    elif isinstance(goal, cas.Limit):
        expected = sp.sympify(goal.expected)
        if expected.is_infinite:
            flipped = {"==": "<", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}[goal.relation]
            twins.append(("flip", dataclasses.replace(goal, relation=flipped), f"limit {goal.relation} → {flipped}"))
        else:
            direction = -1 if goal.relation in ("<", "<=") else 1
            moved = expected + direction * nudge(expected)
            twins.append(("constant", dataclasses.replace(goal, expected=moved), f"expected {expected} → {moved}"))
            flipped = {"==": None, "<": ">=", "<=": ">", ">": "<=", ">=": "<"}[goal.relation]
            if flipped:
                twins.append(("flip", dataclasses.replace(goal, relation=flipped), f"{goal.relation} → {flipped}"))
    elif isinstance(goal, cas.Induction):
        rhs = sp.sympify(goal.rhs)
        if goal.relation == "==":
            twins.append(("constant", dataclasses.replace(goal, rhs=rhs + 1), "rhs(n) → rhs(n) + 1"))
        else:
            twins.append(("constant", dataclasses.replace(goal, rhs=rhs - nudge(rhs.subs(goal.var, goal.start))),
                          "rhs(n) moved down"))
    return twins


def goal_mutants(check: Check, seconds: float) -> list[Mutant]:
    from proofs import cas, interval
    from proofs.deadline import Ending, run_with_deadline

    goals = check.fn()
    goals = list(goals) if isinstance(goals, (list, tuple)) else [goals]
    results = []
    for goal in goals:
        for operator, twin, description in _stronger_goals(goal)[:MAX_GOAL_MUTANTS]:
            decide = interval._decide if isinstance(twin, interval.Bound) else cas._decide
            arguments = (twin, seconds) if isinstance(twin, interval.Bound) else (twin, 0)
            outcome = run_with_deadline(decide, arguments, seconds + 1, seconds)
            site = f"goal {goal.name}"
            if outcome.ending is not Ending.RETURNED:
                results.append(Mutant(check.name, operator, site, description, Outcome.UNDECIDED,
                                      outcome.detail or "crashed"))
                continue
            status = outcome.value[0]
            verdict = (Outcome.KILLED if status in (Status.REFUTED, Status.CONFLICT) else
                       Outcome.SURVIVED if status is Status.PROVED else Outcome.UNDECIDED)
            results.append(Mutant(check.name, operator, site, description, verdict,
                                  f"{status.value}: {outcome.value[1][:200]}"))
    return results


# -- property tests and simulations ----------------------------------------------------------------------

_NEGATED = {ast.Lt: ast.GtE, ast.LtE: ast.Gt, ast.Gt: ast.LtE, ast.GtE: ast.Lt, ast.Eq: ast.NotEq, ast.NotEq: ast.Eq}
# Only toward the strict side: `a ≤ b` → `a < b` asserts more; the other way would only weaken the
# assertion, a mutant no test can kill (an equivalent one), so it is not made.
_BOUNDARY = {ast.LtE: ast.Lt, ast.GtE: ast.Gt}


def _constants_with_polarity(node: ast.AST, polarity: int = 1) -> Iterator[tuple[ast.Constant, int]]:
    """Numeric constants of an expression with the sign in which they move it (+1: raising the
    constant raises the expression); constants whose effect has no known sign are skipped."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        yield node, polarity
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        yield from _constants_with_polarity(node.operand, -polarity)
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        yield from _constants_with_polarity(node.left, polarity)
        yield from _constants_with_polarity(node.right, polarity)
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Sub):
        yield from _constants_with_polarity(node.left, polarity)
        yield from _constants_with_polarity(node.right, -polarity)
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        for side, partner in ((node.left, node.right), (node.right, node.left)):
            if _positive_constant(partner):
                yield from _constants_with_polarity(side, polarity)
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div) and _positive_constant(node.right):
        yield from _constants_with_polarity(node.left, polarity)


def _positive_constant(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and node.value > 0


def _moved(value: float | int, up: bool) -> float | int:
    """A threshold moved halfway toward the stronger side (by 1 for a small integer)."""
    if isinstance(value, int) and abs(value) < 4:
        return value + 1 if up else value - 1
    if value == 0:
        return 0.1 if up else -0.1
    moved = value + abs(value) / 2 if up else value - abs(value) / 2
    if isinstance(value, int):
        moved = int(round(moved))
    return moved


def _compare_twins(compare: ast.Compare) -> list[tuple[str, Callable[[ast.Compare], None], str]]:
    """Ways to mutate one comparison `a OP b`: negate it, shift its boundary, move a threshold."""
    if len(compare.ops) != 1:
        return []
    op = type(compare.ops[0])
    twins: list[tuple[str, Callable[[ast.Compare], None], str]] = []
    if op in _NEGATED:
        twins.append(("flip", lambda c, new=_NEGATED[op]: c.ops.__setitem__(0, new()), f"{op.__name__} negated"))
    if op in _BOUNDARY:
        twins.append(("boundary", lambda c, new=_BOUNDARY[op]: c.ops.__setitem__(0, new()),
                      f"{op.__name__} → {_BOUNDARY[op].__name__}"))
    if op in (ast.Lt, ast.LtE, ast.Gt, ast.GtE):
        # `a ≤ b` claims more when a rises or b falls; `a ≥ b` the opposite
        raise_left = op in (ast.Lt, ast.LtE)
        for side_name in ("left", "comparators"):
            side = compare.left if side_name == "left" else compare.comparators[0]
            for index, (constant, polarity) in enumerate(_constants_with_polarity(side)):
                value = constant.value
                if value != 0 and abs(value) < 1e-6:
                    continue  # a numerical tolerance, not a threshold
                up = (polarity > 0) == (raise_left if side_name == "left" else not raise_left)
                moved = _moved(value, up)

                def apply(c, side_name=side_name, index=index, moved=moved):
                    target = c.left if side_name == "left" else c.comparators[0]
                    constants = list(_constants_with_polarity(target))
                    constants[index][0].value = moved

                twins.append(("constant", apply, f"{value!r} → {moved!r}"))
    return twins


def _asserted_comparisons(function: ast.FunctionDef, kind: str) -> list[ast.Compare]:
    """The comparisons a property test asserts, or that decide a simulation's `violation`."""
    found = []
    for node in ast.walk(function):
        if kind == "property" and isinstance(node, ast.Assert):
            found += [n for n in ast.walk(node.test) if isinstance(n, ast.Compare)]
        elif kind == "simulation":
            value = None
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "violation" for t in node.targets):
                value = node.value
            elif isinstance(node, ast.keyword) and node.arg == "violation":
                value = node.value
            if value is not None:
                found += [n for n in ast.walk(value) if isinstance(n, ast.Compare)]
    return found


def _function_tree(fn: Callable[..., Any]) -> tuple[ast.Module, str, int] | None:
    try:
        lines, first = inspect.getsourcelines(fn)
        filename = inspect.getsourcefile(fn) or "<mutant>"
    except (OSError, TypeError):
        return None
    tree = ast.parse(textwrap.dedent("".join(lines)))
    definition = tree.body[0]
    if not isinstance(definition, ast.FunctionDef):
        return None
    # drop the registering decorator (LEMMA.check(...)); keep @given, @example, @settings
    definition.decorator_list = [d for d in definition.decorator_list if not (
        isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute) and d.func.attr == "check")]
    ast.increment_lineno(tree, first - 1)
    return tree, filename, first


def test_mutants(check: Check, context: CheckContext) -> list[Mutant]:
    from proofs import prop, sim

    parsed = _function_tree(original_function(check.fn))
    if parsed is None:
        return []
    tree, filename, _ = parsed
    kind = check.kind.value
    sites = _asserted_comparisons(tree.body[0], kind)
    cap = MAX_TEST_MUTANTS if kind == "property" else MAX_SIMULATION_MUTANTS
    candidates = []
    for position, compare in enumerate(sites):
        site = ast.unparse(compare)
        occurrence = sum(ast.unparse(other) == site for other in sites[:position])
        site = site if occurrence == 0 else f"{site} (#{occurrence + 1})"  # the same text asserted twice
        for operator, apply, description in _compare_twins(compare):
            candidates.append((operator, position, apply, (site, description)))
    # one flip per site first (a test that survives its own negation is broken), then thresholds
    candidates.sort(key=lambda c: (OPERATORS.index(c[0]) if c[0] != "flip" else -1, c[1]))
    namespace_source = original_function(check.fn).__globals__
    results = []
    for operator, position, apply, (site, change) in candidates[:cap]:
        mutant_tree = copy.deepcopy(tree)
        apply(_asserted_comparisons(mutant_tree.body[0], kind)[position])
        namespace = dict(namespace_source)
        try:
            exec(compile(mutant_tree, filename, "exec"), namespace)  # noqa: S102 - the author's own code, mutated
        except Exception as problem:  # noqa: BLE001
            results.append(Mutant(check.name, operator, site, change, Outcome.UNDECIDED, f"does not compile: {problem}"))
            continue
        twin = dataclasses.replace(check, fn=namespace[tree.body[0].name])
        runner = prop.run if kind == "property" else sim.run
        started = time.perf_counter()
        try:
            evidence = runner(twin, dataclasses.replace(context, report_dir=context.report_dir / "mutants"))
        except Exception as crash:  # noqa: BLE001 - a crashing mutant is not a killed one
            results.append(Mutant(check.name, operator, site, change, Outcome.UNDECIDED,
                                  f"crashed: {type(crash).__name__}"))
            continue
        status = evidence[0].status
        outcome = Outcome.KILLED if status is Status.REFUTED else (
            Outcome.SURVIVED if status is Status.TESTED else Outcome.UNDECIDED)
        results.append(Mutant(check.name, operator, site, change, outcome,
                              f"{status.value} in {time.perf_counter() - started:.1f} s"))
    return results


# -- the declared claim: one mutation, met by every check ------------------------------------------------

MAX_CLAIM_MUTANTS = 3
CLAIM_CHECK = "claim"  # the check name under which mutants of the declared claim are listed
CHECK_ORDER = {"z3": 0, "sympy": 1, "interval": 1, "hypothesis": 2, "simulation": 3}


def _lambda_of(function: Callable[..., Any]) -> tuple[ast.AST, str] | None:
    """The syntax tree of a claim function as written (a lambda inside a declaration, or a def), and
    its file; a lambda is found among the file's lambdas by where its body starts (the positions of its
    instructions) and by its parameters."""
    try:
        filename = inspect.getsourcefile(function) or ""
        source = Path(filename).read_text()
    except (OSError, TypeError):
        return None
    code = function.__code__
    # where the lambda's body starts, from the positions of its instructions (a closure or a nested
    # lambda compiles differently on its own, so the code objects cannot be compared)
    starts = [(line, column) for line, _, column, _ in code.co_positions() if line is not None and column]
    body_start = min(starts) if starts else None
    parameters = list(code.co_varnames[:code.co_argcount])
    candidates = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Lambda) and body_start is not None and [a.arg for a in node.args.args] == parameters:
            body = node.body
            if (body.lineno, body.col_offset) <= body_start <= (body.end_lineno, body.end_col_offset):
                candidates.append(((body.end_lineno - body.lineno, body.end_col_offset - body.col_offset), node))
    if candidates:  # the innermost lambda with these parameters whose body holds the first instruction
        return min(candidates, key=lambda c: c[0])[1], filename
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef) and node.name == function.__name__ and node.lineno <= code.co_firstlineno \
                <= (node.end_lineno or node.lineno):
            return node, filename
    return None


def _compiled(node: ast.AST, filename: str, namespace: dict[str, Any]) -> Callable[..., Any]:
    if isinstance(node, ast.Lambda):
        return eval(compile(ast.Expression(node), filename, "eval", dont_inherit=True), namespace)  # noqa: S307 - the author's claim, mutated
    module = ast.Module(body=[node], type_ignores=[])
    ast.fix_missing_locations(module)
    scope = dict(namespace)
    exec(compile(module, filename, "exec", dont_inherit=True), scope)  # noqa: S102
    return scope[node.name]


def _claim_weakening(claim: Any, mutated: Callable[..., Any], seconds: float) -> bool | None:
    """Does the declared claim imply its mutant (so that no check can reject it)? z3 decides when the
    claim has a z3 form; None when it cannot tell."""
    from proofs import smt, statement

    try:
        query = smt.Query()
        terms = {name: query._variable(name, claim.sort(name)) for name in claim.parameters}
        where, holds = claim.z3(terms, query)
        with statement.overridden(claim.lemma_id, mutated):
            _, twin = claim.z3(terms, query)
    except Exception:  # noqa: BLE001 - exp or log: no z3 form, the mutants are stronger by construction
        return None
    return _implies([where, holds], twin, seconds)  # a recursion (a Σ) stays uninterpreted: fewer weakenings found


def declared_claim_mutants(lemma: Any, registry: Any, context: CheckContext, seconds: float) -> list[Mutant]:
    """Mutants of the lemma's declared claim, each run through every check of the lemma (cheapest
    first, stopping at the first that rejects it): a mutation in the one place the claim is stated
    must meet the solver, the property test and the simulation alike."""
    from proofs import statement
    from proofs.checks import run_check

    claim = lemma.claim
    if claim is None:
        return []
    found = _lambda_of(claim.holds)
    if found is None:
        return [Mutant(CLAIM_CHECK, "claim", "the declared claim", "source not found", Outcome.UNDECIDED,
                       "the claim's source could not be read, so it cannot be mutated")]
    tree, filename = found
    body = tree.body if isinstance(tree, ast.Lambda) else tree
    sites = [n for n in ast.walk(body) if isinstance(n, ast.Compare)]
    candidates = []
    for position, compare in enumerate(sites):
        for operator, apply, change in _compare_twins(compare):
            candidates.append((operator, position, apply, ast.unparse(compare), change))
    candidates.sort(key=lambda c: (OPERATORS.index(c[0]) if c[0] != "flip" else -1, c[1]))
    checks = sorted(registry.checks(lemma.id), key=lambda c: CHECK_ORDER.get(c.engine, 9))
    results = []
    for operator, position, apply, site, change in candidates[:MAX_CLAIM_MUTANTS]:
        twin_tree = copy.deepcopy(tree)
        twin_body = twin_tree.body if isinstance(twin_tree, ast.Lambda) else twin_tree
        apply([n for n in ast.walk(twin_body) if isinstance(n, ast.Compare)][position])
        code = claim.holds.__code__
        scope = {**claim.holds.__globals__, **{name: cell.cell_contents for name, cell in
                                               zip(code.co_freevars, claim.holds.__closure__ or ())}}
        try:
            mutated = _compiled(twin_tree, filename, scope)
        except Exception as problem:  # noqa: BLE001
            results.append(Mutant(CLAIM_CHECK, operator, site, change, Outcome.UNDECIDED, f"does not compile: {problem}"))
            continue
        if _claim_weakening(claim, mutated, seconds):
            results.append(Mutant(CLAIM_CHECK, operator, site, change, Outcome.EQUIVALENT,
                                  "the declared claim implies it: a weakening, true whenever the claim is"))
            continue
        statuses, killer = [], ""
        with statement.overridden(lemma.id, mutated):
            for check in checks:
                evidence = run_check(dataclasses.replace(check, timeout_s=min(check.timeout_s, seconds * 3)),
                                     dataclasses.replace(context, report_dir=context.report_dir / "mutants"))
                statuses += [e.status for e in evidence if e.kind is not None]
                if any(e.status in (Status.REFUTED, Status.CONFLICT) for e in evidence):
                    killer = check.name
                    break
        if killer:
            results.append(Mutant(CLAIM_CHECK, operator, site, change, Outcome.KILLED, f"rejected by {killer}"))
        elif Status.PROVED in statuses or all(s is Status.TESTED for s in statuses):
            results.append(Mutant(CLAIM_CHECK, operator, site, change, Outcome.SURVIVED,
                                  "every check accepted the mutated claim"))
        else:
            results.append(Mutant(CLAIM_CHECK, operator, site, change, Outcome.UNDECIDED,
                                  f"no check rejected it, and not every check accepted it: {sorted(set(statuses))}"))
    return results


def power_mutants(check: Check, context: CheckContext) -> list[Mutant]:
    """A simulation that compares estimates with a claimed value, run with each claimed value moved
    by the power it declares: it must reject the moved claim."""
    from proofs import sim

    original = sim.run(check, dataclasses.replace(context, report_dir=context.report_dir / "mutants"))
    estimates = (original[0].facts.get("estimates") or []) if original else []
    if not estimates:
        return []
    names = ", ".join(e["name"] for e in estimates)
    with sim.shifted_by_power():
        evidence = sim.run(check, dataclasses.replace(context, report_dir=context.report_dir / "mutants"))
    status = evidence[0].status
    outcome = Outcome.KILLED if status is Status.REFUTED else (
        Outcome.SURVIVED if status is Status.TESTED else Outcome.UNDECIDED)
    return [Mutant(check.name, "power", f"estimates {names}", "claimed value moved by the declared power", outcome,
                   f"{status.value}: {evidence[0].detail[-200:]}")]


# -- the command ---------------------------------------------------------------------------------------------


def mutants_of(lemma_id: str, registry: Any, context: CheckContext, seconds: float) -> list[Mutant]:
    results = []
    for check in registry.checks(lemma_id):
        if check.engine == "z3":
            results += z3_mutants(check, seconds)
        elif check.engine in ("sympy", "interval"):
            results += goal_mutants(check, seconds)
        elif check.engine in ("hypothesis", "simulation"):
            results += test_mutants(check, context)
        if check.engine == "simulation":
            results += power_mutants(check, context)
    results += declared_claim_mutants(registry.get(lemma_id), registry, context, seconds)
    return results


class StaleSurvivorKey(ValueError):
    """A `survivors=` key that names no mutant of its lemma: the code moved on and the explanation
    no longer says anything about it."""


def explained(mutants: Sequence[Mutant], notes: dict[str, str], lemma_id: str = "") -> list[Mutant]:
    """Survivors with the author's explanation attached (`survivors=` on the lemma, keyed by the
    mutant's identity, `check | operator | site | change`, exactly); an explained survivor still
    counts as a survivor in the score. A key that matches no mutant is an error."""
    identities = {m.identity for m in mutants}
    stale = sorted(key for key in notes if key not in identities)
    if stale:
        raise StaleSurvivorKey(f"{lemma_id}: survivors key(s) {stale} match no mutant; mutants are keyed by their "
                               f"identity, e.g. {sorted(identities)[:2]}: re-derive the explanation or drop the key")
    result = []
    for mutant in mutants:
        note = notes.get(mutant.identity)
        if mutant.outcome == Outcome.SURVIVED and note:
            mutant = dataclasses.replace(mutant, detail=f"{mutant.detail}; explained: {note}")
        result.append(mutant)
    return result


def summarise(mutants: Sequence[Mutant]) -> dict[str, Any]:
    counts = {outcome: sum(m.outcome == outcome for m in mutants)
              for outcome in (Outcome.KILLED, Outcome.SURVIVED, Outcome.EQUIVALENT, Outcome.UNDECIDED)}
    return {**counts, "mutants": [m.to_json() for m in mutants]}


def mutate_command(ids: Sequence[str], theorems_dir: Path, root: Path, report_dir: Path, seconds: float,
                   console: Any, min_score: float | None = None) -> int:
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from proofs import prop
    from proofs.errors import UsageError
    from proofs.registry import REGISTRY, module_names
    from proofs.report import load_status, write_report

    document = load_status(report_dir)
    by_id = {l["id"]: l for l in document["lemmas"]}
    unknown = [i for i in ids if i not in by_id]
    if unknown:
        from proofs.records import close_matches

        raise UsageError(f"no lemma {unknown[0]!r} in the report{close_matches(unknown[0], list(by_id))}")
    chosen = list(ids) or [i for i, l in by_id.items() if l["status"] in (Status.PROVED, Status.TESTED)
                           and l["kind"] != "axiom"]
    with prop.lemma_profile(prop.DEFAULT_PROFILE):
        for name in module_names(theorems_dir):
            importlib.import_module(name)
    context = CheckContext(report_dir, 0, "default", prop.DEFAULT_PROFILE)
    started = time.perf_counter()
    stale_keys: list[str] = []
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), console=console, transient=True) as progress:
        task = progress.add_task("mutants", total=len(chosen))
        for lemma_id in chosen:
            progress.update(task, description=f"mutants of {lemma_id}")
            if lemma_id in REGISTRY:
                found = mutants_of(lemma_id, REGISTRY, context, seconds)
                try:
                    mutants = explained(found, REGISTRY.get(lemma_id).survivors, lemma_id)
                except StaleSurvivorKey as stale:
                    stale_keys.append(str(stale))
                    mutants = found
                by_id[lemma_id]["mutants"] = {**summarise(mutants), "fingerprint": by_id[lemma_id].get("fingerprint")}
            progress.advance(task)
    summary = score(list(by_id.values()))
    summary["wall_time_s"] = round(time.perf_counter() - started, 1)
    document["summary"]["mutation"] = summary
    write_report(document, report_dir)
    console.print(f"mutation score: {summary[Outcome.KILLED]} killed of {summary['non_equivalent']} non-equivalent "
                  f"mutants ({summary['score']:.1%}); {summary[Outcome.EQUIVALENT]} equivalent, "
                  f"{summary[Outcome.SURVIVED]} survived, {summary[Outcome.UNDECIDED]} undecided, over "
                  f"{summary['lemmas']} lemmas in {summary['wall_time_s']} s" if summary["score"] is not None
                  else "no mutants")
    for lemma_id in chosen:
        for mutant in (by_id[lemma_id].get("mutants") or {}).get("mutants", []):
            if mutant["outcome"] == Outcome.SURVIVED:
                console.print(f"  survived: {lemma_id}: {mutant['identity']}", markup=False)
    (report_dir / "mutation.json").write_text(json.dumps(summary, indent=2) + "\n")
    if stale_keys:
        for message in stale_keys:
            console.print(f"stale survivor key: {message}", markup=False)
        return 2
    if min_score is not None and (summary["score"] or 0.0) < min_score:
        console.print(f"mutation score {summary['score']} is below the required {min_score}")
        return 1
    return 0
