"""E-23, Marginalisation over chain-of-thought (§4, Eq. 27 / Eq. 28 (G1: Equation 28; B: block 26–29)): its readings, variants and corrections.

Each lemma reads top-down: the declaration, then its symbolic checks, property test and simulation.
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from proofs import Claim, cas, lemma, sim, smt
from proofs.statement import All, And, If, Implies, Sum
from simulations import reasoning as toys


MARGINAL_POWER = 0.025  # the smallest error in a sampled P(Y = 1 | x) the simulation is built to detect
IDENTIFY_POWER = 0.05  # the smallest error in the NIE read off a sampled joint it is built to detect



def _tables(q, suffix):
    """Binary SCM tables as z3 reals in [0, 1]: p_z[x] and p_y[x][z] (for witnesses)."""
    p_z = q.reals(f"pz0_{suffix} pz1_{suffix}")
    p_y = [q.reals(f"py{x}0_{suffix} py{x}1_{suffix}") for x in (0, 1)]
    q.domain(*[smt.And(v >= 0, v <= 1) for v in (*p_z, *p_y[0], *p_y[1])])
    return p_z, p_y


def _step_law(p_z, x, z):
    """P(Z = z | X = x)."""
    return p_z[x] if z else 1 - p_z[x]


def _answer_law(p_z, p_y, x):
    """P(Y = 1 | X = x) = Σ_z P(Y=1 | x, z)·P(z | x): what the marginal likelihood sees."""
    return sum(p_y[x][z] * _step_law(p_z, x, z) for z in (0, 1))


def _nie(p_z, p_y):
    """The mediation formula: E[Y(1, Z(1))] − E[Y(1, Z(0))] = Σ_z P(Y=1 | 1, z)·(P(z | 1) − P(z | 0))."""
    return sum(p_y[1][z] * (_step_law(p_z, 1, z) - _step_law(p_z, 0, z)) for z in (0, 1))


def _joint(p_z, p_y):
    """The joint law P(Z = z, Y = y | X = x) of the chain and the answer, by cell (x, z, y)."""
    return {(x, z, y): _step_law(p_z, x, z) * (p_y[x][z] if y else 1 - p_y[x][z])
            for x in (0, 1) for z in (0, 1) for y in (0, 1)}


def _nie_read_off(joint):
    """The NIE computed from the joint cells alone: Σ_z P(Y=1 | 1, z)·(P(z | 1) − P(z | 0)), where
    P(z | x) = Σ_y joint(x, z, y) and P(Y=1 | 1, z) = joint(1, z, 1)/P(z | 1), taken as 0 where
    P(z | 1) = 0 (the joint then says nothing about it)."""
    step = lambda x, z: joint[x, z, 0] + joint[x, z, 1]  # noqa: E731
    outcome = lambda z: If(step(1, z) > 0, joint[1, z, 1] / step(1, z), 0)  # noqa: E731
    return sum(outcome(z) * (step(1, z) - step(0, z)) for z in (0, 1))


def _explain_tables(cx):
    """A sentence for a counterexample given by the weights of a binary mediation model."""
    def p(name):
        w0, w1 = cx.get(f"{name}_w0"), cx.get(f"{name}_w1")
        return None if w0 is None or w1 is None or w0 + w1 == 0 else w1 / (w0 + w1)
    shown = {name: p(name) for name in ("pz0", "pz1", "py10", "py11")}
    if any(v is None for v in shown.values()):
        return f"counterexample {dict(cx)}"
    return (f"with P(Z=1|x=0) = {shown['pz0']:.3g}, P(Z=1|x=1) = {shown['pz1']:.3g}, P(Y=1|x=1, z) = "
            f"({shown['py10']:.3g}, {shown['py11']:.3g}) the NIE cannot be read off the joint law")


# ---------------------------------------------------------------------------------------------
# E-23 (a): the likelihood marginalises over chains of thought.
# ---------------------------------------------------------------------------------------------

def _mixture_is_the_answer_mass(n, right, wrong):
    """With masses m₁(z) = right(z), m₀(z) = wrong(z) ≥ 0 on (trace z, answer 1 or 0) of one question:
    Σ_{z ≤ n} P(Y=1 | z)·P(z)·P(x) = Σ_{z ≤ n} m₁(z), with P(Y=1 | z) = m₁(z)/c(z), c(z) = m₁(z) + m₀(z), and a
    trace of mass 0 contributing 0 (its denominator is then taken as 1: no division by 0 is ever written)."""
    trace = lambda z: right(z) + wrong(z)  # noqa: E731  c(z) = P(z)·P(x)
    answer_given_trace = lambda z: right(z) / If(trace(z) > 0, trace(z), 1)  # noqa: E731
    return Implies(All(lambda z: And(right(z) >= 0, wrong(z) >= 0), n),
                   Sum(lambda z: answer_given_trace(z) * trace(z), n) == Sum(lambda z: right(z), n))


MARGINAL = lemma(
    "reasoning.marginalisation_identity",
    title="P(Y|X) is the mixture of P(Y|X,Z) over P(Z|X), for any number of traces",
    kind="equation",
    paper_ref="§4, Equation 28",
    claim_ref="E-23",
    source="attested",
    statement=("The likelihood objective marginalises over chain-of-thought traces: "
               "$P(Y \\mid X) = \\sum_Z P(Y \\mid X, Z)\\,P(Z \\mid X)$ (G1, G2), for a binary answer and any "
               "finite number of traces."),
    formal=(
        "(i) z3, by induction on the number of traces: for one question with masses $m_1(z), m_0(z) \\ge 0$ "
        "on (trace $z$, answer 1 or 0), $\\sum_{z \\le n} P(Y{=}1 \\mid z)\\,P(z) \\cdot P(x) = "
        "\\sum_{z \\le n} m_1(z)$, with $P(Y{=}1 \\mid z) = m_1(z)/c(z)$, $c(z) = m_0(z) + m_1(z)$, and a "
        "trace of mass 0 contributing 0; dividing by $P(x) > 0$ gives the identity. The masses are written "
        "$u(z)^2, v(z)^2$, which range over every non-negative value. (ii) sympy, on a 2×3×2 joint table of "
        "positive masses: the same identity with both questions."
    ),
    claim=Claim(_mixture_is_the_answer_mass, where=lambda n: n >= 0,
                sorts={"n": "Int", "right": ("Int", "Real"), "wrong": ("Int", "Real")}),
    variables={"n": "the last trace index", "right": "the mass on (trace, answer 1)",
               "wrong": "the mass on (trace, answer 0)"},
    explain=lambda cx: f"with {cx.get('n', '?')} + 1 traces the mixture over traces misses P(Y|X): {dict(cx)}",
    expect="proved",
)


@MARGINAL.check("z3")
def mixture_over_any_number_of_traces(q):
    (n,) = q.ints("n")
    q.prove_claim(n=n)
    q.induction(n, start=0)


@MARGINAL.check("sympy")
def total_probability():
    mass = {(x, z, y): sp.Symbol(f"m{x}{z}{y}", positive=True) for x in range(2) for z in range(3) for y in range(2)}
    p_x = {x: sum(mass[x, z, y] for z in range(3) for y in range(2)) for x in range(2)}
    p_xz = {(x, z): mass[x, z, 0] + mass[x, z, 1] for x in range(2) for z in range(3)}
    goals = []
    for x in range(2):
        direct = sum(mass[x, z, 1] for z in range(3)) / p_x[x]
        mixture = sum((mass[x, z, 1] / p_xz[x, z]) * (p_xz[x, z] / p_x[x]) for z in range(3))
        goals.append(cas.Identity(direct, mixture, {m: (0.01, 1.0) for m in mass.values()}, name=f"y_given_x{x}"))
    return goals


@MARGINAL.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), traces=st.integers(1, 6), answers=st.integers(2, 5))
def total_probability_on_random_tables(seed, traces, answers):
    rng = np.random.default_rng(seed)
    joint = rng.dirichlet(np.ones(2 * traces * answers)).reshape(2, traces, answers)
    direct = joint.sum(axis=1) / joint.sum(axis=(1, 2))[:, None]
    z_given_x = joint.sum(axis=2) / joint.sum(axis=(1, 2))[:, None]
    y_given_xz = joint / joint.sum(axis=2, keepdims=True)
    np.testing.assert_allclose(direct, np.einsum("xz,xzy->xy", z_given_x, y_given_xz), atol=1e-12)
    for x in range(2):  # answer 0 against the rest: the masses on (trace, answer) of the sampled table
        MARGINAL.claim.require(n=traces - 1, right=joint[x, :, 0].tolist(), wrong=joint[x, :, 1:].sum(axis=1).tolist(),
                               tolerance=1e-12)


@MARGINAL.check("simulation")
def sampled_marginal(rng, scale):
    model = toys.random_mediation(rng, positivity=0.05)
    units = 200_000 if scale == "default" else 20_000_000
    table = toys.sampled_tables(rng, model, units)  # counts of (x, z, y): masses the claim is evaluated at
    estimates = []
    for x in range(2):
        MARGINAL.claim.require(n=1, right=table[x, :, 1].tolist(), wrong=table[x, :, 0].tolist())
        count = float(table[x].sum())
        mixture = float(model.p_y[x] @ np.array([1 - model.p_z[x], model.p_z[x]]))  # Σ_z P(Y=1|x,z)·P(z|x)
        tolerance = 4 * math.sqrt(max(mixture * (1 - mixture), 1 / count) / count)  # four standard errors
        estimates.append(sim.compare(f"P(Y=1|x={x})", table[x, :, 1].sum() / count, mixture, tolerance=tolerance,
                                     power=MARGINAL_POWER))
    return sim.Observation(violation=None, estimates=tuple(estimates),
                           figures={"largest_error": max(abs(e.measured - e.claimed) for e in estimates)},
                           detail=(f"P(Y|X) from {units} samples of the causal model agrees with Σ_z P(Y|X,z)P(z|X) "
                                   f"within four standard errors"))


# ---------------------------------------------------------------------------------------------
# E-23 (b): maximising the likelihood leaves the causal role of the chain unconstrained.
# ---------------------------------------------------------------------------------------------

MARGINAL_FREE = lemma(
    "reasoning.marginal_likelihood_leaves_mediation_free",
    title="Two models with the same P(Y|X) can use the chain fully or not at all",
    kind="claim",
    paper_ref="§4, Equation 28",
    claim_ref="E-23",
    source="attested",
    statement=("In binary causal models X → Z → Y with a direct edge X → Y, the marginal likelihood of the answer "
               "leaves the causal role of the chain free: two models with the same $P(Y \\mid X)$ exist, one whose "
               "chain carries a natural indirect effect of at least 1/2 and one that ignores its chain (NIE = 0)."),
    formal=(
        "∃ binary causal models $M_1, M_2$ with $P_1(Y{=}1 \\mid x) = P_2(Y{=}1 \\mid x)$ for $x = 0, 1$ "
        "(each computed as $\\sum_z P(Y{=}1 \\mid x, z) P(z \\mid x)$), $\\mathrm{NIE}_2 = 0$ and "
        "$\\mathrm{NIE}_1 \\ge 1/2$, each NIE computed by the mediation formula $\\sum_z P(Y{=}1 \\mid 1, z)(P(z \\mid 1) - "
        "P(z \\mid 0))$ (z3 witness, replayed exactly). The property test checks a one-parameter family of "
        "witnesses (Z copies X with flip probability $f$, $M_1$ answers $Y = Z$, $M_2$ answers from X alone): equal "
        "$P(Y \\mid X)$, $\\mathrm{NIE}_2 = 0$, $\\mathrm{NIE}_1 = 1 - 2f$; the simulation pairs random models with "
        "their chain-ignoring twin."
    ),
    interpretation=(
        "Training signal: the marginal likelihood of the answer, the chain latent. 'Does not constrain' "
        "read as non-identifiability: equal objective, different causal use of Z.",
    ),
    variables={"pz0_a": "P(Z=1|x=0) in M₁", "pz1_a": "P(Z=1|x=1) in M₁", "py10_a": "P(Y=1|x=1,z=0) in M₁"},
    explain=lambda cx: (f"with a copy-noise of {cx['flip']:.3g} the chain user and the chain ignorer differ by less "
                        f"than 1 − 2·flip in NIE" if "flip" in cx else f"counterexample {dict(cx)}"),
    claim_note="an existential witness (∃ two models): z3 exhibits one, the tests check families of witnesses",
    expect="proved",
)


@MARGINAL_FREE.check("z3")
def same_answers_different_mediation(q):
    first, second = _tables(q, "a"), _tables(q, "b")
    same = [_answer_law(*first, x) == _answer_law(*second, x) for x in (0, 1)]
    q.exists(smt.And(*same, _nie(*second) == 0, _nie(*first) >= 0.5))  # M₂ ignores its chain, M₁ uses it


@MARGINAL_FREE.check("hypothesis")
@given(p_x=st.floats(0.1, 0.9), flip=st.floats(0.0, 0.4))
def chain_user_and_chain_ignorer(p_x, flip):
    # Z copies X (with flips); M1 answers Y = Z, M2 answers from X directly with the same P(Y|X)
    copy = toys.Mediation(p_x, np.array([flip, 1 - flip]), np.array([[0.0, 1.0], [0.0, 1.0]]))
    target = copy.answer_given_question()
    ignore = toys.Mediation(p_x, np.array([flip, 1 - flip]), np.array([[target[0]] * 2, [target[1]] * 2]))
    np.testing.assert_allclose(copy.answer_given_question(), ignore.answer_given_question(), atol=1e-12)
    assert math.isclose(ignore.effects()["NIE"], 0.0, abs_tol=1e-12)  # the chain ignorer: no indirect effect
    assert math.isclose(copy.effects()["NIE"], 1 - 2 * flip, abs_tol=1e-12)  # the chain user: 1 − 2·flip


@MARGINAL_FREE.check("simulation")
def random_likelihood_twins(rng, scale):
    pairs = 2000 if scale == "default" else 200_000
    p_z = rng.uniform(0, 1, (pairs, 2))
    p_y = rng.uniform(0, 1, (pairs, 2, 2))
    z_law = np.stack([1 - p_z, p_z], axis=2)  # [pair, x, z]
    answer = (p_y * z_law).sum(axis=2)  # P(Y=1|x): the twin answers from X alone with this
    nie = (p_y[:, 1, :] * (z_law[:, 1, :] - z_law[:, 0, :])).sum(axis=1)
    twin_p_y = np.repeat(answer[:, :, None], 2, axis=2)  # P(Y=1 | x, z) = P(Y=1 | x): the chain is ignored
    twin_answer = (twin_p_y * z_law).sum(axis=2)
    twin_nie = (twin_p_y[:, 1, :] * (z_law[:, 1, :] - z_law[:, 0, :])).sum(axis=1)
    largest_mismatch = float(np.abs(twin_answer - answer).max())
    gaps = np.abs(nie - twin_nie)
    found = int(((nie >= 0.5) & (np.abs(twin_nie) <= 1e-12)).sum())
    violation = None if found and largest_mismatch < 1e-12 and np.abs(twin_nie).max() <= 1e-12 else {
        "pairs_with_gap_at_least_half": found, "largest_likelihood_mismatch": largest_mismatch,
        "largest_twin_nie": float(np.abs(twin_nie).max())}
    return sim.Observation(violation=violation,
                           figures={"largest_NIE_gap": float(gaps.max()), "mean_NIE_gap": float(gaps.mean()),
                                    "pairs_with_gap_at_least_half": found},
                           detail=(f"{pairs} random models beside a twin with the same P(Y|X) that ignores Z (NIE 0); "
                                   f"witnesses of a gap ≥ 1/2 among them"))


JOINT_FREE = lemma(
    "reasoning.joint_likelihood_leaves_mediation_free",
    title="Even supervising the whole chain leaves its causal role free",
    kind="claim",
    paper_ref="§4, Equation 28",
    claim_ref="E-23",
    source="attested",
    statement=("A variant with a training signal the words do not name (supervised chain of thought): in binary "
               "causal models X → Z → Y, two models with the same joint likelihood $P(Z, Y \\mid X)$ of (chain, answer), "
               "every step possible under the treated question, can differ in natural indirect effect."),
    formal=(
        "∃ binary causal models with equal joint $P(Z, Y \\mid X)$ and $P(z \\mid x{=}1) \\in [1/100, 99/100]$ "
        "(every step possible under the treated question), whose NIE differ by at least 1/100. z3: no such "
        "pair exists."
    ),
    interpretation=(
        "Training signal: the joint likelihood of (chain, answer), i.e. supervised chain of thought, "
        "with positivity; the marginal reading is reasoning.marginal_likelihood_leaves_mediation_free.",
    ),
    waivers={"property": "an existential claim has no finite numeric refutation: no sample of pairs can show that "
                         "no pair exists. z3 shows it (the existential is unsatisfiable), and the universal converse "
                         "is tested on random models by reasoning.joint_likelihood_identifies_mediation",
             "simulation": "as for the property test: the evidence that no pair exists is z3's; the correction "
                           "simulates the identification"},
    variables={"pz1_a": "P(Z=1|x=1) in the first model", "py11_a": "P(Y=1|x=1,z=1) in the first model"},
    explain=lambda cx: "no two models with the same joint law of (chain, answer) and positivity differ in NIE",
    expect="refuted",
)


def _joint_equal(first, second):
    """Equal joint laws of the chain, stated minimally: equal step laws P(Z=1|x) for both questions,
    and equal mass on every (z, y = 1) cell under the treated question x = 1 (the y = 0 cells then
    agree too). NIE(0 → 1) never reads P(Y|x = 0, z)."""
    (pz_a, py_a), (pz_b, py_b) = first, second
    equalities = [pz_a[x] == pz_b[x] for x in (0, 1)]
    for z in (0, 1):
        equalities.append(_step_law(pz_a, 1, z) * py_a[1][z] == _step_law(pz_b, 1, z) * py_b[1][z])
    return equalities


@JOINT_FREE.check("z3")
def no_supervised_twins(q):
    first, second = _tables(q, "a"), _tables(q, "b")
    q.given(smt.And(first[0][1] >= 0.01, first[0][1] <= 0.99))  # positivity under x = 1; the twin's follows
    q.exists(smt.And(*_joint_equal(first, second), _nie(*first) - _nie(*second) >= 0.01))


_WEIGHTS = ("pz0", "pz1", "py00", "py01", "py10", "py11")


def _nie_identified(pz0_w0, pz0_w1, pz1_w0, pz1_w1, py00_w0, py00_w1, py01_w0, py01_w1, py10_w0, py10_w1,
                    py11_w0, py11_w1):
    """The NIE of the model whose probabilities are w₁/(w₀ + w₁) equals Φ(J), read off its joint law."""
    p = lambda w0, w1: w1 / (w0 + w1)  # noqa: E731
    p_z = [p(pz0_w0, pz0_w1), p(pz1_w0, pz1_w1)]
    p_y = [[p(py00_w0, py00_w1), p(py01_w0, py01_w1)], [p(py10_w0, py10_w1), p(py11_w0, py11_w1)]]
    return _nie(p_z, p_y) == _nie_read_off(_joint(p_z, p_y))


def _positivity(pz1_w0, pz1_w1):
    """Positivity under the treated question: both weights of P(Z | x = 1) positive, i.e. 0 < P(Z=1 | x=1) < 1.
    Nothing else is assumed: the identity is algebraic, so it holds for any real weights (probability tables
    among them), each other probability appearing alike on both sides or cancelling."""
    return And(pz1_w0 > 0, pz1_w1 > 0)


def _weights_of(p_z, p_y):
    """The claim's weights for probability tables (or counts): w₀ = 1 − p, w₁ = p (or the two counts)."""
    cells = [p_z[0], p_z[1], p_y[0][0], p_y[0][1], p_y[1][0], p_y[1][1]]
    return {f"{name}_w{bit}": float(w) for name, (w0, w1) in zip(_WEIGHTS, cells) for bit, w in ((0, w0), (1, w1))}


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
        "likelihood of (chain, answer) have the same natural indirect effect whenever every step has "
        "positive probability under the treated question. (Without positivity, e.g. a step fixed by the "
        "question, the joint leaves it free as well.)"
    ),
    formal=(
        "z3, for every binary model with $0 < P(Z{=}1 \\mid x{=}1) < 1$: the NIE (mediation formula) equals "
        "$\\Phi(J)$, a function of the eight cells $J(x, z, y) = P(Z{=}z, Y{=}y \\mid X{=}x)$ alone: "
        "$\\Phi(J) = \\sum_z \\frac{J(1, z, 1)}{J(1, z, \\cdot)}\\,(J(1, z, \\cdot) - J(0, z, \\cdot))$. Two "
        "models with the same joint therefore have the same NIE. Each probability is written as a ratio of "
        "weights $w_1/(w_0 + w_1)$; the declared claim assumes only that both weights of $P(Z \\mid x{=}1)$ are "
        "positive and holds for any other real weights (probability tables among them: a stronger statement, "
        "since every other probability appears alike on both sides or cancels). The property test evaluates it "
        "at random models, the simulation at the observed counts of samples. Dropping either "
        "half of the positivity premise gives a counterexample (a step the treated question never takes "
        "hides $P(Y \\mid 1, z)$ from the joint)."
    ),
    variables={"pz0_w0": "weight of Z=0 under x=0", "pz0_w1": "weight of Z=1 under x=0",
               "pz1_w0": "weight of Z=0 under x=1", "pz1_w1": "weight of Z=1 under x=1",
               "py10_w0": "weight of Y=0 given x=1, z=0", "py10_w1": "weight of Y=1 given x=1, z=0",
               "py11_w0": "weight of Y=0 given x=1, z=1", "py11_w1": "weight of Y=1 given x=1, z=1"},
    claim=Claim(_nie_identified, where=_positivity),
    explain=_explain_tables,
    expect="proved",
)


