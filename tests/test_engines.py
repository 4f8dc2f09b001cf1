"""Interval arithmetic, induction, cited axioms and facts used by reference (issue 15)."""

import flint
import sympy as sp

from proofs import cas, interval
from proofs.checks import run_check, run_lemma
from proofs.records import Check, CheckContext
from proofs.registry import axiom, derive, lemma
from proofs.status import Status

WAIVE = {"property": "planted", "simulation": "planted"}


def goal_status(goal, report_dir, engine="interval"):
    (evidence,) = run_check(Check("demo.x", "goal", engine, lambda: goal, 30.0), CheckContext(report_dir, 0))
    return evidence


# -- validated numerics ------------------------------------------------------------------------------------


def test_a_true_and_tight_bound_is_certified_on_every_sub_box(report_dir):
    x = sp.Symbol("x", real=True)
    tight = (x - 1) ** 2 + sp.Rational(1, 10**6)  # its minimum is 10^-6, at x = 1
    evidence = goal_status(interval.Bound(tight, box={x: (0, 3)}), report_dir)
    assert evidence.status is Status.PROVED, evidence.detail
    assert evidence.facts["boxes_certified"] >= 1 and evidence.facts["boxes_undecided"] == 0


def test_exp_and_log_inequalities_z3_cannot_state_are_certified(report_dir):
    t = sp.Symbol("t", real=True)
    evidence = goal_status(interval.Bound(sp.exp(t) - t - sp.Rational(1, 2), box={t: (-5, 5)}), report_dir)
    assert evidence.status is Status.PROVED, evidence.detail


def test_a_bound_false_on_a_tiny_sub_box_is_refuted_at_a_point_with_its_certified_enclosure(report_dir):
    x = sp.Symbol("x", real=True)
    dip = (x - sp.Rational(3, 10)) ** 2 - sp.Rational(1, 10**8)  # negative only for |x − 0.3| < 10⁻⁴
    evidence = goal_status(interval.Bound(dip, box={x: (0, 1)}), report_dir)
    assert evidence.status is Status.REFUTED
    assert "at a point of the box" in evidence.detail and "sub-box whose certified enclosure" not in evidence.detail
    # the counterexample is the point, with the ball that certifies the violation there
    assert abs(evidence.counterexample["x"] - 0.3) < 1e-4
    assert evidence.counterexample["point"]["x"] == evidence.counterexample["x"]
    enclosure = flint.arb(evidence.counterexample["enclosure"])
    assert enclosure < 0 and enclosure.rad() < flint.arb(10) ** -20
    low, high = evidence.counterexample["searched_box"]["x"]  # where the search found it
    assert low <= 0.3 <= high and high - low < 1e-2


def test_a_bound_that_needs_more_subdivision_than_the_limit_is_unknown(report_dir):
    x = sp.Symbol("x", real=True)
    # expanded, each enclosure overestimates (x² and −2x move apart); with the derivative rule off,
    # only subdivision can certify it, and 5 sub-boxes are not enough
    tight = x**2 - 2 * x + 1 + sp.Rational(1, 10**6)
    evidence = goal_status(interval.Bound(tight, box={x: (0, 3)}, max_boxes=5, derivative_order=0), report_dir)
    assert evidence.status is Status.UNKNOWN and evidence.facts["boxes_undecided"] > 0


def test_an_unbounded_domain_is_proved_only_with_a_tail_that_is_proved(report_dir):
    x = sp.Symbol("x", positive=True)
    decay = 2 - sp.exp(-x)  # ≥ 1 everywhere on (0, ∞)
    without = goal_status(interval.Bound(decay, box={x: (0, 10)}, bound=1, domain={x: (0, float("inf"))}),
                          report_dir)
    assert without.status is Status.UNKNOWN and "no tail= goal" in without.detail
    tail = cas.Bound(decay - 1, {x: (10.0, float("inf"))})
    covered = goal_status(interval.Bound(decay, box={x: (0, 10)}, bound=1, domain={x: (0, float("inf"))},
                                         tail=tail, tail_note="e^{-x} > 0 for every x"), report_dir)
    assert covered.status is Status.PROVED, covered.detail


# -- induction -------------------------------------------------------------------------------------------------


def test_an_induction_with_a_false_closed_form_is_refuted_at_a_concrete_n(report_dir):
    n = sp.Symbol("n", integer=True, nonnegative=True)
    right = goal_status(cas.Induction(n, n * (n + 1) / 2, n, start=0), report_dir, engine="sympy")
    assert right.status is Status.PROVED, right.detail
    wrong = goal_status(cas.Induction(n, n * n / 2, n, start=0), report_dir, engine="sympy")
    assert wrong.status is Status.REFUTED and wrong.counterexample["n"] >= 1


def test_a_geometric_bound_for_every_n_is_proved_by_an_inequality_step(report_dir):
    c = sp.Symbol("c", integer=True, nonnegative=True)
    evidence = goal_status(cas.Induction(2**c, 2 ** (c + 1), c, start=0, relation="<"), report_dir, engine="sympy")
    assert evidence.status is Status.PROVED, evidence.detail


