"""The Coq re-check (`proofs.coq`): goals the engines proved, stated in Coq and checked by coqc.

The translation is tested without Coq (the statements it writes, what it refuses, the outcome
without coqc); the re-check itself runs once for a set of planted goals (a module fixture: one
batch of coqc processes) and is skipped when coqc is not installed.
"""

import shutil
from fractions import Fraction

import pytest
import sympy as sp
import z3

from proofs import cas, coq, interval, smt
from proofs.coq import from_sympy, from_z3, run
from proofs.coq.goals import CoqGoal, Outcome

needs_coq = pytest.mark.skipif(shutil.which("coqc") is None, reason="coqc is not installed (apt install coq "
                                                                    "libcoq-interval)")


# -- the goals, as the engines state them ------------------------------------------------------------


def linear():
    a, b = z3.Reals("a b")
    return from_z3.universal("demo.linear/sum", [a >= 1, b >= a], b + a >= 2, points=[{"a": 1, "b": 3}],
                             evaluate=smt.evaluate)


def nonlinear():
    x, n = z3.Reals("x n")
    return from_z3.universal("demo.nonlinear/half", [n >= 1, x >= n], x / (x + n) >= Fraction(1, 2),
                             points=[{"x": 2, "n": 1}], evaluate=smt.evaluate)


def identity():
    p, c = sp.symbols("p c", positive=True)
    goal = cas.Identity(-(1 - p) / (1 - c) + p / c, (p - c) / (c * (1 - c)), {p: (0.01, 0.99), c: (0.01, 0.99)},
                        name="derivative")
    return from_sympy.translate("demo.identity/rational/derivative", goal)


def exp_bound():
    x = sp.Symbol("x", real=True)
    goal = interval.Bound(sp.exp(x), box={x: (sp.Rational(1, 10), 2)}, bound=1 + x, name="tangent")
    return from_sympy.translate("demo.exp/tangent_line/tangent", goal)


def running_sum():
    """Σ_{k ≤ n} k = n(n+1)/2, stated as the suite states it: a recursive function and an induction."""
    query = smt.Query()
    (n,) = query.ints("n")
    count = query.recursive_function("C", base=0 * n, step=lambda k, previous: previous + k, sort="Int")
    query.induction(n, start=0)
    query.prove(2 * count(n) == n * (n + 1))
    points = [smt.cross_check(query, seed).witness for seed in (0, 1)]
    return from_z3.from_query("demo.sum/closed_form", query, points=points, evaluate=smt.evaluate)


def motzkin():
    """True (Motzkin's polynomial is nonnegative) but no sum of squares: nra has no certificate."""
    x, y = z3.Reals("x y")
    return from_z3.universal("demo.motzkin/nonnegative", [], x**4 * y**2 + x**2 * y**4 - 3 * x**2 * y**2 + 1 >= 0,
                             points=[{"x": 1, "y": 2}], evaluate=smt.evaluate)


def flipped():
    with from_z3.planted_flip():
        a, b = z3.Reals("a b")
        return from_z3.universal("demo.flipped/sum", [a >= 1, b >= a], b + a >= 2, points=[{"a": 1, "b": 3}],
                                 evaluate=smt.evaluate)


def squares(label="demo.squares/nonnegative"):
    """Σ_{k ≤ n} a(k)² ≥ 0 for every function a, by induction."""
    query = smt.Query()
    (n,) = query.ints("n")
    a = query.function("a", "Int", "Real")
    total = query.recursive_function("S", base=a(0) * a(0), step=lambda k, previous: previous + a(k) * a(k))
    query.induction(n, start=0)
    query.prove(total(n) >= 0)
    points = [smt.cross_check(query, seed).witness for seed in (0, 1)]
    return from_z3.from_query(label, query, points=points, evaluate=smt.evaluate)


def flipped_induction():
    with from_z3.planted_flip():
        return squares("demo.flipped_squares/nonnegative")


def with_cited_axiom():
    """A premise that is an instance of a cited theorem (AM-GM, for the test): Coq takes it from an
    Axiom instead, so Print Assumptions must list it."""
    x, y = z3.Reals("x y")
    a, b = z3.Reals("a b")
    premise = x * x + y * y >= 2 * x * y
    cited = from_z3.UsedAxiom("am_gm", "Cauchy (1821), the inequality of arithmetic and geometric means",
                              variables=[a, b], hypotheses=[], claim=a * a + b * b >= 2 * a * b, premise=premise,
                              bindings={"a": x, "b": y}, source="demo.am_gm")
    return from_z3.universal("demo.axiom/uses_am_gm", [premise], x * x + y * y + 1 > 2 * x * y, axioms=[cited],
                             points=[{"x": 1, "y": 3}], evaluate=smt.evaluate)


