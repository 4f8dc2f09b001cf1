"""One statement, three checks: a lemma's claim declared once and evaluated by every check.

The planted lemmas here are the mistakes the shared claim exists to catch: a z3 encoding and a
test helper that disagree by one term, a cited fact instantiated by hand with a factor missing, a
simulation too blunt to see the deviation it declares; and the kernel's rule that a lemma whose
symbolic checks prove something other than its declared claim is not proved.
"""

import math
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from proofs import Claim, axiom, mutate, sim
from proofs.checks import run_check, run_lemma
from proofs.errors import InvalidArgument
from proofs.records import CheckContext
from proofs.registry import lemma
from proofs.statement import All, And, Implies, Sum, exp, recording
from proofs.status import Status

WAIVE = {"simulation": "planted"}


def ctx(report_dir):
    return CheckContext(report_dir, 0)


# -- evaluating a claim at a point ------------------------------------------------------------------------


def test_a_claim_is_evaluated_exactly_at_float_points():
    third = Claim(lambda x: 3 * x == 1)
    assert third(x=Fraction(1, 3))
    assert not third(x=1 / 3)  # the float 1/3 is not one third, and exact evaluation says so
    assert third(x=1 / 3, tolerance=1e-12)  # unless the author allows for the rounding of a measured value


def test_a_constant_written_in_a_claim_means_its_decimal_reading():
    tenth = Claim(lambda x: x == 0.1)
    assert tenth(x=Fraction(1, 10))  # 0.1 in the claim is 1/10, as z3 reads it too
    assert not tenth(x=0.1)  # while the float 0.1 measured at a point is the binary rational it stores


def test_outside_its_domain_a_claim_holds_and_the_ledger_says_it_was_not_evaluated_there():
    positive = Claim(lambda x: x > 0, where=lambda x: x > -1).bound_to("demo.positive")
    with recording() as ledger:
        assert positive(x=-5)
        assert not positive(x=Fraction(-1, 2))
    assert ledger.evaluations["demo.positive"] == {"inside": 1, "outside": 1, "failed": 1}


def test_a_point_with_a_missing_or_unknown_parameter_is_named():
    claim = Claim(lambda x, n: x <= n).bound_to("demo.named")
    with pytest.raises(InvalidArgument, match=r"missing \['n'\], unknown \['m'\]"):
        claim(x=1, m=2)


def test_sums_sequences_and_exp_evaluate_in_numbers_and_sympy():
    gauss = Claim(lambda n: Sum(lambda k: k, n) == n * (n + 1) / 2)
    assert all(gauss(n=n) for n in range(30))
    bounded = Claim(lambda e, n: Implies(All(lambda k: e(k) <= 1, n), Sum(lambda k: e(k), n) <= n + 1))
    assert bounded(e=[0.5, 1.0, 0.25], n=2)
    assert not Claim(lambda e, n: Sum(lambda k: e(k), n) <= n)(e=[2.0, 0.0], n=1)
    growth = Claim(lambda t: exp(t) >= 1 + t)
    assert growth(t=0) and growth(t=-3.5) and growth(t=10)
    x = sp.Symbol("x", positive=True)
    where, holds = Claim(lambda x: exp(x) >= 1 + x, where=lambda x: x >= 0).sympy(x=x)
    assert holds == sp.Ge(sp.exp(x), 1 + x) and where == sp.Ge(x, 0)


# -- the z3 goal is the claim ---------------------------------------------------------------------------------


def test_a_z3_goal_built_from_the_declared_claim_proves_it(registry, report_dir):
    half = lemma("test_statement.half", title="t", statement="s", registry=registry, waivers={"simulation": "w",
                 "property": "w"}, claim=Claim(lambda x, n: x / (x + n) >= Fraction(1, 2),
                                               where=lambda x, n: And(n >= 1, x >= n)))

    @half.check("z3")
    def algebra(q):
        q.prove_claim()

    verdict = run_lemma(half, registry, ctx(report_dir))
    assert verdict.status is Status.PROVED
    assert verdict.evidence[0].facts["claim"]["link"] == "built"


