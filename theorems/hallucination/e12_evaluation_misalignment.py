"""E-12, Evaluation misalignment: binary grading, RLHF optimum, overconfidence (§2.3, Eqs. 15–20 (per G3)): its readings, variants and corrections.

Each lemma reads top-down: the declaration, then its symbolic checks, property test and simulation.
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from proofs import cas, lemma, sim, smt

# ---------------------------------------------------------------------------------------------
# E-12: binary grading, the RLHF optimum, overconfidence.
# ---------------------------------------------------------------------------------------------

GRADING_STATEMENT = (r"Binary grading ⇒ the expected score of abstention is 0 ⇒ the rational policy is always to guess; "
                     r"RLHF: $\pi^*(r|c) \propto \exp(\beta R(r|c))$; overconfidence P(correct | 90 % confidence) ≪ 0.9 (G1, G3).")

GRADING = lemma(
    "hallucination.binary_grading_rewards_guessing",
    title="Under 1/0/0 grading, answering beats abstaining for every p > 0; a penalty t/(1−t) moves the threshold to p > t",
    kind="equation",
    paper_ref="§2.3, Eqs. 15–20",
    claim_ref="E-12",
    source="attested",
    statement=GRADING_STATEMENT,
    formal=(
        r"z3: $p > 0 \Rightarrow p \cdot 1 + (1-p) \cdot 0 > 0$. With a penalty $t/(1-t)$ for a wrong answer "
        r"($t < 1$), answering beats abstaining iff $p > t$ (z3; stated for every $p > 0$, $t < 1$, which contains the "
        r"probabilities)."
    ),
    interpretation=("p the true probability of being right; Kalai et al.'s penalised grading as the contrasting case.",),
    variables={"p": "the probability that the answer is right", "t": "the confidence target of the penalised grading"},
    explain=lambda cx: f"at p = {cx.get('p')}, t = {cx.get('t')} the expected scores do not order as claimed",
    waivers={"simulation": "two linear inequalities; the property test sweeps p and t"},
    expect="proved",
)


@GRADING.check("z3")
def guessing_pays(q):
    p, t = q.reals("p t")
    q.domain(p > 0, t < 1)  # the algebra needs only these; probabilities p ∈ (0, 1], t ∈ (0, 1) are a special case
    penalised = p - (1 - p) * t / (1 - t)
    q.prove(smt.And(p * 1 + (1 - p) * 0 > 0, (penalised > 0) == (p > t)))


@GRADING.check("hypothesis")
@given(p=st.floats(0.001, 1.0), t=st.floats(0.01, 0.99))
def guessing_on_a_grid(p, t):
    assert p * 1 + (1 - p) * 0 > 0
    penalised = p - (1 - p) * t / (1 - t)
    if abs(p - t) > 1e-9:
        assert (penalised > 0) == (p > t)


def _rlhf_optimum(rewards, beta, reference):
    """argmax over the simplex of E[R] − (1/β)·KL(π‖ref), by mirror ascent on the objective's own gradient."""
    policy = np.ones_like(rewards) / rewards.size
    for _ in range(200):  # mirror ascent with step 1/(2β) in the gradient's units: a contraction
        gradient = rewards - (np.log(policy / reference) + 1) / beta
        step = 0.5 * beta * gradient
        policy = policy * np.exp(step - step.max())
        policy /= policy.sum()
    return policy


