"""The trusted kernel: one small module decides `proved`, and each of its rules has a planted test."""

import ast
from pathlib import Path

import sympy as sp

from proofs import cas, kernel, smt
from proofs.checks import run_check, run_lemma
from proofs.records import Check, CheckContext
from proofs.registry import lemma
from proofs.status import CheckKind, Evidence, Status, Verdict

KERNEL_DIR = Path(kernel.__file__).parent
WAIVE = {"property": "planted", "simulation": "planted"}


def ctx(report_dir):
    return CheckContext(report_dir, 0)


# -- one small trusted path ------------------------------------------------------------------------------


def _producers_of_proved(path: Path) -> list[int]:
    """Lines where `Status.PROVED` (or Status("proved")) is used other than in a comparison."""
    tree = ast.parse(path.read_text())
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}

    def inside_comparison(node):
        while node in parents:
            node = parents[node]
            if isinstance(node, ast.Compare):
                return True
        return False

    lines = []
    for node in ast.walk(tree):
        proved_attribute = (isinstance(node, ast.Attribute) and node.attr == "PROVED"
                            and getattr(node.value, "id", "") == "Status")
        proved_call = (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Status" and node.args
                       and isinstance(node.args[0], ast.Constant) and node.args[0].value == "proved")
        if (proved_attribute or proved_call) and not inside_comparison(node):
            lines.append(node.lineno)
    return lines


def test_only_the_kernel_and_the_status_table_can_produce_proved():
    producers = {path.relative_to(KERNEL_DIR).as_posix(): _producers_of_proved(path)
                 for path in sorted(KERNEL_DIR.rglob("*.py"))}
    offenders = {name: lines for name, lines in producers.items() if lines and name not in ("kernel.py", "status.py")}
    assert offenders == {}
    # status.py only passes a present PROVED through the combine table; it never creates one
    assert len(producers["status.py"]) <= 3


def test_the_kernel_imports_nothing_but_the_status_vocabulary():
    tree = ast.parse((KERNEL_DIR / "kernel.py").read_text())
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert imported <= {"__future__", "dataclasses", "proofs.status"}


def test_a_universal_claim_is_proved_only_with_every_condition_met():
    proved = dict(negation="unsat", negation_second="unsat", hypotheses="sat", hypotheses_second="sat",
                  hypotheses_met_at_a_point=True, points_evaluated=10, falsified=False, counterexample_replayed=False)
    assert kernel.universal(**proved).status is Status.PROVED
    assert kernel.universal(**{**proved, "points_evaluated": 0}).status is Status.UNKNOWN
    assert kernel.universal(**{**proved, "negation_second": "sat"}).status is Status.CONFLICT
    assert kernel.universal(**{**proved, "falsified": True}).status is Status.CONFLICT
    assert kernel.universal(**{**proved, "hypotheses": "unknown", "hypotheses_met_at_a_point": False}).status \
        is Status.UNKNOWN
    vacuous = {**proved, "hypotheses": "unsat", "hypotheses_second": "unsat", "hypotheses_met_at_a_point": False}
    assert kernel.universal(**vacuous).status is Status.VACUOUS
    assert kernel.universal(**{**vacuous, "hypotheses_second": "sat"}).status is Status.CONFLICT
    assert kernel.universal(**{**proved, "negation": "unknown"}).status is Status.UNKNOWN
    model = {**proved, "negation": "sat", "negation_second": "sat"}
    assert kernel.universal(**model).status is Status.ERROR  # a model that does not replay is an artefact
    assert kernel.universal(**{**model, "counterexample_replayed": True}).status is Status.REFUTED
    assert kernel.universal(**{**model, "negation_second": "unsat"}).status is Status.CONFLICT


def test_only_symbolic_checks_may_prove():
    assert kernel.admit(CheckKind.SYMBOLIC, Status.PROVED) is Status.PROVED
    assert kernel.admit(CheckKind.PROPERTY, Status.PROVED) is Status.ERROR
    assert kernel.admit(CheckKind.SIMULATION, Status.PROVED) is Status.ERROR


# -- an undecided goal blocks proved ---------------------------------------------------------------------


def test_a_lemma_with_one_proved_and_one_undecided_sympy_goal_is_at_most_tested(registry, report_dir):
    x = sp.Symbol("x", positive=True)
    planted = lemma("test_kernel.half_decided", title="t", statement="s", waivers=WAIVE, registry=registry)

    @planted.check("sympy")
    def two_goals():
        decided = cas.Identity((x + 1) ** 2, x**2 + 2 * x + 1, {x: (0.1, 10)}, name="square")
        # sympy cannot decide the sign of this gap without calculus it is not allowed here
        undecided = cas.Bound(sp.exp(x) - 1 - x - x**2 / 2, {x: (0.1, 10)}, calculus=False, name="exp_series")
        return [decided, undecided]

    verdict = run_lemma(planted, registry, ctx(report_dir))
    assert [e.status for e in verdict.evidence] == [Status.PROVED, Status.UNKNOWN]
    assert verdict.status is Status.TESTED  # the proved goal counts as a check that found no counterexample
    assert verdict.undecided_goals == ("two_goals/exp_series (unknown)",)


