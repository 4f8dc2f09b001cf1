"""§4 of the paper, reasoning degradation: claims E-22 … E-27.

Chains of thought are modelled as mediators: a binary structural causal model X → Z → Y with a
direct edge X → Y has tables p_z[x] = P(Z=1|x) and p_y[x][z] = P(Y=1|x, z). Its natural
indirect effect (x: 0 → 1) is NIE = (p_y[1][1] − p_y[1][0])·(p_z[1] − p_z[0]).
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from proofs import cas, lemma, sim, smt
from simulations import reasoning as toys

probability = st.floats(0.0, 1.0)


def _tables(q, suffix):
    """Binary SCM tables as z3 reals in [0, 1]: p_z[x] and p_y[x][z]."""
    p_z = q.reals(f"pz0_{suffix} pz1_{suffix}")
    p_y = [q.reals(f"py{x}0_{suffix} py{x}1_{suffix}") for x in (0, 1)]
    q.domain(*[smt.And(v >= 0, v <= 1) for v in (*p_z, *p_y[0], *p_y[1])])
    return p_z, p_y


def _answer_law(p_z, p_y, x):
    return p_y[x][0] * (1 - p_z[x]) + p_y[x][1] * p_z[x]


def _rebuilt_from_joint(model):
    """The model a learner recovers from the joint law P(Z, Y | X) alone (positivity assumed)."""
    joint = model.joint_chain()
    z_law = joint.sum(axis=2)
    return toys.Mediation(model.p_x, z_law[:, 1], joint[:, :, 1] / z_law)


def _nie(p_z, p_y):
    return (p_y[1][1] - p_y[1][0]) * (p_z[1] - p_z[0])


# ---------------------------------------------------------------------------------------------
# E-22: the next-token likelihood objective.
# ---------------------------------------------------------------------------------------------

LIKELIHOOD = lemma(
    "reasoning.next_token_likelihood",
    title="The next-token loss is non-negative and adds over independent sequences",
    kind="definition",
    paper_ref="§4, Eq. 26 (number guessed)",
    claim_ref="E-22",
    source="attested",
    statement="ℒ(θ) = −Σ_t log p_θ(x_t | x_{<t}).",
    formal=(
        "sympy: −log Π_t p_t = Σ_t −log p_t for four positive factors, and −log p ≥ 0 for p ∈ (0, 1]; "
        "so ℒ ≥ 0, and the loss of two independent sequences is the sum of their losses."
    ),
    interpretation=("A sum over tokens (not a mean), natural logarithm.",),
    waivers={"simulation": "a definition; the property test evaluates it on random sequences"},
    expect="proved",
)


@LIKELIHOOD.check("sympy")
def log_of_a_product():
    factors = sp.symbols("p1:5", positive=True)
    p = sp.Symbol("p", positive=True)
    return [cas.Identity(-sp.log(sp.Mul(*factors)), sum(-sp.log(f) for f in factors),
                         {f: (1e-6, 1.0) for f in factors}, name="log_of_product_is_sum"),
            cas.Bound(-sp.log(p), {p: (1e-9, 1.0)}, name="each_term_non_negative")]


@LIKELIHOOD.check("hypothesis")
@given(first=st.lists(st.floats(1e-9, 1.0), min_size=1, max_size=50),
       second=st.lists(st.floats(1e-9, 1.0), min_size=1, max_size=50))
def loss_adds_and_is_non_negative(first, second):
    loss = lambda probabilities: -float(np.sum(np.log(probabilities)))  # noqa: E731
    assert loss(first) >= 0
    assert math.isclose(loss(first + second), loss(first) + loss(second), rel_tol=1e-9, abs_tol=1e-9)


# ---------------------------------------------------------------------------------------------
# E-23 (a): the likelihood marginalises over chains of thought.
# ---------------------------------------------------------------------------------------------

MARGINAL = lemma(
    "reasoning.marginalisation_identity",
    title="P(Y|X) = Σ_Z P(Y|X,Z)·P(Z|X)",
    kind="equation",
    paper_ref="§4, Equation 28",
    claim_ref="E-23",
    source="attested",
    statement="The likelihood objective marginalises over chain-of-thought traces: P(Y|X) = Σ_Z P(Y|X,Z)·P(Z|X) (G1, G2).",
    formal=(
        "sympy, on a 2×3×2 joint table of positive masses: P(y|x) computed from the joint equals "
        "Σ_z P(y|x,z)·P(z|x) computed from its conditionals."
    ),
    expect="proved",
)


@MARGINAL.check("sympy")
def total_probability():
    mass = {(x, z, y): sp.Symbol(f"m{x}{z}{y}", positive=True) for x in range(2) for z in range(3) for y in range(2)}
    p_x = {x: sum(mass[x, z, y] for z in range(3) for y in range(2)) for x in range(2)}
    p_xz = {(x, z): mass[x, z, 0] + mass[x, z, 1] for x in range(2) for z in range(3)}
    lhs = mass[1, 0, 1] + mass[1, 1, 1] + mass[1, 2, 1]
    rhs = sum((mass[1, z, 1] / p_xz[1, z]) * (p_xz[1, z] / p_x[1]) for z in range(3)) * p_x[1]
    return cas.Identity(lhs / p_x[1], rhs / p_x[1], {m: (0.01, 1.0) for m in mass.values()}, name="y_given_x")


@MARGINAL.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), traces=st.integers(1, 6), answers=st.integers(2, 5))
def total_probability_on_random_tables(seed, traces, answers):
    rng = np.random.default_rng(seed)
    joint = rng.dirichlet(np.ones(2 * traces * answers)).reshape(2, traces, answers)
    direct = joint.sum(axis=1) / joint.sum(axis=(1, 2))[:, None]
    z_given_x = joint.sum(axis=2) / joint.sum(axis=(1, 2))[:, None]
    y_given_xz = joint / joint.sum(axis=2, keepdims=True)
    np.testing.assert_allclose(direct, np.einsum("xz,xzy->xy", z_given_x, y_given_xz), atol=1e-12)


@MARGINAL.check("simulation")
def sampled_marginal(rng, scale):
    model = toys.random_mediation(rng, positivity=0.05)
    x, z, y = toys.sample(rng, model, 200_000 if scale == "default" else 20_000_000)
    sampled = np.array([y[x == v].mean() for v in (0, 1)])
    exact = model.answer_given_question()
    error = float(np.abs(sampled - exact).max())
    violation = None if error < 0.01 else {"sampled": sampled.tolist(), "exact": exact.tolist()}
    return sim.Observation(violation=violation, figures={"largest_error": error},
                           detail="P(Y|X) from samples of the causal model agrees with Σ_z P(Y|X,z)P(z|X)")


# ---------------------------------------------------------------------------------------------
# E-23 (b): maximising the likelihood leaves the causal role of the chain unconstrained.
# ---------------------------------------------------------------------------------------------

DISPOSABLE_STATEMENT = (
    "The likelihood objective marginalises over chain-of-thought traces, making intermediate reasoning "
    "steps causally disposable (G1); it does not constrain the quality of Z (G2)."
)

MARGINAL_FREE = lemma(
    "reasoning.marginal_likelihood_leaves_mediation_free",
    title="Two models with the same P(Y|X) can use the chain fully or not at all",
    kind="claim",
    paper_ref="§4, Equation 28",
    claim_ref="E-23",
    source="attested",
    statement=DISPOSABLE_STATEMENT,
    formal=(
        "∃ binary causal models M₁, M₂ with P₁(Y=1|x) = P₂(Y=1|x) for x = 0, 1 and NIE₁ − NIE₂ ≥ 1/2 "
        "(z3 witness, replayed exactly)."
    ),
    interpretation=(
        "Training signal: the marginal likelihood of the answer, the chain latent. 'Does not constrain' "
        "read as non-identifiability: equal objective, different causal use of Z.",
    ),
    expect="proved",
)


@MARGINAL_FREE.check("z3")
def same_answers_different_mediation(q):
    first, second = _tables(q, "a"), _tables(q, "b")
    same = [_answer_law(*first, x) == _answer_law(*second, x) for x in (0, 1)]
    q.exists(smt.And(*same, _nie(*first) - _nie(*second) >= 0.5))


@MARGINAL_FREE.check("hypothesis")
@given(p_x=st.floats(0.1, 0.9), flip=st.floats(0.0, 0.4))
def chain_user_and_chain_ignorer(p_x, flip):
    # Z copies X (with flips); M1 answers from Z through a channel that undoes nothing, M2 from X directly
    copy = toys.Mediation(p_x, np.array([flip, 1 - flip]), np.array([[0.0, 1.0], [0.0, 1.0]]))
    ignore = toys.Mediation(p_x, np.array([flip, 1 - flip]),
                            np.array([[copy.answer_given_question()[0]] * 2, [copy.answer_given_question()[1]] * 2]))
    np.testing.assert_allclose(copy.answer_given_question(), ignore.answer_given_question(), atol=1e-12)
    assert copy.effects()["NIE"] - ignore.effects()["NIE"] >= (1 - 2 * flip) - 1e-12


@MARGINAL_FREE.check("simulation")
def random_likelihood_twins(rng, scale):
    pairs = 2000 if scale == "default" else 200_000
    gaps = []
    for _ in range(pairs):
        model = toys.random_mediation(rng)
        target = model.answer_given_question()
        twin = toys.Mediation(model.p_x, model.p_z, np.stack([[t, t] for t in target]))  # ignores Z
        gaps.append(model.effects()["NIE"] - twin.effects()["NIE"])
    gaps = np.abs(gaps)
    violation = None if gaps.max() > 0 else {"largest_gap": float(gaps.max())}
    return sim.Observation(violation=violation, figures={"largest_NIE_gap": float(gaps.max()), "mean_NIE_gap": float(gaps.mean())},
                           detail=f"{pairs} random models beside a twin with the same P(Y|X) that ignores Z (NIE 0)")


JOINT_FREE = lemma(
    "reasoning.joint_likelihood_leaves_mediation_free",
    title="Even supervising the whole chain leaves its causal role free",
    kind="claim",
    paper_ref="§4, Equation 28",
    claim_ref="E-23",
    source="attested",
    statement=DISPOSABLE_STATEMENT,
    formal=(
        "∃ binary causal models with equal joint P(Z, Y | X) and P(z | x = 1) ∈ [1/100, 99/100] (every "
        "step possible under the treated question), whose NIE differ by at least 1/100. z3: no such pair exists."
    ),
    interpretation=(
        "Training signal: the joint likelihood of (chain, answer), i.e. supervised chain of thought, "
        "with positivity; the marginal reading is reasoning.marginal_likelihood_leaves_mediation_free.",
    ),
    expect="refuted",
)


def _joint_equal(first, second):
    """Equal joint laws of the chain, stated minimally: equal step laws P(Z=1|x) for both questions,
    and equal mass on every (z, y = 1) cell under the treated question x = 1 (the y = 0 cells then
    agree too). NIE(0 → 1) never reads P(Y|x = 0, z), so the teeth analysis drops it."""
    (pz_a, py_a), (pz_b, py_b) = first, second
    equalities = [pz_a[x] == pz_b[x] for x in (0, 1)]
    for z in (0, 1):
        zl_a = pz_a[1] if z else 1 - pz_a[1]
        zl_b = pz_b[1] if z else 1 - pz_b[1]
        equalities.append(zl_a * py_a[1][z] == zl_b * py_b[1][z])
    return equalities


@JOINT_FREE.check("z3")
def no_supervised_twins(q):
    first, second = _tables(q, "a"), _tables(q, "b")
    q.given(smt.And(first[0][1] >= 0.01, first[0][1] <= 0.99))  # positivity under x = 1; the twin's follows
    q.exists(smt.And(*_joint_equal(first, second), _nie(*first) - _nie(*second) >= 0.01))


@JOINT_FREE.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1))
def supervised_twins_are_identical(seed):
    rng = np.random.default_rng(seed)
    model = toys.random_mediation(rng, positivity=0.01)
    twin = _rebuilt_from_joint(model)  # rebuilt from the joint alone
    assert abs(model.effects()["NIE"] - twin.effects()["NIE"]) >= 0.01, "the joint determines the NIE"


@JOINT_FREE.check("simulation")
def supervised_twins(rng, scale):
    worst = 0.0
    for _ in range(2000 if scale == "default" else 200_000):
        model = toys.random_mediation(rng, positivity=0.01)
        twin = _rebuilt_from_joint(model)
        worst = max(worst, abs(model.effects()["NIE"] - twin.effects()["NIE"]))
    violation = None if worst >= 0.01 else {"largest_NIE_gap_between_joint_twins": worst}
    return sim.Observation(violation=violation, figures={"largest_gap": worst},
                           detail="models rebuilt from their joint P(Z,Y|X) have the same NIE to rounding")


JOINT_IDENTIFIES = lemma(
    "reasoning.joint_likelihood_identifies_mediation",
    title="With positivity, the joint likelihood of (chain, answer) pins the indirect effect",
    kind="correction",
    corrects="reasoning.joint_likelihood_leaves_mediation_free",
    paper_ref="§4, Equation 28",
    claim_ref="E-23",
    source="reconstructed",
    statement=(
        "Disposability comes from training on the answer alone: two models with the same joint "
        "likelihood of (chain, answer) have the same natural indirect effect whenever every "
        "question–step pair has positive probability. (Without positivity, e.g. a step fixed by the "
        "question, the joint leaves it free as well.)"
    ),
    formal=(
        "∀ binary models with P(z | x = 1) ∈ [1/100, 99/100]: equal P(Z | X) and equal P(Z, Y | X = 1) ⟹ "
        "NIE₁ = NIE₂ (z3). Dropping any one premise lets the NIE differ (teeth analysis); the outcome "
        "table under x = 0 is not needed at all."
    ),
    expect="proved",
)


@JOINT_IDENTIFIES.check("z3")
def joint_pins_nie(q):
    first, second = _tables(q, "a"), _tables(q, "b")
    q.given(smt.And(first[0][1] >= 0.01, first[0][1] <= 0.99), *_joint_equal(first, second))
    q.prove(_nie(*first) == _nie(*second))


@JOINT_IDENTIFIES.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1))
def rebuilt_from_joint(seed):
    rng = np.random.default_rng(seed)
    model = toys.random_mediation(rng, positivity=0.01)
    twin = _rebuilt_from_joint(model)
    assert math.isclose(model.effects()["NIE"], twin.effects()["NIE"], abs_tol=1e-12)


@JOINT_IDENTIFIES.check("simulation")
def estimated_from_supervised_samples(rng, scale):
    units = 100_000 if scale == "default" else 10_000_000
    errors = []
    for _ in range(20):
        model = toys.random_mediation(rng, positivity=0.1)
        errors.append(abs(toys.estimated_nie(*toys.sample(rng, model, units)) - model.effects()["NIE"]))
    violation = None if max(errors) < 0.02 else {"largest_error": max(errors)}
    return sim.Observation(violation=violation, figures={"largest_error": max(errors)},
                           detail=f"the NIE estimated from {units} observed (x, z, y) matches the true NIE")


# ---------------------------------------------------------------------------------------------
# E-24: natural effects and their estimator.
# ---------------------------------------------------------------------------------------------

MEDIATION = lemma(
    "reasoning.mediation_decomposition",
    title="TE = NIE + NDE, and the plug-in estimator recovers known effects",
    kind="definition",
    paper_ref="§4, Eq. 29 (number guessed)",
    claim_ref="E-24",
    source="reconstructed",
    statement=(
        "Empirical mediation analysis finds the indirect effect of CoT traces on final answers is "
        "approximately zero on many tasks (G1); NIE = E[Y(x, Z(x))] − E[Y(x, Z(x*))]."
    ),
    formal=(
        "sympy: for the binary model, NIE + NDE = TE identically. The empirical 'NIE ≈ 0 on many "
        "tasks' needs real models and is not encoded; the estimator that would measure it is checked "
        "against models whose effects are known."
    ),
    interpretation=("Natural (not controlled) effects; x* = 0, x = 1; the estimator is the plug-in mediation formula.",),
    expect="proved",
)


@MEDIATION.check("sympy")
def effects_add_up():
    pz0, pz1 = sp.symbols("pz0 pz1", positive=True)
    py = [[sp.Symbol(f"py{x}{z}", positive=True) for z in (0, 1)] for x in (0, 1)]
    z1, z0 = [1 - pz1, pz1], [1 - pz0, pz0]
    nie = sum(py[1][z] * (z1[z] - z0[z]) for z in (0, 1))
    nde = sum((py[1][z] - py[0][z]) * z0[z] for z in (0, 1))
    te = sum(py[1][z] * z1[z] for z in (0, 1)) - sum(py[0][z] * z0[z] for z in (0, 1))
    return cas.Identity(nie + nde, te, {s: (0.0, 1.0) for s in (pz0, pz1, *py[0], *py[1])}, name="te_is_nie_plus_nde")


@MEDIATION.check("hypothesis")
@settings(max_examples=40)
@given(seed=st.integers(0, 2**32 - 1))
def estimator_is_consistent(seed):
    rng = np.random.default_rng(seed)
    model = toys.random_mediation(rng, positivity=0.1)
    estimate = toys.estimated_nie(*toys.sample(rng, model, 200_000))
    assert abs(estimate - model.effects()["NIE"]) < 0.02


@MEDIATION.check("simulation")
def estimator_bias_and_spread(rng, scale):
    sizes = np.array([300, 1000, 3000, 10_000, 30_000])
    repeats = 60 if scale == "default" else 600
    model = toys.Mediation(0.5, np.array([0.2, 0.8]), np.array([[0.1, 0.6], [0.3, 0.9]]))
    truth = model.effects()["NIE"]
    errors = np.array([[toys.estimated_nie(*toys.sample(rng, model, int(n))) - truth for _ in range(repeats)] for n in sizes])
    bias, spread = np.abs(errors.mean(axis=1)), errors.std(axis=1)
    violation = None if spread[-1] < spread[0] and bias[-1] < 0.01 else {"bias": bias.tolist(), "spread": spread.tolist()}
    figure = sim.new_figure()
    ax = figure.subplots()
    ax.loglog(sizes, spread, "o-", label="spread of the estimate")
    ax.loglog(sizes, np.maximum(bias, 1e-5), "s-", label="|bias|")
    ax.set_xlabel("observed units")
    ax.set_title(f"estimating NIE = {truth:.2f}")
    ax.legend()
    return sim.Observation(violation=violation, plot=figure, figures={"spread_at_30k": float(spread[-1]), "bias_at_30k": float(bias[-1])},
                           detail="the plug-in NIE estimator's spread falls like 1/√n, its bias stays near 0")


# ---------------------------------------------------------------------------------------------
# E-25: an outcome-only reward sees only the answer marginal.
# ---------------------------------------------------------------------------------------------

OUTCOME = lemma(
    "reasoning.outcome_reward_sees_only_answers",
    title="An outcome-only reward depends on a policy only through its answer marginal",
    kind="equation",
    paper_ref="§4",
    claim_ref="E-25",
    source="reconstructed",
    statement=(
        "Training to optimise R(Y, Ŷ) = I[Ŷ = Y] imposes no requirement that intermediate steps be "
        "causally valid (G1): J(π) = E_x E_{(Z,Ŷ)∼π(·|x)}[1(Ŷ = Y(x))]."
    ),
    formal=(
        "sympy, for two questions, two traces and two answers: Σ_z π(z|x)π(ŷ|x,z)·1[ŷ = y(x)] equals "
        "π(ŷ = y(x) | x), the answer marginal; so policies with the same answer marginal have the "
        "same J, whatever traces lead there."
    ),
    interpretation=("'No requirement' read as invariance of J (the formal reading of claims.md E-25).",),
    expect="proved",
)


@OUTCOME.check("sympy")
def reward_through_marginal():
    trace = [sp.Symbol(f"t{x}", positive=True) for x in (0, 1)]  # π(z=1|x)
    answer = [[sp.Symbol(f"a{x}{z}", positive=True) for z in (0, 1)] for x in (0, 1)]  # π(ŷ=1|x,z)
    truth = (1, 0)
    reward = 0
    marginal = 0
    for x in (0, 1):
        z_law = [1 - trace[x], trace[x]]
        for z in (0, 1):
            for y in (0, 1):
                y_law = answer[x][z] if y == 1 else 1 - answer[x][z]
                reward += sp.Rational(1, 2) * z_law[z] * y_law * (1 if y == truth[x] else 0)
        right = sum(z_law[z] * (answer[x][z] if truth[x] == 1 else 1 - answer[x][z]) for z in (0, 1))
        marginal += sp.Rational(1, 2) * right
    return cas.Identity(reward, marginal, {s: (0.0, 1.0) for s in (*trace, *answer[0], *answer[1])}, name="j_is_marginal")


@OUTCOME.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), questions=st.integers(1, 6), traces=st.integers(2, 5))
def relabelled_traces_keep_the_reward(seed, questions, traces):
    rng = np.random.default_rng(seed)
    joint = rng.dirichlet(np.ones(traces * 2), questions).reshape(questions, traces, 2)  # π(z, ŷ | x)
    truth = rng.integers(2, size=questions)
    reward = lambda law: float(np.mean([law[x, :, truth[x]].sum() for x in range(questions)]))  # noqa: E731
    shuffled = joint[:, rng.permutation(traces), :]  # a different chain, the same answer marginal
    assert math.isclose(reward(joint), reward(shuffled), rel_tol=1e-12, abs_tol=1e-12)


@OUTCOME.check("simulation")
def reward_of_random_relabelings(rng, scale):
    worst = 0.0
    for _ in range(2000 if scale == "default" else 200_000):
        joint = rng.dirichlet(np.ones(8), 4).reshape(4, 4, 2)
        truth = rng.integers(2, size=4)
        shuffled = joint[:, rng.permutation(4), :]
        value = lambda law: np.mean([law[x, :, truth[x]].sum() for x in range(4)])  # noqa: E731
        worst = max(worst, abs(float(value(joint) - value(shuffled))))
    violation = None if worst < 1e-12 else {"largest_change": worst}
    return sim.Observation(violation=violation, figures={"largest_change": worst},
                           detail="random policies: relabelling traces never changed the outcome reward")


DISPOSABLE_RL = lemma(
    "reasoning.outcome_rl_disposable_traces",
    title="Trained on outcomes only, a policy's traces carry little of the answer; trained on the chain, half",
    kind="claim",
    paper_ref="§4",
    claim_ref="E-25",
    source="reconstructed",
    statement=(
        "Training to optimise R(Y, Ŷ) = I[Ŷ = Y] imposes no requirement that intermediate steps be "
        "causally valid (G1); 'disposable mediators' with near-zero causal effect on final answers (P1)."
    ),
    formal=(
        "Toy: 8 questions with answer x mod 2, a tabular policy emitting a trace z then an answer ŷ, "
        "REINFORCE for 3000 steps. Outcome reward 1[ŷ right] against chain reward 1[z states the "
        "answer]·1[ŷ = z]. Claim: at equal accuracy, the outcome-trained policy's indirect effect "
        "(swap the trace of another question) is below 0.2 and the chain-trained one's above 0.4."
    ),
    interpretation=("The empirical reading of E-25, on a toy; real reasoning models are out of reach here.",),
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
    assert toys.policy_accuracy(outcome) > 0.95 and toys.policy_accuracy(chain) > 0.95
    assert toys.policy_nie(outcome) < 0.2 < 0.4 < toys.policy_nie(chain)


@DISPOSABLE_RL.check("simulation")
def indirect_effect_by_reward(rng, scale):
    runs = 6 if scale == "default" else 60
    results = {reward: [toys.train_policy(rng, 8, reward, 3000) for _ in range(runs)] for reward in ("outcome", "chain")}
    nie = {reward: [toys.policy_nie(p) for p in policies] for reward, policies in results.items()}
    accuracy = {reward: [toys.policy_accuracy(p) for p in policies] for reward, policies in results.items()}
    violation = None
    if max(nie["outcome"]) >= 0.2 or min(nie["chain"]) <= 0.4:
        violation = {"nie_outcome": nie["outcome"], "nie_chain": nie["chain"]}
    figure = sim.new_figure()
    ax = figure.subplots()
    ax.boxplot([nie["outcome"], nie["chain"]])
    ax.set_xticks([1, 2], ["outcome-only reward", "reward on the chain"])
    ax.set_ylabel("indirect effect of the trace (swap test)")
    return sim.Observation(violation=violation, plot=figure,
                           figures={"nie_outcome_mean": float(np.mean(nie["outcome"])), "nie_chain_mean": float(np.mean(nie["chain"])),
                                    "accuracy_outcome_mean": float(np.mean(accuracy["outcome"]))},
                           detail=f"{runs} REINFORCE runs per reward: same accuracy, traces used only under the chain reward")


# ---------------------------------------------------------------------------------------------
# E-26: reasoning efficiency η(M) = E_t[Q/C], and over-thinking.
# ---------------------------------------------------------------------------------------------

AGGREGATION = lemma(
    "reasoning.efficiency_aggregation",
    title="Mean of ratios and ratio of means can rank two models in opposite orders",
    kind="definition",
    paper_ref="§4",
    claim_ref="E-26",
    source="attested",
    statement="η(M) = E_{t∼T}[Q(M,t)/C(M,t)] (G2).",
    formal=(
        "∃ two models, each with (quality, cost) on two tasks, such that the mean of Q/C ranks the "
        "first higher and the ratio of mean Q to mean C ranks the second higher (z3 witness). The "
        "choice of aggregation is therefore part of the definition."
    ),
    interpretation=("Both aggregations the claim leaves open; costs strictly positive.",),
    expect="proved",
)


@AGGREGATION.check("z3")
def opposite_rankings(q):
    qa1, qa2, ca1, ca2, qb1, qb2, cb1, cb2 = q.reals("qa1 qa2 ca1 ca2 qb1 qb2 cb1 cb2")
    q.domain(*[v > 0 for v in (ca1, ca2, cb1, cb2)], *[smt.And(v >= 0, v <= 1) for v in (qa1, qa2, qb1, qb2)])
    mean_of_ratios = lambda q1, c1, q2, c2: (q1 / c1 + q2 / c2) / 2  # noqa: E731
    ratio_of_means = lambda q1, c1, q2, c2: (q1 + q2) / (c1 + c2)  # noqa: E731
    q.exists(smt.And(mean_of_ratios(qa1, ca1, qa2, ca2) > mean_of_ratios(qb1, cb1, qb2, cb2),
                     ratio_of_means(qa1, ca1, qa2, ca2) < ratio_of_means(qb1, cb1, qb2, cb2)))


@AGGREGATION.check("hypothesis")
@given(qualities=st.lists(probability, min_size=4, max_size=4), cost=st.floats(0.1, 100.0))
def equal_costs_make_them_agree(qualities, cost):
    a, b = qualities[:2], qualities[2:]
    mean_of_ratios = [np.mean(np.array(m) / cost) for m in (a, b)]
    ratio_of_means = [np.mean(m) / cost for m in (a, b)]
    assert np.allclose(mean_of_ratios, ratio_of_means)


@AGGREGATION.check("simulation")
def disagreement_rate(rng, scale):
    pairs = 20_000 if scale == "default" else 2_000_000
    quality = rng.random((pairs, 2, 8))
    cost = rng.lognormal(0, 1, (pairs, 2, 8))
    mean_of_ratios = (quality / cost).mean(axis=2)
    ratio_of_means = quality.mean(axis=2) / cost.mean(axis=2)
    disagree = np.sign(mean_of_ratios[:, 0] - mean_of_ratios[:, 1]) != np.sign(ratio_of_means[:, 0] - ratio_of_means[:, 1])
    rate = float(disagree.mean())
    violation = None if rate > 0 else {"disagreement_rate": rate}
    return sim.Observation(violation=violation, figures={"disagreement_rate": rate},
                           detail=f"{pairs} random model pairs over 8 tasks with log-normal costs")


OVERTHINKING = lemma(
    "reasoning.overthinking_lowers_efficiency",
    title="When quality saturates in cost, spending more lowers η",
    kind="claim",
    paper_ref="§4",
    claim_ref="E-26",
    source="reconstructed",
    statement="Recent reasoning models (o1, DeepSeek-R1) often over-think: C grows without a proportional gain in Q (G2).",
    formal=(
        "For Q(C) = Q_max(1 − e^{−C/c₀}), η = Q/C is strictly decreasing in C: d(Q/C)/dC < 0 ⟺ "
        "Q − C·Q' > 0, i.e. 1 − e^{−x} − x·e^{−x} > 0 for x = C/c₀ > 0 (sympy)."
    ),
    interpretation=(
        "'Without proportional gain' read as an elasticity of Q in C below 1 along a saturating curve; "
        "whether real reasoning models sit on such a curve is empirical and not tested here.",
    ),
    expect="proved",
)


@OVERTHINKING.check("sympy")
def efficiency_falls():
    x = sp.Symbol("x", positive=True)
    return cas.Bound(1 - sp.exp(-x) - x * sp.exp(-x), {x: (1e-6, 60.0)}, strict=True, name="elasticity_below_one")


@OVERTHINKING.check("hypothesis")
@given(q_max=st.floats(0.1, 1.0), scale=st.floats(0.1, 1000.0), low=st.floats(0.01, 100.0), ratio=st.floats(1.01, 100.0))
def more_cost_less_efficiency(q_max, scale, low, ratio):
    efficiency = lambda cost: q_max * (1 - math.exp(-cost / scale)) / cost  # noqa: E731
    assert efficiency(low * ratio) < efficiency(low)


@OVERTHINKING.check("simulation")
def efficiency_against_budget(rng, scale):
    budgets = np.logspace(1, 5, 20)
    figure = sim.new_figure()
    ax = figure.subplots()
    violation = None
    for model in range(5):
        q_max, c0 = rng.uniform(0.5, 0.95), rng.uniform(200, 3000)
        quality = q_max * (1 - np.exp(-budgets / c0))  # expected quality; sampling noise would break strictness
        efficiency = quality / budgets
        if np.any(np.diff(efficiency) > 0) and violation is None:
            violation = {"model": model, "efficiency": efficiency.tolist()}
        ax.loglog(budgets, efficiency, label=f"model {model}")
    ax.set_xlabel("reasoning tokens C")
    ax.set_ylabel("η = Q / C")
    ax.legend(fontsize=7)
    return sim.Observation(violation=violation, plot=figure,
                           detail="five synthetic reasoning models with saturating quality: η falls with every budget increase")


# ---------------------------------------------------------------------------------------------
# E-27: likelihood favours pattern completion over inference.
# ---------------------------------------------------------------------------------------------

PATTERN_STATEMENT = ("Likelihood-based training favors pattern completion over inference (abstract); it rewards "
                     "local coherence, not logical entailment (G1, G6).")

PATTERN = lemma(
    "reasoning.likelihood_prefers_surface_cues",
    title="A likelihood learner that sees both a surface cue and the entailment prefers the cue",
    kind="claim",
    paper_ref="§4",
    claim_ref="E-27",
    source="reconstructed",
    statement=PATTERN_STATEMENT,
    formal=(
        "Synthetic syllogisms whose label is entailment; a surface cue agrees with it 90 % of the time "
        "in training. A count-based (maximum-likelihood) learner over the visible bits. Claim: with the "
        "cue and the entailment bit both visible, accuracy on a split where the cue agrees only 10 % of "
        "the time is below 0.5."
    ),
    interpretation=(
        "Candidate reading [R] of claims.md E-27; 'inference' = using the entailment bit, 'pattern "
        "completion' = using the co-occurrence cue.",
    ),
    waivers={"symbolic": "a claim about what training selects; the maximum-likelihood table is computed "
                         "exactly by the property test and the simulation"},
    expect="refuted",
)


@PATTERN.check("hypothesis")
@settings(max_examples=20)
@given(seed=st.integers(0, 2**32 - 1), agreement=st.floats(0.6, 0.95))
def surface_beats_entailment(seed, agreement):
    rng = np.random.default_rng(seed)
    features, labels = toys.syllogism_corpus(rng, 5000, agreement)
    table = toys.likelihood_learner(features, labels, uses_structure=True)
    shifted, shifted_labels = toys.syllogism_corpus(rng, 5000, 1 - agreement)
    assert toys.learner_accuracy(table, shifted, shifted_labels, uses_structure=True) < 0.5


@PATTERN.check("simulation")
def accuracy_on_decorrelated_splits(rng, scale):
    count = 5000 if scale == "default" else 500_000
    features, labels = toys.syllogism_corpus(rng, count, 0.9)
    agreements = np.linspace(0.9, 0.1, 9)
    curves = {}
    for name, structure in (("sees the entailment", True), ("surface cue only", False)):
        table = toys.likelihood_learner(features, labels, structure)
        curves[name] = [toys.learner_accuracy(table, *toys.syllogism_corpus(rng, count, a), structure) for a in agreements]
    violation = None
    if curves["sees the entailment"][-1] >= 0.5:
        violation = {"split_agreement": 0.1, "accuracy_with_entailment_visible": curves["sees the entailment"][-1]}
    figure = _pattern_plot(agreements, curves)
    return sim.Observation(violation=violation, plot=figure,
                           figures={f"accuracy_at_0.1[{k}]": v[-1] for k, v in curves.items()},
                           detail="when the entailment is visible, likelihood training uses it, not the cue")


def _pattern_plot(agreements, curves):
    figure = sim.new_figure()
    ax = figure.subplots()
    for name, curve in curves.items():
        ax.plot(agreements, curve, "o-", label=name)
    ax.invert_xaxis()
    ax.set_xlabel("agreement of the surface cue with entailment in the test split")
    ax.set_ylabel("accuracy")
    ax.legend()
    return figure


CAPACITY = lemma(
    "reasoning.pattern_completion_without_structure",
    title="Pattern completion wins only when the model cannot represent the entailment",
    kind="correction",
    corrects="reasoning.likelihood_prefers_surface_cues",
    paper_ref="§4",
    claim_ref="E-27",
    source="reconstructed",
    statement=(
        "Maximum likelihood uses whatever visible feature predicts the next token best: when entailment "
        "is visible it wins; when the model cannot compute it (only surface statistics are representable), "
        "accuracy tracks the surface cue and collapses on splits that decorrelate the two."
    ),
    formal=(
        "Same corpus. Learner with the cue only: accuracy on a split with cue agreement a is within 0.03 "
        "of a for a ∈ [0.1, 0.9]; learner with the entailment bit: accuracy ≥ 0.99 on every split."
    ),
    waivers={"symbolic": "as for reasoning.likelihood_prefers_surface_cues"},
    expect="tested",
)


@CAPACITY.check("hypothesis")
@settings(max_examples=20)
@given(seed=st.integers(0, 2**32 - 1), agreement=st.floats(0.1, 0.9))
def accuracy_tracks_the_cue(seed, agreement):
    rng = np.random.default_rng(seed)
    features, labels = toys.syllogism_corpus(rng, 20_000, 0.9)
    shifted, shifted_labels = toys.syllogism_corpus(rng, 20_000, agreement)
    cue_only = toys.likelihood_learner(features, labels, uses_structure=False)
    structured = toys.likelihood_learner(features, labels, uses_structure=True)
    assert abs(toys.learner_accuracy(cue_only, shifted, shifted_labels, False) - agreement) < 0.03
    assert toys.learner_accuracy(structured, shifted, shifted_labels, True) >= 0.99


@CAPACITY.check("simulation")
def both_learners(rng, scale):
    count = 20_000 if scale == "default" else 2_000_000
    features, labels = toys.syllogism_corpus(rng, count, 0.9)
    agreements = np.linspace(0.9, 0.1, 9)
    curves = {name: [toys.learner_accuracy(toys.likelihood_learner(features, labels, s), *toys.syllogism_corpus(rng, count, a), s)
                     for a in agreements] for name, s in (("sees the entailment", True), ("surface cue only", False))}
    gap = float(np.max(np.abs(np.array(curves["surface cue only"]) - agreements)))
    violation = None if gap < 0.03 and min(curves["sees the entailment"]) >= 0.99 else {"gap": gap, "curves": curves}
    return sim.Observation(violation=violation, plot=_pattern_plot(agreements, curves), figures={"cue_only_gap": gap},
                           detail="the cue-only learner's accuracy equals the cue's agreement; the structured one stays at 1")
