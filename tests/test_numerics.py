"""Numbers that cannot lie (issue 21): a planted test per rule of the certified cross-checks.

Every number the sympy engine computes is an Arb ball at adaptive precision; a point without a
finite ball is skipped and replaced; limits are approached from the stated side down to 10^-3072
(up to 10^3072); a witness carries the ball that proves it; a ball that cannot decide is
`unknown`. The interval engine certifies tight bounds by monotonicity of derivatives and accepts
exact constants as box ends (issue 22, item 5).
"""

import flint
import pytest
import sympy as sp

from proofs import cas, interval, kernel
from proofs.checks import run_check
from proofs.records import Check, CheckContext
from proofs.status import Status

x = sp.Symbol("x", positive=True)
r = sp.Symbol("r", real=True)
t = sp.Symbol("t", real=True)
N = sp.Symbol("N", positive=True)
c = sp.Symbol("c", real=True)


def decide(goal):
    status, detail, counterexample, facts = cas._decide(goal, 0)
    return status, detail, counterexample, facts


def certified(text):
    """The ball a counterexample stores as text, parsed back by Arb."""
    return flint.arb(text)


# -- removable singularities, approached from the stated side ----------------------------------------------

REMOVABLE = [
    (sp.sin(x) / x, 1),
    ((1 - sp.cos(x)) / x**2, sp.Rational(1, 2)),
    ((sp.exp(x) - 1 - x) / x**2, sp.Rational(1, 2)),
    ((sp.tan(x) - sp.sin(x)) / x**3, sp.Rational(1, 2)),
    ((sp.sqrt(1 + x) - 1) / x, sp.Rational(1, 2)),
    (sp.log(1 + x) / x, 1),
    (x * sp.log(x), 0),
]


@pytest.mark.parametrize("expr, value", REMOVABLE, ids=[str(e) for e, _ in REMOVABLE])
def test_a_removable_singularity_is_proved_near_the_point_and_a_wrong_value_refuted(expr, value):
    status, detail, _, facts = decide(cas.Limit(expr, x, value, point=0))
    assert status is Status.PROVED, detail
    assert "at x = 0 + 10^-[3, 12, 48, 192, 768, 3072]" in detail  # the distances, not x = 10^[…]
    assert facts["points_evaluated"] == 6 and facts["points_skipped"] == 0
    status, detail, counterexample, _ = decide(cas.Limit(expr, x, value + sp.Rational(1, 3), point=0))
    assert status is Status.REFUTED, detail  # never a conflict: the balls agree with sympy
    assert counterexample["sympy_limit"] == str(value)
    nearest = certified(counterexample["enclosures"]["no parameters"][-1])
    assert nearest.overlaps(flint.arb(str(sp.N(value, 30)))) or abs(nearest - flint.arb(str(sp.N(value, 30)))) < 1e-3


def test_cancellation_at_ten_to_the_minus_300_is_resolved_by_raising_the_precision():
    at = (sp.Rational(1, 10**100), sp.Rational(1, 10**300))
    status, detail, _, facts = decide(cas.Limit((1 - sp.cos(x)) / x**2, x, sp.Rational(1, 2), point=0, at=at))
    assert status is Status.PROVED, detail
    # 1 − cos(10^-300) ≈ 5·10^-601: a fixed 60 digits would print 0; the balls needed ~2000 bits
    assert facts["max_bits"] >= 2048


def test_a_limit_from_below_is_approached_from_below_and_a_two_sided_one_from_both():
    status, detail, _, _ = decide(cas.Limit(sp.Abs(r) / r, r, -1, point=0, side="-"))
    assert status is Status.PROVED and "r = 0 − 10^-[3" in detail, detail
    status, detail, _, facts = decide(cas.Limit(sp.sin(r) / r, r, 1, point=0))  # a real variable: both sides
    assert status is Status.PROVED and facts["points_evaluated"] == 12, detail
    status, detail, _, _ = decide(cas.Limit(sp.Abs(r) / r, r, 1, point=0))  # the sides differ: no limit
    assert status is Status.REFUTED and "no two-sided limit" in detail, detail


def test_an_unknown_side_is_an_ill_formed_goal():
    with pytest.raises(cas.InvalidCheck, match="side='left'"):
        decide(cas.Limit(sp.sin(r) / r, r, 1, point=0, side="left"))