def test_a_z3_induction_with_a_false_step_is_refuted_with_the_n_where_it_fails(report_dir):
    def partial_sums_dominate_their_last_term(q):  # false: a(0) may be negative
        (n,) = q.ints("n")
        a = q.function("a", "Int", "Real")
        total = q.recursive_function("A", base=a(0), step=lambda k, previous: previous + a(k))
        q.induction(n, start=0)
        q.prove(total(n) >= a(n))

    (evidence,) = run_check(Check("demo.x", "false_step", "z3", partial_sums_dominate_their_last_term),
                            CheckContext(report_dir, 0))
    assert evidence.status is Status.REFUTED
    assert isinstance(evidence.counterexample["n"], int)


def test_abel_summation_is_proved_for_every_n(report_dir):
    def abel(q):
        (n,) = q.ints("n")
        a, b = q.function("a", "Int", "Real"), q.function("b", "Int", "Real")
        partial = q.recursive_function("A", base=a(0), step=lambda k, previous: previous + a(k))
        products = q.recursive_function("S", base=a(0) * b(0), step=lambda k, previous: previous + a(k) * b(k))
        corrections = q.recursive_function("T", base=0 * a(0),
                                           step=lambda k, previous: previous + partial(k - 1) * (b(k) - b(k - 1)))
        q.induction(n, start=0)
        q.prove(products(n) == partial(n) * b(n) - corrections(n))

    (evidence,) = run_check(Check("demo.x", "abel", "z3", abel), CheckContext(report_dir, 0))
    assert evidence.status is Status.PROVED and evidence.facts["points_evaluated"] >= 50


# -- cited axioms -----------------------------------------------------------------------------------------------


def test_an_axiom_cycle_is_an_error(registry):
    axiom("test_engines.first", title="t", statement="s", reference="r", uses=["test_engines.second"],
          registry=registry)
    axiom("test_engines.second", title="t", statement="s", reference="r", uses=["test_engines.first"],
          registry=registry)
    assert any("dependency cycle" in p for p in registry.problems("test_engines.first"))


def test_an_axiom_needs_a_reference_and_cannot_carry_a_proof(registry):
    bare = axiom("test_engines.bare", title="t", statement="s", reference="", registry=registry)
    assert any("reference=" in p for p in registry.problems(bare.id))
    proved = axiom("test_engines.proved", title="t", statement="s", reference="Someone (1900)", registry=registry)

    @proved.check("z3")
    def trivially(q):
        (x,) = q.reals("x")
        q.prove(x * x >= 0)

    assert any("declare it with kind='lemma'" in p for p in registry.problems(proved.id))


def test_fully_proved_is_modulo_cited_axioms_but_never_modulo_a_step_assumed_by_hand():
    statuses = {"a.top": Status.PROVED, "a.cited": Status.UNKNOWN, "a.by_hand": Status.PROVED,
                "a.refuted_axiom": Status.REFUTED, "a.on_refuted": Status.PROVED}
    uses = {"a.top": ["a.cited"], "a.by_hand": ["a.cited"], "a.on_refuted": ["a.refuted_axiom"]}
    derived = derive(statuses, uses, {"a.by_hand": ["a termwise sum"]}, axioms=["a.cited", "a.refuted_axiom"])
    assert derived["a.top"].fully_proved and derived["a.top"].audit["axioms"] == ("a.cited",)
    assert not derived["a.by_hand"].fully_proved
    assert not derived["a.on_refuted"].fully_proved  # an axiom its own sanity check refutes blocks


# -- facts used by reference --------------------------------------------------------------------------------------


def test_a_used_statement_is_the_proved_one_and_must_be_declared_in_uses(registry, report_dir):
    threshold = lemma("test_engines.threshold", title="t", statement="x/(x+n) ≥ p iff x(1−p) ≥ np", waivers=WAIVE,
                      registry=registry)

    @threshold.check("z3")
    def equivalence(q):
        x, n, p = q.reals("x n p")
        q.domain(x > 0, n >= 1, p > 0, p < 1)
        q.prove((x / (x + n) >= p) == (x * (1 - p) >= n * p))

    above = lemma("test_engines.above", title="t", statement="a margin of ln n gives 1/2", waivers=WAIVE,
                  uses=["test_engines.threshold"], registry=registry)

    @above.check("z3")
    def half(q):
        x, n = q.reals("x n")
        q.domain(n >= 1, x >= n)
        q.use(threshold, x=x, n=n, p=sp_half())  # numbers bind as constants
        q.prove(x / (x + n) >= sp_half())

    verdict = run_lemma(above, registry, CheckContext(report_dir, 0))
    assert verdict.status is Status.PROVED
    assert verdict.evidence[0].facts["draws_on"] == ["test_engines.threshold/equivalence"]

    undeclared = lemma("test_engines.undeclared", title="t", statement="s", waivers=WAIVE, registry=registry)

    @undeclared.check("z3")
    def sneaky(q):
        x, n = q.reals("x n")
        q.use(threshold, x=x, n=n)
        q.prove(x * x >= 0)

    (evidence,) = run_lemma(undeclared, registry, CheckContext(report_dir, 0)).evidence
    assert evidence.status is Status.ERROR and "does not list them in uses=" in evidence.detail


def sp_half():
    from fractions import Fraction

    return Fraction(1, 2)
