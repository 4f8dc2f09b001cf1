"""E-16, Positional undertraining (§3, Lemma 2 (Lemma 3 in the TMLR version, per G4)): its readings, variants and corrections.

Each lemma reads top-down: the declaration, then its symbolic checks, property test and simulation.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from proofs import lemma, sim, smt

from ._shared import MAX_DISTANCE, STEP_SIZE, TARGET, TRAIN_LENGTH, _every, _number, _running_sum, _training_runs

# ---------------------------------------------------------------------------------------------
# E-16, positional undertraining: |E[Δa_{i,j}]| ≤ L_a·η·T·C·p(j).
# ---------------------------------------------------------------------------------------------

UNDERTRAINING_STATEMENT = (
    r"Position $j$ contributes to the training signal with probability $p(j)$; after $T$ steps of SGD "
    r"with step size $\eta$ and gradients of norm $\le C$, $|\mathbb{E}[a_{i,j}(\theta_T) - a_{i,j}(\theta_0)]| "
    r"\le L_a \eta T C p(j)$, so far-position attention stays near initialisation (G2; G1: updates scale as "
    r"$O(p(j))$)."
)


def _undertraining_measurement(model, runs):
    """Mean signed score change per distance, and the lemma's bound from the runs' own η, T, C, p."""
    features = model.features(np.arange(MAX_DISTANCE + 1))
    mean_change = np.mean([features @ (r.final - r.initial) for r in runs], axis=0)
    steps = runs[0].steps
    largest = max(r.largest_gradient_norm for r in runs)
    frequency = np.mean([r.contributed / r.steps for r in runs], axis=0)
    bound = model.score_lipschitz * STEP_SIZE * steps * largest * frequency
    return np.abs(mean_change), bound


def _plot_undertraining(curves):
    figure = sim.new_figure()
    ax = figure.subplots()
    for label, (change, bound) in curves.items():
        line, = ax.plot(np.arange(MAX_DISTANCE + 1), change, marker=".", label=f"|E Δs_d|, {label}")
        ax.plot(np.arange(MAX_DISTANCE + 1), bound, "--", color=line.get_color(), label=f"L_a·η·T·C·p(d), {label}")
    ax.axvline(TRAIN_LENGTH, color="k", ls=":", label="training length")
    ax.set_yscale("symlog", linthresh=1e-3)
    ax.set_ylim(bottom=0)
    ax.set_xlabel("distance d = i − j")
    ax.set_ylabel("change of the attention score")
    ax.legend(fontsize=7)
    return figure


UNDERTRAINING = lemma(
    "context.positional_undertraining",
    title="Positional undertraining with position-specific parameters",
    kind="lemma",
    paper_ref="§3, Lemma 2 (Lemma 3 in the TMLR version)",
    claim_ref="E-16",
    source="attested",
    statement=UNDERTRAINING_STATEMENT,
    formal=(
        r"Position-specific parameters: the score at distance $d$ is its own parameter $b_d$, and SGD moves it "
        r"by $-\eta g_t(d)$ at step $t$, where $|g_t(d)| \le C\chi_t(d)$ ($\chi_t(d) = 1$ if $d$ occurs in step "
        r"$t$'s sequence, else 0: a distance that does not occur gets no gradient). (i) z3 induction: "
        r"$|b_d(\theta_n) - b_d(\theta_0)| \le \eta C K_d(n)$ for every $n$, $K_d(n) = \sum_{t \le n}\chi_t(d)$. "
        r"(ii) z3: $|\Delta a| \le L_a |\Delta b_d|$ gives $|\Delta a| \le L_a \eta C K_d$ on every sample path. "
        r"(iii) z3 from the cited properties of expectation (context.expectation_is_linear_and_monotone): "
        r"$|\mathbb{E}\Delta a| \le \mathbb{E}|\Delta a| \le L_a\eta C\,\mathbb{E}K_d = L_a \eta T C p(d)$, with "
        r"$p(d) = \mathbb{E}K_d/T$ the probability that a step's sequence contains $d$."
    ),
    interpretation=(
        "Parameters: position-specific (a learned relative bias per distance, T5-style). The shared "
        "(RoPE) reading is context.positional_undertraining_shared.",
        "'Position j contributes': the distance d = i − j occurs in the step's sequence; p(d) is the "
        "probability of that per step (averaged over the steps when they are not identically distributed); "
        "a_{i,j} is the pre-softmax score; the bound is on |E Δa| and is proved through E|Δa|.",
        "Simulation: 8 runs of 400 SGD steps (η = 0.5) of fixed-offset retrieval on sequences of "
        "length ≤ 16, distances evaluated up to 64; C and p(d) are measured in the runs.",
    ),
    uses=("context.expectation_is_linear_and_monotone",),
    variables={"dA": "Δa, the change of the score", "L_a": "the Lipschitz constant of the score",
               "D": r"$|\Delta b_d|$, the parameter's displacement", "eta": "η, the step size",
               "C": "the gradient-norm bound", "K": "the number of steps whose sequence contains d",
               "distance": "d = i − j", "mean_change": "|E Δs_d| over the runs", "bound": "L_a·η·T·C·p(d)"},
    explain=lambda cx: (f"at distance {cx['distance']} the mean score change {_number(cx['mean_change'])} exceeds "
                        f"L_a·η·T·C·p(d) = {_number(cx['bound'])}" if "distance" in cx else
                        "the score moved more than L_a·η·C per step containing d"),
    survivors={"change <= bound * (1 + 1e-09) + 1e-12: LtE → Lt": (
        "a distance seen in no step has change = bound = 0, but the 10^-12 float tolerance keeps < true there "
        "too; the bound is attained with equality only in exact arithmetic (the z3 checks)")},
    expect="proved",
)


@UNDERTRAINING.check("z3")
def displacement_counts_only_steps_with_d(q):
    """(i) |b_d(θ_n) − b_d(θ_0)| ≤ η·C·K_d(n) for every number of steps n ≥ 1."""
    (n,) = q.ints("n")
    eta, largest = q.reals("eta C")
    gradient = q.function("g", "Int", "Real")  # g_t(d), the gradient on b_d at step t
    seen = q.function("chi", "Int", "Real")  # χ_t(d) ∈ {0, 1}
    bounded = _every(q, "every_step_bounded", lambda t: smt.And(smt.Or(seen(t) == 0, seen(t) == 1),
                                                               gradient(t) <= largest * seen(t),
                                                               -gradient(t) <= largest * seen(t)), start=1)
    moved = q.recursive_function("Db", start=1, base=-eta * gradient(1), step=lambda t, prev: prev - eta * gradient(t))
    count = _running_sum(q, "K", seen, start=1)
    q.domain(eta > 0)
    q.induction(n, start=1)
    q.prove(smt.Implies(bounded(n), smt.And(moved(n) <= eta * largest * count(n),
                                            -moved(n) <= eta * largest * count(n))))


@UNDERTRAINING.check("z3")
def pointwise_displacement(q):
    change, lipschitz, displacement, eta, largest, steps_with_d = q.reals("dA L_a D eta C K")
    q.domain(lipschitz > 0, displacement >= 0)
    q.given(change <= lipschitz * displacement, -change <= lipschitz * displacement,  # the score is L_a-Lipschitz
            displacement <= eta * largest * steps_with_d)  # (i)
    q.prove(smt.And(change <= lipschitz * eta * largest * steps_with_d,
                    -change <= lipschitz * eta * largest * steps_with_d))


@UNDERTRAINING.check("z3")
def expectation_step(q):
    """(iii) The cited properties of E applied to the pointwise bound (ii): premises are their instances."""
    mean_change, mean_size, mean_count, lipschitz, eta, largest, steps, prob = q.reals("EdA EabsdA EK L_a eta C T p")
    q.given(mean_change <= mean_size, -mean_change <= mean_size,  # |E X| ≤ E|X|
            mean_size <= lipschitz * eta * largest * mean_count,  # monotone and linear E of |Δa| ≤ L_a·η·C·K_d
            mean_count == steps * prob)  # E K_d = Σ_t P(d in step t) = T·p(d)
    q.prove(smt.And(mean_change <= lipschitz * eta * steps * largest * prob,
                    -mean_change <= lipschitz * eta * steps * largest * prob))


@UNDERTRAINING.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), train_length=st.integers(5, 12), steps=st.integers(1, 60),
       step_size=st.floats(0.01, 1.0))
def relative_bias_moves_within_its_own_steps(seed, train_length, steps, step_size):
    from simulations import attention_training as training

    model = training.Model("relative_bias", 24)
    run = training.train(np.random.default_rng(seed), model, np.arange(TARGET + 1, train_length + 1), steps,
                         step_size, TARGET)
    change = training.score_change(model, run)
    bound = model.score_lipschitz * step_size * run.largest_gradient_norm * run.contributed
    # a distance no step contained has bound 0 and, exactly, change 0: the claim at its sharpest
    assert np.all(change <= bound * (1 + 1e-9)), np.max(change - bound)


@UNDERTRAINING.check("simulation")
def undertrained_distances(rng, scale):
    runs = 8 if scale == "default" else 64
    model, bias_runs = _training_runs(rng, "relative_bias", runs, 400)
    change, bound = _undertraining_measurement(model, bias_runs)
    excess = change - bound
    violation = None
    if excess.max() > 1e-9:
        d = int(excess.argmax())
        violation = {"distance": d, "mean_change": float(change[d]), "bound": float(bound[d])}
    unseen = change[TRAIN_LENGTH:]
    return sim.Observation(
        violation=violation,
        detail=f"relative bias, {runs} runs: every distance's mean change is within L_a·η·T·C·p(d); "
               f"distances ≥ {TRAIN_LENGTH} never move",
        figures={"largest_change_over_bound_seen": float((change[:TRAIN_LENGTH] / bound[:TRAIN_LENGTH]).max()),
                 "largest_change_unseen": float(unseen.max())},
        plot=_plot_undertraining({"relative bias": (change, bound)}),
        slack=sim.slack(change[:TRAIN_LENGTH], bound[:TRAIN_LENGTH], side="upper"),
    )


SHARED = lemma(
    "context.positional_undertraining_shared",
    title="Positional undertraining with parameters shared across positions (RoPE)",
    kind="lemma",
    paper_ref="§3, Lemma 2 (Lemma 3 in the TMLR version)",
    claim_ref="E-16",
    source="attested",
    statement=UNDERTRAINING_STATEMENT,
    formal=(
        r"Shared parameters: $s_d = \Phi(d)\cdot\theta$ with $\Phi(d) = (\cos\theta_k d, \sin\theta_k d)_k$, "
        r"$\theta$ moved by every step. The claim $|\mathbb{E}\Delta s_d| \le L_a \eta T C p(d)$ then says that a "
        r"distance that never occurs ($p(d) = 0$) does not move. z3: one step with a gradient $g$ from another "
        r"distance moves $s_d$ by $\eta g \Phi(d)$."
    ),
    interpretation=(
        "Parameters shared by every position (RoPE's W_Q, W_K, reduced to content-free frequency "
        "weights); 'contributes' and a_{i,j} as in context.positional_undertraining.",
    ),
    variables={"eta": "η", "g": "the gradient on the shared parameter, from another distance",
               "phi": "Φ(d), the feature of the unseen distance", "C": "the gradient bound", "L_a": "the Lipschitz "
               "constant", "T": "the number of steps", "p": "p(d) = 0: d never occurs", "distance": "d",
               "mean_change": "|E Δs_d|", "bound": "L_a·η·T·C·p(d)", "train_length": "the longest training sequence"},
    explain=lambda cx: (f"distance {cx['distance']} never occurs in training (p(d) = 0, bound "
                        f"{_number(cx['bound'])}) yet its score moved {_number(cx['mean_change'])}"
                        if "distance" in cx else
                        f"a RoPE layer trained {cx['steps']} steps (η = {_number(cx['step_size'])}) on sequences of "
                        f"length ≤ {cx['train_length']} moved the score of a distance no step contained"
                        if "seed" in cx else
                        f"one step with gradient g = {_number(cx.get('g'))} from another distance moves the unseen "
                        f"distance's score by η·g·Φ(d) = {_number(cx.get('eta'))} × {_number(cx.get('g'))} × "
                        f"{_number(cx.get('phi'))} ≠ 0, while L_a·η·T·C·p(d) = 0"),
    expect="refuted",
)


@SHARED.check("z3")
def one_shared_step(q):
    eta, gradient, feature, largest, lipschitz, steps, frequency = q.reals("eta g phi C L_a T p")
    q.domain(eta > 0, largest > 0, feature >= 0, steps == 1)
    q.given(gradient <= largest, -gradient <= largest, lipschitz >= feature, frequency == 0)
    change = eta * gradient * feature
    bound = lipschitz * eta * steps * largest * frequency
    q.prove(smt.And(change <= bound, -change <= bound))


@SHARED.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), train_length=st.integers(5, 12), steps=st.integers(1, 60),
       step_size=st.floats(0.01, 1.0))
def rope_moves_unseen_distances(seed, train_length, steps, step_size):
    from simulations import attention_training as training

    model = training.Model("rope", 24)
    run = training.train(np.random.default_rng(seed), model, np.arange(TARGET + 1, train_length + 1), steps,
                         step_size, TARGET)
    change = training.score_change(model, run)
    bound = model.score_lipschitz * step_size * run.largest_gradient_norm * run.contributed
    worst = int(np.argmax(change - bound))
    assert change[worst] <= bound[worst] * (1 + 1e-9) + 1e-12, (
        f"distance {worst} (seen in {int(run.contributed[worst])} steps) moved {change[worst]:.3g} > {bound[worst]:.3g}")


@SHARED.check("simulation")
def rope_unseen_distances(rng, scale):
    runs = 8 if scale == "default" else 64
    model, rope_runs = _training_runs(rng, "rope", runs, 400)
    change, bound = _undertraining_measurement(model, rope_runs)
    excess = change - bound
    violation = None
    if excess.max() > 1e-9:
        d = int(excess.argmax())
        violation = {"distance": d, "mean_change": float(change[d]), "bound": float(bound[d]),
                     "training_length": TRAIN_LENGTH}
    return sim.Observation(
        violation=violation,
        detail=f"RoPE, {runs} runs: distances never seen in training move as much as seen ones",
        figures={"mean_change_unseen": float(change[TRAIN_LENGTH:].mean()),
                 "mean_change_seen": float(change[:TRAIN_LENGTH].mean())},
        plot=_plot_undertraining({"RoPE": (change, bound)}),
        slack=sim.slack(change, bound, side="upper"),
    )


SHARED_BOUND = lemma(
    "context.positional_undertraining_shared_bound",
    title=r"With shared parameters every distance moves up to $L_a \eta T C$, seen or not",
    kind="correction",
    corrects="context.positional_undertraining_shared",
    paper_ref="§3, Lemma 2 (Lemma 3 in the TMLR version)",
    claim_ref="E-16",
    source="reconstructed",
    statement=(
        r"When attention scores at all positions share parameters (RoPE), the $p(j)$ factor is lost: "
        r"$|\Delta a_{i,j}| \le L_a \eta \sum_t \|g_t\| \le L_a \eta T C$ for every $(i, j)$, and positions never "
        "reached in training move as much as trained ones. Undertraining of far positions then means "
        "extrapolating shared parameters, not staying at initialisation."
    ),
    formal=(
        r"(i) z3 induction: with $D_t = \|\theta_t - \theta_0\|$, the triangle inequality of the norm at each "
        r"step ($\theta_t - \theta_0 = (\theta_{t-1} - \theta_0) - \eta g_t$, so $D_t \le D_{t-1} + \eta\|g_t\|$) and "
        r"$\|g_t\| \le C$ give $D_n \le \eta C n$ for every $n$. (ii) z3: $|\Delta a| \le L_a D_T \le L_a \eta T C$."
    ),
    variables={"dA": "Δa", "L_a": "the Lipschitz constant", "D": r"$\|\theta_T - \theta_0\|$", "eta": "η",
               "T": "the number of steps", "C": "the gradient-norm bound", "distance": "d", "change": "|E Δs_d|",
               "bound": "L_a·η·T·C"},
    explain=lambda cx: (f"distance {cx['distance']} moved {_number(cx['change'])} > L_a·η·T·C = {_number(cx['bound'])}"
                        if "distance" in cx else "the score moved more than L_a·η·T·C"),
    survivors={"bound * (1 + 1e-09): LtE → Lt": (
        "the largest score change of a trained RoPE model never equals L_a·η·T·C (that needs every gradient "
        "aligned with one feature), so ≤ and < agree on every run; attainment is a z3 matter"),
        "change.max() <= bound: LtE → Lt": "as above, for the simulation's 8 (64 at full scale) trained models"},
    expect="proved",
)


@SHARED_BOUND.check("z3")
def norm_grows_at_most_eta_C_per_step(q):
    """(i) ‖θ_n − θ_0‖ ≤ η·C·n for every n ≥ 1, from the triangle inequality at each step."""
    (n,) = q.ints("n")
    eta, largest = q.reals("eta C")
    distance = q.function("Dt", "Int", "Real")  # ‖θ_t − θ_0‖
    size = q.function("G", "Int", "Real")  # ‖g_t‖

    def step(t):
        previous = 0 * eta if isinstance(t, int) else distance(t - 1)  # at t = 1: ‖θ_0 − θ_0‖ = 0
        return smt.And(distance(t) <= previous + eta * size(t), size(t) >= 0, size(t) <= largest)

    bounded = _every(q, "every_step_triangle", step, start=1)
    q.domain(eta > 0)
    q.induction(n, start=1)
    q.prove(smt.Implies(bounded(n), distance(n) <= eta * largest * n))


@SHARED_BOUND.check("z3")
def shared_displacement(q):
    change, lipschitz, displacement, eta, steps, largest = q.reals("dA L_a D eta T C")
    q.domain(lipschitz > 0, displacement >= 0)
    q.given(change <= lipschitz * displacement, -change <= lipschitz * displacement,  # the score is L_a-Lipschitz
            displacement <= eta * largest * steps)  # (i) at n = T
    q.prove(smt.And(change <= lipschitz * eta * steps * largest, -change <= lipschitz * eta * steps * largest))


@SHARED_BOUND.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), train_length=st.integers(5, 12), steps=st.integers(1, 60),
       step_size=st.floats(0.01, 1.0))
def rope_moves_within_the_shared_bound(seed, train_length, steps, step_size):
    from simulations import attention_training as training

    model = training.Model("rope", 24)
    run = training.train(np.random.default_rng(seed), model, np.arange(TARGET + 1, train_length + 1), steps,
                         step_size, TARGET)
    bound = model.score_lipschitz * step_size * steps * run.largest_gradient_norm
    assert training.score_change(model, run).max() <= bound * (1 + 1e-9)


@SHARED_BOUND.check("simulation")
def rope_against_shared_bound(rng, scale):
    runs = 8 if scale == "default" else 64
    model, rope_runs = _training_runs(rng, "rope", runs, 400)
    change, _ = _undertraining_measurement(model, rope_runs)
    largest = max(r.largest_gradient_norm for r in rope_runs)
    bound = model.score_lipschitz * STEP_SIZE * 400 * largest
    violation = None if change.max() <= bound else {"distance": int(change.argmax()), "change": float(change.max()),
                                                      "bound": bound}
    return sim.Observation(
        violation=violation,
        detail="RoPE: every distance's mean change is within L_a·η·T·C",
        figures={"largest_change_over_bound": float(change.max() / bound),
                 "unseen_over_seen_mean_change": float(change[TRAIN_LENGTH:].mean() / change[:TRAIN_LENGTH].mean())},
        plot=_plot_undertraining({"RoPE": (change, np.full_like(change, bound))}),
        slack=sim.slack(change, np.full_like(change, bound), side="upper"),
    )