def test_a_limit_at_infinity_is_evaluated_past_ten_to_the_300():
    status, detail, _, facts = decide(cas.Limit((1 + 1 / x) ** x, x, sp.E))
    assert status is Status.PROVED and "x = 10^[3, 12, 48, 192, 768, 3072]" in detail, detail
    assert facts["max_bits"] > 10_000  # 1 + 10^-3072 is distinct from 1 only past 10,200 bits


# -- no point crashes a check ------------------------------------------------------------------------------------


def test_a_zero_over_zero_at_a_sample_point_is_skipped_and_replaced_by_a_nearby_point():
    at = (0, sp.Rational(1, 1000), sp.Rational(1, 10**12))  # sin(x)/x is 0/0 at the first
    status, detail, _, facts = decide(cas.Limit(sp.sin(x) / x, x, 1, point=0, at=at))
    assert status is Status.PROVED, detail
    assert facts["points_skipped"] == 1 and facts["points_evaluated"] == 3  # the 0/0 point was replaced
    assert "1 skipped where undefined" in detail


def test_a_parameter_sample_where_every_point_is_zero_over_zero_is_unknown_never_an_error():
    # (e^{c/N} − 1)·N/c → 1 for c ≠ 0; at the sample c = 0 every point is 0/0
    status, detail, _, facts = decide(cas.Limit((sp.exp(c / N) - 1) * N / c, N, 1, samples={c: (0, 1)}))
    assert status is Status.UNKNOWN, detail
    assert facts["points_skipped"] >= 6 and "no ball" in detail


def test_a_cross_check_arb_cannot_evaluate_is_unknown_with_the_reason_never_an_error():
    status, detail, _, _ = decide(cas.Identity(sp.fresnels(x) + 1, 1 + sp.fresnels(x), {x: (0, 1)}))
    assert status is Status.UNKNOWN and "Arb cannot evaluate fresnels(x)" in detail


def test_sympy_giving_up_on_a_minimum_is_unknown_never_an_error():
    status, detail, _, _ = decide(cas.Bound(sp.sin(r) / r - sp.Rational(1, 2), {r: (-1, 1)}))
    assert status is Status.UNKNOWN and "sympy's minimum raised" in detail


# -- sympy's answer against the balls ------------------------------------------------------------------------------


def test_a_sympy_limit_the_balls_exclude_is_a_conflict_naming_both_values(monkeypatch):
    monkeypatch.setattr(sp, "limit", lambda *args, **kwargs: sp.Integer(2))  # a wrong sympy
    status, detail, counterexample, _ = decide(cas.Limit(sp.sin(x) / x, x, 1, point=0))
    assert status is Status.CONFLICT, detail
    assert counterexample["sympy_limit"] == "2" and "claimed == 1" in detail
    assert certified(counterexample["enclosures"]["no parameters"][-1]).overlaps(flint.arb(1))


def test_two_wrong_values_for_one_limit_are_refuted_when_the_balls_certify_the_claim_fails(monkeypatch):
    monkeypatch.setattr(sp, "limit", lambda *args, **kwargs: sp.Integer(2))  # sympy says 2, the claim 3, truly 1
    status, detail, counterexample, _ = decide(cas.Limit(sp.sin(x) / x, x, 3, point=0))
    assert status is Status.REFUTED, detail
    assert "both wrong" in detail and counterexample["sympy_limit"] == "2"
    status, _, _, _ = decide(cas.Limit(sp.sin(x) / x, x, sp.Rational(1, 2), point=0, relation="<"))
    assert status is Status.REFUTED  # lim < 1/2 fails: the balls sit at 1


def test_the_precision_cap_reached_is_unknown_never_a_verdict(monkeypatch):
    monkeypatch.setattr(cas, "LIMIT_MAX_BITS", 256)  # (1 − cos x)/x² at 10^-48 needs ~330 bits
    for claimed in (sp.Rational(1, 2), sp.Rational(1, 3)):  # neither the true value nor a wrong one is decided
        status, detail, _, facts = decide(cas.Limit((1 - sp.cos(x)) / x**2, x, claimed, point=0))
        assert status is Status.UNKNOWN and "precision cap" in detail, detail
        assert facts["max_bits"] == 256