def test_an_undecided_goal_beside_a_passing_test_gives_tested_never_proved():
    evidence = (Evidence("sympy", Status.PROVED, "", kind=CheckKind.SYMBOLIC, check="a"),
                Evidence("sympy", Status.UNKNOWN, "", kind=CheckKind.SYMBOLIC, check="b"),
                Evidence("hypothesis", Status.TESTED, "", kind=CheckKind.PROPERTY, check="c"))
    assert Verdict(evidence=evidence).status is Status.TESTED
    timed_out = (evidence[0], Evidence("z3", Status.TIMEOUT, "", kind=CheckKind.SYMBOLIC, check="d"))
    assert Verdict(evidence=timed_out).status is Status.TESTED


def test_a_check_that_certifies_only_part_of_the_statement_caps_the_lemma_at_tested(registry, report_dir):
    planted = lemma("test_kernel.only_a_step", title="t", statement="s", waivers={**WAIVE, "property": "p"},
                    registry=registry)

    @planted.check("z3", part="the algebra once the exponential is substituted")
    def algebra(q):
        (x,) = q.reals("x")
        q.domain(x > 0)
        q.prove(x / (x + 1) < 1)

    verdict = run_lemma(planted, registry, ctx(report_dir))
    assert verdict.evidence[0].status is Status.PROVED
    assert verdict.status is not Status.PROVED
    assert verdict.undecided_goals == ("algebra (certifies only: the algebra once the exponential is substituted)",)


def test_the_undecided_goal_is_named_in_the_audit_of_the_lemmas_above_it():
    from proofs.registry import derive

    derived = derive({"a.top": Status.PROVED, "a.low": Status.TESTED}, {"a.top": ["a.low"]},
                     undecided_goals={"a.low": ["limit (unknown)"]})
    assert derived["a.top"].audit["undecided_goals"] == ("a.low: limit (unknown)",)
    assert not derived["a.top"].fully_proved


# -- a definite False is never "could not decide" -----------------------------------------------------------


def sympy_check(fn):
    return Check("demo.lemma", fn.__name__, "sympy", fn, 30.0)


def test_a_false_bound_violated_only_in_a_narrow_dip_is_refuted_with_its_witness(report_dir):
    x = sp.Symbol("x", real=True)

    def narrow_dip():  # negative only for |x − 0.3| < 0.001: uniform sampling rarely lands there
        return cas.Bound((x - sp.Rational(3, 10)) ** 2 - sp.Rational(1, 10**6), {x: (0.0, 1.0)})

    (evidence,) = run_check(sympy_check(narrow_dip), ctx(report_dir))
    assert evidence.status is Status.REFUTED
    assert abs(evidence.counterexample["x"] - 0.3) < 1e-3 and evidence.counterexample["gap"] < 0


def test_a_false_bound_violated_only_at_the_edge_of_its_domain_is_refuted_there(report_dir):
    x = sp.Symbol("x", positive=True)

    def edge():  # x − 10⁻⁹ ≥ 0 fails only for x < 10⁻⁹, at the lower edge of (0, 1)
        return cas.Bound(x - sp.Rational(1, 10**9), {x: (0.0, 1.0)})

    (evidence,) = run_check(sympy_check(edge), ctx(report_dir))
    assert evidence.status is Status.REFUTED and evidence.counterexample["x"] < 1e-9


def test_sympy_saying_false_without_a_witness_is_undecided_and_says_so(report_dir):
    x = sp.Symbol("x", positive=True)

    def differs_below_precision():  # the sides differ by 10⁻¹⁰⁰, below the 60-digit tolerance
        return cas.Identity(x + sp.Rational(1, 10**100), x, {x: (1.0, 2.0)})

    (evidence,) = run_check(sympy_check(differs_below_precision), ctx(report_dir))
    assert evidence.status is Status.UNKNOWN
    assert "sympy says the two sides differ, but no witness was found" in evidence.detail


def test_a_textbook_limit_is_proved_not_called_a_conflict(report_dir):
    n = sp.Symbol("n", positive=True)

    def e_as_a_limit():
        return cas.Limit((1 + 1 / n) ** n, n, sp.E)

    (evidence,) = run_check(sympy_check(e_as_a_limit), ctx(report_dir))
    assert evidence.status is Status.PROVED, evidence.detail


