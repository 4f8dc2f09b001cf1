"""No float decides a verdict: a static check of the engines that compute numbers (issue 21).

The rule, checked on `proofs/cas.py`, `proofs/interval.py` and `proofs/arb.py` (the certified
evaluation both use) by reading their source (as
`tests/test_kernel.py` does for `proved`):

1. They import no fixed-precision numerics: not `mpmath`, `math`, `cmath`, `numpy`, `decimal`,
   `statistics`.
2. A *float value* is one the engine makes: a float literal, `float(...)`, a random draw that is a
   float (`rng.uniform`, `rng.random`, ...), sympy's fixed-precision evaluation (`.evalf`, `.n`,
   `sp.N`, `sp.Float`), and anything computed from one: a variable assigned from it (flow-
   insensitively, in the function or an enclosing one, through attributes and containers), the
   result of a module function that returns one, a call or an operation that takes one. Turning a
   float into the exact rational it denotes (`Fraction`, `sp.Rational`) or into text (`str`,
   `repr`, an f-string) ends the flow: a point is not a measurement, and text is for the reader.
3. A float value may never reach a decision: an ordering or equality comparison (`<`, `==`,
   `in`, ...), the test of an `if`/`while`/`assert`/conditional expression, an ordering by builtins
   (`sorted`, `min`, `max`, `heapq`), or an argument of a `kernel.*` call (where verdicts are
   decided). The clock is the one exception: a comparison with `time.monotonic()` enforces a limit.

Floats may still be shown (a counterexample's plain numbers are floats made by `float()` from a
ball), which is why the rule follows values rather than banning `float`. The test proves the
rule is not vacuous: it finds the float values the engines do make and shows none reaches a
decision, and it flags each kind of planted offence, including the engine's own former code.

Limits: values handed in by an author (a goal's float domain ends) are not tracked; the engines
convert them at once with `interval.exact_number`, which has its own test. True division of two
ints makes a float and is not detected (the engines divide Fractions and balls).
"""

from __future__ import annotations

import ast
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from proofs import arb, cas, interval

ENGINES = (Path(cas.__file__), Path(interval.__file__), Path(arb.__file__))
FORBIDDEN_IMPORTS = {"mpmath", "math", "cmath", "numpy", "decimal", "statistics"}
FLOAT_METHODS = {"uniform", "random", "gauss", "normalvariate", "lognormvariate", "expovariate", "vonmisesvariate",
                 "gammavariate", "betavariate", "paretovariate", "weibullvariate", "triangular", "evalf", "n"}
SYMPY = {"sp", "sympy"}
EXACT = {"Fraction", "Rational", "Integer"}
TEXT = {"str", "repr", "format", "print", "len", "isinstance", "type", "id", "hash", "callable", "hasattr"}
ORDERING = {"sorted", "min", "max", "heappush", "heapify", "heappushpop", "heapreplace", "nsmallest", "nlargest",
            "sort", "bisect", "bisect_left", "bisect_right", "insort"}
CLOCK = {"monotonic", "perf_counter", "time", "process_time"}


@dataclass
class Findings:
    offences: list[str] = field(default_factory=list)
    float_sources: int = 0  # float values the module makes (shown, never decisive)
    kernel_calls: int = 0
    comparisons: int = 0
    returns_float: set[str] = field(default_factory=set)  # its functions whose result is a float value


def _scope_chain(node: ast.AST, parents: dict) -> list[ast.AST]:
    chain = []
    while node in parents:
        node = parents[node]
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.Module)):
            chain.append(node)
    return chain


def _key(target: ast.AST) -> str | None:
    """'x' for a name, 'x.a.b' for an attribute chain, the base's key for a subscript."""
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Attribute):
        base = _key(target.value)
        return f"{base}.{target.attr}" if base else None
    if isinstance(target, (ast.Subscript, ast.Starred)):
        return _key(target.value)
    return None


