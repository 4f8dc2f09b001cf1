"""Mutation testing: one test per operator, the equivalence rule, and the score."""

import sympy as sp
from hypothesis import given, strategies as st

from proofs import cas, mutate, sim, smt
from proofs.records import Check, CheckContext


def z3_outcomes(fn):
    return {(m.operator, m.change): m.outcome for m in mutate.z3_mutants(Check("demo.x", fn.__name__, "z3", fn), 5)}


def test_flip_negates_a_comparison_and_the_check_kills_it():
    def square(q):
        (x,) = q.reals("x")
        q.prove(x * x >= 0)

    assert z3_outcomes(square)[("flip", "≥ → <")] == mutate.Outcome.KILLED


def test_boundary_makes_a_comparison_strict_and_the_check_kills_it_at_the_boundary():
    def square(q):
        (x,) = q.reals("x")
        q.prove(x * x >= 0)

    assert z3_outcomes(square)[("boundary", "≥ → >")] == mutate.Outcome.KILLED  # x = 0


def test_a_constant_moved_to_the_stronger_side_is_killed_and_to_the_weaker_side_is_equivalent():
    def shifted_square(q):  # (x − 1)² ≥ 0
        (x,) = q.reals("x")
        q.prove(x * x >= 2 * x - 1)

    outcomes = z3_outcomes(shifted_square)
    assert outcomes[("constant", "1 → 9/10")] == mutate.Outcome.KILLED
    assert outcomes[("constant", "1 → 11/10")] == mutate.Outcome.EQUIVALENT  # weaker: implied by the claim


def test_swap_exchanges_the_operands_of_a_difference():
    def difference(q):
        a, b = q.reals("a b")
        q.domain(b >= 0)
        q.prove(a - b <= a)

    assert z3_outcomes(difference)[("swap", "a - b → b - a")] == mutate.Outcome.KILLED


def test_dropping_a_conjunct_of_the_conclusion_is_equivalent_and_of_a_premise_is_killed():
    def conclusion(q):
        (x,) = q.reals("x")
        q.prove(smt.And(x * x >= 0, x + 1 > x))

    def premise(q):
        x, y = q.reals("x y")
        q.prove(smt.Implies(smt.And(x > 0, y > 0), x * y > 0))

    assert set(v for (op, _), v in z3_outcomes(conclusion).items() if op == "drop-conjunct") == {
        mutate.Outcome.EQUIVALENT}
    assert mutate.Outcome.KILLED in [v for (op, _), v in z3_outcomes(premise).items() if op == "drop-conjunct"]


def test_widening_the_domain_is_killed_when_the_constraint_has_teeth_and_survives_when_not():
    def reciprocal(q):
        x, y = q.reals("x y")
        q.domain(x > 0, y > 0)
        q.prove(x * x * x > 0)  # needs x > 0; y > 0 plays no part

    mutants = {m.site: m for m in mutate.z3_mutants(Check("demo.x", "reciprocal", "z3", reciprocal), 5)
               if m.operator == "widen-domain"}
    assert mutants["x > 0"].outcome == mutate.Outcome.KILLED
    survivor = mutants["y > 0"]
    assert survivor.outcome == mutate.Outcome.SURVIVED and "no teeth" in survivor.detail


def test_goal_mutants_claim_more_and_a_tight_goal_kills_them():
    x = sp.Symbol("x", positive=True)

    def goals():
        return [cas.Identity((x + 1) ** 2, x**2 + 2 * x + 1, {x: (0.1, 10)}),
                cas.Bound(x**2 - 2 * x + 1, {x: (0.0, 3.0)}),
                cas.Limit(1 / x, x, 0)]

    mutants = mutate.goal_mutants(Check("demo.x", "goals", "sympy", goals), 20)
    assert mutants and all(m.outcome == mutate.Outcome.KILLED for m in mutants), [(m.text, m.outcome) for m in mutants]


