"""E-28, Token-budget constraint (§5): its readings, variants and corrections.

Each lemma reads top-down: the declaration, then its symbolic checks, property test and simulation.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from proofs import Claim, lemma, sim
from proofs.statement import And
from simulations import retrieval as toys

# ---------------------------------------------------------------------------------------------
# E-28: the token budget as a knapsack.
# ---------------------------------------------------------------------------------------------

BUDGET = lemma(
    "retrieval.token_budget_knapsack",
    title="Budgeted retrieval with additive relevance is a 0/1 knapsack, solved exactly",
    kind="definition",
    paper_ref="§5",
    claim_ref="E-28",
    source="attested",
    statement=("Retrieval under a token budget $B$ with additive relevance is the 0/1 knapsack $\\max \\sum_{d \\in D_r} "
               "\\mathrm{rel}(d)$ subject to $\\sum_{d \\in D_r} \\mathrm{len}(d) \\le B$: two exact solvers of it agree, "
               "and greedy top-k by relevance is feasible and never better than the exact optimum."),
    formal=(
        "$\\max \\sum_{d \\in D_r} \\mathrm{rel}(d)$ subject to $\\sum_{d \\in D_r} \\mathrm{len}(d) \\le B$. Two "
        "independent exact solvers (enumeration of every subset, and dynamic programming over the budget) must "
        "agree; greedy top-k by relevance is feasible and never better. The declared claim is the last clause, "
        "greedy ≤ optimal, evaluated at both solvers' values on random instances (exact rationals in the property "
        "test, the same floating arithmetic for every set in the simulation)."
    ),
    interpretation=("Additive utility; the query and instructions are not charged to B.",),
    claim=Claim(lambda greedy, optimal: greedy <= optimal, where=lambda greedy, optimal: And(greedy >= 0, optimal >= 0)),
    variables={"seed": "the seed of the random instance", "documents": "the number of documents",
               "greedy": "the relevance greedy top-k collects", "optimal": "the exact optimum"},
    explain=lambda cx: f"on a random instance with {cx.get('documents')} documents the exact solvers disagree",
    waivers={"symbolic": "a definition; what is checked is that the exact solvers used by E-29 and E-30 are right"},
    expect="tested",
)


def _knapsack(lengths, values, budget):
    best = np.zeros(budget + 1)
    for length, value in zip(lengths, values):
        if length <= budget:
            best[length:] = np.maximum(best[length:], best[:budget + 1 - length] + value)
    return float(best[budget])


@BUDGET.check("hypothesis")
@settings(max_examples=60)
@given(seed=st.integers(0, 2**32 - 1), documents=st.integers(1, 9))
def exact_solvers_agree(seed, documents):
    instance = toys.random_instance(np.random.default_rng(seed), documents)
    sets = toys.feasible_sets(instance)
    enumerated = max((toys.total_relevance(instance, s) for s in sets), default=0.0)
    assert math.isclose(enumerated, _knapsack(instance.lengths, instance.relevance, instance.budget), abs_tol=1e-9)
    greedy = toys.greedy_relevance(instance)
    assert instance.lengths[list(greedy)].sum() <= instance.budget
    exact = lambda chosen: sum((Fraction(float(r)) for r in instance.relevance[list(chosen)]), Fraction(0))  # noqa: E731
    BUDGET.claim.require(greedy=exact(greedy), optimal=max((exact(s) for s in sets), default=Fraction(0)))


@BUDGET.check("simulation")
def greedy_against_optimal(rng, scale):
    greedy, optimal = [], []
    for _ in range(300 if scale == "default" else 30_000):
        instance = toys.random_instance(rng, 10)
        subsets, values, fits = toys.relevance_of_subsets(instance)  # each set valued by the same arithmetic
        optimal.append(values[fits].max())
        greedy.append(values[subsets.index(toys.greedy_relevance(instance))])
    greedy, optimal = np.array(greedy), np.array(optimal)
    ratios = np.where(optimal > 0, greedy / np.where(optimal > 0, optimal, 1), 1.0)
    violation = BUDGET.claim.first_failure(greedy=greedy, optimal=optimal)
    return sim.Observation(violation=violation, figures={"greedy_mean_fraction": float(ratios.mean()),
                                                          "greedy_worst_fraction": float(ratios.min())},
                           slack=sim.slack(greedy[optimal > 0], optimal[optimal > 0], side="upper"),
                           detail="random 10-document instances: greedy top-k never beats the exact optimum")
