"""The sympy engine and its cross-check in Arb balls, including sympy's known wrong limit."""

import sympy as sp

from proofs import cas
from proofs.records import CheckContext
from proofs.checks import run_check
from proofs.records import Check
from proofs.status import Status

N, p, c = sp.symbols("N p c", positive=True)


def sympy_check(fn, timeout_s=20.0):
    return Check("demo.lemma", fn.__name__, "sympy", fn, timeout_s)


def statuses(fn, report_dir, **kwargs):
    return [e.status for e in run_check(sympy_check(fn, **kwargs), CheckContext(report_dir, 0))]


def test_an_identity_that_holds_is_proved(report_dir):
    def threshold():
        alpha = sp.exp(sp.log(N * p / (1 - p))) / (sp.exp(sp.log(N * p / (1 - p))) + N)
        return cas.Identity(alpha, p, {N: (1, 1e6), p: (0.01, 0.99)})

    assert statuses(threshold, report_dir) == [Status.PROVED]


def test_a_false_identity_is_refuted_at_a_numeric_point(report_dir):
    def wrong_threshold():  # forgets (1 − p)
        alpha = sp.exp(sp.log(N * p)) / (sp.exp(sp.log(N * p)) + N)
        return cas.Identity(alpha, p, {N: (1, 1e6), p: (0.01, 0.99)})

    (evidence,) = run_check(sympy_check(wrong_threshold), CheckContext(report_dir, 0))
    assert evidence.status is Status.REFUTED
    assert {"N", "p", "lhs", "rhs"} <= set(evidence.counterexample)
    assert abs(evidence.counterexample["lhs"] - evidence.counterexample["rhs"]) > 1e-6


def test_a_limit_is_proved_only_when_mpmath_agrees(report_dir):
    def margin_over_log():
        return cas.Limit(sp.log(N * p / (1 - p)) / sp.log(N), N, expected=1, samples={p: (0.1, 0.9)})

    assert statuses(margin_over_log, report_dir) == [Status.PROVED]


def test_a_wrong_claimed_limit_is_refuted_with_the_numeric_sequence(report_dir):
    def twice_too_steep():
        return cas.Limit(sp.log(N * p / (1 - p)) / sp.log(N), N, expected=2, samples={p: (0.5,)})

    (evidence,) = run_check(sympy_check(twice_too_steep), CheckContext(report_dir, 0))
    assert evidence.status is Status.REFUTED
    assert evidence.counterexample["sympy_limit"] == "1"


def test_sympys_known_wrong_limit_with_a_symbolic_margin_constant_is_a_conflict(report_dir):
    # DESIGN.md: with Δ = c·ln N and symbolic c > 0, sympy answers 0, though the limit is 1 for c > 1.
    def crowding_with_symbolic_c():
        margin = c * sp.log(N)
        return cas.Limit(sp.exp(margin) / (sp.exp(margin) + N - 1), N, expected=1, samples={c: (2, 3)})

    (evidence,) = run_check(sympy_check(crowding_with_symbolic_c), CheckContext(report_dir, 0))
    assert evidence.status is Status.CONFLICT
    assert evidence.engine == "sympy+arb"  # the balls, not sympy, contradict the answer


def test_a_strict_limit_relation_can_refute(report_dir):
    def positive_limit():
        return cas.Limit(1 / sp.log(N), N, expected=0, relation=">")

    assert statuses(positive_limit, report_dir) == [Status.REFUTED]


def test_a_bound_is_proved_by_calculus_and_a_false_one_refuted(report_dir):
    t = sp.Symbol("t", real=True)

    def tangent():
        return [cas.Bound(sp.exp(t) - 1 - t, {t: (-20, 20)}, name="true"),
                cas.Bound(sp.exp(t) - 2 - t, {t: (-20, 20)}, name="false")]

    assert statuses(tangent, report_dir) == [Status.PROVED, Status.REFUTED]


def test_a_limit_without_samples_for_its_parameters_is_an_error_that_says_what_to_add(report_dir):
    def unsampled():
        return cas.Limit(p / sp.log(N), N, expected=0)

    (evidence,) = run_check(sympy_check(unsampled), CheckContext(report_dir, 0))
    assert evidence.status is Status.ERROR and "give numeric samples for ['p']" in evidence.detail


def hang(goal, seed):  # module level: the solver worker imports it by name
    import time

    time.sleep(60)


def test_a_goal_that_hangs_is_a_timeout(report_dir, monkeypatch):
    import time

    monkeypatch.setattr(cas, "_decide", hang)

    def anything():
        return cas.Identity(N, N)

    started = time.perf_counter()
    assert statuses(anything, report_dir, timeout_s=1.0) == [Status.TIMEOUT]
    assert time.perf_counter() - started < 2.0


def test_a_limit_can_be_re_evaluated_at_chosen_points_for_double_exponentials(report_dir):
    n = sp.Symbol("n", positive=True)

    def log_fraction():
        return cas.Limit(10 - 2 ** n, n, expected=-sp.oo, at=(8, 16, 32, 64, 128, 256))

    (evidence,) = run_check(sympy_check(log_fraction, timeout_s=5), CheckContext(report_dir, 0))
    assert evidence.status is Status.PROVED and "n = [8, 16, 32, 64, 128, 256]" in evidence.detail
