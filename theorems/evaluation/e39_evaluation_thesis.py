"""E-39, Thesis (§7 (thesis)): its readings, variants and corrections.

Each lemma reads top-down: the declaration, then its symbolic checks, property test and simulation.
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp
from hypothesis import example, given, settings
from hypothesis import strategies as st

from proofs import Claim, cas, lemma, sim, smt
from proofs.statement import And
from simulations import evaluation as toys

SKILL, OVERLAP, CONFIDENCE, BIAS, CORRECTNESS = sp.symbols("s f c lambda p", positive=True)
SAMPLING_TOLERANCE = ("strict against non-strict at a sampling tolerance: an estimate landing exactly on the "
                      "tolerance has probability 0, so no sample can tell the two apart")  # why such a mutant survives
BY_CONSTRUCTION = ("its conclusion is built into the model ({why}), so the lemma is context for the thesis, not evidence "
                   "for it: no claim is declared, its symbolic checks are marked as parts (the model's algebra), and it "
                   "reads tested at most")

# ---------------------------------------------------------------------------------------------
# Contamination inflates scores: a model whose conclusion is its premise.
# ---------------------------------------------------------------------------------------------

NEVER_AT_THE_EDGE = ("≤ made < on a sampled mean (or a grid optimum) against a tolerance that is a sum of irrational "
                     "and decimal numbers: the measured distance equals the tolerance on a set of probability 0 "
                     "(no draw of the seeded generator lands on it), so the strict and the non-strict test accept the "
                     "same draws; the tolerance's size is what is checked, and its constant mutants are killed")


CONTAMINATION = lemma(
    "evaluation.contamination_inflates_scores",
    title="In a memorisation toy, test-set overlap f raises the score by f·(1 − s) (context: built into the toy)",
    kind="remark",
    paper_ref="§7",
    claim_ref="E-39",
    source="reconstructed",
    statement=(
        "Model of 'data contamination inflates scores' (context: the conclusion is built in): a model that always "
        "answers the fraction f of benchmark items it memorised, and the others with its skill s < 1, scores "
        "s + f(1 − s) in expectation, which rises with f, while its score on the clean items stays s."
    ),
    formal=(
        "Parts, not the thesis: sympy, f + (1 − f)s − s = f(1 − s); z3, the expected score strictly increasing in f "
        "for s < 1. The simulation compares the toy's sampled raw and clean scores with s + f(1 − s) and s "
        "(sim.compare, declared power 3 points); the property test does the same on random s, f."
    ),
    interpretation=(
        "The thesis (§7) is a position about evaluation practice; this toy models one mechanism it names. That "
        "memorised items are always right is the toy's premise, and the inflation follows from it.",
    ),
    claim_note=BY_CONSTRUCTION.format(why="memorised items are always answered correctly"),
    survivors={
        "sampled_scores_match | boundary | abs(raw.mean() - expected) <= 5 * math.sqrt(expected * (1 - expected) "
        "/ 40000) + 1e-09 | LtE → Lt": NEVER_AT_THE_EDGE,
        "sampled_scores_match | boundary | abs(np.nanmean(clean) - skill) <= 5 * math.sqrt(skill * (1 - skill) / "
        "(40000 * (1 - overlap))) + 0.01 | LtE → Lt": NEVER_AT_THE_EDGE,
    },
    variables={"s": "the model's skill on items it has not memorised (any s < 1)", "f1": "the smaller overlap fraction",
               "f2": "the larger overlap fraction"},
    explain=lambda cx: (f"with skill {float(cx['s']):.3g}, raising the overlap from {float(cx['f1']):.3g} to "
                        f"{float(cx['f2']):.3g} would not raise the expected score")
    if {"s", "f1", "f2"} <= set(cx) else f"a sampled benchmark whose scores contradict the model: {cx}",
    expect="tested",
)


@CONTAMINATION.check("z3", part="the model's expected score rises with the overlap (its premise makes it so)")
def score_rises_with_overlap(q):
    skill, less, more = q.reals("s f1 f2")
    q.given(skill < 1, less < more)  # the algebra needs no more: 0 ≤ f, s ≤ 1 are not used
    q.prove(more + (1 - more) * skill > less + (1 - less) * skill)


@CONTAMINATION.check("sympy", part="the model's expected score, in closed form")
def inflation_closed_form():
    return cas.Identity(OVERLAP + (1 - OVERLAP) * SKILL - SKILL, OVERLAP * (1 - SKILL), {SKILL: (0, 1), OVERLAP: (0, 1)},
                        name="inflation")


@CONTAMINATION.check("hypothesis")
@settings(max_examples=50)
@given(skill=st.floats(0.0, 0.95), overlap=st.floats(0.0, 0.9), seed=st.integers(0, 2**32 - 1))
def sampled_scores_match(skill, overlap, seed):
    raw, clean = toys.contaminated_scores(np.random.default_rng(seed), 2000, skill, overlap, 20)
    expected = overlap + (1 - overlap) * skill
    assert abs(raw.mean() - expected) <= 5 * math.sqrt(expected * (1 - expected) / 40000) + 1e-9
    assert abs(np.nanmean(clean) - skill) <= 5 * math.sqrt(skill * (1 - skill) / (40000 * (1 - overlap))) + 0.01


SCORE_POWER = 0.03  # three points of score: the smallest departure from s + f(1 − s) (or s) the simulation detects


@CONTAMINATION.check("simulation")
def scores_against_overlap(rng, scale):
    overlaps = np.linspace(0, 0.8, 9)
    skill, items, trials = 0.4, 2000, (100 if scale == "default" else 5000)
    raw, clean = zip(*(toys.contaminated_scores(rng, items, skill, f, trials) for f in overlaps))
    raw, clean = np.array([r.mean() for r in raw]), np.array([np.nanmean(c) for c in clean])
    expected = overlaps + (1 - overlaps) * skill
    estimates = [sim.compare(f"raw score at f = {f:.1f}", r, e, power=SCORE_POWER,
                             tolerance=5 * math.sqrt(e * (1 - e) / (items * trials)))
                 for f, r, e in zip(overlaps, raw, expected)]
    estimates += [sim.compare(f"clean score at f = {f:.1f}", c, skill, power=SCORE_POWER,
                              tolerance=5 * math.sqrt(skill * (1 - skill) / (items * trials * (1 - f))))
                  for f, c in zip(overlaps, clean)]
    figure = sim.new_figure()
    ax = figure.subplots()
    ax.plot(overlaps, raw, "o-", label="raw score")
    ax.plot(overlaps, clean, "s-", label="score on the clean subset")
    ax.plot(overlaps, expected, "k:", label="s + f(1 − s)")
    ax.set_xlabel("train–test overlap f")
    ax.set_ylabel(f"benchmark score (skill s = {skill})")
    ax.legend()
    return sim.Observation(violation=None, plot=figure, estimates=tuple(estimates),
                           figures={"raw_at_0.8": float(raw[-1]), "clean_at_0.8": float(clean[-1])},
                           detail="raw scores rise with overlap as s + f(1 − s) while the skill, measured on clean "
                                  "items, stays 0.4 (each within five standard errors)")


# ---------------------------------------------------------------------------------------------
# Compute-agnostic metrics hide the cost of marginal gains.
# ---------------------------------------------------------------------------------------------


COMPUTE = lemma(
    "evaluation.compute_agnostic_metrics",
    title="On a saturating power-law curve, each further band of accuracy costs more log-compute",
    kind="claim",
    paper_ref="§7",
    claim_ref="E-39",
    source="reconstructed",
    statement=(
        r"Model of 'compute-agnostic metrics hide the cost of marginal gains': on the saturating curve "
        r"$\mathrm{acc}(C) = 1 - aC^{-b}$ ($a, b > 0$), two equal steps $\delta$ of accuracy from error $e$ "
        r"($e > 2\delta$) cost $\ln C$ increments $\Delta_1 < \Delta_2$: the second costs more; the log-compute per "
        r"point, $1/(b(1 - \mathrm{acc}))$, grows without bound, which a metric of accuracy alone does not show."
    ),
    formal=(
        r"With $x_i = e^{b\Delta_i}$: $x_1(e - \delta) = e$ and $x_2(e - 2\delta) = e - \delta$ on the curve, and z3 proves "
        r"the declared claim $x_2 > x_1$ for $\delta > 0$, $e > 2\delta$. sympy: $C(e) = (a/e)^{1/b}$ inverts the curve; "
        r"$d\ln C/d\,\mathrm{acc} = 1/(be)$, increasing, and $\to \infty$ as $e \to 0^+$. The property test measures "
        r"$\Delta_i$ on the curve by bisection; the simulation on benchmarks whose items are solved at Pareto compute "
        "thresholds."
    ),
    interpretation=(
        "A model: the saturating power law is assumed, as scaling-law fits do; the thesis itself (§7) is a position. "
        "'Hide the cost of marginal gains' read as: the compute (in log units) bought by each further point of "
        "accuracy grows, and without bound.",
        "The simulation does not evaluate the formula: it draws benchmarks whose items each become solved at a "
        "Pareto-distributed compute threshold (the mechanism whose expected accuracy is the curve above, for C past "
        "the knee), and measures the compute each band of 20 points costs. An earlier version finite-differenced "
        "the clipped curve max(0, 1 − aC^(−b)) across the knee, where the law does not hold, and at full scale "
        "found a 'rising gain' that was that clipping artefact.",
    ),
    claim=Claim(lambda e, d, x1, x2: x2 > x1,
                where=lambda e, d, x1, x2: And(d > 0, e > 2 * d, x1 * (e - d) == e, x2 * (e - 2 * d) == e - d)),
    variables={"e": "the error rate 1 − acc at the start", "d": "the step of accuracy", "x1": "e^(b·Δ₁), the first "
               "step's compute factor", "x2": "e^(b·Δ₂), the second's", "family": "the index of a simulated model family"},
    explain=lambda cx: (f"from error {float(cx['e']):.3g}, the second step of {float(cx['d']):.3g} costs a compute factor "
                        f"{float(cx['x2']):.4g}, not more than the first's {float(cx['x1']):.4g}") if "x1" in cx
    else f"a point of the curve where the claim fails: {cx}",
    expect="proved",
)
ERROR = sp.Symbol("e", positive=True)  # 1 − accuracy
SCALE, EXPONENT = sp.symbols("a b", positive=True)
BANDS = np.array([0.1, 0.3, 0.5, 0.7, 0.9])  # accuracy levels; each band is 20 points
BAND_POWER = 0.05  # a 5 % departure of the total log-compute from 0.1 to 0.9 accuracy from its closed form is detected


@COMPUTE.check("z3")
def the_second_step_costs_more(q):
    q.prove_claim()


@COMPUTE.check("sympy")
def marginal_compute():
    needed = (SCALE / ERROR) ** (1 / EXPONENT)
    per_point = -sp.diff(sp.log(needed), ERROR)  # d ln C / d acc = −d ln C / d e
    domain = {ERROR: (0.01, 0.99), SCALE: (0.1, 10), EXPONENT: (0.05, 50)}  # where the Arb balls sample: b > 0 at large
    return [cas.Identity(1 - SCALE * needed ** (-EXPONENT), 1 - ERROR, domain, name="needed_compute_inverts_the_curve"),
            cas.Identity(per_point, 1 / (EXPONENT * ERROR), domain, name="log_compute_per_point"),
            cas.Bound(-sp.diff(1 / (EXPONENT * ERROR), ERROR), domain, strict=True, name="cost_per_point_increases"),
            cas.Limit(1 / (EXPONENT * ERROR), ERROR, expected=sp.oo, point=0,
                      samples={EXPONENT: (sp.Rational(1, 10), 1)}, name="cost_per_point_diverges")]


def _compute_for(a, b, accuracy):
    """The compute at which the forward curve reaches `accuracy`, by bisection on ln C: the closed
    form is not used, so the property test checks it independently."""
    low, high = -50.0, 700.0
    for _ in range(200):
        middle = (low + high) / 2
        if toys.accuracy_curve(np.array([math.exp(middle)]), a, b)[0] < accuracy:
            low = middle
        else:
            high = middle
    return (low + high) / 2


@COMPUTE.check("hypothesis")
@given(a=st.floats(0.1, 10.0), b=st.floats(0.05, 2.0), start=st.floats(0.05, 0.85), step=st.floats(0.01, 0.05))
def each_step_costs_more_on_the_curve(a, b, start, step):
    first = _compute_for(a, b, start + step) - _compute_for(a, b, start)
    second = _compute_for(a, b, start + 2 * step) - _compute_for(a, b, start + step)
    point = {"e": 1 - start, "d": step, "x1": math.exp(b * first), "x2": math.exp(b * second)}
    # the claim's terms are the curve's: x₁(e − δ) = e and x₂(e − 2δ) = e − δ, to the bisection's precision
    assert math.isclose(point["x1"] * (point["e"] - step), point["e"], rel_tol=1e-6)
    assert math.isclose(point["x2"] * (point["e"] - 2 * step), point["e"] - step, rel_tol=1e-6)
    COMPUTE.claim.require(**point, tolerance=1e-7)


@COMPUTE.check("simulation")
def families_of_models(rng, scale):
    items, families = (200_000, 8) if scale == "default" else (2_000_000, 40)
    predicted_shape = np.diff(-np.log(1 - BANDS))  # × 1/b: the closed form's log-compute per band
    figure = sim.new_figure(10, 4)
    left, right = figure.subplots(1, 2)
    estimates, columns, growth = [], {"e": [], "d": [], "x1": [], "x2": []}, []
    for family in range(families):
        knee, b = 10 ** rng.uniform(18, 22), rng.uniform(0.15, 0.35)
        thresholds = toys.item_thresholds(rng, items, knee, b)
        per_band = np.diff(np.log(toys.compute_to_reach(thresholds, BANDS)))
        # the standard error of ln D at accuracy q is √(q/((1 − q)·K))/b (an order statistic of U^(−1/b))
        spread = (math.sqrt(BANDS[-1] / ((1 - BANDS[-1]) * items)) + math.sqrt(BANDS[0] / ((1 - BANDS[0]) * items))) / b
        estimates.append(sim.compare(f"log-compute from 0.1 to 0.9, family {family}", per_band.sum(),
                                     predicted_shape.sum() / b, tolerance=5 * spread / (predicted_shape.sum() / b),
                                     power=BAND_POWER, relative=True))
        factors = np.exp(b * per_band)  # the claim's x for each band, measured
        for i in range(len(per_band) - 1):
            for key, value in (("e", 1 - BANDS[i]), ("d", BANDS[i + 1] - BANDS[i]), ("x1", factors[i]),
                               ("x2", factors[i + 1])):
                columns[key].append(value)
        growth.append(float(per_band[-1] / per_band[0]))
        if family < 4:
            compute = np.logspace(np.log10(knee), np.log10(knee) + 8, 60)
            accuracy = np.searchsorted(np.sort(thresholds), compute, side="right") / items
            left.semilogx(compute, accuracy, label=f"family {family} (b = {b:.2f})")
            right.plot((BANDS[:-1] + BANDS[1:]) / 2, per_band / 20, "o", label=f"family {family}")
            levels = np.linspace(0.1, 0.9, 50)
            right.plot(levels, 1 / (b * (1 - levels)) / 100, ":", color=right.lines[-1].get_color())
    violation = COMPUTE.claim.first_failure(**columns, tolerance=0.03)  # the bands' factors, to sampling precision
    left.set_xlabel("training compute C (FLOP)")
    left.set_ylabel("benchmark accuracy (the raw metric)")
    right.set_xlabel("accuracy")
    right.set_ylabel("ln-compute per point (dots: measured; dotted: 1/(b(1 − acc)))")
    left.legend(fontsize=7)
    return sim.Observation(violation=violation, plot=figure, estimates=tuple(estimates),
                           figures={"cost_of_last_band_over_first_min": min(growth),
                                    "cost_of_last_band_over_first_max": max(growth)},
                           detail=f"{families} families, benchmarks of {items} items with Pareto compute thresholds: "
                                  "each band of 20 points costs more log-compute than the one before (the declared "
                                  "claim at the measured compute factors), and the total matches the closed form")


# ---------------------------------------------------------------------------------------------
# Judge bias incentivises confident fabrication: a judge built to pay for confidence.
# ---------------------------------------------------------------------------------------------

JUDGE = lemma(
    "evaluation.judge_bias_rewards_confidence",
    title="A judge that pays for stated confidence makes full confidence optimal; a proper score does not "
          "(context: built into the judge)",
    kind="remark",
    paper_ref="§7 (and §2.3, linked to E-12)",
    claim_ref="E-39",
    source="reconstructed",
    statement=(
        "Model of 'judge bias incentivizes confident fabrication' (context: the first half is built in): a judge that "
        "scores 1[correct] + λc for a stated confidence c, λ > 0, is maximised by c = 1 whatever the chance p of being "
        "right, while the Brier score −(c − 1[correct])² is maximised by c = p."
    ),
    formal=(
        r"Parts, not the thesis: z3, $p + \lambda c \le p + \lambda$ for $c \le 1$, strictly unless $c = 1$ (the judge "
        r"pays $\lambda$ per unit of confidence, so the optimum is its premise); sympy, the expected Brier score is "
        r"stationary at $c = p$ with second derivative $-2$. The property test finds both optima on a grid; the "
        "simulation scores a calibrated and an always-sure policy under both."
    ),
    interpretation=("'Judge bias' read as a judge whose score grows with stated confidence (or length) at a rate λ; "
                    "the thesis (§7) is a position, and this toy models one mechanism it names.",),
    claim_note=BY_CONSTRUCTION.format(why="a judge that pays λ per unit of stated confidence"),
    survivors={"optima_on_a_grid | boundary | abs(grid[brier.argmax()] - p) <= 0.0005 + 1e-12 | LtE → Lt": (
        "≤ made < on the distance from the grid optimum to p: it equals half a grid step plus 10^-12 only if p "
        "lies exactly that far from a float grid point, a set of probability 0 under hypothesis' draws of p (the "
        "half-step midpoints themselves are a few ulps short of it, which the 10^-12 covers)")},
    variables={"p": "the probability that the answer is correct", "lambda": "the judge's reward per unit of "
               "stated confidence", "c": "a stated confidence"},
    explain=lambda cx: (f"at p = {float(cx['p']):.3g} and λ = {float(cx['lambda']):.3g}, stating {float(cx['c']):.3g} "
                        "would score at least as much as full confidence") if {"p", "lambda", "c"} <= set(cx)
    else f"a point where the judge or the Brier score behaves otherwise: {cx}",
    expect="tested",
)


@JUDGE.check("z3", part="the biased judge's optimum, which its reward for confidence makes full confidence")
def confidence_pays(q):
    p, bias, stated = q.reals("p lambda c")
    q.domain(stated <= 1)  # a stated confidence is at most 1 (c ≥ 0 and 0 ≤ p ≤ 1 are not needed)
    q.given(bias > 0)
    judged = p + bias * stated  # E[1[correct] + λ·c]
    # full confidence scores p + λ, at least as much as any c, and strictly more than any c < 1
    q.prove(smt.And(judged <= p + bias, smt.Implies(stated != 1, judged < p + bias)))


@JUDGE.check("sympy", part="the Brier score's optimum, the proper score it is contrasted with")
def brier_optimum():
    expected = -(CORRECTNESS * (1 - CONFIDENCE) ** 2 + (1 - CORRECTNESS) * CONFIDENCE ** 2)
    root = sp.solve(sp.diff(expected, CONFIDENCE), CONFIDENCE)[0]
    return [cas.Identity(root, CORRECTNESS, {CORRECTNESS: (0.01, 0.99)}, name="brier_optimum_is_p"),
            cas.Identity(sp.diff(expected, CONFIDENCE, 2), -2, {CORRECTNESS: (0.01, 0.99)}, name="brier_is_concave")]


@JUDGE.check("hypothesis")
@given(p=st.floats(0.0, 1.0), bias=st.floats(0.01, 1.0))
@example(p=0.0005, bias=0.5)  # halfway between two grid points: the grid optimum is exactly 0.0005 away
@example(p=0.0625, bias=1.0)  # halfway, and a few ulps past it on the float grid (found under the ci profile)
def optima_on_a_grid(p, bias):
    grid = np.linspace(0, 1, 1001)
    judge = p + bias * grid
    brier = -(p * (1 - grid) ** 2 + (1 - p) * grid ** 2)
    assert grid[judge.argmax()] == 1.0
    # the grid step is 0.001, so the grid optimum is within half a step of p; the float grid puts a
    # point like 0.0625 a few ulps past the midpoint, hence the rounding allowance
    assert abs(grid[brier.argmax()] - p) <= 0.0005 + 1e-12


@JUDGE.check("simulation")
def calibrated_against_overconfident(rng, scale):
    trials = 200 if scale == "default" else 20_000
    correctness = rng.uniform(0.2, 0.9, 500)
    results = {}
    for name, stated in (("calibrated", correctness), ("always sure", np.ones_like(correctness))):
        results[name] = toys.judged_scores(rng, correctness, stated, bias=0.2, trials=trials)
    judge_prefers_sure = results["always sure"][0] > results["calibrated"][0]
    brier_prefers_calibrated = results["calibrated"][1] > results["always sure"][1]
    violation = None if judge_prefers_sure and brier_prefers_calibrated else {"results": results}
    figure = sim.new_figure()
    ax = figure.subplots()
    x = np.arange(2)
    for offset, (name, (judge, brier)) in zip((-0.2, 0.2), results.items()):
        ax.bar(x + offset, [judge, brier], width=0.4, label=name)
    ax.set_xticks(x, ["biased judge (λ = 0.2)", "Brier score"])
    ax.set_ylabel("mean score per question")
    ax.legend()
    return sim.Observation(violation=violation, plot=figure,
                           figures={f"{k}[{s}]": v[i] for k, v in results.items() for i, s in enumerate(("judge", "brier"))},
                           detail="500 questions: the biased judge ranks 'always sure' first, the Brier score ranks calibration first")


# ---------------------------------------------------------------------------------------------
# Evaluation instability masks saturation.
# ---------------------------------------------------------------------------------------------

INSTABILITY = lemma(
    "evaluation.instability_masks_saturation",
    title="With capability saturated, evaluation noise alone keeps producing new best scores",
    kind="claim",
    paper_ref="§7",
    claim_ref="E-39",
    source="reconstructed",
    statement=(
        "Model of 'evaluation instability masks the saturation of genuine capability': if release j of a model family "
        "scores s + ε_j with s constant and ε_j i.i.d. noise of a continuous law, the expected number of 'new best "
        "score' results among k releases is H_k = Σ_{j≤k} 1/j, which grows without bound."
    ),
    formal=(
        r"Rényi's record theorem (cited): release $j$ sets a record with probability $1/j$; so the expected number of "
        r"records among $k$ releases is $\sum_{j=1}^{k} 1/j$ (linearity of expectation, assumed), which sympy sums and "
        r"shows to tend to $\infty$. The simulation compares the records counted on simulated leaderboards with $H_k$ "
        "(sim.compare)."
    ),
    interpretation=(
        "'Masks the saturation' read as: the best reported score keeps setting records (and drifting "
        "upwards, by about σ·√(2 ln k) for Gaussian noise) while the true score s is constant. The thesis (§7) is a "
        "position; this models one mechanism it names.",
    ),
    claim_note=("an asymptotic limit (H_k → ∞), which a Claim (a relation between numbers at a point) cannot state; "
                "the record count itself is measured with sim.compare against H_k"),
    survivors={"mean_records_match_the_harmonic_number | boundary | abs(per_release[-1] - harmonic) <= 5 * spread + "
               "1e-12 | LtE → Lt": NEVER_AT_THE_EDGE},
    uses=("evaluation.renyi_records",),
    assumes=("linearity of expectation: the expected number of records is the sum over releases of the probability "
             "that each sets one, Σ_j P(I_j = 1)",),
    variables={"releases": "k, the number of releases evaluated", "mean_records": "records per leaderboard, "
               "averaged", "harmonic": "H_k = Σ_{j≤k} 1/j", "seed": "the seed of the leaderboards"},
    explain=lambda cx: f"the record count departs from the harmonic number here: {cx}",
    expect="proved",
)
RELEASE = sp.Symbol("j", integer=True, positive=True)
RELEASES = sp.Symbol("k", integer=True, positive=True)
RECORDS_POWER = 0.25  # a quarter of a record per leaderboard: the smallest departure from H_k detected


@INSTABILITY.check("sympy")
def records_never_stop():
    expected_records = sp.Sum(1 / RELEASE, (RELEASE, 1, RELEASES)).doit()  # sympy's summation: H_k
    return cas.Limit(expected_records, RELEASES, expected=sp.oo, name="expected_records_diverge")


def _record_counts(rng, boards, releases, noise=0.02, capability=0.7, chunk=20_000):
    """Records set on `boards` independent leaderboards over `releases` releases of a saturated
    model (true score `capability`, Gaussian evaluation noise): records per board after each
    release, and the best reported score's excess over the true one after the last."""
    counts = np.zeros(releases)
    excess = []
    for start in range(0, boards, chunk):
        rows = min(chunk, boards - start)
        scores = capability + noise * rng.standard_normal((rows, releases))
        best_so_far = np.maximum.accumulate(scores, axis=1)
        is_record = np.ones_like(scores, dtype=bool)
        is_record[:, 1:] = scores[:, 1:] > best_so_far[:, :-1]
        counts += np.cumsum(is_record, axis=1).sum(axis=0)
        excess.append(best_so_far[:, -1] - capability)
    return counts / boards, np.concatenate(excess)