def ill_typed():
    return CoqGoal("demo.ill_typed/bad", "z3", "bad", "forall x : R, x = true", "intros", (("lra",),))


def admitted():
    """A script that 'closes' its goal with admit: the probe accepts it, the kernel pass's Qed must not."""
    return CoqGoal("demo.admitted/given_up", "z3", "given_up", "forall x : R, x * x >= 0", "intros", (("admit",),))


def quantified():
    x, y = z3.Reals("x y")
    return from_z3.universal("demo.quantified/forall", [x > 0], z3.ForAll([y], x + y * y > 0))


PLANTED = {"linear": linear, "nonlinear": nonlinear, "identity": identity, "exp_bound": exp_bound,
           "running_sum": running_sum, "motzkin": motzkin, "flipped": flipped, "axiom": with_cited_axiom,
           "squares": squares, "flipped_induction": flipped_induction,
           "ill_typed": ill_typed, "admitted": admitted, "quantified": quantified}


@pytest.fixture(scope="module")
def rechecked(tmp_path_factory):
    """Every planted goal re-checked in one call: {name: (goal, result)}, and the output folder."""
    if shutil.which("coqc") is None:
        pytest.skip("coqc is not installed")
    directory = tmp_path_factory.mktemp("coq")
    goals = {name: make() for name, make in PLANTED.items()}
    results = coq.recheck(list(goals.values()), directory, jobs=2, cache=coq.Cache(directory / "cache.json"))
    return {name: (goal, result) for (name, goal), result in zip(goals.items(), results)}, directory


# -- the statements, without Coq -----------------------------------------------------------------------


def test_a_linear_goal_is_stated_with_the_suites_names_and_its_hypotheses():
    goal = linear()
    assert goal.statement == "forall (a b : R),\n  a >= 1 ->\n  b >= a ->\n  b + a >= 2"
    assert goal.exportable and goal.instances == ("1 >= 1 /\\ 3 >= 1 /\\ 3 + 1 >= 2",)


def test_integer_subterms_carry_their_scope_and_a_recursive_function_is_stated_by_two_hypotheses():
    statement = running_sum().statement
    assert "C 0%Z = 0 * 0 ->" not in statement  # the base 0·n is simplified: it may not mention n
    assert "(forall k : Z, (k > 0)%Z -> (C k = C (k - 1)%Z + k)%Z) ->" in statement
    assert statement.endswith("forall n : Z, (n >= 0)%Z -> (2 * C n = n * (n + 1))%Z")


def test_a_name_coq_would_read_as_something_else_is_renamed_and_the_renaming_noted():
    big_r, z = z3.Reals("R Z")
    goal = from_z3.universal("demo.names/clash", [big_r > 0], big_r + z > z)
    assert "forall (R_ Z_ : R)" in goal.statement
    assert "the variable R is R_ in Coq" in goal.notes


def test_a_division_by_a_variable_is_noted_since_coq_divides_by_zero_differently():
    assert any("x + n" in note and "x/0 is 0" in note for note in nonlinear().notes)


def test_what_has_no_translation_is_named_and_never_sent_to_coq(tmp_path, monkeypatch):
    k, m = z3.Ints("k m")
    by_variable = from_z3.universal("demo.div/by_m", [m > 0], (k / m) * m <= k)  # Euclidean vs floor division
    assert by_variable.missing == ("integer division or remainder by a divisor that is not a positive constant",)
    assert quantified().missing == ("a quantifier",)
    limit = from_sympy.translate("demo.limit/l/l", cas.Limit(1 / sp.Symbol("n"), sp.Symbol("n"), 0))
    assert limit.missing == ("a limit",)
    monkeypatch.setattr(run, "_coqc", lambda *a, **k: pytest.fail("coqc was called for a goal with no translation"))
    [result] = coq.recheck([by_variable], tmp_path)
    assert result.outcome is Outcome.NOT_EXPORTABLE and "positive constant" in result.detail


