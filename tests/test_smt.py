"""The z3 engine: its mapping of sat, unsat, unknown and timeout, vacuity, replay and artefacts."""

import dataclasses
import time


from proofs import smt
from proofs.records import CheckContext
from proofs.checks import run_check, run_lemma
from proofs.records import Check
from proofs.registry import lemma
from proofs.status import Status


def z3_check(fn, timeout_s=20.0):
    return Check("demo.lemma", fn.__name__, "z3", fn, timeout_s)


def only(evidence):
    assert len(evidence) == 1
    return evidence[0]


def test_a_true_claim_is_proved_and_its_queries_are_written(report_dir):
    def threshold(q):
        x, n, p = q.reals("x n p")
        q.given(x > 0, n >= 1, p > 0, p < 1)
        q.prove((x / (x + n) >= p) == (x * (1 - p) >= n * p))

    evidence = only(run_check(z3_check(threshold), CheckContext(report_dir, 0)))
    assert evidence.status is Status.PROVED
    assert "points evaluated" in evidence.detail and evidence.facts["points_evaluated"] >= 100
    assert evidence.artifacts[:2] == ("smt2/demo.lemma/threshold.hypotheses.smt2",
                                      "smt2/demo.lemma/threshold.negation.smt2")
    assert [a.rsplit(".", 2)[-2] for a in evidence.artifacts[2:]] == ["drop-1", "drop-2", "drop-3", "drop-4"]
    # x/(x+n) ≥ p ⟺ x(1−p) ≥ np for every p once x + n > 0: the bounds on p have no teeth
    assert {h["hypothesis"]: h["needed"] for h in evidence.hypotheses} == {
        "x > 0": True, "n >= 1": True, "p > 0": False, "p < 1": False}
    text = (report_dir / evidence.artifacts[1]).read_text()
    assert "(check-sat)" in text and "(declare-fun p () Real)" in text


def test_a_known_false_twin_of_the_softmax_threshold_is_refuted_with_plain_numbers(report_dir):
    def forgets_one_minus_p(q):  # the threshold without the factor (1 − p)
        x, n, p = q.reals("x n p")
        q.given(x > 0, n >= 1, p > 0, p < 1)
        q.prove((x / (x + n) >= p) == (x >= n * p))

    evidence = only(run_check(z3_check(forgets_one_minus_p), CheckContext(report_dir, 0)))
    assert evidence.status is Status.REFUTED
    cx = evidence.counterexample
    assert set(cx) == {"x", "n", "p"} and all(isinstance(v, (int, float)) for v in cx.values())
    x, n, p = cx["x"], cx["n"], cx["p"]
    assert (x / (x + n) >= p) != (x >= n * p)  # replay by hand


def test_unsatisfiable_hypotheses_are_vacuous(report_dir):
    def impossible(q):
        (x,) = q.reals("x")
        q.given(x > 1, x < 0)
        q.prove(x == 42)

    assert only(run_check(z3_check(impossible), CheckContext(report_dir, 0))).status is Status.VACUOUS


def test_a_query_built_to_hang_comes_back_timeout_within_its_limit_plus_a_second(report_dir):
    def sum_of_three_cubes(q):
        x, y, z = q.ints("x y z")
        q.prove(x * x * x + y * y * y + z * z * z != 33)

    started = time.perf_counter()
    evidence = only(run_check(z3_check(sum_of_three_cubes, timeout_s=2.0), CheckContext(report_dir, 0)))
    assert evidence.status is Status.TIMEOUT
    assert time.perf_counter() - started < 3.0


def test_an_unknown_answer_is_unknown_with_its_reason(report_dir, monkeypatch):
    monkeypatch.setattr(smt.solver, "ask", lambda text, *args: smt.Answer("unknown", "unknown",
                                                                    reason="incomplete quantifiers"))

    def anything(q):
        (x,) = q.reals("x")
        q.prove(x * x >= 0)

    evidence = only(run_check(z3_check(anything), CheckContext(report_dir, 0)))
    assert evidence.status is Status.UNKNOWN and "incomplete quantifiers" in evidence.detail


def test_a_counterexample_that_divides_by_zero_is_an_encoding_artefact_not_a_refutation(report_dir):
    def missing_hypothesis(q):  # true for n ≠ 0; z3 defines 1/0 arbitrarily
        (n,) = q.reals("n")
        q.prove(n * (1 / n) == 1)

    evidence = only(run_check(z3_check(missing_hypothesis), CheckContext(report_dir, 0)))
    assert evidence.status is Status.ERROR
    assert "divides by zero" in evidence.detail


def test_a_solver_that_says_unsat_against_a_concrete_point_is_a_conflict(report_dir, monkeypatch):
    # a broken solver: the hypotheses are satisfiable, but it finds no model of their negated claim
    monkeypatch.setattr(smt.solver, "ask", lambda text, *args: smt.Answer("unsat" if "(not" in text else "sat", "not asked",
                                                                    model={}))

    def false_claim(q):
        (x,) = q.reals("x")
        q.given(x > 0)
        q.prove(x > 5)

    evidence = only(run_check(z3_check(false_claim), CheckContext(report_dir, 0)))
    assert evidence.status is Status.CONFLICT
    assert evidence.counterexample["x"] <= 5