def analyse(source: str, name: str = "<planted>", imported: frozenset[str] = frozenset()) -> Findings:
    """The offences in one module; `imported` names functions of another module that return a
    float value (cas.py and interval.py use arb.py's `shown`)."""
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    functions = {node.name: node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef,
                                                                                 ast.AsyncFunctionDef))}
    tainted: dict[ast.AST, set[str]] = {}
    returns_float: set[str] = set(imported)
    findings = Findings()

    def lookup(key: str, node: ast.AST) -> bool:
        parts = key.split(".")
        prefixes = {".".join(parts[:i]) for i in range(1, len(parts) + 1)}
        return any(prefixes & tainted.get(scope, set()) for scope in _scope_chain(node, parents))

    def is_source(node: ast.AST) -> bool:
        if isinstance(node, ast.Constant) and isinstance(node.value, (float, complex)):
            return True
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id == "float":
                return True
            if isinstance(func, ast.Attribute) and func.attr in FLOAT_METHODS:
                return True
            if isinstance(func, ast.Attribute) and getattr(func.value, "id", "") in SYMPY and func.attr in ("N", "Float"):
                return True
        return False

    def taint(node: ast.AST | None) -> bool:
        if node is None:
            return False
        if is_source(node):
            return True
        if isinstance(node, ast.Name):
            return lookup(node.id, node)
        if isinstance(node, ast.Attribute):
            key = _key(node)
            return (key is not None and lookup(key, node)) or taint(node.value)
        if isinstance(node, (ast.JoinedStr, ast.Lambda, ast.Constant)):
            return False
        if isinstance(node, ast.Compare) and all(isinstance(op, (ast.Is, ast.IsNot)) for op in node.ops):
            return False
        if isinstance(node, ast.Call):
            func = node.func
            called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if called in EXACT or called in TEXT:
                return False
            if isinstance(func, ast.Name) and func.id in returns_float:
                return True
            arguments = [*node.args, *(k.value for k in node.keywords)]
            if isinstance(func, ast.Attribute) and taint(func.value):
                return True
            return any(taint(a) for a in arguments)
        return any(taint(child) for child in ast.iter_child_nodes(node)
                   if not isinstance(child, (ast.expr_context, ast.operator, ast.cmpop, ast.boolop, ast.unaryop)))

    def mark(target: ast.AST, node: ast.AST) -> bool:
        scope = _scope_chain(target, parents)[0]
        keys = [_key(t) for t in (target.elts if isinstance(target, (ast.Tuple, ast.List)) else [target])]
        changed = False
        for key in filter(None, keys):
            if key not in tainted.setdefault(scope, set()):
                tainted[scope].add(key)
                changed = True
        return changed

    changed = True
    while changed:  # flow-insensitive fixpoint: assignments, loops, comprehensions, returns
        changed = False
        for node in ast.walk(tree):
            pairs = []
            if isinstance(node, ast.Assign):
                pairs = [(t, node.value) for t in node.targets]
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.NamedExpr)) and node.value is not None:
                pairs = [(node.target, node.value)]
            elif isinstance(node, (ast.For, ast.comprehension)):
                pairs = [(node.target, node.iter)]
            elif isinstance(node, ast.withitem) and node.optional_vars is not None:
                pairs = [(node.optional_vars, node.context_expr)]
            for target, value in pairs:
                if taint(value):
                    changed |= mark(target, value)
            if isinstance(node, ast.Return) and taint(node.value):
                function = _scope_chain(node, parents)[0]
                if isinstance(function, ast.FunctionDef) and function.name not in returns_float:
                    returns_float.add(function.name)
                    changed = True

    def offence(node: ast.AST, what: str) -> None:
        findings.offences.append(f"{name}:{node.lineno}: {what}: {ast.unparse(node)[:100]}")

    def clock(node: ast.AST) -> bool:
        return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in CLOCK
                   and getattr(n.func.value, "id", "") == "time" for n in ast.walk(node))

    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            for module in modules:
                if module.split(".")[0] in FORBIDDEN_IMPORTS:
                    offence(node, f"imports fixed-precision numerics ({module})")
        elif is_source(node):
            findings.float_sources += 1
        if isinstance(node, ast.Compare):
            findings.comparisons += 1
            if not all(isinstance(op, (ast.Is, ast.IsNot)) for op in node.ops) and not clock(node):
                if any(taint(operand) for operand in [node.left, *node.comparators]):
                    offence(node, "a float value is compared")
        elif isinstance(node, (ast.If, ast.While, ast.IfExp, ast.Assert)):
            if not isinstance(node.test, ast.Compare) and taint(node.test):
                offence(node.test, "a float value is a condition")
        elif isinstance(node, ast.Call):
            func = node.func
            called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            arguments = [*node.args, *(k.value for k in node.keywords)]
            if isinstance(func, ast.Attribute) and getattr(func.value, "id", "") == "kernel":
                findings.kernel_calls += 1
                if any(taint(a) for a in arguments):
                    offence(node, "a float value reaches the kernel")
            if called in ORDERING:
                keyed = [k.value.body for k in node.keywords if k.arg == "key" and isinstance(k.value, ast.Lambda)]
                if any(taint(a) for a in [*arguments, *keyed]):
                    offence(node, "float values are ordered")
    findings.returns_float = returns_float - set(imported)
    findings.float_sources += len(findings.returns_float)
    return findings