def test_without_coqc_every_goal_is_not_rechecked_and_says_why(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "coqc", lambda: None)
    assert not coq.available()
    results = coq.recheck([linear(), quantified()], tmp_path)
    assert [r.outcome for r in results] == [Outcome.NOT_RECHECKED, Outcome.NOT_EXPORTABLE]
    assert results[0].detail == "not re-checked: coqc not installed" == coq.NOT_INSTALLED
    written = (tmp_path / "demo__linear.v").read_text()
    assert "b + a >= 2" in written and "not re-checked" in written  # the statement is still shown


def test_a_goal_crosses_from_a_worker_as_json_unchanged():
    import json

    for make in (linear, running_sum, with_cited_axiom, exp_bound, quantified):
        goal = make()
        again = CoqGoal.from_json(json.loads(json.dumps(goal.to_json())))
        assert again == goal and again.fingerprint("s") == goal.fingerprint("s")


def test_a_premise_taken_from_another_lemma_says_which_in_the_statement():
    query = smt.Query()
    x, n, p = query.reals("x n p")
    query.domain(x > 0, n >= 1)
    fact = z3.Implies(z3.And(x > 0, n >= 1), (x / (x + n) >= p) == (x * (1 - p) >= n * p))
    query.premises.append(fact)
    query.used_facts.append(fact)
    query.drawn_on.append("context.softmax_threshold/threshold_equivalence")
    query.prove(z3.Implies(x * (1 - p) >= n * p, x / (x + n) >= p))
    statement = from_z3.from_query("demo.uses/threshold", query).statement
    assert "(* the statement of context.softmax_threshold/threshold_equivalence *) ->" in statement


def test_a_fingerprint_changes_with_the_statement_and_the_salt():
    goal = linear()
    assert goal.fingerprint("a") == linear().fingerprint("a") != goal.fingerprint("b")
    assert flipped().fingerprint("a") != goal.fingerprint("a")


def test_print_assumptions_output_is_read_as_the_list_of_axioms():
    text = ("Axioms:\nClassicalDedekindReals.sig_forall_dec\n  : forall P : nat -> Prop,\n    (forall n, P n)\n"
            "demo.am_gm : forall a b : R, a * a + b * b >= 2 * a * b\n")
    assert coq.parse_assumptions(text) == ("ClassicalDedekindReals.sig_forall_dec", "demo.am_gm")
    assert coq.parse_assumptions("Closed under the global context") == ()


# -- the re-check ----------------------------------------------------------------------------------------


@needs_coq
@pytest.mark.parametrize("name", ["linear", "nonlinear", "identity", "exp_bound", "running_sum"])
def test_a_planted_goal_the_portfolio_can_close_is_checked_by_coqs_kernel(rechecked, name):
    (goal, result), directory = rechecked[0][name], rechecked[1]
    assert result.outcome is Outcome.CHECKED, result.detail
    text = (directory / result.file).read_text()
    assert f"Lemma {goal.name} :" in text and "Qed." in text and result.script in text


@needs_coq
def test_each_kind_is_closed_by_the_tactic_meant_for_it(rechecked):
    scripts = {name: rechecked[0][name][1].script for name in ("linear", "nonlinear", "identity", "exp_bound",
                                                               "running_sum")}
    assert scripts["linear"].endswith("lra")
    assert "nra" in scripts["nonlinear"]
    assert "field" in scripts["identity"]
    assert "interval" in scripts["exp_bound"]
    assert "Z_induction_from" in scripts["running_sum"]


@needs_coq
def test_a_true_goal_no_tactic_closes_is_not_checked_and_keeps_the_error(rechecked):
    goal, result = rechecked[0]["motzkin"]
    assert result.outcome is Outcome.NOT_CHECKED
    assert result.detail.startswith("no tactic of the portfolio closed it (the goal: ")
    assert f"Lemma {goal.name} :" in (rechecked[1] / result.file).read_text()  # the statement, with Abort


@needs_coq
def test_a_planted_sign_flip_in_the_exporter_is_caught_as_a_conflict(rechecked):
    _, honest = rechecked[0]["linear"]
    _, result = rechecked[0]["flipped"]
    assert honest.outcome is Outcome.CHECKED  # the same goal, exported without the flip
    assert result.outcome is Outcome.CONFLICT
    assert "Coq refutes an instance" in result.detail and "3 + 1 <= 2" in result.detail


@needs_coq
def test_a_flip_in_an_inductions_claim_is_caught_at_an_instance_computed_by_the_recursion(rechecked):
    _, honest = rechecked[0]["squares"]
    goal, result = rechecked[0]["flipped_induction"]
    assert honest.outcome is Outcome.CHECKED, honest.detail
    assert goal.statement.endswith("forall n : Z, (n >= 0)%Z -> S n <= 0")
    assert result.outcome is Outcome.CONFLICT and "Coq refutes an instance" in result.detail