def test_a_check_that_never_states_a_claim_is_an_error(report_dir):
    def forgot(q):
        q.reals("x")

    evidence = only(run_check(z3_check(forgot), CheckContext(report_dir, 0)))
    assert evidence.status is Status.ERROR and "never called q.prove" in evidence.detail


def test_each_query_gets_a_fresh_context():
    assert smt.Query().context is not smt.Query().context


def test_a_missing_solver_is_a_clear_message_not_a_traceback(report_dir, monkeypatch):
    monkeypatch.setattr(smt.query, "z3", None)

    def anything(q):
        q.prove(True)

    evidence = only(run_check(z3_check(anything), CheckContext(report_dir, 0)))
    assert evidence.status is Status.ERROR
    assert "pip install z3-solver" in evidence.detail


def test_exact_replay_evaluates_rationals_without_z3s_rounding():
    from fractions import Fraction

    query = smt.Query()
    x, y = query.reals("x y")
    assert smt.evaluate(x / 3 + y == 1, {"x": Fraction(3, 2), "y": Fraction(1, 2)}) is True
    assert smt.evaluate(smt.If(x > 0, 1 / x, 0) >= 0, {"x": Fraction(0)}) is True  # lazy branch


def test_a_lemma_proved_by_z3_alone_still_needs_its_other_parts_or_waivers(registry, report_dir):
    bare = lemma("demo.bare", title="t", statement="s", registry=registry)

    @bare.check("z3")
    def trivially(q):
        (x,) = q.reals("x")
        q.prove(x * x >= 0)

    verdict = run_lemma(bare, registry, CheckContext(report_dir, 0))
    assert verdict.status is Status.ERROR
    assert any("no property check and no waiver" in p for p in verdict.problems)


def test_a_solver_that_calls_satisfiable_hypotheses_unsatisfiable_is_a_conflict(report_dir, monkeypatch):
    monkeypatch.setattr(smt.solver, "ask", lambda text, *args: smt.Answer("unsat", "not asked"))

    def ordinary(q):
        (x,) = q.reals("x")
        q.given(x > 0)
        q.prove(x > -1)

    evidence = only(run_check(z3_check(ordinary), CheckContext(report_dir, 0)))
    assert evidence.status is Status.CONFLICT
    assert evidence.counterexample["x"] > 0


def test_a_second_solver_that_disagrees_is_a_conflict(report_dir, monkeypatch):
    real = smt.ask

    def planted(text, *args):  # cvc5's answer flipped on the negated claim
        answer = real(text, *args)
        if "(not" in text:
            return dataclasses.replace(answer, cvc5="sat" if answer.result == "unsat" else "unsat")
        return answer

    monkeypatch.setattr(smt.solver, "ask", planted)

    def square(q):
        (x,) = q.reals("x")
        q.given(x > 0)
        q.prove(x * x > 0)

    evidence = only(run_check(z3_check(square), CheckContext(report_dir, 0)))
    assert evidence.status is Status.CONFLICT
    assert "cvc5 answers sat" in evidence.detail and evidence.artifacts[-1].endswith("negation.smt2")


def test_cvc5_agrees_on_real_queries_or_says_why_not(report_dir):
    def square(q):
        (x,) = q.reals("x")
        q.given(x > 0)
        q.prove(x * x > 0)

    evidence = only(run_check(z3_check(square), CheckContext(report_dir, 0)))
    assert evidence.status is Status.PROVED
    assert "cvc5 hypotheses: sat, negation: unsat" in evidence.detail or "not installed" in evidence.detail


def test_a_hypothesis_without_teeth_is_flagged_and_a_needed_one_has_a_counterexample(report_dir):
    def planted_idle_hypothesis(q):
        x, y = q.reals("x y")
        q.given(x > 1, y > 5)  # y > 5 plays no part in the claim
        q.prove(x * x > x)

    evidence = only(run_check(z3_check(planted_idle_hypothesis), CheckContext(report_dir, 0)))
    assert evidence.status is Status.PROVED
    needed = {h["hypothesis"]: h["needed"] for h in evidence.hypotheses}
    assert needed == {"x > 1": True, "y > 5": False}
    dropped_x = next(h for h in evidence.hypotheses if h["hypothesis"] == "x > 1")
    x = dropped_x["counterexample"]["x"]
    assert not x * x > x  # the replayed counterexample without the hypothesis
    assert "premises without teeth: ['y > 5']" in evidence.detail
    assert [h["role"] for h in evidence.hypotheses] == ["premise", "premise"]