def test_a_symbolic_goal_of_its_own_does_not_prove_the_declared_claim(registry, report_dir):
    """The kernel's rule: a lemma that declares a claim is proved only by a goal that is the claim."""
    own = lemma("test_statement.own", title="t", statement="s", registry=registry, waivers={"simulation": "w",
                "property": "w"}, claim=Claim(lambda x: x * x >= 0))

    @own.check("z3")
    def narrower(q):
        (x,) = q.reals("x")
        q.given(x >= 1)  # a premise the claim does not have: an instance, not the claim
        q.prove_claim(x=x)

    verdict = run_lemma(own, registry, ctx(report_dir))
    assert verdict.evidence[0].status is Status.PROVED
    assert verdict.evidence[0].facts["claim"]["link"] == "instance"
    assert verdict.status is Status.TESTED
    assert any("declared claim" in goal for goal in verdict.undecided_goals)


def test_an_induction_proves_a_claim_with_a_sum(registry, report_dir):
    gauss = lemma("test_statement.gauss", title="t", statement="s", registry=registry, waivers={"simulation": "w",
                  "property": "w"}, claim=Claim(lambda n: 2 * Sum(lambda k: k, n) == n * (n + 1),
                                                where=lambda n: n >= 0, sorts={"n": "Int"}))

    @gauss.check("z3")
    def by_induction(q):
        (n,) = q.ints("n")
        q.prove_claim(n=n)
        q.induction(n, 0)

    assert run_lemma(gauss, registry, ctx(report_dir)).status is Status.PROVED


# -- the planted mistakes -------------------------------------------------------------------------------------


def uniform_share(keys: int) -> float:
    """The model: softmax over `keys` equal logits, materialised."""
    logits = np.zeros(keys)
    weights = np.exp(logits - logits.max())
    return float(weights[0] / weights.sum())


def test_an_off_by_one_the_solver_proves_from_its_own_premises_meets_the_numbers(registry, report_dir):
    """Each key of a uniform softmax row gets 1/N; a claim mis-encoded as 1/(N − 1) is proved by z3
    from a premise written with the same mistake. The test's own helper, written right, passes
    beside it: the lemma reads proved while it is false. With the claim declared once, the
    property test evaluates *that* claim on the materialised row, and the lemma is refuted."""
    separate = lemma("test_statement.separate", title="t", statement="each key gets 1/N", registry=registry,
                     waivers=WAIVE)

    @separate.check("z3")
    def own_copy(q):
        share, keys = q.reals("share keys")
        q.domain(keys >= 2)
        q.given(share * (keys - 1) == 1)  # the model, mis-encoded by one key
        q.prove(share * (keys - 1) == 1)

    @separate.check("hypothesis")
    @given(keys=st.integers(2, 500))
    def own_helper(keys):
        assert math.isclose(uniform_share(keys), 1 / keys)  # the test's own formula, right

    assert run_lemma(separate, registry, ctx(report_dir)).status is Status.PROVED  # the blind spot

    shared = lemma("test_statement.shared", title="t", statement="each key gets 1/N", registry=registry, waivers=WAIVE,
                   claim=Claim(lambda share, keys: share * (keys - 1) == 1, where=lambda share, keys: keys >= 2))

    @shared.check("z3")
    def from_the_claim(q):
        share, keys = q.reals("share keys")
        q.given(share * (keys - 1) == 1)  # the same mis-encoded model
        q.prove_claim(share=share, keys=keys)

    @shared.check("hypothesis")
    @given(keys=st.integers(2, 500))
    def on_the_model(keys):
        shared.claim.require(share=uniform_share(keys), keys=keys, tolerance=1e-9)

    verdict = run_lemma(shared, registry, ctx(report_dir))
    assert verdict.status is Status.REFUTED
    property_evidence = [e for e in verdict.evidence if e.engine == "hypothesis"][0]
    assert property_evidence.status is Status.REFUTED and "fails at" in property_evidence.detail