@INSTABILITY.check("hypothesis")
@settings(max_examples=20)
@given(seed=st.integers(0, 2**32 - 1), releases=st.integers(2, 200))
def mean_records_match_the_harmonic_number(seed, releases):
    boards = 4000
    per_release, _ = _record_counts(np.random.default_rng(seed), boards, releases)
    harmonic = sum(1 / j for j in range(1, releases + 1))
    spread = math.sqrt(sum((1 / j) * (1 - 1 / j) for j in range(1, releases + 1)) / boards)  # independent indicators
    assert abs(per_release[-1] - harmonic) <= 5 * spread + 1e-12, (per_release[-1], harmonic)


@INSTABILITY.check("simulation")
def leaderboards_of_a_saturated_model(rng, scale):
    boards, releases = (20_000, 200) if scale == "default" else (100_000, 1000)
    per_release, excess = _record_counts(rng, boards, releases)
    k = np.arange(1, releases + 1)
    harmonic = np.cumsum(1 / k)
    spread = np.sqrt(np.cumsum((1 / k) * (1 - 1 / k)) / boards)  # 0 at k = 1: the first release is always a record
    estimates = tuple(sim.compare(f"records after {n} releases", per_release[n - 1], harmonic[n - 1],
                                  tolerance=5 * spread[n - 1], power=RECORDS_POWER)
                      for n in (10, releases // 2, releases))
    figure = sim.new_figure()
    ax = figure.subplots()
    ax.semilogx(k, per_release, label="records per leaderboard (true score constant)")
    ax.semilogx(k, harmonic, "k:", label="H_k = Σ 1/j")
    ax.set_xlabel("releases k")
    ax.set_ylabel("'new state of the art' results so far")
    ax.legend()
    return sim.Observation(violation=None, plot=figure, estimates=estimates,
                           figures={"records_after_last_release": float(per_release[-1]),
                                    "best_minus_true_score_mean": float(excess.mean()),
                                    "noise_sd": 0.02},
                           detail=f"{boards} leaderboards × {releases} releases of a model whose true score never "
                                  "moves: new records keep coming at the rate H_k (within five standard errors), "
                                  "and the best reported score sits well above the true one")