def test_the_kernel_table_for_limits():
    base = dict(evaluated=True, points_evaluated=6)
    assert kernel.limit(**base, relation_holds=True, numeric_agrees=True).status is Status.PROVED
    assert kernel.limit(**base, relation_holds=True, numeric_agrees=False).status is Status.CONFLICT
    assert kernel.limit(**base, relation_holds=True, numeric_agrees=False,
                        numeric_refutes_claim=True).status is Status.CONFLICT  # sympy supports the claim
    assert kernel.limit(**base, relation_holds=False, numeric_agrees=True).status is Status.REFUTED
    assert kernel.limit(**base, relation_holds=False, numeric_agrees=False,
                        numeric_refutes_claim=True).status is Status.REFUTED
    assert kernel.limit(**base, relation_holds=False, numeric_agrees=False).status is Status.CONFLICT
    for relation_holds in (True, False, None):
        assert kernel.limit(**base, relation_holds=relation_holds, numeric_agrees=None).status is Status.UNKNOWN
    assert kernel.limit(**base, relation_holds=None, numeric_agrees=True).status is Status.UNKNOWN


def test_points_the_balls_cannot_decide_keep_an_identity_or_bound_from_proved():
    assert kernel.identity(simplified_to_zero=True, sympy_says_different=False, points_evaluated=10,
                           numeric_difference=False, points_undecided=1).status is Status.UNKNOWN
    assert kernel.bound(sympy_answer=True, violation=False, points_evaluated=10,
                        points_undecided=1).status is Status.UNKNOWN


# -- certified witnesses ---------------------------------------------------------------------------------------------


def test_a_false_identity_is_refuted_with_the_ball_that_proves_the_sides_differ():
    status, detail, counterexample, _ = decide(cas.Identity(sp.exp(sp.log(N)), N + sp.Rational(1, 10**20),
                                                            {N: (1, 10)}))
    assert status is Status.REFUTED, detail
    difference = certified(counterexample["enclosure"])  # lhs − rhs: −10^-20, far from 0 in its ball
    assert difference < 0 and difference.overlaps(flint.arb("-1e-20") + flint.arb("0 +/- 1e-30"))


def test_a_violated_bound_is_refuted_with_the_ball_of_the_gap_below_it():
    status, _, counterexample, _ = decide(cas.Bound((r - sp.Rational(3, 10)) ** 2 - sp.Rational(1, 10**12),
                                                    {r: (0, 1)}))
    assert status is Status.REFUTED
    assert certified(counterexample["enclosure"]) < 0 and abs(counterexample["r"] - 0.3) < 1e-6


def test_an_identity_that_holds_to_the_last_digit_at_large_arguments_is_not_a_witness():
    # exp(a − b)·exp(b) at |a|, |b| ≤ 700: values near 10^±300, where a float would under- or overflow
    a, b = sp.symbols("a b", real=True)
    status, detail, _, facts = decide(cas.Identity(sp.exp(a - b) * sp.exp(b), sp.exp(a), {a: (-700, 700),
                                                                                          b: (-700, 700)}))
    assert status is Status.PROVED and facts["points_undecided"] == 0, detail


# -- tight bounds in the interval engine ---------------------------------------------------------------------------


def interval_status(goal):
    status, detail, counterexample, facts = interval._decide(goal, 30.0)
    return status, detail, counterexample, facts


TIGHT = {
    "sin x ≤ x on [0, 2]": (x - sp.sin(x), (0, 2)),
    "x − x³/6 ≤ sin x on [0, π]": (sp.sin(x) - x + x**3 / 6, (0, sp.pi)),
    "sin x − x cos x ≥ 0 on [0, π]": (sp.sin(x) - x * sp.cos(x), (0, sp.pi)),
    "cos x ≥ 1 − x²/2 on [−3, 3]": (sp.cos(r) - 1 + r**2 / 2, (-3, 3)),
    "e^t ≥ 1 + t on [−5, 7]": (sp.exp(t) - 1 - t, (-5, 7)),  # 0 is never a bisection point of [−5, 7]
    "(x − 1/3)² expanded on [0, 1]": (x**2 - sp.Rational(2, 3) * x + sp.Rational(1, 9), (0, 1)),
}


@pytest.mark.parametrize("name", TIGHT)
def test_a_bound_tight_where_the_expression_and_its_derivatives_vanish_is_certified(name):
    expr, (low, high) = TIGHT[name]
    (symbol,) = expr.free_symbols
    status, detail, _, facts = interval_status(interval.Bound(expr, box={symbol: (low, high)}))
    assert status is Status.PROVED, detail
    assert facts["boxes_undecided"] == 0 and facts["points_evaluated"] < 50  # a handful of boxes, not millions