def test_a_cited_fact_instantiated_by_hand_proves_a_false_conclusion_and_q_use_does_not(registry, report_dir):
    """E K = T·p (linearity of expectation over T steps, each containing the distance with
    probability p). Typed by hand without the factor T, z3 proves E K ≤ p; drawn on with q.use,
    whose bindings are the axiom's own parameters, the same conclusion is refuted."""
    linearity = axiom("test_statement.expectation", title="E K = T·p", statement="s", reference="Billingsley 1995",
                      registry=registry, claim=Claim(lambda mean_count, steps, prob: mean_count == steps * prob,
                                                     where=lambda mean_count, steps, prob: And(steps >= 0, prob >= 0,
                                                                                                prob <= 1)))
    typed = lemma("test_statement.typed", title="t", statement="E K ≤ p", registry=registry, waivers={"simulation": "w",
                  "property": "w"}, uses=["test_statement.expectation"])

    @typed.check("z3")
    def by_hand(q):
        mean_count, steps, prob = q.reals("EK T p")
        q.domain(steps >= 1, prob >= 0, prob <= 1)
        q.given(mean_count == prob)  # the instance typed without its factor T
        q.prove(mean_count <= prob)

    assert run_lemma(typed, registry, ctx(report_dir)).status is Status.PROVED  # a false conclusion, proved

    drawn = lemma("test_statement.drawn", title="t", statement="E K ≤ p", registry=registry, waivers={"simulation": "w",
                  "property": "w"}, uses=["test_statement.expectation"])

    @drawn.check("z3")
    def by_reference(q):
        mean_count, steps, prob = q.reals("EK T p")
        q.domain(steps >= 1, prob >= 0, prob <= 1)
        q.use(linearity, mean_count=mean_count, steps=steps, prob=prob)
        q.prove(mean_count <= prob)

    verdict = run_lemma(drawn, registry, ctx(report_dir))
    assert verdict.status is Status.REFUTED
    assert verdict.evidence[0].facts["draws_on"] == ["test_statement.expectation/claim"]


def test_the_bindings_of_a_cited_fact_are_checked(registry, report_dir):
    linearity = axiom("test_statement.linear", title="t", statement="s", reference="r", registry=registry,
                      claim=Claim(lambda mean_count, steps, prob: mean_count == steps * prob, sorts={"steps": "Int"}))
    user = lemma("test_statement.user", title="t", statement="s", registry=registry, uses=["test_statement.linear"],
                 waivers={"simulation": "w", "property": "w"})

    @user.check("z3")
    def unknown_name(q):
        (mean,) = q.reals("EK")
        q.use(linearity, mean=mean)
        q.prove(mean >= 0)

    @user.check("z3")
    def wrong_sort(q):
        mean, steps = q.reals("EK T")
        q.use(linearity, mean_count=mean, steps=steps)  # steps is an integer in the axiom
        q.prove(mean >= 0)

    first, second = (run_check(c, ctx(report_dir))[0] for c in registry.checks("test_statement.user"))
    assert first.status is Status.ERROR and "no parameter(s) ['mean']" in first.detail
    assert second.status is Status.ERROR and "'steps' is Int" in second.detail


def test_an_axiom_without_a_declared_claim_cannot_be_drawn_on(registry, report_dir):
    cited = axiom("test_statement.bare", title="t", statement="s", reference="r", registry=registry)
    user = lemma("test_statement.bare_user", title="t", statement="s", registry=registry, uses=["test_statement.bare"],
                 waivers={"simulation": "w", "property": "w"})

    @user.check("z3")
    def draws(q):
        (x,) = q.reals("x")
        q.use(cited, x=x)
        q.prove(x >= x)

    evidence = run_check(registry.checks("test_statement.bare_user")[0], ctx(report_dir))[0]
    assert evidence.status is Status.ERROR and "declares no claim" in evidence.detail


# -- simulations state their power ----------------------------------------------------------------------------


def mean_simulation(samples: int, power: float, bias: float = 0.0):
    """Estimates the mean of an exponential law (claimed 1) from `samples` draws, with a tolerance of
    five standard errors, and declares the relative deviation `power` it is built to detect."""

    def simulate(rng, scale):
        draws = rng.exponential(1.0 + bias, samples)
        tolerance = 5 * draws.std() / math.sqrt(samples)
        estimate = sim.compare("mean", draws.mean(), 1.0, tolerance=tolerance, power=power, relative=True)
        return sim.Observation(violation=None, detail="mean of the draws", estimates=(estimate,))

    return simulate


def test_a_simulation_that_sees_its_power_kills_the_claim_moved_by_it(registry, report_dir):
    mean = lemma("test_statement.mean", title="t", statement="s", registry=registry,
                 waivers={"symbolic": "w", "property": "w"})
    mean.check("simulation")(mean_simulation(samples=4_000_000, power=0.01))
    check = registry.checks("test_statement.mean")[0]
    assert run_check(check, ctx(report_dir))[0].status is Status.TESTED
    (power,) = mutate.power_mutants(check, ctx(report_dir))
    assert power.outcome == mutate.Outcome.KILLED


def test_a_simulation_too_blunt_for_its_power_is_not_evidence(registry, report_dir):
    blunt = lemma("test_statement.blunt", title="t", statement="s", registry=registry,
                  waivers={"symbolic": "w", "property": "w"})
    blunt.check("simulation")(mean_simulation(samples=2_000, power=0.01))  # 5 SE ≈ 11 %: blind to 1 %
    evidence = run_check(registry.checks("test_statement.blunt")[0], ctx(report_dir))[0]
    assert evidence.status is Status.UNKNOWN and "blind" in evidence.detail