def test_no_float_reaches_a_decision_in_the_engines_that_compute_numbers():
    total = Findings()
    imported: set[str] = set()
    for path in reversed(ENGINES):  # arb.py first, then interval.py: each imports helpers of the one before
        found = analyse(path.read_text(), path.name, frozenset(imported))
        imported |= found.returns_float
        total.offences += found.offences
        total.float_sources += found.float_sources
        total.kernel_calls += found.kernel_calls
        total.comparisons += found.comparisons
    assert total.offences == []
    # not vacuous: the engines do make floats (for the reader) and do decide, and the rule saw both
    assert total.float_sources >= 3
    assert total.kernel_calls >= 8 and total.comparisons >= 30


PLANTED = {
    "mpmath at a fixed precision": """
        import mpmath
        def differs(left, right):
            return abs(left - right) > mpmath.mpf(10) ** -30
    """,
    "the engine's former identity check": """
        def _differs(left, right):
            return abs(left - right) > 10.0 ** -30 * max(1, abs(left))
    """,
    "a float through a variable into a comparison": """
        def check(ball):
            value = float(ball.mid())
            gap = value - 1
            if gap < 0:
                return True
    """,
    "a float through a helper's return": """
        def as_number(ball):
            return float(ball)
        def check(ball):
            number = as_number(ball)
            return number >= 0
    """,
    "a float straight into the kernel": """
        def decide(ball):
            return kernel.bound(sympy_answer=None, violation=float(ball) < 0, points_evaluated=1)
    """,
    "a float as a kernel argument without a comparison": """
        def decide(ball):
            count = float(ball)
            return kernel.bound(sympy_answer=None, violation=True, points_evaluated=count)
    """,
    "sympy's fixed-precision evaluation": """
        def sign(expr):
            return expr.evalf(30) > 0
    """,
    "sp.N": """
        import sympy as sp
        def sign(expr):
            value = sp.N(expr, 60)
            return value == 0
    """,
    "a random float": """
        def coin(rng):
            return rng.uniform(0, 1) < 0.5
    """,
    "an ordering by float keys": """
        def lowest(points):
            return sorted(points, key=lambda p: float(p))[0]
    """,
    "floats in a priority queue": """
        import heapq
        def push(queue, ball, box):
            heapq.heappush(queue, (float(ball.lower()), box))
    """,
    "a float kept on an attribute": """
        def keep(search, ball):
            search.lowest = float(ball)
            if search.lowest <= 0:
                return search
    """,
    "a float in a container": """
        def witness(ball, point):
            found = {"gap": float(ball)}
            return found["gap"] < 0
    """,
    "a float as a condition": """
        def check(ball):
            if float(ball):
                return True
    """,
    "a float in a loop variable": """
        def any_negative(balls):
            for value in [float(b) for b in balls]:
                if value < 0:
                    return True
    """,
}

CLEAN = """
    import time
    from fractions import Fraction
    def decide(ball, deadline, rng):
        shown = {"gap": float(ball.mid())}          # floats for the reader
        label = f"{float(ball):.3g}"
        point = Fraction(rng.uniform(0, 1))          # a float made exact: a point, not a measurement
        if time.monotonic() > deadline:              # the clock
            return None
        if shown is not None and point < 1 and bool(ball < 0) and label != "x":
            return kernel.bound(sympy_answer=None, violation=bool(ball < 0), points_evaluated=1)
"""


def test_every_kind_of_planted_float_decision_is_flagged():
    for what, source in PLANTED.items():
        assert analyse(textwrap.dedent(source)).offences, f"the rule misses {what}"


def test_floats_that_are_shown_made_exact_or_timed_are_allowed():
    found = analyse(textwrap.dedent(CLEAN))
    assert found.offences == [] and found.float_sources >= 3 and found.kernel_calls == 1


def test_an_author_float_becomes_the_exact_number_it_prints_as():
    import sympy as sp

    assert interval.exact_number(0.1) == sp.Rational(1, 10)
    assert interval.exact_number(float("inf")) == sp.oo and interval.exact_number(float("-inf")) == -sp.oo
    assert interval.exact_number(sp.pi / 2) == sp.pi / 2