def _variational_goals(reference):
    """Gibbs' variational identity, term by term and summed over three responses, for a reference policy
    `reference(i)` (a sympy expression per response i): with π* = ref·e^(βR)/Z,
    π_i R_i − (1/β) π_i ln(π_i/ref_i) = (1/β) π_i ln Z − (1/β) π_i ln(π_i/π*_i)."""
    beta, share, weight, normaliser = sp.symbols("beta pi rho Z", positive=True)
    reward = sp.Symbol("R", real=True)
    best = weight * sp.exp(beta * reward) / normaliser
    termwise = cas.Identity(share * reward - share * sp.log(share / weight) / beta,
                            share * sp.log(normaliser) / beta - share * sp.log(share / best) / beta,
                            {beta: (0.1, 5.0), share: (0.01, 1.0), weight: (0.01, 1.0), normaliser: (0.1, 10.0),
                             reward: (-3.0, 3.0)}, name="termwise")
    p1, p2 = sp.symbols("pi1 pi2", positive=True)
    rewards = sp.symbols("R1:4", real=True)
    shares = [p1, p2, 1 - p1 - p2]  # a point of the simplex
    weights = [reference(i) for i in range(3)]
    z = sum(w * sp.exp(beta * r) for w, r in zip(weights, rewards))
    optimum = [w * sp.exp(beta * r) / z for w, r in zip(weights, rewards)]
    objective = sum(s * r - s * sp.log(s / w) / beta for s, r, w in zip(shares, rewards, weights))
    gap = sum(s * sp.log(s / o) for s, o in zip(shares, optimum)) / beta  # KL(π‖π*)/β
    summed = cas.Identity(sp.expand_log(objective, force=True), sp.expand_log(sp.log(z) / beta - gap, force=True),
                          {beta: (0.1, 5.0), p1: (0.05, 0.45), p2: (0.05, 0.45), **{r: (-3.0, 3.0) for r in rewards}},
                          name="summed_over_three_responses")
    return [termwise, summed]


RLHF_UNIFORM = lemma(
    "hallucination.rlhf_optimum_uniform_reference",
    title="max E_π[R] − (1/β)·KL(π‖uniform) is attained at π ∝ exp(β·R), and only there",
    kind="equation",
    paper_ref="§2.3, Eqs. 15–20",
    claim_ref="E-12",
    source="attested",
    statement=GRADING_STATEMENT,
    formal=(
        r"Gibbs' variational identity (sympy, term by term for any number of responses, and summed over three): with "
        r"$\pi^* = e^{\beta R}/Z$, $\mathbb{E}_\pi[R] - \tfrac1\beta \mathrm{KL}(\pi \| \mathrm{unif}) = "
        r"\tfrac1\beta \ln(Z/N) - \tfrac1\beta \mathrm{KL}(\pi \| \pi^*)$, maximal exactly at $\pi = \pi^*$ "
        r"(hallucination.gibbs_inequality, cited)."
    ),
    interpretation=("Objective with an entropy (uniform-reference KL) regulariser; β an inverse temperature.",),
    uses=("hallucination.gibbs_inequality",),
    variables={"seed": "the seed of the rewards", "responses": "the number of responses", "beta": "β"},
    explain=lambda cx: f"the numeric optimum departs from exp(βR) normalised: {cx}",
    survivors={
        '< 1e-09': 'the mirror ascent reaches machine precision (~1e-16); a gap of exactly 1e-9 never occurs: a boundary shift on a continuous quantity that never lands exactly on the threshold: equivalent in practice',
    },
    expect="proved",
)


@RLHF_UNIFORM.check("sympy")
def variational_identity_uniform():
    return _variational_goals(lambda i: sp.Rational(1, 3))


@RLHF_UNIFORM.check("hypothesis")
@settings(max_examples=40)
@given(seed=st.integers(0, 2**32 - 1), responses=st.integers(2, 6), beta=st.floats(0.2, 3.0))
def numeric_optimum_uniform(seed, responses, beta):
    rewards = np.random.default_rng(seed).normal(size=responses)
    closed = np.exp(beta * rewards) / np.exp(beta * rewards).sum()
    assert np.abs(_rlhf_optimum(rewards, beta, np.ones(responses) / responses) - closed).max() < 1e-9


@RLHF_UNIFORM.check("simulation")
def optimum_against_beta(rng, scale):
    rewards = rng.normal(size=5)
    gaps = [float(np.abs(_rlhf_optimum(rewards, b, np.ones(5) / 5) - np.exp(b * rewards) / np.exp(b * rewards).sum()).max())
            for b in (0.3, 1.0, 3.0)]
    violation = None if max(gaps) < 1e-9 else {"gaps": gaps}
    return sim.Observation(violation=violation, figures={"largest_gap": max(gaps)},
                           detail="numeric optima match exp(βR) normalised, for three temperatures")