# -- a cross-check that evaluated nothing is not a cross-check -----------------------------------------------


def z3_check(fn):
    return Check("demo.lemma", fn.__name__, "z3", fn, 20.0)


def test_hypotheses_that_random_points_never_meet_are_met_by_models_and_the_count_is_shown(report_dir):
    def on_a_curve(q):  # random rationals never satisfy x·y = 1 ∧ x + y = 5/2; z3's models do
        x, y = q.reals("x y")
        q.given(x * y == 1, x + y == sp_fraction(5, 2))
        q.prove(x * x + y * y == sp_fraction(17, 4))

    (evidence,) = run_check(z3_check(on_a_curve), ctx(report_dir))
    assert evidence.status is Status.PROVED
    assert evidence.facts["points_evaluated"] >= 1


def test_a_proof_whose_claim_no_point_could_evaluate_is_not_proved(report_dir):
    def quantified(q):  # the exact evaluator cannot evaluate a quantifier, so nothing is cross-checked
        (x,) = q.reals("x")
        y = q.reals("y")[0]
        q.given(smt.ForAll([y], y * y >= 0))
        q.prove(x * x >= 0)

    (evidence,) = run_check(z3_check(quantified), ctx(report_dir))
    assert evidence.status is Status.UNKNOWN
    assert "no point was evaluated" in evidence.detail
    assert evidence.facts["points_evaluated"] == 0


def test_claims_about_every_function_are_cross_checked_on_random_functions(report_dir):
    def diagonal(q):
        h = q.function("h", "Int", "Int", "Int")
        (i,) = q.ints("i")
        q.prove(smt.If(h(i, i) == 0, 1, 0) != h(i, i))

    (evidence,) = run_check(z3_check(diagonal), ctx(report_dir))
    assert evidence.status is Status.PROVED and evidence.facts["points_evaluated"] >= 100


def sp_fraction(a, b):
    from fractions import Fraction

    return Fraction(a, b)


def test_nothing_is_below_minus_infinity_or_above_plus_infinity(report_dir):
    x = sp.Symbol("x", positive=True)
    assert cas._decide(cas.Limit(-x, x, expected=-sp.oo, relation="<"), 0)[0] is Status.REFUTED
    assert cas._decide(cas.Limit(x, x, expected=sp.oo, relation=">"), 0)[0] is Status.REFUTED
    assert cas._decide(cas.Limit(x, x, expected=sp.oo, relation=">="), 0)[0] is Status.PROVED
    assert cas._decide(cas.Limit(x, x, expected=5, relation=">"), 0)[0] is Status.PROVED


def test_a_function_only_the_claim_uses_gets_a_random_interpretation_at_model_points(report_dir):
    def claim_only_function(q):
        h = q.function("h", "Int", "Int")
        n, m = q.ints("n m")
        q.given(n * n == 2 * m + 7, m > 100)  # random points almost never meet this; z3's models do
        q.prove(h(n) == h(n))

    (evidence,) = run_check(z3_check(claim_only_function), ctx(report_dir))
    assert evidence.status is Status.PROVED and evidence.facts["points_evaluated"] >= 1


def test_a_bound_on_an_unbounded_domain_is_cross_checked_across_orders_of_magnitude(report_dir):
    t = sp.Symbol("t", real=True)

    def exponential_above_its_tangent():
        return cas.Bound(sp.exp(t) - 1 - t, {t: (float("-inf"), float("inf"))})

    (evidence,) = run_check(sympy_check(exponential_above_its_tangent), ctx(report_dir))
    assert evidence.facts["points_evaluated"] > 0 and evidence.status is not Status.ERROR


def test_a_partial_proof_beside_a_counterexample_is_refuted_not_a_conflict():
    partial = Evidence("z3", Status.PROVED, "", kind=CheckKind.SYMBOLIC, check="step", facts={"part": "a step"})
    counterexample = Evidence("hypothesis", Status.REFUTED, "", kind=CheckKind.PROPERTY, check="test")
    assert Verdict(evidence=(partial, counterexample)).status is Status.REFUTED


def test_an_induction_replays_rational_partial_sums_exactly():
    n = sp.Symbol("n", integer=True, positive=True)
    k = sp.Symbol("k", integer=True, positive=True)
    harmonic = sp.Sum(1 / k, (k, 1, n)).doit()  # sympy's harmonic(n): its step does not simplify
    status = cas._decide(cas.Induction(1 / n, harmonic, n, start=1), 0)[0]
    assert status is not Status.REFUTED
