"""§4 of the paper, reasoning degradation: claims E-22 … E-27.

Chains of thought are modelled as mediators: a binary structural causal model X → Z → Y with a
direct edge X → Y has tables p_z[x] = P(Z=1|x) and p_y[x][z] = P(Y=1|x, z). Its natural
indirect effect (x: 0 → 1) is the mediation formula
NIE = E[Y(1, Z(1))] − E[Y(1, Z(0))] = Σ_z p_y[1][z]·(P(z | 1) − P(z | 0)).

Where a universal z3 claim ranges over probabilities, each is written p = w₁/(w₀ + w₁) with
w₀, w₁ ≥ 0 and w₀ + w₁ > 0: this ranges over all of [0, 1], and the cross-check's random points
meet such a setting often (a box [0, 1]⁸ is met by a random point only about once in 10⁴ tries).
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from proofs import cas, lemma, sim, smt
from simulations import reasoning as toys

# A boundary mutant of a strict test comparison (a < b → a ≤ b, a > b → a ≥ b) weakens the assertion:
# it passes whenever the original passes, so no run can kill it. Named on each lemma that has one.
WEAKER = ("a weakening, not a stronger claim: the strict comparison made non-strict passes whenever the "
          "original passes, so no run can kill it")


def _tables(q, suffix):
    """Binary SCM tables as z3 reals in [0, 1]: p_z[x] and p_y[x][z] (for witnesses)."""
    p_z = q.reals(f"pz0_{suffix} pz1_{suffix}")
    p_y = [q.reals(f"py{x}0_{suffix} py{x}1_{suffix}") for x in (0, 1)]
    q.domain(*[smt.And(v >= 0, v <= 1) for v in (*p_z, *p_y[0], *p_y[1])])
    return p_z, p_y


def _weighted(q, name, setting):
    """A probability w₁/(w₀ + w₁) and its two weights; appends to `setting` what makes it one
    (w₀, w₁ ≥ 0, not both 0), which the caller states as a single domain constraint."""
    w0, w1 = q.reals(f"{name}_w0 {name}_w1")
    setting += [w0 >= 0, w1 >= 0, w0 + w1 > 0]
    return w1 / (w0 + w1), (w0, w1)


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
    outcome = lambda z: smt.If(step(1, z) > 0, joint[1, z, 1] / step(1, z), 0)  # noqa: E731
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
# E-22: the next-token likelihood objective.
# ---------------------------------------------------------------------------------------------

LIKELIHOOD = lemma(
    "reasoning.next_token_likelihood",
    title="The next-token loss is non-negative for every sequence length",
    kind="definition",
    paper_ref="§4, Eq. 26 (number guessed)",
    claim_ref="E-22",
    source="attested",
    statement="$\\mathcal{L}(\\theta) = -\\sum_t \\log p_\\theta(x_t \\mid x_{<t})$.",
    formal=(
        "(i) sympy: each term $-\\log p \\ge 0$ for $p \\in (0, 1]$; (ii) z3, by induction on the length "
        "$T$: if every per-token loss $\\ell_t = -\\log p_t$ is $\\ge 0$ then $\\mathcal{L}_T = "
        "\\sum_{t \\le T} \\ell_t \\ge 0$, for every $T$. The property test ties the sum to the sequence: "
        "for random laws over short sequences, $\\mathcal{L} = -\\log P(x_{1:T})$ with each conditional "
        "computed from prefix marginals, and the loss of two independent sequences is the sum of their losses."
    ),
    interpretation=("A sum over tokens (not a mean), natural logarithm.",),
    variables={"n": "the last token index T − 1", "token_loss": "the per-token losses ℓ_t = −log p_t",
               "p": "a token probability"},
    explain=lambda cx: (f"at length {cx['n'] + 1} the per-token losses {cx.get('token_loss')} sum below 0"
                        if "n" in cx else f"counterexample {dict(cx)}"),
    waivers={"simulation": "a definition; the property test evaluates it on random laws over sequences"},
    expect="proved",
)


@LIKELIHOOD.check("sympy")
def each_term_non_negative():
    p = sp.Symbol("p", positive=True)
    return cas.Bound(-sp.log(p), {p: (0.0, 1.0)}, name="minus_log_p_non_negative")


@LIKELIHOOD.check("z3")
def loss_non_negative_for_every_length(q):
    (n,) = q.ints("n")
    token_loss = q.function("token_loss", "Int", "Real")  # ℓ_t = −log p_t
    loss = q.recursive_function("loss", base=token_loss(0), step=lambda t, previous: previous + token_loss(t))
    every_term_non_negative = q.recursive_function(
        "every_term_non_negative", base=token_loss(0) >= 0,
        step=lambda t, previous: smt.And(previous, token_loss(t) >= 0), sort="Bool")
    q.induction(n, start=0)
    q.prove(smt.Implies(every_term_non_negative(n), loss(n) >= 0))


@LIKELIHOOD.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), vocabulary=st.integers(2, 3), first=st.integers(1, 4), second=st.integers(1, 3),
       certain=st.booleans())
def loss_of_sequences_from_their_law(seed, vocabulary, first, second, certain):
    rng = np.random.default_rng(seed)
    law_a = rng.dirichlet(np.full(vocabulary ** first, 0.5)).reshape((vocabulary,) * first)
    law_b = rng.dirichlet(np.full(vocabulary ** second, 0.5)).reshape((vocabulary,) * second)
    a = tuple(rng.integers(vocabulary, size=first))
    b = tuple(rng.integers(vocabulary, size=second))
    if certain:  # a model sure of the sequence: every factor is 1 and the loss is exactly 0
        law_a = np.zeros_like(law_a)
        law_a[a] = 1.0
    loss_a = toys.sequence_loss(law_a, a)
    assert loss_a >= 0
    assert math.isclose(loss_a, -math.log(law_a[a]), rel_tol=1e-9, abs_tol=1e-9)
    assert (loss_a == 0) == certain  # zero exactly when the model is certain of the whole sequence
    independent = np.multiply.outer(law_a, law_b)  # a then b, b independent of a
    both = toys.sequence_loss(independent, a + b)
    assert math.isclose(both, loss_a + toys.sequence_loss(law_b, b), rel_tol=1e-9, abs_tol=1e-9)


# ---------------------------------------------------------------------------------------------
# E-23 (a): the likelihood marginalises over chains of thought.
# ---------------------------------------------------------------------------------------------

MARGINAL = lemma(
    "reasoning.marginalisation_identity",
    title="P(Y|X) is the mixture of P(Y|X,Z) over P(Z|X), for any number of traces",
    kind="equation",
    paper_ref="§4, Equation 28",
    claim_ref="E-23",
    source="attested",
    statement=("The likelihood objective marginalises over chain-of-thought traces: "
               "$P(Y \\mid X) = \\sum_Z P(Y \\mid X, Z)\\,P(Z \\mid X)$ (G1, G2)."),
    formal=(
        "(i) z3, by induction on the number of traces: for one question with masses $m_1(z), m_0(z) \\ge 0$ "
        "on (trace $z$, answer 1 or 0), $\\sum_{z \\le n} P(Y{=}1 \\mid z)\\,P(z) \\cdot P(x) = "
        "\\sum_{z \\le n} m_1(z)$, with $P(Y{=}1 \\mid z) = m_1(z)/c(z)$, $c(z) = m_0(z) + m_1(z)$, and a "
        "trace of mass 0 contributing 0; dividing by $P(x) > 0$ gives the identity. The masses are written "
        "$u(z)^2, v(z)^2$, which range over every non-negative value. (ii) sympy, on a 2×3×2 joint table of "
        "positive masses: the same identity with both questions."
    ),
    variables={"n": "the last trace index", "u": "√ of the mass on (trace, answer 1)",
               "v": "√ of the mass on (trace, answer 0)"},
    explain=lambda cx: f"with {cx.get('n', '?')} + 1 traces the mixture over traces misses P(Y|X): {dict(cx)}",
    survivors={"Lt → LtE": WEAKER},
    expect="proved",
)


@MARGINAL.check("z3")
def mixture_over_any_number_of_traces(q):
    (n,) = q.ints("n")
    u, v = q.function("u", "Int", "Real"), q.function("v", "Int", "Real")
    right, wrong = (lambda z: u(z) * u(z)), (lambda z: v(z) * v(z))  # masses of (z, Y=1) and (z, Y=0)
    trace_mass = lambda z: right(z) + wrong(z)  # noqa: E731
    # P(Y=1 | z)·P(z)·P(x) = (m₁(z)/c(z))·c(z), and 0 for a trace that never occurs
    term = lambda z: smt.If(trace_mass(z) > 0, (right(z) / trace_mass(z)) * trace_mass(z), 0)  # noqa: E731
    mixture = q.recursive_function("mixture", base=term(0), step=lambda z, previous: previous + term(z))
    answer_mass = q.recursive_function("answer_mass", base=right(0), step=lambda z, previous: previous + right(z))
    q.induction(n, start=0)
    q.prove(mixture(n) == answer_mass(n))


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


@MARGINAL.check("simulation")
def sampled_marginal(rng, scale):
    model = toys.random_mediation(rng, positivity=0.05)
    units = 200_000 if scale == "default" else 20_000_000
    counts, answers = toys.sampled_answer_rate(rng, model, units)
    sampled = answers / counts
    exact = model.answer_given_question()
    error = float(np.abs(sampled - exact).max())
    tolerance = float(5 * np.sqrt(0.25 / counts.min()))  # five standard errors of a frequency
    violation = None if error < tolerance else {"sampled": sampled.tolist(), "exact": exact.tolist()}
    return sim.Observation(violation=violation, figures={"largest_error": error, "tolerance": tolerance},
                           slack=sim.slack(error, tolerance, side="upper"),
                           detail=(f"P(Y|X) from {units} samples of the causal model agrees with Σ_z P(Y|X,z)P(z|X) "
                                   f"within five standard errors"))


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
        "∃ binary causal models $M_1, M_2$ with $P_1(Y{=}1 \\mid x) = P_2(Y{=}1 \\mid x)$ for $x = 0, 1$ "
        "(each computed as $\\sum_z P(Y{=}1 \\mid x, z) P(z \\mid x)$) and $\\mathrm{NIE}_1 - \\mathrm{NIE}_2 "
        "\\ge 1/2$, each NIE computed by the mediation formula $\\sum_z P(Y{=}1 \\mid 1, z)(P(z \\mid 1) - "
        "P(z \\mid 0))$ (z3 witness, replayed exactly)."
    ),
    interpretation=(
        "Training signal: the marginal likelihood of the answer, the chain latent. 'Does not constrain' "
        "read as non-identifiability: equal objective, different causal use of Z.",
    ),
    variables={"pz0_a": "P(Z=1|x=0) in M₁", "pz1_a": "P(Z=1|x=1) in M₁", "py10_a": "P(Y=1|x=1,z=0) in M₁"},
    explain=lambda cx: (f"with a copy-noise of {cx['flip']:.3g} the chain user and the chain ignorer differ by less "
                        f"than 1 − 2·flip in NIE" if "flip" in cx else f"counterexample {dict(cx)}"),
    survivors={"Lt → LtE": WEAKER,
               "GtE → Gt": ("the witness family attains the gap 1 − 2·flip exactly; the 1e-12 rounding tolerance "
                            "makes the strict mutant the same assertion")},
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
    # Z copies X (with flips); M1 answers Y = Z, M2 answers from X directly with the same P(Y|X)
    copy = toys.Mediation(p_x, np.array([flip, 1 - flip]), np.array([[0.0, 1.0], [0.0, 1.0]]))
    target = copy.answer_given_question()
    ignore = toys.Mediation(p_x, np.array([flip, 1 - flip]), np.array([[target[0]] * 2, [target[1]] * 2]))
    np.testing.assert_allclose(copy.answer_given_question(), ignore.answer_given_question(), atol=1e-12)
    assert copy.effects()["NIE"] - ignore.effects()["NIE"] >= (1 - 2 * flip) - 1e-12


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
    found = int((gaps >= 0.5).sum())
    violation = None if found and largest_mismatch < 1e-12 else {"pairs_with_gap_at_least_half": found,
                                                                 "largest_likelihood_mismatch": largest_mismatch}
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
    statement=DISPOSABLE_STATEMENT,
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
        "non-negative weights, so the cross-check meets the setting at hundreds of points; dropping either "
        "half of the positivity premise gives a counterexample (a step the treated question never takes "
        "hides $P(Y \\mid 1, z)$ from the joint)."
    ),
    variables={"pz0_w0": "weight of Z=0 under x=0", "pz0_w1": "weight of Z=1 under x=0",
               "pz1_w0": "weight of Z=0 under x=1", "pz1_w1": "weight of Z=1 under x=1",
               "py10_w0": "weight of Y=0 given x=1, z=0", "py10_w1": "weight of Y=1 given x=1, z=0",
               "py11_w0": "weight of Y=0 given x=1, z=1", "py11_w1": "weight of Y=1 given x=1, z=1"},
    explain=_explain_tables,
    survivors={"dropped": "the setting (every weight ≥ 0, each pair with a positive total) makes the tables "
                          "probabilities; the identity NIE = Φ(J) is algebraic and holds for any real weights with "
                          "positive P(z | x = 1), a true stronger statement that the paper's setting does not need",
               "Lt → LtE": "a weakening of the tolerance test (error ≤ instead of < five standard errors): it "
                           "passes whenever the original does, so no run can kill it"},
    expect="proved",
)


@JOINT_IDENTIFIES.check("z3")
def nie_read_off_the_joint(q):
    setting = []
    pz0, _ = _weighted(q, "pz0", setting)
    pz1, (never, always) = _weighted(q, "pz1", setting)
    p_y = [[_weighted(q, f"py{x}{z}", setting)[0] for z in (0, 1)] for x in (0, 1)]
    q.domain(smt.And(*setting))  # the tables are probability tables
    q.given(never > 0, always > 0)  # positivity: 0 < P(Z=1 | x=1) < 1
    p_z = [pz0, pz1]
    q.prove(_nie(p_z, p_y) == _nie_read_off(_joint(p_z, p_y)))


@JOINT_IDENTIFIES.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1))
def joint_determines_nie(seed):
    rng = np.random.default_rng(seed)
    model = toys.random_mediation(rng, positivity=0.01)
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
    units = 100_000 if scale == "default" else 10_000_000
    errors, tolerances = [], []
    for _ in range(20):
        model = toys.random_mediation(rng, positivity=0.1)
        table = toys.sampled_tables(rng, model, units)  # observed (x, z, y): the joint, with P(X)
        errors.append(abs(toys.nie_from_counts(table) - model.effects()["NIE"]))
        tolerances.append(5 * toys.nie_standard_error(model, units))  # five delta-method standard errors
    errors, tolerances = np.array(errors), np.array(tolerances)
    violation = None if np.all(errors < tolerances) else {"largest_error": float(errors.max())}
    return sim.Observation(violation=violation, figures={"largest_error": float(errors.max())},
                           slack=sim.slack(errors, tolerances, side="upper"),
                           detail=f"the NIE read off the empirical joint of {units} observed (x, z, y) matches the true NIE")


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
        "approximately zero on many tasks (G1); $\\mathrm{NIE} = E[Y(x, Z(x))] - E[Y(x, Z(x^*))]$."
    ),
    formal=(
        "sympy: for the binary model, $\\mathrm{NIE} + \\mathrm{NDE} = \\mathrm{TE}$ identically. The empirical "
        "'NIE ≈ 0 on many tasks' needs real models and is not encoded; the estimator that would measure it is "
        "checked against models whose effects are known (error within five standard errors)."
    ),
    interpretation=("Natural (not controlled) effects; x* = 0, x = 1; the estimator is the plug-in mediation formula.",),
    variables={"seed": "the seed of the random model and its sample"},
    explain=lambda cx: f"the plug-in estimate misses the known NIE by more than five standard errors ({dict(cx)})",
    survivors={"Lt → LtE": WEAKER},
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
    assert abs(estimate - model.effects()["NIE"]) < 5 * toys.nie_standard_error(model, 200_000)


@MEDIATION.check("simulation")
def estimator_bias_and_spread(rng, scale):
    sizes = np.array([300, 1000, 3000, 10_000, 30_000])
    repeats = 60 if scale == "default" else 600
    model = toys.Mediation(0.5, np.array([0.2, 0.8]), np.array([[0.1, 0.6], [0.3, 0.9]]))
    truth = model.effects()["NIE"]
    errors = np.array([[toys.estimated_nie(*toys.sample(rng, model, int(n))) - truth for _ in range(repeats)] for n in sizes])
    bias, spread = np.abs(errors.mean(axis=1)), errors.std(axis=1)
    predicted = np.array([toys.nie_standard_error(model, int(n)) for n in sizes])
    # the bias must vanish within four standard errors of the mean of `repeats` estimates
    bias_tolerance = 4 * predicted / np.sqrt(repeats)
    violation = None if spread[-1] < spread[0] and np.all(bias < bias_tolerance) else {
        "bias": bias.tolist(), "spread": spread.tolist()}
    figure = sim.new_figure()
    ax = figure.subplots()
    ax.loglog(sizes, spread, "o-", label="spread of the estimate")
    ax.loglog(sizes, predicted, "k:", label="delta-method standard error")
    ax.loglog(sizes, np.maximum(bias, 1e-5), "s-", label="|bias|")
    ax.set_xlabel("observed units")
    ax.set_ylabel("error of the NIE estimate (log scale)")
    ax.set_title(f"estimating NIE = {truth:.2f}")
    ax.legend()
    return sim.Observation(violation=violation, plot=figure,
                           figures={"spread_at_30k": float(spread[-1]), "bias_at_30k": float(bias[-1])},
                           slack=sim.slack(np.maximum(bias, 1e-12), bias_tolerance, side="upper"),
                           detail="the plug-in NIE estimator's spread falls like 1/√n, its bias stays within noise")


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
        "Training to optimise $R(Y, \\hat Y) = \\mathbb{1}[\\hat Y = Y]$ imposes no requirement that intermediate steps be "
        "causally valid (G1): $J(\\pi) = E_x E_{(Z,\\hat Y)\\sim\\pi(\\cdot \\mid x)}[\\mathbb{1}(\\hat Y = Y(x))]$."
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
    interpretation=("'No requirement' read as invariance of J (the formal reading of claims.md E-25).",),
    variables={"n": "the last trace index", "truth": "the reference answer y(x)",
               "policy": "π(z, ŷ | x) as a table over (trace, answer)"},
    explain=lambda cx: (f"two policies with the same answer marginal but different chains get different "
                        f"outcome rewards ({dict(cx)})"),
    survivors={"Lt → LtE": WEAKER},
    expect="proved",
)


@OUTCOME.check("z3")
def reward_collapses_over_any_number_of_traces(q):
    n, truth = q.ints("n truth")
    q.domain(truth >= 0, truth <= 2)
    policy = q.function("policy", "Int", "Int", "Real")  # π(z, ŷ | x) for one question
    reward_of_trace = lambda z: sum(policy(z, a) * smt.If(truth == a, 1, 0) for a in range(3))  # noqa: E731
    reward = q.recursive_function("reward", base=reward_of_trace(0),
                                  step=lambda z, previous: previous + reward_of_trace(z))
    marginal = [q.recursive_function(f"answer_marginal_{a}", base=policy(0, a),
                                     step=lambda z, previous, a=a: previous + policy(z, a)) for a in range(3)]
    q.induction(n, start=0)
    q.prove(reward(n) == smt.If(truth == 0, marginal[0](n), smt.If(truth == 1, marginal[1](n), marginal[2](n))))


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
    # J computed as the full expectation over (x, z, ŷ): the chains differ, the reward does not
    assert math.isclose(toys.outcome_reward(first, truth, weights), toys.outcome_reward(second, truth, weights),
                        rel_tol=1e-9, abs_tol=1e-12)


@OUTCOME.check("simulation")
def sampled_rewards_of_policy_pairs(rng, scale):
    pairs, episodes = (40, 20_000) if scale == "default" else (400, 200_000)
    outcome_z, process_z = [], []
    for _ in range(pairs):
        first, second = toys.policies_with_same_answer_marginal(rng, 4, 3, 4, 3)
        weights, truth = rng.dirichlet(np.ones(4)), rng.integers(3, size=4)
        rewards = {}
        for name, policy in (("first", first), ("second", second)):  # independent episodes for each policy
            x, z, guess = toys.sample_episodes(rng, policy, weights, episodes)
            rewards[name] = ((guess == truth[x]).astype(float), ((guess == truth[x]) & (z == 0)).astype(float))
        for index, out in ((0, outcome_z), (1, process_z)):
            a, b = rewards["first"][index], rewards["second"][index]
            error = math.sqrt(a.var() / a.size + b.var() / b.size) or 1e-12
            out.append((a.mean() - b.mean()) / error)
    outcome_z, process_z = np.abs(outcome_z), np.abs(process_z)
    violation = None if outcome_z.max() < 5 else {"largest_standardised_gap": float(outcome_z.max())}
    figure = sim.new_figure()
    ax = figure.subplots()
    ax.hist([outcome_z, process_z], bins=20, label=["outcome reward 1[ŷ = y]", "process reward 1[ŷ = y]·1[z = 0]"])
    ax.axvline(5, color="k", ls=":")
    ax.set_xlabel("|difference of the sampled rewards| / standard error")
    ax.set_ylabel("policy pairs")
    ax.legend()
    return sim.Observation(violation=violation, plot=figure,
                           figures={"largest_outcome_gap_in_se": float(outcome_z.max()),
                                    "median_process_gap_in_se": float(np.median(process_z))},
                           slack=sim.slack(outcome_z.max(), 5.0, side="upper"),
                           detail=(f"{pairs} pairs of policies with the same answer marginal and different chains, "
                                   f"{episodes} independent episodes each: the outcome reward agrees within noise, a "
                                   f"reward that reads the chain does not"))


DISPOSABLE_RL = lemma(
    "reasoning.outcome_rl_disposable_traces",
    title="Trained on outcomes only, a policy's traces carry little of the answer; trained on the chain, half",
    kind="claim",
    paper_ref="§4",
    claim_ref="E-25",
    source="reconstructed",
    statement=(
        "Training to optimise $R(Y, \\hat Y) = \\mathbb{1}[\\hat Y = Y]$ imposes no requirement that intermediate steps be "
        "causally valid (G1); 'disposable mediators' with near-zero causal effect on final answers (P1)."
    ),
    formal=(
        "Toy: 8 questions with answer x mod 2, a tabular policy emitting a trace z then an answer ŷ, "
        "REINFORCE for 3000 steps. Outcome reward $\\mathbb{1}[\\hat y$ right$]$ against chain reward "
        "$\\mathbb{1}[z$ states the answer$]\\cdot\\mathbb{1}[\\hat y = z]$. Claim: at equal accuracy (both "
        "above 0.99), the outcome-trained policy's indirect effect (swap the trace of another question) is "
        "below 0.2 and the chain-trained one's above 0.45."
    ),
    interpretation=("The empirical reading of E-25, on a toy; real reasoning models are out of reach here.",),
    variables={"seed": "the seed of both training runs"},
    explain=lambda cx: f"the training runs seeded {cx.get('seed')} do not separate the two rewards' indirect effects",
    waivers={"symbolic": "an empirical claim about training dynamics; the invariance behind it is "
                         "reasoning.outcome_reward_sees_only_answers"},
    survivors={"Gt → GtE": WEAKER},
    expect="tested",
)


@DISPOSABLE_RL.check("hypothesis")
@settings(max_examples=6)
@given(seed=st.integers(0, 2**32 - 1))
def outcome_traces_are_disposable(seed):
    outcome = toys.train_policy(np.random.default_rng(seed), 8, "outcome", 3000)
    chain = toys.train_policy(np.random.default_rng(seed), 8, "chain", 3000)
    assert min(toys.policy_accuracy(outcome), toys.policy_accuracy(chain)) > 0.99
    assert toys.policy_nie(outcome) < 0.2
    assert toys.policy_nie(chain) > 0.45


@DISPOSABLE_RL.check("simulation")
def indirect_effect_by_reward(rng, scale):
    runs = 6 if scale == "default" else 60
    results = {reward: [toys.train_policy(rng, 8, reward, 3000) for _ in range(runs)] for reward in ("outcome", "chain")}
    nie = {reward: [toys.policy_nie(p) for p in policies] for reward, policies in results.items()}
    accuracy = {reward: [toys.policy_accuracy(p) for p in policies] for reward, policies in results.items()}
    violation = None
    if max(nie["outcome"]) >= 0.2 or min(nie["chain"]) <= 0.45:
        violation = {"nie_outcome": nie["outcome"], "nie_chain": nie["chain"]}
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
    statement="$\\eta(M) = E_{t \\sim \\mathcal{T}}[Q(M,t)/C(M,t)]$ (G2).",
    formal=(
        "∃ two models, each with (quality, cost) on two tasks, such that the mean of $Q/C$ ranks the "
        "first higher and the ratio of mean $Q$ to mean $C$ ranks the second higher (z3 witness). The "
        "choice of aggregation is therefore part of the definition. The property test checks a whole "
        "family of such pairs: a model with one cheap success and one costly failure against a uniform one."
    ),
    interpretation=("Both aggregations the claim leaves open; costs strictly positive.",),
    variables={"cheap": "the cost of the first model's cheap success", "costly": "the cost of its expensive failure",
               "share": "where the uniform model's quality sits between the two aggregations of the first"},
    explain=lambda cx: (f"a cheap success at cost {cx.get('cheap')} and a failure at cost {cx.get('costly')} do not "
                        f"reverse the ranking"),
    survivors={"Gt → GtE": WEAKER, "Lt → LtE": WEAKER},
    expect="proved",
)


def _mean_of_ratios(q1, c1, q2, c2):
    return (q1 / c1 + q2 / c2) / 2


def _ratio_of_means(q1, c1, q2, c2):
    return (q1 + q2) / (c1 + c2)


@AGGREGATION.check("z3")
def opposite_rankings(q):
    qa1, qa2, ca1, ca2, qb1, qb2, cb1, cb2 = q.reals("qa1 qa2 ca1 ca2 qb1 qb2 cb1 cb2")
    q.domain(*[v > 0 for v in (ca1, ca2, cb1, cb2)], *[smt.And(v >= 0, v <= 1) for v in (qa1, qa2, qb1, qb2)])
    q.exists(smt.And(_mean_of_ratios(qa1, ca1, qa2, ca2) > _mean_of_ratios(qb1, cb1, qb2, cb2),
                     _ratio_of_means(qa1, ca1, qa2, ca2) < _ratio_of_means(qb1, cb1, qb2, cb2)))


@AGGREGATION.check("hypothesis")
@given(cheap=st.floats(0.01, 0.99), costly=st.floats(2.01, 1000.0), share=st.floats(0.05, 0.95))
def cheap_success_against_uniform_model(cheap, costly, share):
    # model A: full quality at cost `cheap` < 1, nothing at cost `costly` > 2; model B: quality u at cost 1 on
    # both tasks. Mean of ratios: A = 1/(2·cheap); ratio of means: A = 1/(cheap + costly); B = u for both.
    # Every u strictly between the two makes the aggregations disagree.
    low, high = 1 / (cheap + costly), min(1.0, 1 / (2 * cheap))
    uniform = low + share * (high - low)
    a, b = (1.0, cheap, 0.0, costly), (uniform, 1.0, uniform, 1.0)
    assert _mean_of_ratios(*a) > _mean_of_ratios(*b)
    assert _ratio_of_means(*a) < _ratio_of_means(*b)


@AGGREGATION.check("simulation")
def disagreement_rate(rng, scale):
    pairs = 20_000 if scale == "default" else 2_000_000
    disagree, chunk = 0, 100_000
    for start in range(0, pairs, chunk):
        size = min(chunk, pairs - start)
        quality = rng.random((size, 2, 8))
        cost = rng.lognormal(0, 1, (size, 2, 8))
        mean_of_ratios = (quality / cost).mean(axis=2)
        ratio_of_means = quality.mean(axis=2) / cost.mean(axis=2)
        disagree += int((np.sign(mean_of_ratios[:, 0] - mean_of_ratios[:, 1])
                         != np.sign(ratio_of_means[:, 0] - ratio_of_means[:, 1])).sum())
    rate = disagree / pairs
    violation = None if rate > 0 else {"disagreement_rate": rate}
    return sim.Observation(violation=violation, figures={"disagreement_rate": rate},
                           detail=f"{pairs} random model pairs over 8 tasks with log-normal costs: witnesses are common")


OVERTHINKING = lemma(
    "reasoning.overthinking_lowers_efficiency",
    title="When quality saturates in cost, spending more lowers η",
    kind="claim",
    paper_ref="§4",
    claim_ref="E-26",
    source="reconstructed",
    statement="Recent reasoning models (o1, DeepSeek-R1) often over-think: C grows without a proportional gain in Q (G2).",
    formal=(
        "For $Q(C) = Q_{\\max}(1 - e^{-C/c_0})$, $\\eta = Q/C$ is strictly decreasing in $C > 0$. sympy: "
        "(i) $\\eta'(C)\\,C^2/Q_{\\max} = -g(C/c_0)$ identically, with $g(x) = 1 - e^{-x} - x e^{-x}$; "
        "(ii) $g(x) \\ge x^2 e^{-x}/2$ for every $x \\ge 0$ (calculus, after $x = t/(1-t)$ maps $t \\in [0, 1)$ "
        "onto $[0, \\infty)$); (iii) $x^2 e^{-x}/2 > 0$ for $x > 0$. So $\\eta' < 0$ on $(0, \\infty)$."
    ),
    interpretation=(
        "'Without proportional gain' read as an elasticity of Q in C below 1 along a saturating curve; "
        "whether real reasoning models sit on such a curve is empirical and not tested here.",
    ),
    variables={"q_max": "the saturation quality", "scale": "c₀", "low": "the smaller budget", "ratio": "C₂/C₁"},
    explain=lambda cx: f"raising the budget from {cx.get('low')} by ×{cx.get('ratio')} did not lower η",
    survivors={"Lt → LtE": WEAKER},
    expect="proved",
)


@OVERTHINKING.check("sympy")
def efficiency_falls():
    cost, scale, q_max = sp.symbols("C c0 Q_max", positive=True)
    x, t = sp.symbols("x t", positive=True)
    efficiency = q_max * (1 - sp.exp(-cost / scale)) / cost
    gap = lambda v: 1 - sp.exp(-v) - v * sp.exp(-v)  # noqa: E731  (Q − C·Q')/Q_max at v = C/c₀
    floor = lambda v: v ** 2 * sp.exp(-v) / 2  # noqa: E731
    return [
        cas.Identity(sp.diff(efficiency, cost) * cost ** 2 / q_max, -gap(cost / scale),
                     {cost: (0.01, 1e4), scale: (0.1, 1e3), q_max: (0.1, 1.0)}, name="derivative_is_minus_the_gap"),
        cas.Bound((gap(x) - floor(x)).subs(x, t / (1 - t)), {t: (0.0, 1.0)}, name="gap_above_its_floor"),
        cas.Bound(floor(x), {x: (1e-6, 1e4)}, strict=True, name="floor_positive"),
    ]


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
        if np.any(np.diff(efficiency) >= 0) and violation is None:
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
    variables={"seed": "the seed of the corpora", "agreement": "how often the cue agrees with entailment in training",
               "split_agreement": "how often the cue agrees in the shifted test split",
               "accuracy_with_entailment_visible": "the learner's accuracy there"},
    explain=lambda cx: ("a likelihood learner that sees the entailment bit keeps using it on a split where the cue "
                        "is misleading: it is not fooled by the cue"),
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
                           slack=sim.slack(curves["sees the entailment"][-1], 0.5, side="upper"),
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
        "Same corpus. Learner with the cue only: accuracy on a split of $n$ examples with cue agreement $a$ is "
        "within five standard errors $5\\sqrt{a(1-a)/n}$ of $a$ for $a \\in [0.1, 0.9]$ (the learner predicts the cue); "
        "learner with the entailment bit: accuracy exactly 1 on every split."
    ),
    variables={"seed": "the seed of the corpora", "agreement": "the cue's agreement in the test split"},
    explain=lambda cx: f"on a split where the cue agrees {cx.get('agreement')}, one of the two learners misses its mark",
    waivers={"symbolic": "as for reasoning.likelihood_prefers_surface_cues"},
    survivors={"Lt → LtE": WEAKER},
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
    tolerance = 5 * math.sqrt(agreement * (1 - agreement) / 20_000)  # five standard errors of a frequency
    assert abs(toys.learner_accuracy(cue_only, shifted, shifted_labels, False) - agreement) < tolerance
    assert toys.learner_accuracy(structured, shifted, shifted_labels, True) == 1.0


@CAPACITY.check("simulation")
def both_learners(rng, scale):
    count = 20_000 if scale == "default" else 2_000_000
    features, labels = toys.syllogism_corpus(rng, count, 0.9)
    agreements = np.linspace(0.9, 0.1, 9)
    curves = {name: [toys.learner_accuracy(toys.likelihood_learner(features, labels, s), *toys.syllogism_corpus(rng, count, a), s)
                     for a in agreements] for name, s in (("sees the entailment", True), ("surface cue only", False))}
    gaps = np.abs(np.array(curves["surface cue only"]) - agreements)
    tolerances = 5 * np.sqrt(agreements * (1 - agreements) / count)  # five standard errors of a frequency
    gap = float(gaps.max())
    violation = None if np.all(gaps < tolerances) and min(curves["sees the entailment"]) == 1.0 else {
        "gap": gap, "curves": curves}
    slack = sim.slack(np.maximum(gaps, 1e-12), tolerances, side="upper")
    return sim.Observation(violation=violation, plot=_pattern_plot(agreements, curves), figures={"cue_only_gap": gap},
                           slack=slack,
                           detail="the cue-only learner's accuracy equals the cue's agreement; the structured one stays at 1")
