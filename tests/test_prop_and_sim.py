"""The property-test and simulation engines: what each outcome maps to, and that they never prove."""

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from proofs import sim
from proofs.records import CheckContext
from proofs.checks import run_check
from proofs.records import Check
from proofs.status import Status


def check(fn, engine):
    return Check("demo.lemma", fn.__name__, engine, fn)


def test_a_passing_property_is_tested_never_proved(report_dir):
    @given(st.integers(0, 100))
    def squares_are_non_negative(n):
        assert n * n >= 0

    (evidence,) = run_check(check(squares_are_non_negative, "hypothesis"), CheckContext(report_dir, 0))
    assert evidence.status is Status.TESTED


def test_a_failing_property_is_refuted_with_the_shrunk_example(report_dir):
    @given(n=st.integers(0, 10**6))
    def small(n):
        assert n < 1000

    (evidence,) = run_check(check(small, "hypothesis"), CheckContext(report_dir, 0))
    assert evidence.status is Status.REFUTED
    assert evidence.counterexample == {"n": 1000}


def test_an_authors_own_settings_are_kept(report_dir):
    @settings(max_examples=7)
    @given(st.integers(0, 100))
    def few(n):
        assert n >= 0

    (evidence,) = run_check(check(few, "hypothesis"), CheckContext(report_dir, 0))
    assert evidence.status is Status.TESTED and "7 examples passed" in evidence.detail


def test_an_assumption_that_rejects_most_inputs_is_vacuous(report_dir):
    @given(st.integers(0, 10**6))
    def rarely_applies(n):
        assume(n == 17)

    (evidence,) = run_check(check(rarely_applies, "hypothesis"), CheckContext(report_dir, 0))
    assert evidence.status is Status.VACUOUS


def test_a_crashing_property_is_an_error_not_a_refutation(report_dir):
    @given(st.integers(0, 10))
    def crashes(n):
        raise KeyError("oops")

    (evidence,) = run_check(check(crashes, "hypothesis"), CheckContext(report_dir, 0))
    assert evidence.status is Status.ERROR and "KeyError" in evidence.detail


def test_a_simulation_with_a_violation_is_refuted_and_its_plot_is_written(report_dir):
    def finds_one(rng, scale):
        figure = sim.new_figure()
        figure.subplots().plot([1, 2], [3, 4])
        return sim.Observation(violation={"n": 3}, detail="saw one", plot=figure)

    (evidence,) = run_check(check(finds_one, "simulation"), CheckContext(report_dir, 0))
    assert evidence.status is Status.REFUTED and evidence.counterexample == {"n": 3}
    assert (report_dir / evidence.artifacts[0]).stat().st_size > 1000


def test_a_simulation_is_seeded_from_its_lemma_so_reruns_agree(report_dir):
    def draws(rng, scale):
        return sim.Observation(violation=None, detail="", figures={"x": float(rng.standard_normal())})

    first = run_check(check(draws, "simulation"), CheckContext(report_dir, 0))[0].detail
    assert run_check(check(draws, "simulation"), CheckContext(report_dir, 0))[0].detail == first


def test_an_empirical_check_that_claims_proved_is_an_error(report_dir, monkeypatch):
    from proofs import checks
    from proofs.status import Evidence

    monkeypatch.setattr(checks, "_runner", lambda engine: lambda c, ctx: [Evidence("simulation", Status.PROVED,
                                                                                     "trust me")])
    (evidence,) = run_check(check(lambda rng, scale: None, "simulation"), CheckContext(report_dir, 0))
    assert evidence.status is Status.ERROR and "cannot prove" in evidence.detail


def test_a_simulation_returning_the_wrong_type_is_an_error(report_dir):
    (evidence,) = run_check(check(lambda rng, scale: np.zeros(3), "simulation"), CheckContext(report_dir, 0))
    assert evidence.status is Status.ERROR and "expected sim.Observation" in evidence.detail


def test_kept_counterexamples_are_replayed_whatever_the_seed(tmp_path, report_dir):
    import json
    import textwrap

    from proofs.registry import load_theorems

    theorems = tmp_path / "keep_theorems"
    theorems.mkdir()
    (theorems / "rare.py").write_text(textwrap.dedent('''
        from hypothesis import given, strategies as st

        @given(n=st.integers(0, 10**12))
        def avoids_one_residue(n):  # computed, so hypothesis cannot mine the answer from the source
            assert (n * 7919) % 1000003 != 12345
    '''))
    load_theorems(theorems)
    import rare

    rare_check = check(rare.avoids_one_residue, "hypothesis")
    needle = 12345 * pow(7919, -1, 1000003) % 1000003
    assert run_check(rare_check, CheckContext(report_dir, 0))[0].status is Status.TESTED  # random search misses it
    (theorems / "counterexamples.json").write_text(json.dumps(
        {"lemmas": {"demo.lemma": {"avoids_one_residue": [{"n": needle}]}}}))
    evidence = run_check(rare_check, CheckContext(report_dir, 0))[0]
    assert evidence.status is Status.REFUTED and evidence.counterexample == {"n": needle}
    assert run_check(rare_check, CheckContext(report_dir, 0))[0].status is Status.REFUTED  # and the function is left as it was


def test_a_plot_axis_without_a_label_is_named_in_the_evidence(report_dir):
    def unlabelled(rng, scale):
        figure = sim.new_figure()
        axes = figure.subplots()
        axes.plot([1, 2, 3], [1, 4, 9])
        axes.set_xlabel("n")
        return sim.Observation(violation=None, detail="squares", plot=figure)

    (evidence,) = run_check(check(unlabelled, "simulation"), CheckContext(report_dir, 0))
    assert evidence.facts["unlabelled_axes"] == ["1:y"] and "plot axes without a label: 1:y" in evidence.detail