@JOINT_IDENTIFIES.check("z3")
def nie_read_off_the_joint(q):
    q.prove_claim()  # each probability a ratio of weights, so the cross-check meets the setting often


@JOINT_IDENTIFIES.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1))
def joint_determines_nie(seed):
    rng = np.random.default_rng(seed)
    model = toys.random_mediation(rng, positivity=0.01)
    JOINT_IDENTIFIES.claim.require(**_weights_of([(1 - p, p) for p in model.p_z],
                                                 [[(1 - p, p) for p in row] for row in model.p_y]))
    # the NIE computed from the joint array alone, with no access to the model's tables
    assert math.isclose(toys.nie_from_joint(model.joint_chain()), model.effects()["NIE"], abs_tol=1e-12)
    twin = toys.joint_twin(rng, model)  # differs wherever the joint cannot see
    np.testing.assert_allclose(twin.joint_chain(), model.joint_chain(), atol=1e-15)
    assert math.isclose(twin.effects()["NIE"], model.effects()["NIE"], abs_tol=1e-12)
    # the premise has teeth: when the treated question always takes step 1, the joint never sees
    # P(Y | 1, z = 0), and a twin that redraws it has the same joint but another NIE
    blind = toys.Mediation(model.p_x, np.array([model.p_z[0], 1.0]), model.p_y)
    other = toys.joint_twin(rng, blind)
    np.testing.assert_allclose(other.joint_chain(), blind.joint_chain(), atol=1e-15)
    moved = abs(other.p_y[1, 0] - blind.p_y[1, 0]) * (1 - blind.p_z[0])
    assert math.isclose(abs(other.effects()["NIE"] - blind.effects()["NIE"]), moved, abs_tol=1e-12)


@JOINT_IDENTIFIES.check("simulation")
def estimated_from_supervised_samples(rng, scale):
    units = 250_000 if scale == "default" else 10_000_000  # four standard errors stay below IDENTIFY_POWER / 2
    estimates = []
    for index in range(20):
        model = toys.random_mediation(rng, positivity=0.1)
        table = toys.sampled_tables(rng, model, units)  # observed (x, z, y): the joint, with P(X)
        # the identity at the empirical model, weights being the observed counts
        JOINT_IDENTIFIES.claim.require(**_weights_of(table.sum(axis=2), table))
        tolerance = 4 * toys.nie_standard_error(model, units)  # four delta-method standard errors
        estimates.append(sim.compare(f"NIE[model {index}]", toys.nie_from_counts(table), model.effects()["NIE"],
                                     tolerance=tolerance, power=IDENTIFY_POWER))
    return sim.Observation(violation=None, estimates=tuple(estimates),
                           figures={"largest_error": max(abs(e.measured - e.claimed) for e in estimates),
                                    "largest_tolerance": max(e.tolerance for e in estimates)},
                           detail=f"the NIE read off the empirical joint of {units} observed (x, z, y) matches the true NIE")