def test_property_test_mutants_flip_and_move_the_asserted_threshold(tmp_path):
    mutants = mutate.test_mutants(Check("demo.x", "squares_plus_one", "hypothesis", squares_plus_one),
                                  CheckContext(tmp_path, 0))
    outcomes = {m.operator: m.outcome for m in mutants}
    assert outcomes["flip"] == mutate.Outcome.KILLED
    assert outcomes["constant"] == mutate.Outcome.KILLED  # 1 → 2 on the right of ≥ claims more: x = 0 fails


@given(x=st.floats(-10, 10))
def squares_plus_one(x):
    assert x * x + 1 >= 1


def test_simulation_mutants_change_what_decides_the_violation(tmp_path):
    mutants = mutate.test_mutants(Check("demo.x", "bounded_draws", "simulation", bounded_draws), CheckContext(tmp_path, 0))
    assert mutants and mutants[0].operator == "flip" and mutants[0].outcome == mutate.Outcome.KILLED


def bounded_draws(rng, scale):
    draws = rng.random(1000)
    violation = None if draws.max() <= 1 else {"largest": float(draws.max())}
    return sim.Observation(violation=violation, detail="uniform draws stay below 1")


def test_survivors_carry_the_lemmas_explanation_and_the_score_counts_only_non_equivalent_mutants():
    mutants = [mutate.Mutant("c", "flip", "a > b", "> → ≤", mutate.Outcome.KILLED),
               mutate.Mutant("c", "widen-domain", "p > 0", "dropped", mutate.Outcome.SURVIVED),
               mutate.Mutant("c", "constant", "b", "1 → 2", mutate.Outcome.EQUIVALENT)]
    explained = mutate.explained(mutants, {"c | widen-domain | p > 0 | dropped": "p is a probability in the paper"})
    assert "explained: p is a probability" in explained[1].detail
    score = mutate.score([{"mutants": mutate.summarise(explained)}])
    assert score["non_equivalent"] == 2 and score["killed"] == 1 and score["score"] == 0.5


def test_a_survivor_key_is_matched_by_the_mutants_identity_exactly_and_a_stale_key_is_an_error():
    """A key that is only a piece of the text would also excuse a flipped comparison or a moved
    threshold at the same site; the identity names the check, the operator, the site and the change."""
    survived = mutate.Mutant("c", "boundary", "alpha >= prob", "GtE → Gt", mutate.Outcome.SURVIVED)
    flipped = mutate.Mutant("c", "flip", "alpha >= prob", "GtE negated", mutate.Outcome.SURVIVED)
    explained = mutate.explained([survived, flipped], {survived.identity: "float boundary"})
    assert "explained" in explained[0].detail and "explained" not in explained[1].detail
    try:
        mutate.explained([survived], {"alpha >= prob": "a substring, as keys used to be"}, "demo.x")
    except mutate.StaleSurvivorKey as stale:
        assert "demo.x" in str(stale) and "alpha >= prob" in str(stale)
    else:
        raise AssertionError("a key that matches no mutant's identity was accepted")


def test_a_claim_proved_by_induction_has_mutants_run_through_the_whole_induction():
    def geometric(q):
        (n,) = q.ints("n")
        power = q.recursive_function("P", base=1, step=lambda k, prev: prev * 2, sort="Int")
        total = q.recursive_function("G", base=1, step=lambda k, prev: prev + power(k), sort="Int")
        q.induction(n, start=0)
        q.prove(total(n) < 2 * power(n))

    mutants = mutate.z3_mutants(Check("demo.x", "geometric", "z3", geometric), 5)
    assert mutants
    assert mutate.Outcome.KILLED in {m.outcome for m in mutants}
    flipped = next(m for m in mutants if m.operator == "flip")
    assert flipped.outcome == mutate.Outcome.KILLED


def test_a_strict_test_comparison_gets_no_boundary_mutant_since_that_would_only_weaken_it(tmp_path):
    mutants = mutate.test_mutants(Check("demo.x", "strictly_below", "hypothesis", strictly_below),
                                  CheckContext(tmp_path, 0))
    assert mutants and "boundary" not in {m.operator for m in mutants}


@given(x=st.floats(0, 0.5))
def strictly_below(x):
    assert x < 1