def test_a_biased_simulation_just_above_its_power_is_refuted(registry, report_dir):
    biased = lemma("test_statement.biased", title="t", statement="s", registry=registry,
                   waivers={"symbolic": "w", "property": "w"})
    biased.check("simulation")(mean_simulation(samples=4_000_000, power=0.01, bias=0.012))
    evidence = run_check(registry.checks("test_statement.biased")[0], ctx(report_dir))[0]
    assert evidence.status is Status.REFUTED and evidence.counterexample["estimate"] == "mean"


# -- a mutation of the declared claim meets every check ----------------------------------------------------------


def test_a_mutant_of_the_declared_claim_is_rejected_by_the_test_that_evaluates_it(registry, report_dir):
    """The claim is stated once; its mutants are run through every check. The z3 check proves its own
    goal, so only the property test, which evaluates the declared claim, can reject them."""
    share = lemma("test_statement.share", title="t", statement="each of N equal keys gets 1/N", registry=registry,
                  waivers=WAIVE, claim=Claim(lambda share, keys: share * keys == 1,
                                             where=lambda share, keys: keys >= 1))

    @share.check("z3")
    def own_goal(q):
        s, n = q.reals("s n")
        q.domain(n >= 1)
        q.given(s * n == 1)
        q.prove(s > 0)

    @share.check("hypothesis")
    @given(keys=st.integers(1, 300))
    def materialised(keys):
        share.claim.require(share=uniform_share(keys), keys=keys, tolerance=1e-9)

    mutants = mutate.declared_claim_mutants(share, registry, ctx(report_dir), 2.0)
    assert mutants and all(m.check == "claim" for m in mutants)
    assert all(m.outcome == mutate.Outcome.KILLED for m in mutants), [(m.identity, m.outcome) for m in mutants]
    assert {m.detail for m in mutants} == {"rejected by materialised"}


# -- what the first conversions of the suite ran into ---------------------------------------------------------


def test_require_refuses_a_measured_point_outside_the_claims_domain():
    """A domain that mis-describes the model (α·(x + n − 1) = x for α·(x + n) = x) would make every
    measured point vacuous; require says so instead of passing."""
    share = Claim(lambda alpha, x, n: alpha <= 1, where=lambda alpha, x, n: alpha * (x + n - 1) == x)
    with pytest.raises(AssertionError, match="outside the domain"):
        share.require(alpha=0.5, x=2, n=2, tolerance=1e-12)  # α = 2/4 is the model's value: α(x + n) = x
    share.require(alpha=0.5, x=2, n=2, outside_ok=True)


def test_numpy_sequences_mpmath_values_and_literal_indices_are_exact():
    import mpmath

    first = Claim(lambda e, n: e(0) <= Sum(lambda k: e(k), n), sorts={"e": ("Int", "Real"), "n": "Int"})
    assert first(e=np.array([0.25, 0.5]), n=1)  # numpy floats read as the rationals they store
    huge = Claim(lambda x: x > 10**400)
    assert huge(x=mpmath.mpf(10) ** 401)  # no float overflow on the way
    from proofs import smt

    query = smt.Query()
    e = query.function("e", "Int", "Real")
    (n,) = query.ints("n")
    _, holds = first.z3({"e": e, "n": n}, query)  # e(0): a literal index becomes an integer of e's argument sort
    assert "e(0)" in str(holds)


def test_a_claim_with_a_nested_lambda_and_a_closure_is_found_for_mutation():
    def make():
        bound = 2
        return Claim(lambda n: Sum(lambda k: k * bound, n) >= 0, where=lambda n: n >= 0, sorts={"n": "Int"})

    claim = make()
    found = mutate._lambda_of(claim.holds)
    assert found is not None and "Sum" in __import__("ast").unparse(found[0])


def test_a_claim_whose_where_is_a_python_bool_is_a_z3_formula():
    """`where=lambda ...: True` (no condition) gives z3 a formula, not a bool: the Coq export of the
    facts drawn on through the claim reads formulas (four goals of E-11/E-12 failed to translate)."""
    import z3

    from proofs import smt

    claim = Claim(lambda d: d >= 0, where=lambda d: True)
    query = smt.Query()
    (d,) = query.reals("d")
    where, holds = claim.z3({"d": d}, query)
    assert z3.is_expr(where) and z3.is_true(where) and z3.is_expr(holds)