@needs_coq
def test_a_statement_that_does_not_type_check_is_a_conflict_and_the_rest_still_runs(rechecked):
    _, result = rechecked[0]["ill_typed"]
    assert result.outcome is Outcome.CONFLICT and "does not type-check" in result.detail
    assert rechecked[0]["running_sum"][1].outcome is Outcome.CHECKED  # after it in the batch


@needs_coq
def test_only_qed_makes_a_goal_checked_a_script_that_admits_it_is_not(rechecked):
    goal, result = rechecked[0]["admitted"]
    assert result.outcome is Outcome.NOT_CHECKED and "Qed failed" in result.detail
    assert rechecked[0]["quantified"][1].outcome is Outcome.NOT_EXPORTABLE
    later = [name for name in PLANTED if name > "admitted" and rechecked[0][name][1].outcome is Outcome.CHECKED]
    assert later  # the kernel pass went on after the Lemma that failed


@needs_coq
def test_a_cited_axiom_is_a_coq_axiom_that_print_assumptions_lists(rechecked):
    goal, result = rechecked[0]["axiom"]
    assert result.outcome is Outcome.CHECKED, result.detail
    assert "x * x + y * y >= 2 * x * y ->" not in goal.statement  # the premise comes from the axiom
    assert result.assumptions_exact and coq.kinds_of_assumptions(result.assumptions)["cited"] == ["demo__axiom.am_gm"]
    text = (rechecked[1] / result.file).read_text()
    assert "(* demo.am_gm: Cauchy (1821)" in text and "Axiom am_gm :" in text
    assert coq.assumptions(rechecked[1], goal.module, goal.name) == result.assumptions


@needs_coq
def test_standard_axioms_of_the_reals_are_what_a_plain_lemma_rests_on(rechecked):
    goal, result = rechecked[0]["nonlinear"]
    listed = coq.assumptions(rechecked[1], goal.module, goal.name)
    assert listed and set(listed) <= set(coq.STANDARD_AXIOMS)
    kinds = coq.kinds_of_assumptions(coq.assumptions(rechecked[1], *rechecked[0]["exp_bound"][0].module.split(),
                                                     rechecked[0]["exp_bound"][0].name))
    assert kinds["primitive numbers"] and not kinds["cited"]  # interval computes with machine floats


def test_assumptions_are_sorted_into_the_reals_logic_primitive_numbers_and_cited_theorems():
    kinds = coq.kinds_of_assumptions(["ClassicalDedekindReals.sig_not_dec", "Classical_Prop.classic",
                                      "PrimFloat.add", "Uint63.add_spec", "demo__axiom.am_gm"])
    assert kinds == {"reals": ["ClassicalDedekindReals.sig_not_dec"], "logic": ["Classical_Prop.classic"],
                     "primitive numbers": ["PrimFloat.add", "Uint63.add_spec"], "cited": ["demo__axiom.am_gm"]}


@needs_coq
def test_a_goal_with_no_translation_is_not_exportable_and_named(rechecked):
    _, result = rechecked[0]["quantified"]
    assert result.outcome is Outcome.NOT_EXPORTABLE and result.detail == "a quantifier"


@needs_coq
def test_a_second_run_takes_every_answer_from_the_cache_without_calling_coqc(rechecked, monkeypatch):
    goals = [goal for goal, _ in rechecked[0].values()]
    monkeypatch.setattr(run, "_coqc", lambda *a, **k: pytest.fail("coqc was called although every goal is cached"))
    again = coq.recheck(goals, rechecked[1], cache=coq.Cache(rechecked[1] / "cache.json"))
    first = [result for _, result in rechecked[0].values()]
    assert [r.outcome for r in again] == [r.outcome for r in first]
    assert all(r.cached for r in again if r.outcome is not Outcome.NOT_EXPORTABLE)


@needs_coq
def test_each_written_file_compiles_alone_with_coqc(rechecked, tmp_path):
    import subprocess

    directory = rechecked[1]
    for name in ("Prelude.v", rechecked[0]["running_sum"][1].file):
        shutil.copy(directory / name, tmp_path / name)
    for name in ("Prelude.v", rechecked[0]["running_sum"][1].file):
        done = subprocess.run(["coqc", "-q", "-Q", ".", "Proofs", name], cwd=tmp_path, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