RLHF_REFERENCE = lemma(
    "hallucination.rlhf_optimum_with_reference",
    title="With a non-uniform reference policy, the optimum is π_ref·exp(βR), not exp(βR)",
    kind="equation",
    paper_ref="§2.3, Eqs. 15–20",
    claim_ref="E-12",
    source="attested",
    statement=GRADING_STATEMENT,
    formal=r"Objective $\mathbb{E}_\pi[R] - \tfrac1\beta \mathrm{KL}(\pi \| \pi_{ref})$, $\pi_{ref}$ not uniform: claim the optimum is $\propto \exp(\beta R)$.",
    interpretation=("The usual RLHF objective with a reference policy; the transcribed form omits π_ref. The correction "
                    "is hallucination.rlhf_optimum_reference_tilted.",),
    variables={"seed": "the seed of the rewards and the reference policy", "beta": "β",
               "optimum": "the numeric optimum", "transcribed": "exp(βR) normalised"},
    explain=lambda cx: (f"with β = {cx.get('beta', 1.0)} and a non-uniform reference policy the optimum follows "
                        f"π_ref·exp(βR), so it differs from exp(βR) normalised"),
    waivers={"symbolic": "the correct optimum is proved in hallucination.rlhf_optimum_reference_tilted; the property "
                         "test and the simulation find the mismatch with the transcribed form"},
    expect="refuted",
)


@RLHF_REFERENCE.check("hypothesis")
@settings(max_examples=20)
@given(seed=st.integers(0, 2**32 - 1), beta=st.floats(0.2, 3.0))
def transcribed_form_with_reference(seed, beta):
    rng = np.random.default_rng(seed)
    rewards, reference = rng.normal(size=4), rng.dirichlet(np.ones(4))
    transcribed = np.exp(beta * rewards) / np.exp(beta * rewards).sum()
    assert np.abs(_rlhf_optimum(rewards, beta, reference) - transcribed).max() < 1e-3


@RLHF_REFERENCE.check("simulation")
def reference_shifts_the_optimum(rng, scale):
    rewards, reference = rng.normal(size=4), np.array([0.7, 0.1, 0.1, 0.1])
    optimum = _rlhf_optimum(rewards, 1.0, reference)
    transcribed = np.exp(rewards) / np.exp(rewards).sum()
    corrected = reference * np.exp(rewards) / (reference * np.exp(rewards)).sum()
    gap = float(np.abs(optimum - transcribed).max())
    violation = {"optimum": optimum.tolist(), "transcribed": transcribed.tolist()} if gap > 1e-3 else None
    return sim.Observation(violation=violation, figures={"gap_to_transcribed": gap,
                                                          "gap_to_reference_form": float(np.abs(optimum - corrected).max())},
                           detail="with π_ref = (0.7, 0.1, 0.1, 0.1) the optimum follows π_ref·exp(R)")


RLHF_TILTED = lemma(
    "hallucination.rlhf_optimum_reference_tilted",
    title="With a reference policy the RLHF optimum is π* ∝ π_ref·exp(β·R), and only there",
    kind="correction",
    corrects="hallucination.rlhf_optimum_with_reference",
    paper_ref="§2.3, Eqs. 15–20",
    claim_ref="E-12",
    source="reconstructed",
    statement=(r"$\arg\max_\pi \mathbb{E}_\pi[R] - \tfrac1\beta \mathrm{KL}(\pi \| \pi_{ref})$ over the simplex is "
               r"$\pi^*(r) = \pi_{ref}(r) e^{\beta R(r)}/Z$, $Z = \sum_r \pi_{ref}(r) e^{\beta R(r)}$; the transcribed "
               r"$\propto e^{\beta R}$ is the case of a uniform $\pi_{ref}$."),
    formal=(r"Gibbs' variational identity (sympy, term by term for any number of responses, and summed over three with "
            r"a non-uniform $\pi_{ref} = (1/2, 1/3, 1/6)$): objective $= \tfrac1\beta \ln Z - \tfrac1\beta "
            r"\mathrm{KL}(\pi \| \pi^*)$, maximal exactly at $\pi^*$ (hallucination.gibbs_inequality, cited)."),
    uses=("hallucination.gibbs_inequality",),
    variables={"seed": "the seed of the rewards and the reference policy", "beta": "β"},
    explain=lambda cx: f"the numeric optimum departs from π_ref·exp(βR) normalised: {cx}",
    survivors={
        '< 1e-09': 'the mirror ascent reaches machine precision (~1e-16); a gap of exactly 1e-9 never occurs: a boundary shift on a continuous quantity that never lands exactly on the threshold: equivalent in practice',
    },
    expect="proved",
)