def test_a_counterexample_the_lemmas_own_numeric_code_rejects_is_an_artefact(report_dir):
    def planted_artefact(q):  # the encoding forgets that p is a probability; the numeric code knows
        (p,) = q.reals("p")
        q.prove(p <= 1)
        q.replay(lambda p: min(max(p, 0.0), 1.0) <= 1)

    evidence = run_check(z3_check(planted_artefact), CheckContext(report_dir, 0))
    assert [e.status for e in evidence] == [Status.REFUTED, Status.ERROR]
    assert evidence[1].engine == "replay" and "artefact of the encoding" in evidence[1].detail


def test_a_counterexample_the_numeric_code_confirms_is_recorded_as_a_replay(report_dir):
    def overclaim(q):
        x, n = q.reals("x n")
        q.given(n >= 1, x >= n)
        q.prove(x / (x + n) >= 0.75)
        q.replay(lambda x, n: 1 / (1 + n / x) >= 0.75)

    evidence = run_check(z3_check(overclaim), CheckContext(report_dir, 0))
    assert [(e.engine, e.status) for e in evidence] == [("z3", Status.REFUTED), ("replay", Status.REFUTED)]


def test_an_existential_is_proved_by_a_replayed_witness_and_refuted_when_none_exists(report_dir):
    def two_models_differ(q):
        a, b = q.reals("a b")
        q.domain(a >= 0, a <= 1, b >= 0, b <= 1)
        q.exists(a - b >= sp_half())

    def impossible(q):
        (a,) = q.reals("a")
        q.domain(a >= 0, a <= 1)
        q.exists(a > 2)

    proved = only(run_check(z3_check(two_models_differ), CheckContext(report_dir, 0)))
    assert proved.status is Status.PROVED and "witness" in proved.detail
    assert only(run_check(z3_check(impossible), CheckContext(report_dir, 0))).status is Status.REFUTED


def sp_half():
    from fractions import Fraction

    return Fraction(1, 2)


def test_without_cvc5_the_verdict_says_it_was_not_re_checked(report_dir, monkeypatch):
    real = smt.ask
    monkeypatch.setattr(smt.solver, "ask", lambda *args: dataclasses.replace(real(*args), cvc5="not installed"))
    monkeypatch.setattr(smt.solver, "cvc5", None)
    assert smt.cvc5_answer("(check-sat)", 1.0) == "not installed"

    def square(q):
        (x,) = q.reals("x")
        q.given(x > 0)
        q.prove(x * x > 0)

    evidence = only(run_check(z3_check(square), CheckContext(report_dir, 0)))
    assert evidence.status is Status.PROVED
    assert "not re-checked by cvc5: not installed" in evidence.detail


def test_a_false_claim_for_every_n_is_refuted_at_a_small_n_even_where_random_points_miss_its_hypotheses(report_dir):
    """The step fails, so z3 alone would say 'strengthen the claim'; the claim fails at n = 3, under
    hypotheses (an equation) that random points never meet: the small-n search unrolls the recursion
    to each n and finds it, and the exact replay certifies it."""
    def narrow(q):
        (n,) = q.ints("n")
        a, b = q.reals("a b")
        q.domain(7 * a == 3 * b + 1, b > 100)
        total = q.recursive_function("S", base=a, step=lambda k, previous: previous + a)
        q.induction(n, 0)
        q.prove(smt.If(n == 3, total(n) < a, total(n) <= a * n + a))

    evidence = only(run_check(z3_check(narrow), CheckContext(report_dir, 0)))
    assert evidence.status is Status.REFUTED
    point = evidence.counterexample
    assert point["n"] == 3 and abs(7 * point["a"] - (3 * point["b"] + 1)) < 1e-9 and point["b"] > 100


def test_an_induction_carries_a_hypothesis_that_depends_on_n_and_does_not_skip_past_it(report_dir):
    """With `where n >= 45` assumed at n as well as at n + 1, the base case (n = 0) is vacuous and the
    step never has to establish P(45): a false claim would be proved. The step now carries
    H(n) ⟹ P(n) instead, so the claim `n != 45` is not proved."""
    def skips(q):
        (n,) = q.ints("n")
        q.domain(n >= 45)
        q.induction(n, 0)
        q.prove(n != 45)

    evidence = only(run_check(z3_check(skips), CheckContext(report_dir, 0)))
    assert evidence.status is not Status.PROVED
    assert "step sat" in evidence.detail


def test_a_downward_closed_hypothesis_on_n_still_proves(report_dir):
    def bounded(q):
        (n,) = q.ints("n")
        (cap,) = q.ints("N")
        total = q.recursive_function("S", base=0, step=lambda k, previous: previous + 1, sort="Int")
        q.domain(n <= cap)
        q.induction(n, 0)
        q.prove(smt.And(total(n) == n, total(n) <= cap))  # H(n + 1) gives H(n): the carried step goes through

    assert only(run_check(z3_check(bounded), CheckContext(report_dir, 0))).status is Status.PROVED