def test_without_the_derivative_rule_the_same_tight_bound_is_not_certified():
    status, _, _, facts = interval_status(interval.Bound(x - sp.sin(x), box={x: (0, 2)}, derivative_order=0,
                                                         max_boxes=2000))
    assert status is Status.UNKNOWN and facts["boxes_undecided"] > 0


def test_a_tight_bound_made_false_by_a_hair_is_refuted_at_a_point_with_its_enclosure():
    status, detail, counterexample, _ = interval_status(
        interval.Bound(x - sp.sin(x) - sp.Rational(1, 10**9), box={x: (0, 2)}))
    assert status is Status.REFUTED and "at a point of the box" in detail
    assert certified(counterexample["enclosure"]) < 0 and counterexample["x"] < 0.01


def test_exp_above_its_tangent_on_the_whole_line_with_proved_tails():
    tails = [cas.Bound(sp.exp(t) - 1 - t, {t: (5, sp.oo)}, name="right"),
             cas.Bound(sp.exp(t) - 1 - t, {t: (-sp.oo, -5)}, name="left")]
    goal = interval.Bound(sp.exp(t) - 1 - t, box={t: (-5, 5)}, domain={t: (-sp.oo, sp.oo)}, tail=tails,
                          tail_note="e^t − 1 − t grows away from the box on both sides")
    status, detail, _, _ = interval_status(goal)
    assert status is Status.PROVED, detail
    unproved_tail = interval.Bound(sp.exp(t) - 1 - t, box={t: (-5, 5)}, domain={t: (-sp.oo, sp.oo)},
                                   tail=[tails[0], cas.Bound(sp.exp(t) - 2, {t: (-sp.oo, -5)})])
    assert interval_status(unproved_tail)[0] is Status.UNKNOWN


@pytest.mark.parametrize("end", [sp.pi, sp.pi / 2, sp.E, sp.sqrt(2), sp.log(2)], ids=str)
def test_an_exact_constant_is_a_box_end_enclosed_by_arb(end, report_dir):
    # sin x ≥ 0 holds up to π and fails just past it: the box must end exactly at the constant
    (evidence,) = run_check(Check("demo.x", "goal", "interval",
                                  lambda: interval.Bound(sp.sin(x) * (4 - x), box={x: (0, end)}), 30.0),
                            CheckContext(report_dir, 0))
    assert evidence.status is Status.PROVED, evidence.detail


def test_a_box_that_ends_just_past_pi_is_refuted():
    status, _, counterexample, _ = interval_status(interval.Bound(sp.sin(x), box={x: (3, sp.pi + sp.Rational(1, 10))}))
    assert status is Status.REFUTED and counterexample["x"] > 3.14159


def test_no_derivative_certifies_across_a_jump():
    # sympy differentiates this Piecewise to 0 everywhere, past its jumps: pinning x to a face by
    # that derivative would "certify" it from f(0) = 1, though f = −1 on [8/7, 9/7)
    dip = sp.Piecewise((1, r < sp.Rational(8, 7)), (-1, r < sp.Rational(9, 7)), (1, True))
    status, detail, counterexample, _ = interval_status(interval.Bound(dip, box={r: (0, 2)}))
    assert status is Status.REFUTED, detail
    assert 8 / 7 <= counterexample["r"] < 9 / 7 and certified(counterexample["enclosure"]) < 0


def test_a_bound_that_fails_only_at_an_end_of_the_box_is_refuted_there():
    status, _, counterexample, _ = interval_status(interval.Bound(1 - sp.floor(r), box={r: (0, 2)}))
    assert status is Status.REFUTED and counterexample["r"] == 2.0


def test_an_arithmetic_error_in_the_numerics_is_the_engines_unknown_never_an_error(monkeypatch):
    def overflowing(*args, **kwargs):
        raise OverflowError("planted: the numerics overflowed")

    monkeypatch.setattr(cas, "refine", overflowing)
    status, detail, _, _ = decide(cas.Limit(sp.sin(x) / x, x, 1, point=0))
    assert status is Status.UNKNOWN and "OverflowError: planted" in detail
