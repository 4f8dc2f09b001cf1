"""E-12, Evaluation misalignment: binary grading, RLHF optimum, overconfidence (§2.3, Eqs. 15–20 (per G3)): its readings, variants and corrections.

Each lemma reads top-down: the declaration, then its symbolic checks, property test and simulation.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from proofs import Claim, cas, lemma, sim, smt
from proofs.statement import And, Iff

from .axioms import GIBBS

# ---------------------------------------------------------------------------------------------
# E-12: binary grading, the RLHF optimum, overconfidence.
# ---------------------------------------------------------------------------------------------

def _graded_scores(p, t, answer, penalised, abstain):
    """The expected scores, as the gradings define them: 1/0/0 grading gives E[score | answer] = p; a penalty t/(1−t)
    for a wrong answer gives p − (1 − p)·t/(1 − t) (written without the division); abstaining scores 0 under both."""
    return And(p > 0, t < 1, answer == p, penalised * (1 - t) == p * (1 - t) - (1 - p) * t, abstain == 0)


GRADING = lemma(
    "hallucination.binary_grading_rewards_guessing",
    title="Under 1/0/0 grading, answering beats abstaining for every p > 0; a penalty t/(1−t) moves the threshold to p > t",
    kind="equation",
    paper_ref="§2.3, Eqs. 15–20",
    claim_ref="E-12",
    source="attested",
    statement=(r"Part (i): with grading 1 for a right answer, 0 for a wrong one and 0 for abstaining, for every "
               r"$p \in (0, 1]$ the expected score of answering, $p$, exceeds abstaining's 0, so always guessing is "
               r"rational. The contrast (Kalai et al. 2025, not in the words): with a penalty $t/(1-t)$ for a wrong "
               r"answer, answering beats abstaining exactly when $p > t$."),
    formal=(
        r"z3, the declared claim: where the expected scores are the gradings' ($\mathrm{answer} = p$, "
        r"$\mathrm{penalised} = p - (1-p)\,t/(1-t)$, $\mathrm{abstain} = 0$; $p > 0$, $t < 1$, which contains the "
        r"probabilities), answer $>$ abstain, and penalised $>$ abstain $\iff p > t$. The property test evaluates it "
        r"with the expected scores computed from the grading tables over the two outcomes."
    ),
    interpretation=("p the true probability of being right; Kalai et al.'s penalised grading as the contrasting case.",),
    claim=Claim(lambda p, t, answer, penalised, abstain: And(answer > abstain, Iff(penalised > abstain, p > t)),
                where=_graded_scores),
    variables={"p": "the probability that the answer is right", "t": "the confidence target of the penalised grading",
               "answer": "E[score | answer] under 1/0/0", "penalised": "E[score | answer] under the penalty",
               "abstain": "E[score | abstain]"},
    explain=lambda cx: f"at p = {cx.get('p')}, t = {cx.get('t')} the expected scores do not order as claimed",
    waivers={"simulation": "two linear inequalities in expected scores; the property test evaluates them from the "
                           "grading tables"},
    expect="proved",
)


@GRADING.check("z3")
def guessing_pays(q):
    q.prove_claim()


def _expected(table, p):
    """E[score] of answering with probability p of being right, from a grading table {outcome: score}, exactly."""
    return p * table["right"] + (1 - p) * table["wrong"]


@GRADING.check("hypothesis")
@given(p=st.fractions(Fraction(1, 1000), 1), t=st.fractions(Fraction(1, 100), Fraction(99, 100)))
def guessing_under_the_grading_tables(p, t):
    binary = {"right": 1, "wrong": 0, "abstain": 0}
    penalty = {"right": 1, "wrong": -t / (1 - t), "abstain": 0}
    point = dict(p=p, t=t, answer=_expected(binary, p), penalised=_expected(penalty, p), abstain=binary["abstain"])
    assert GRADING.claim.applies(**point), f"the grading tables do not give the claim's scores at {point}"
    GRADING.claim.require(**point)


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


def _maximal_exactly_at_the_optimum(objective, best, divergence, beta, equal):
    """Gibbs' variational form: the objective at π is best − KL(π‖π*)/β; so it is at most best, with equality
    exactly at π = π*."""
    return And(objective <= best, Iff(objective == best, equal))


def _variational_form(objective, best, divergence, beta, equal):
    return And(beta > 0, beta * objective == beta * best - divergence)  # objective = best − KL/β, without the division


VARIATIONAL_CLAIM = dict(where=_variational_form, sorts={"equal": "Bool"})
VARIATIONAL_FORMAL = (
    r"The declared claim (z3): where the objective at $\pi$ is $\mathrm{best} - \mathrm{KL}(\pi \| \pi^*)/\beta$ "
    r"(Gibbs' variational identity, which the sympy goals prove term by term for any number of responses and summed "
    r"over three), it is at most best, with equality exactly when $\pi = \pi^*$, drawing on Gibbs' inequality "
    r"(hallucination.gibbs_inequality) by q.use. The property test and the simulation evaluate it at random policies "
    r"and at a numeric optimiser's answer (mirror ascent on the objective's own gradient), with the objective, the "
    r"divergence and the optimum's value computed from the policies.")


def _objective(policy, rewards, beta, reference):
    return float(policy @ rewards - np.sum(policy * np.log(policy / reference)) / beta)


def _variational_points(rng, rewards, beta, reference, optimum, extra=3):
    """The claim's points: the numeric optimiser's answer and `extra` random policies, each with its objective, the
    value at the closed-form optimum, KL(π‖π*) and whether π is π* (to 1e-9)."""
    best = _objective(optimum, rewards, beta, reference)
    policies = [_rlhf_optimum(rewards, beta, reference), *rng.dirichlet(np.ones(rewards.size), extra)]
    return [dict(objective=_objective(pi, rewards, beta, reference), best=best, beta=beta,
                 divergence=float(np.sum(pi * np.log(pi / optimum))), equal=bool(np.allclose(pi, optimum, atol=1e-9)))
            for pi in policies]


def _gibbs_step(q):
    objective, best, divergence, beta = q.reals("objective best divergence beta")
    equal = q.bools("equal")[0]
    q.prove_claim(objective=objective, best=best, divergence=divergence, beta=beta, equal=equal)
    q.use(GIBBS, divergence=divergence, equal=equal)


RLHF_UNIFORM = lemma(
    "hallucination.rlhf_optimum_uniform_reference",
    title="With an entropy regulariser, max E_π[R] + H(π)/β is attained at π ∝ exp(β·R), and only there",
    kind="equation",
    paper_ref="§2.3, Eqs. 15–20",
    claim_ref="E-12",
    source="attested",
    statement=(r"Part (ii) read with an entropy regulariser (equivalently a uniform reference policy), over a finite "
               r"response set: $\arg\max_\pi \mathbb{E}_\pi[R] + H(\pi)/\beta = \arg\max_\pi \mathbb{E}_\pi[R] - "
               r"\mathrm{KL}(\pi \| \mathrm{unif})/\beta$ is $\pi^* \propto e^{\beta R}$, and only $\pi^*$ attains it."),
    formal=VARIATIONAL_FORMAL,
    interpretation=("A variant: the objective with an entropy (uniform-reference KL) regulariser, which the words do not "
                    "name; β an inverse temperature.",),
    uses=("hallucination.gibbs_inequality",),
    claim=Claim(_maximal_exactly_at_the_optimum, **VARIATIONAL_CLAIM),
    variables={"seed": "the seed of the rewards", "responses": "the number of responses", "beta": "β",
               "objective": "the objective at π", "best": "its value at π*", "divergence": "KL(π‖π*)",
               "equal": "π = π*"},
    explain=lambda cx: f"the numeric optimum departs from exp(βR) normalised: {cx}",
    expect="proved",
)


@RLHF_UNIFORM.check("sympy")
def variational_identity_uniform():
    return _variational_goals(lambda i: sp.Rational(1, 3))


@RLHF_UNIFORM.check("z3")
def maximal_exactly_at_the_gibbs_policy(q):
    _gibbs_step(q)


@RLHF_UNIFORM.check("hypothesis")
@settings(max_examples=40)
@given(seed=st.integers(0, 2**32 - 1), responses=st.integers(2, 6), beta=st.floats(0.2, 3.0))
def numeric_optimum_uniform(seed, responses, beta):
    rng = np.random.default_rng(seed)
    rewards, uniform = rng.normal(size=responses), np.ones(responses) / responses
    closed = np.exp(beta * rewards) / np.exp(beta * rewards).sum()
    for point in _variational_points(rng, rewards, beta, uniform, closed):
        RLHF_UNIFORM.claim.require(**point, tolerance=1e-9)


@RLHF_UNIFORM.check("simulation")
def optimum_against_beta(rng, scale):
    rewards, uniform = rng.normal(size=5), np.ones(5) / 5
    violation = None
    for b in (0.3, 1.0, 3.0):
        closed = np.exp(b * rewards) / np.exp(b * rewards).sum()
        for point in _variational_points(rng, rewards, b, uniform, closed, extra=20):
            violation = violation or (None if RLHF_UNIFORM.claim(**point, tolerance=1e-9) else point)
    return sim.Observation(violation=violation,
                           detail="for three temperatures, the numeric optimum and 20 random policies: only the optimum "
                                  "reaches the value of exp(βR) normalised")


RLHF_REFERENCE = lemma(
    "hallucination.rlhf_optimum_with_reference",
    title="With a non-uniform reference policy, the optimum is π_ref·exp(βR), not exp(βR)",
    kind="equation",
    paper_ref="§2.3, Eqs. 15–20",
    claim_ref="E-12",
    source="attested",
    statement=(r"Part (ii) read with the objective RLHF optimises, $\mathbb{E}_\pi[R] - \mathrm{KL}(\pi \| "
               r"\pi_{ref})/\beta$, for any reference policy: '$\pi^* \propto \exp(\beta R)$' is false when "
               r"$\pi_{ref}$ is not uniform."),
    formal=r"Objective $\mathbb{E}_\pi[R] - \tfrac1\beta \mathrm{KL}(\pi \| \pi_{ref})$, $\pi_{ref}$ not uniform: claim the optimum is $\propto \exp(\beta R)$.",
    interpretation=("The usual RLHF objective with a reference policy; the transcribed form omits π_ref. The correction "
                    "is hallucination.rlhf_optimum_reference_tilted.",),
    claim_note="refuted by numeric optima, compared with the transcribed form; the correct optimum is the correction's claim",
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
    statement=(r"$\arg\max_\pi \mathbb{E}_\pi[R] - \tfrac1\beta \mathrm{KL}(\pi \| \pi_{ref})$ over the simplex of a "
               r"finite response set is $\pi^*(r) = \pi_{ref}(r) e^{\beta R(r)}/Z$, $Z = \sum_r \pi_{ref}(r) "
               r"e^{\beta R(r)}$, and only $\pi^*$ attains it; the transcribed $\propto e^{\beta R}$ is the case of a "
               r"uniform $\pi_{ref}$."),
    formal=VARIATIONAL_FORMAL + r" The summed identity is checked with a non-uniform $\pi_{ref} = (1/2, 1/3, 1/6)$.",
    uses=("hallucination.gibbs_inequality",),
    claim=Claim(_maximal_exactly_at_the_optimum, **VARIATIONAL_CLAIM),
    variables={"seed": "the seed of the rewards and the reference policy", "beta": "β",
               "objective": "the objective at π", "best": "its value at π*", "divergence": "KL(π‖π*)",
               "equal": "π = π*"},
    explain=lambda cx: f"the numeric optimum departs from π_ref·exp(βR) normalised: {cx}",
    expect="proved",
)


@RLHF_TILTED.check("sympy")
def variational_identity_with_reference():
    return _variational_goals(lambda i: (sp.Rational(1, 2), sp.Rational(1, 3), sp.Rational(1, 6))[i])


@RLHF_TILTED.check("z3")
def maximal_exactly_at_the_tilted_policy(q):
    _gibbs_step(q)


def _tilted(rewards, beta, reference):
    weights = reference * np.exp(beta * rewards)
    return weights / weights.sum()


@RLHF_TILTED.check("hypothesis")
@settings(max_examples=30)
@given(seed=st.integers(0, 2**32 - 1), beta=st.floats(0.2, 3.0))
def numeric_optimum_with_reference(seed, beta):
    rng = np.random.default_rng(seed)
    rewards, reference = rng.normal(size=4), rng.dirichlet(np.ones(4))
    for point in _variational_points(rng, rewards, beta, reference, _tilted(rewards, beta, reference)):
        RLHF_TILTED.claim.require(**point, tolerance=1e-9)


@RLHF_TILTED.check("simulation")
def tilted_optimum_against_beta(rng, scale):
    rewards, reference = rng.normal(size=5), rng.dirichlet(np.ones(5) * 0.5)
    violation = None
    for b in (0.3, 1.0, 3.0):
        for point in _variational_points(rng, rewards, b, reference, _tilted(rewards, b, reference), extra=20):
            violation = violation or (None if RLHF_TILTED.claim(**point, tolerance=1e-9) else point)
    return sim.Observation(violation=violation,
                           detail="for three temperatures, the numeric optimum and 20 random policies: only the optimum "
                                  "reaches the value of π_ref·exp(βR) normalised")


def _reliability(confidence, right):
    """Mean stated confidence and fraction right per decile bin, their weights, and the expected calibration error."""
    bins = np.linspace(0, 1, 11)
    which = np.clip(np.digitize(confidence, bins) - 1, 0, 9)
    filled = [b for b in range(10) if np.any(which == b)]
    mean_conf = np.array([confidence[which == b].mean() for b in filled])
    mean_right = np.array([right[which == b].mean() for b in filled])
    weights = np.array([np.mean(which == b) for b in filled])
    return mean_conf, mean_right, float(np.sum(weights * np.abs(mean_conf - mean_right)))


OVERCONFIDENCE = lemma(
    "hallucination.overconfidence_from_the_objective",
    title="A model of part (iii): a score that pays for stated confidence makes confidence 1 optimal",
    kind="equation",
    paper_ref="§2.3, Eqs. 15–20",
    claim_ref="E-12",
    source="reconstructed",
    statement=(r"A model of part (iii), whose conclusion is built into it: if the training score pays "
               r"$1[\text{right}] + \lambda c$ for stated confidence $c$ ($\lambda > 0$), stating $c = 1$ is optimal "
               r"for every accuracy $p$, so $P(\text{right} \mid \text{stated } 1) = \mathbb{E}[p] < 1$. The score "
               r"pays for confidence by definition; the lemma shows what such a score does, not that training "
               r"objectives are of this kind (part (iii) is a measured figure about models)."),
    formal=(r"Tested, not proved: the conclusion is the definition of the score. The property test maximises the score "
            r"on a grid of confidences; the simulation draws 20 000 questions (accuracies Beta(4, 3)) and compares the "
            r"reliability of the bonus-optimal policy (ECE > 0.3) with the log-loss-optimal one, which "
            r"hallucination.log_loss_calibrates proves calibrated."),
    interpretation=("Part (iii) read as the optimum of a training objective, not as an empirical statement about "
                    "particular models; λ a confidence bonus.",),
    claim_note="a model whose conclusion is its definition: the property test and the simulation show its behaviour, "
               "and no symbolic goal is claimed",
    variables={"p": "the probability of being right", "bonus": "λ"},
    explain=lambda cx: f"at p = {cx.get('p')} the bonus score's optimum is not confidence 1: {cx}",
    waivers={"symbolic": "p + λc increases in c by the definition of the score: a proof would restate the model"},
    expect="tested",
)


@OVERCONFIDENCE.check("hypothesis")
@given(p=st.floats(0.01, 0.99), bonus=st.floats(0.01, 1.0))
def bonus_optimum_on_a_grid(p, bonus):
    grid = np.linspace(0.001, 0.999, 999)
    assert grid[np.argmax(p + bonus * grid)] == grid[-1]


@OVERCONFIDENCE.check("simulation")
def reliability_by_objective(rng, scale):
    questions = 20_000 if scale == "default" else 2_000_000
    accuracy = rng.beta(4, 3, questions)  # each question's chance of being right
    right = rng.random(questions) < accuracy
    grid = np.linspace(0.001, 0.999, 999)
    stated = {"confidence bonus (λ = 0.2)": np.full(questions, grid[np.argmax(0.2 * grid)]),
              "log loss": grid[np.clip(np.searchsorted(grid, accuracy), 0, grid.size - 1)]}
    figure = sim.new_figure()
    ax = figure.subplots()
    errors = {}
    for name, confidence in stated.items():
        mean_conf, mean_right, errors[name] = _reliability(confidence, right)
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


LOG_LOSS = lemma(
    "hallucination.log_loss_calibrates",
    title="Under log loss, stated confidence equals accuracy: a proper score does not make a model overconfident",
    kind="lemma",
    paper_ref="§2.3, Eqs. 15–20",
    claim_ref="E-12",
    source="reconstructed",
    statement=(r"For an answer right with probability $p \in (0, 1)$, the expected log score "
               r"$p \ln c + (1-p) \ln(1-c)$ of stated confidence $c \in (0, 1)$ is at most its value at $c = p$, with "
               r"equality only at $c = p$: training on log loss (a proper scoring rule) yields calibrated confidence, so "
               r"overconfidence is not a consequence of that objective."),
    formal=(r"The declared claim (z3): where the shortfall of the score at $c$ from the score at $p$ is "
            r"$\mathrm{KL}(\mathrm{Ber}(p) \| \mathrm{Ber}(c))$ (sympy, an identity), the score at $c$ is at most the "
            r"score at $p$, with equality exactly when $c = p$, drawing on Gibbs' inequality (hallucination.gibbs_inequality) "
            r"by q.use. sympy also gives the derivative $(p - c)/(c(1-c))$ and the second derivative, whose numerator "
            r"z3 shows positive. The property test evaluates the claim at the best point of a grid and at random "
            r"confidences, with the scores and the divergence computed."),
    interpretation=("Context for part (iii): the objective-optimum reading of overconfidence, with a proper score.",),
    uses=("hallucination.gibbs_inequality",),
    claim=Claim(lambda at_c, at_p, divergence, equal: And(at_c <= at_p, Iff(at_c == at_p, equal)),
                where=lambda at_c, at_p, divergence, equal: at_p - at_c == divergence, sorts={"equal": "Bool"}),
    variables={"p": "the probability of being right", "c": "the stated confidence", "at_c": "the expected score at c",
               "at_p": "the expected score at c = p", "divergence": "KL(Ber(p) ‖ Ber(c))", "equal": "c = p"},
    explain=lambda cx: f"the log score's optimum is not where the lemma says: {cx}",
    waivers={"simulation": "hallucination.overconfidence_from_the_objective simulates the log-loss policy's reliability "
                           "beside the bonus policy's"},
    expect="proved",
)


@LOG_LOSS.check("z3")
def maximal_exactly_at_the_accuracy(q):
    at_c, at_p, divergence = q.reals("at_c at_p divergence")
    equal = q.bools("equal")[0]
    q.prove_claim(at_c=at_c, at_p=at_p, divergence=divergence, equal=equal)
    q.use(GIBBS, divergence=divergence, equal=equal)


@LOG_LOSS.check("sympy")
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


@LOG_LOSS.check("z3")
def second_derivative_negative(q):
    p, c = q.reals("p c")  # the numerator of −(second derivative); its denominator c²(1 − c)² is positive
    q.domain(p >= 0, p <= 1, c > 0, c < 1)
    q.prove(p * (1 - c) * (1 - c) + (1 - p) * c * c > 0)


def _log_score(p, c):
    return p * math.log(c) + (1 - p) * math.log(1 - c)


@LOG_LOSS.check("hypothesis")
@given(p=st.floats(0.01, 0.99), other=st.floats(0.001, 0.999))
def grid_and_random_confidences(p, other):
    grid = np.linspace(0.001, 0.999, 999)
    best = float(grid[np.argmax(p * np.log(grid) + (1 - p) * np.log(1 - grid))])  # the best grid point
    for c in (best, other, p):
        if 0 < abs(c - p) < 1e-5:  # rounding cannot tell such a c from p at the tolerance below
            continue
        divergence = p * math.log(p / c) + (1 - p) * math.log((1 - p) / (1 - c))
        LOG_LOSS.claim.require(at_c=_log_score(p, c), at_p=_log_score(p, p), divergence=divergence, equal=c == p,
                               tolerance=1e-12)
