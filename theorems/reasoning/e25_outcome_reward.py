"""E-25, Outcome-only RL reward (§4): its readings, variants and corrections.

Each lemma reads top-down: the declaration, then its symbolic checks, property test and simulation.
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from proofs import Claim, cas, lemma, sim
from proofs.statement import And, If, Sum
from simulations import reasoning as toys

OUTCOME_POWER = 0.05  # the smallest gap between two policies' mean outcome rewards the simulation is built to detect
ANSWERS = 3  # the answer set {0, 1, 2} of the declared claim

# ---------------------------------------------------------------------------------------------
# E-25: an outcome-only reward sees only the answer marginal.
# ---------------------------------------------------------------------------------------------

def _reward_is_the_answer_marginal(n, truth, policy):
    """Σ_{z ≤ n} Σ_ŷ π(z, ŷ | x)·1[ŷ = y(x)] = Σ_{z ≤ n} π(z, y(x) | x): the expected outcome reward of one
    question is its answer marginal at the reference answer."""
    return (Sum(lambda z: sum(policy(z, a) * If(truth == a, 1, 0) for a in range(ANSWERS)), n)
            == Sum(lambda z: policy(z, truth), n))


def _table(policy):
    """One question's π(z, ŷ) as the claim's function of (trace, answer), 0 beyond the answers it has."""
    return lambda z, a: float(policy[int(z), int(a)]) if int(a) < policy.shape[1] else 0.0


OUTCOME = lemma(
    "reasoning.outcome_reward_sees_only_answers",
    title="An outcome-only reward depends on a policy only through its answer marginal",
    kind="equation",
    paper_ref="§4",
    claim_ref="E-25",
    source="reconstructed",
    statement=(
        "For three candidate answers and any finite number of traces, the outcome reward $J(\\pi) = E_x "
        "E_{(Z,\\hat Y)\\sim\\pi(\\cdot \\mid x)}[\\mathbb{1}(\\hat Y = Y(x))]$ of one question is the answer marginal "
        "$\\pi_{\\hat Y}(Y(x) \\mid x)$: it imposes no requirement on the traces, so policies with the same answer "
        "marginal earn the same reward whatever their chains."
    ),
    formal=(
        "(i) z3, by induction on the number of traces, for one question and answers in {0, 1, 2}: "
        "$\\sum_{z \\le n} \\sum_{\\hat y} \\pi(z, \\hat y \\mid x)\\,\\mathbb{1}[\\hat y = y(x)] = "
        "\\pi_{\\hat Y}(y(x) \\mid x)$, where $\\pi_{\\hat Y}(\\hat y \\mid x) = \\sum_{z \\le n} \\pi(z, \\hat y \\mid x)$ "
        "is the answer marginal; (ii) sympy, for two questions with weights, three traces, three answers, a "
        "general joint $\\pi(z, \\hat y \\mid x)$ and every reference answer: $J(\\pi) = \\sum_x w_x\\, "
        "\\pi_{\\hat Y}(y(x) \\mid x)$. $J$ is thus a function of the answer marginal, so policies with the "
        "same answer marginal have the same $J$, whatever traces lead there."
    ),
    interpretation=("'No requirement' read as invariance of J (the formal reading of claims.md E-25); the symbolic "
                    "claim fixes three answers (a variant: the words leave the answer set open; the property test "
                    "checks up to four answers and two to five questions without the claim).",),
    claim=Claim(_reward_is_the_answer_marginal, where=lambda n, truth: And(n >= 0, truth >= 0, truth <= ANSWERS - 1),
                sorts={"n": "Int", "truth": "Int", "policy": ("Int", "Int", "Real")}),
    variables={"n": "the last trace index", "truth": "the reference answer y(x)",
               "policy": "π(z, ŷ | x) as a table over (trace, answer)"},
    explain=lambda cx: (f"two policies with the same answer marginal but different chains get different "
                        f"outcome rewards ({dict(cx)})"),
    expect="proved",
)


@OUTCOME.check("z3")
def reward_collapses_over_any_number_of_traces(q):
    n, truth = q.ints("n truth")
    q.prove_claim(n=n, truth=truth)
    q.induction(n, start=0)


@OUTCOME.check("sympy")
def reward_through_marginal():
    joint = {(x, z, a): sp.Symbol(f"pi{x}{z}{a}", positive=True) for x in (0, 1) for z in range(3) for a in range(3)}
    weight = sp.Symbol("w", positive=True)  # P(X = 0); P(X = 1) = 1 − w
    weights = (weight, 1 - weight)
    marginal = {(x, a): sum(joint[x, z, a] for z in range(3)) for x in (0, 1) for a in range(3)}
    goals = []
    for truth in [(t0, t1) for t0 in range(3) for t1 in range(3)]:
        reward = sum(weights[x] * joint[x, z, a] * (1 if a == truth[x] else 0)
                     for x in (0, 1) for z in range(3) for a in range(3))
        through_marginal = sum(weights[x] * marginal[x, truth[x]] for x in (0, 1))
        goals.append(cas.Identity(reward, through_marginal, {s: (0.01, 1.0) for s in (*joint.values(), weight)},
                                  name=f"j_is_marginal_truth_{truth[0]}{truth[1]}"))
    return goals


@OUTCOME.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), questions=st.integers(1, 5), traces=st.tuples(st.integers(1, 5), st.integers(1, 5)),
       answers=st.integers(2, 4))
def policies_with_the_same_answers_earn_the_same(seed, questions, traces, answers):
    rng = np.random.default_rng(seed)
    first, second = toys.policies_with_same_answer_marginal(rng, questions, *traces, answers)
    weights = rng.dirichlet(np.ones(questions))
    truth = rng.integers(answers, size=questions)
    np.testing.assert_allclose(first.sum(axis=1), second.sum(axis=1), atol=1e-12)  # the same answer marginal
    if answers <= ANSWERS:  # the declared claim, at each question of both policies
        for policy in (first, second):
            for x in range(questions):
                OUTCOME.claim.require(n=policy.shape[1] - 1, truth=int(truth[x]), policy=_table(policy[x]),
                                      tolerance=1e-12)
    # J computed as the full expectation over (x, z, ŷ): the chains differ, the reward does not
    assert math.isclose(toys.outcome_reward(first, truth, weights), toys.outcome_reward(second, truth, weights),
                        rel_tol=1e-9, abs_tol=1e-12)


@OUTCOME.check("simulation")
def sampled_rewards_of_policy_pairs(rng, scale):
    pairs, episodes = (40, 20_000) if scale == "default" else (400, 200_000)
    estimates, process_z = [], []
    for index in range(pairs):
        first, second = toys.policies_with_same_answer_marginal(rng, 4, 3, 4, ANSWERS)
        weights, truth = rng.dirichlet(np.ones(4)), rng.integers(ANSWERS, size=4)
        for policy in (first, second):
            for x in range(4):
                OUTCOME.claim.require(n=policy.shape[1] - 1, truth=int(truth[x]), policy=_table(policy[x]),
                                      tolerance=1e-12)
        rewards = {}
        for name, policy in (("first", first), ("second", second)):  # independent episodes for each policy
            x, z, guess = toys.sample_episodes(rng, policy, weights, episodes)
            rewards[name] = ((guess == truth[x]).astype(float), ((guess == truth[x]) & (z == 0)).astype(float))
        outcome_a, outcome_b = rewards["first"][0], rewards["second"][0]
        error = math.sqrt((0.25 + 0.25) / episodes)  # a Bernoulli variance is at most 1/4
        estimates.append(sim.compare(f"outcome reward gap[pair {index}]", outcome_a.mean() - outcome_b.mean(), 0.0,
                                     tolerance=4 * error, power=OUTCOME_POWER))
        process_a, process_b = rewards["first"][1], rewards["second"][1]
        process_error = math.sqrt(process_a.var() / process_a.size + process_b.var() / process_b.size) or 1e-12
        process_z.append(abs(process_a.mean() - process_b.mean()) / process_error)
    outcome_z = np.array([abs(e.measured - e.claimed) / (e.tolerance / 4) for e in estimates])
    figure = sim.new_figure()
    ax = figure.subplots()
    ax.hist([outcome_z, np.array(process_z)], bins=20,
            label=["outcome reward 1[ŷ = y]", "process reward 1[ŷ = y]·1[z = 0]"])
    ax.axvline(4, color="k", ls=":")
    ax.set_xlabel("|difference of the sampled rewards| / standard error")
    ax.set_ylabel("policy pairs")
    ax.legend()
    return sim.Observation(violation=None, plot=figure, estimates=tuple(estimates),
                           figures={"largest_outcome_gap_in_se": float(outcome_z.max()),
                                    "median_process_gap_in_se": float(np.median(process_z))},
                           detail=(f"{pairs} pairs of policies with the same answer marginal and different chains, "
                                   f"{episodes} independent episodes each: the outcome reward agrees within noise, a "
                                   f"reward that reads the chain does not"))


ANY_ANSWERS = lemma(
    "reasoning.outcome_reward_any_answer_set",
    title="Over any finite answer set, the expected outcome reward of one trace is the reference answer's probability",
    kind="lemma",
    paper_ref="§4",
    claim_ref="E-25",
    source="reconstructed",
    statement=(
        "For one question and one trace, over answers $\\{0, \\dots, K\\}$ for every $K \\ge 0$: "
        "$\\sum_{\\hat y \\le K} \\pi(\\hat y)\\,\\mathbb{1}[\\hat y = y] = \\pi(y)$ when $0 \\le y \\le K$, and 0 "
        "otherwise: the outcome reward reads only the probability of the reference answer, whatever the size of the "
        "answer set (the step reasoning.outcome_reward_sees_only_answers fixes at three answers)."
    ),
    formal=(
        "z3, by induction on $K$ from the declared claim, for any real $\\pi$ (a sequence over answers) and any integer "
        "$y$. The property test evaluates the claim at rows of random policies with up to 12 answers and at reference "
        "answers inside and outside the set."
    ),
    interpretation=("The answer set {0, …, K} of any size; π need not be normalised (the identity is linear).",),
    claim=Claim(lambda K, truth, row: Sum(lambda a: row(a) * If(truth == a, 1, 0), K)
                == If(And(truth >= 0, truth <= K), row(truth), 0),
                where=lambda K: K >= 0, sorts={"K": "Int", "truth": "Int", "row": ("Int", "Real")}),
    variables={"K": "the last answer", "truth": "the reference answer y", "row": "π(ŷ) for one trace"},
    explain=lambda cx: f"over answers 0…{cx.get('K')} the reward of one trace is not π(y) at y = {cx.get('truth')}",
    waivers={"simulation": "an algebraic identity over one trace; the simulation of "
                           "reasoning.outcome_reward_sees_only_answers samples the rewards of whole policies"},
    expect="proved",
)


@ANY_ANSWERS.check("z3")
def indicator_selects_the_reference_answer(q):
    (answers,) = q.ints("K")
    q.prove_claim(K=answers)
    q.induction(answers, start=0)


@ANY_ANSWERS.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), answers=st.integers(1, 12), traces=st.integers(1, 4), offset=st.integers(-2, 2))
def reward_of_each_trace_of_a_random_policy(seed, answers, traces, offset):
    rng = np.random.default_rng(seed)
    policy = rng.dirichlet(np.ones(traces * answers)).reshape(traces, answers)  # π(z, ŷ) for one question
    truth = int(rng.integers(answers)) + (offset if abs(offset) == 2 else 0)  # sometimes outside the answer set
    for z in range(traces):
        reward = toys.outcome_reward(policy[None, z : z + 1, :], np.array([truth]), np.ones(1))  # E[1(Ŷ = y)] over ŷ
        row = lambda a, z=z: float(policy[z, int(a)]) if 0 <= int(a) < answers else 0.0  # noqa: E731  no mass outside
        ANY_ANSWERS.claim.require(K=answers - 1, truth=truth, row=row, tolerance=1e-12)
        expected = policy[z, truth] if 0 <= truth < answers else 0.0
        assert math.isclose(reward, expected, rel_tol=1e-9, abs_tol=1e-15)


DISPOSABLE_RL = lemma(
    "reasoning.outcome_rl_disposable_traces",
    title="Trained on outcomes only, a policy's traces carry little of the answer; trained on the chain, half",
    kind="claim",
    paper_ref="§4",
    claim_ref="E-25",
    source="reconstructed",
    statement=(
        "A model of 'disposable mediators' (P1), not a measurement of real reasoning models: in a toy of 8 questions "
        "with answer x mod 2 and a tabular policy that emits a trace then an answer, trained by REINFORCE for 3000 "
        "steps, both policies reach accuracy above 0.99, and the trace's indirect effect (swap test) is below 0.2 "
        "under the outcome-only reward $\\mathbb{1}[\\hat Y = Y]$ and above 0.45 under a reward on the chain."
    ),
    formal=(
        "Toy: 8 questions with answer x mod 2, a tabular policy emitting a trace z then an answer ŷ, "
        "REINFORCE for 3000 steps. Outcome reward $\\mathbb{1}[\\hat y$ right$]$ against chain reward "
        "$\\mathbb{1}[z$ states the answer$]\\cdot\\mathbb{1}[\\hat y = z]$. Claim: at equal accuracy (both "
        "above 0.99), the outcome-trained policy's indirect effect (swap the trace of another question) is "
        "below 0.2 and the chain-trained one's above 0.45."
    ),
    interpretation=("The empirical reading of E-25, on a toy; real reasoning models are out of reach here.",),
    claim=Claim(lambda accuracy_outcome, accuracy_chain, nie_outcome, nie_chain: And(
        accuracy_outcome > 0.99, accuracy_chain > 0.99, nie_outcome < 0.2, nie_chain > 0.45)),
    variables={"seed": "the seed of both training runs", "accuracy_outcome": "accuracy of the outcome-trained policy",
               "accuracy_chain": "accuracy of the chain-trained policy",
               "nie_outcome": "indirect effect of the outcome-trained policy's trace",
               "nie_chain": "indirect effect of the chain-trained policy's trace"},
    explain=lambda cx: f"the training runs seeded {cx.get('seed')} do not separate the two rewards' indirect effects",
    waivers={"symbolic": "an empirical claim about training dynamics; the invariance behind it is "
                         "reasoning.outcome_reward_sees_only_answers"},
    expect="tested",
)


@DISPOSABLE_RL.check("hypothesis")
@settings(max_examples=6)
@given(seed=st.integers(0, 2**32 - 1))
def outcome_traces_are_disposable(seed):
    outcome = toys.train_policy(np.random.default_rng(seed), 8, "outcome", 3000)
    chain = toys.train_policy(np.random.default_rng(seed), 8, "chain", 3000)
    DISPOSABLE_RL.claim.require(accuracy_outcome=toys.policy_accuracy(outcome), accuracy_chain=toys.policy_accuracy(chain),
                                nie_outcome=toys.policy_nie(outcome), nie_chain=toys.policy_nie(chain))


@DISPOSABLE_RL.check("simulation")
def indirect_effect_by_reward(rng, scale):
    runs = 6 if scale == "default" else 60
    results = {reward: [toys.train_policy(rng, 8, reward, 3000) for _ in range(runs)] for reward in ("outcome", "chain")}
    nie = {reward: [toys.policy_nie(p) for p in policies] for reward, policies in results.items()}
    accuracy = {reward: [toys.policy_accuracy(p) for p in policies] for reward, policies in results.items()}
    violation = DISPOSABLE_RL.claim.first_failure(accuracy_outcome=accuracy["outcome"], accuracy_chain=accuracy["chain"],
                                                  nie_outcome=nie["outcome"], nie_chain=nie["chain"])
    figure = sim.new_figure()
    ax = figure.subplots()
    ax.boxplot([nie["outcome"], nie["chain"]])
    ax.set_xticks([1, 2], ["outcome-only reward", "reward on the chain"])
    ax.set_ylabel("indirect effect of the trace (swap test)")
    return sim.Observation(violation=violation, plot=figure,
                           figures={"nie_outcome_mean": float(np.mean(nie["outcome"])), "nie_chain_mean": float(np.mean(nie["chain"])),
                                    "accuracy_outcome_mean": float(np.mean(accuracy["outcome"]))},
                           slack=min(sim.slack(nie["outcome"], 0.2, side="upper"), sim.slack(nie["chain"], 0.45, side="lower")),
                           detail=f"{runs} REINFORCE runs per reward: same accuracy, traces used only under the chain reward")