@RLHF_TILTED.check("sympy")
def variational_identity_with_reference():
    return _variational_goals(lambda i: (sp.Rational(1, 2), sp.Rational(1, 3), sp.Rational(1, 6))[i])


@RLHF_TILTED.check("hypothesis")
@settings(max_examples=30)
@given(seed=st.integers(0, 2**32 - 1), beta=st.floats(0.2, 3.0))
def numeric_optimum_with_reference(seed, beta):
    rng = np.random.default_rng(seed)
    rewards, reference = rng.normal(size=4), rng.dirichlet(np.ones(4))
    tilted = reference * np.exp(beta * rewards) / (reference * np.exp(beta * rewards)).sum()
    assert np.abs(_rlhf_optimum(rewards, beta, reference) - tilted).max() < 1e-9


@RLHF_TILTED.check("simulation")
def tilted_optimum_against_beta(rng, scale):
    rewards, reference = rng.normal(size=5), rng.dirichlet(np.ones(5) * 0.5)
    gaps = [float(np.abs(_rlhf_optimum(rewards, b, reference)
                         - reference * np.exp(b * rewards) / (reference * np.exp(b * rewards)).sum()).max())
            for b in (0.3, 1.0, 3.0)]
    violation = None if max(gaps) < 1e-9 else {"gaps": gaps}
    return sim.Observation(violation=violation, figures={"largest_gap": max(gaps)},
                           detail="numeric optima match π_ref·exp(βR) normalised, for three temperatures")


OVERCONFIDENCE = lemma(
    "hallucination.overconfidence_from_the_objective",
    title="A confidence-rewarding objective makes stated confidence 1 optimal; log loss makes it the accuracy",
    kind="equation",
    paper_ref="§2.3, Eqs. 15–20",
    claim_ref="E-12",
    source="reconstructed",
    statement=GRADING_STATEMENT,
    formal=(
        r"Reading (iii) as the optimum of a training objective. An answer right with probability $p \in (0, 1)$, "
        r"stated confidence $c \in (0, 1)$. Objective $1[\text{right}] + \lambda c$ ($\lambda > 0$): strictly "
        r"increasing in $c$ (z3), so $c = 1$ for every $p$ and $P(\text{right} \mid \text{stated } 1) = \mathbb{E}[p] < 1$. "
        r"Log loss $p \ln c + (1-p)\ln(1-c)$: its shortfall from $c = p$ is $\mathrm{KL}(\mathrm{Ber}(p) \| "
        r"\mathrm{Ber}(c))$ (sympy), zero only at $c = p$ (hallucination.gibbs_inequality, cited); its derivative is "
        r"$(p - c)/(c(1-c))$ (sympy), zero only at $c = p$, and its second derivative is "
        r"$-(p(1-c)^2 + (1-p)c^2)/(c^2(1-c)^2)$ (sympy), negative on the domain (z3, the numerator): stated "
        r"confidence equals accuracy."
    ),
    interpretation=("Not an empirical statement about particular models, which needs them; λ a confidence bonus.",),
    uses=("hallucination.gibbs_inequality",),
    variables={"p": "the probability of being right", "lambda": "the confidence bonus λ",
               "c1": "a lower stated confidence", "c2": "a higher stated confidence", "c": "the stated confidence",
               "bonus": "λ"},
    explain=lambda cx: f"at p = {cx.get('p')} the objective's optimum is not where the lemma says: {cx}",
    expect="proved",
)


@OVERCONFIDENCE.check("z3")
def bonus_pushes_confidence_up(q):
    p, bonus, low, high = q.reals("p lambda c1 c2")  # for every p and every pair of confidences, not only in [0, 1]
    q.given(bonus > 0, low < high)
    q.prove(p + bonus * high > p + bonus * low)


@OVERCONFIDENCE.check("sympy")
def log_loss_optimum():
    p, c = sp.symbols("p c", positive=True)
    expected = p * sp.log(c) + (1 - p) * sp.log(1 - c)
    domain = {p: (0.01, 0.99), c: (0.01, 0.99)}
    rest, other = sp.symbols("q d", positive=True)  # q = 1 − p and d = 1 − c, positive on the domain
    shortfall = (p * sp.log(p) + rest * sp.log(rest)) - (p * sp.log(c) + rest * sp.log(other))  # score at p minus at c
    return [cas.Identity(shortfall, p * sp.log(p / c) + rest * sp.log(rest / other),
                         {p: (0.01, 0.99), c: (0.01, 0.99), rest: (0.01, 0.99), other: (0.01, 0.99)},
                         name="shortfall_is_a_divergence"),
            cas.Identity(sp.diff(expected, c), (p - c) / (c * (1 - c)), domain, name="derivative_vanishes_only_at_p"),
            cas.Identity(sp.diff(expected, c, 2), -(p * (1 - c) ** 2 + (1 - p) * c ** 2) / (c ** 2 * (1 - c) ** 2), domain,
                         name="second_derivative")]


@OVERCONFIDENCE.check("z3")
def second_derivative_negative(q):
    p, c = q.reals("p c")  # the numerator of −(second derivative); its denominator c²(1 − c)² is positive
    q.domain(p >= 0, p <= 1, c > 0, c < 1)
    q.prove(p * (1 - c) * (1 - c) + (1 - p) * c * c > 0)


@OVERCONFIDENCE.check("hypothesis")
@given(p=st.floats(0.01, 0.99), bonus=st.floats(0.01, 1.0))
def grid_optima(p, bonus):
    grid = np.linspace(0.001, 0.999, 999)
    assert grid[np.argmax(p + bonus * grid)] == grid[-1]
    best = grid[np.argmax(p * np.log(grid) + (1 - p) * np.log(1 - grid))]  # a concave score: the best grid point
    above = min(int(np.searchsorted(grid, p)), grid.size - 1)  # brackets p
    assert grid[max(above - 1, 0)] <= best <= grid[above]


@OVERCONFIDENCE.check("simulation")
def reliability_by_objective(rng, scale):
    questions = 20_000 if scale == "default" else 2_000_000
    accuracy = rng.beta(4, 3, questions)  # each question's chance of being right
    right = rng.random(questions) < accuracy
    grid = np.linspace(0.001, 0.999, 999)
    stated = {"confidence bonus (λ = 0.2)": np.full(questions, grid[-1]),
              "log loss": grid[np.clip(np.searchsorted(grid, accuracy), 0, grid.size - 1)]}
    bins = np.linspace(0, 1, 11)
    figure = sim.new_figure()
    ax = figure.subplots()
    errors = {}
    for name, confidence in stated.items():
        which = np.clip(np.digitize(confidence, bins) - 1, 0, 9)
        filled = [b for b in range(10) if np.any(which == b)]
        mean_conf = np.array([confidence[which == b].mean() for b in filled])
        mean_right = np.array([right[which == b].mean() for b in filled])
        weights = np.array([np.mean(which == b) for b in filled])
        errors[name] = float(np.sum(weights * np.abs(mean_conf - mean_right)))
        ax.plot(mean_conf, mean_right, "o-", label=f"{name}: ECE {errors[name]:.3f}")
    ax.plot([0, 1], [0, 1], "k:", label="calibrated")
    ax.set_xlabel("stated confidence")
    ax.set_ylabel("fraction right")
    ax.legend(fontsize=8)
    violation = None
    if not errors["confidence bonus (λ = 0.2)"] > 0.3 > 0.02 > errors["log loss"]:
        violation = {"ece": errors}
    return sim.Observation(violation=violation, plot=figure, figures={f"ECE[{k}]": v for k, v in errors.items()},
                           detail=f"{questions} questions: the bonus-optimal policy states 1 at 57 % accuracy")
