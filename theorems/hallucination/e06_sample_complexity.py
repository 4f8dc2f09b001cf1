"""E-06, Sample complexity of long-tail facts (§2.1, Theorem 4): its readings, variants and corrections.

Each lemma reads top-down: the declaration, then its symbolic checks, property test and simulation.
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from proofs import cas, lemma, sim, smt
from simulations import hallucination as toys

from ._shared import proportion_compare

# ---------------------------------------------------------------------------------------------
# E-06: sample complexity of long-tail facts.
# ---------------------------------------------------------------------------------------------

m_sym, eps_sym, delta_sym = sp.symbols("m epsilon delta", positive=True)
PROBABILITY_NOTE = ("the statement bounds a probability: the symbolic goals prove the algebra of the bound (an identity "
                    "at the sample size, its monotonicity), the cited inequalities join that bound to the probability "
                    "(an assumed step), and the property test and the simulation compare the exact and the sampled "
                    "probability with δ; no one formula is evaluated by all of them")
NEVER_AT_DELTA = ("Hoeffding's bound is never attained by a binomial tail and the per-fact size is rounded up, so the "
                  "exact failure probability is strictly below δ on every drawn input: ≤ and < agree there; a failure "
                  "of exactly δ would need the union and Hoeffding bounds both tight at once, which no finite binomial is")
LIMIT_NOTE = ("the refutation is a limit of the ratio of two sample sizes, which no finite point evaluates; the property "
              "test and the simulation measure the memoriser at finite sizes")


def _hoeffding_union_step(observations):
    """The assumed step of the noisy corrections, for a given reading of the observations."""
    return (f"per fact, the majority of k independent observations, each right with probability ½ + ε, is wrong with "
            f"probability ≤ e^(−2kε²) (hallucination.hoeffding, cited, which needs the independence); over {observations} "
            f"at most that many times it (hallucination.union_bound, cited): the two instances are applied in prose, "
            f"because e^(−2kε²) has no z3 form for q.use to draw on")

COUPON = lemma(
    "hallucination.coupon_collector_tail",
    title="n ≥ m·ln(m/δ) uniform draws see all m facts with probability ≥ 1 − δ",
    kind="lemma",
    paper_ref="§2.1, Theorem 4",
    claim_ref="E-06",
    source="reconstructed",
    statement=(r"Drawing $n \ge m \ln(m/\delta)$ facts uniformly and independently from $m \ge 1$ facts, every fact is "
               r"drawn at least once with probability $\ge 1 - \delta$ (a memoriser of noiseless observations then "
               r"knows all of them)."),
    formal=(r"$P(\text{some fact unseen}) \le \sum_j P(\text{fact } j \text{ unseen}) = m(1 - 1/m)^n$ (union bound, "
            r"cited) $\le m e^{-n/m}$, since $0 \le 1 - x \le e^{-x}$ on $[0, 1]$ (sympy, by calculus) and "
            r"$0 \le a \le b \Rightarrow a^n \le b^n$ for every $n$ (z3, by induction on $n$); $m e^{-n/m}$ equals "
            r"$\delta$ at $n = m \ln(m/\delta)$ and decreases in $n$ (sympy)."),
    uses=("hallucination.union_bound",),
    assumes=("P(some fact unseen) ≤ m·(1 − 1/m)^n: the union bound (hallucination.union_bound, cited) over the m facts, "
             "each unseen with probability (1 − 1/m)^n because the n draws are independent and uniform; applied in "
             "prose, then (1 − 1/m)^n ≤ e^(−n/m) by the checked calculus and power steps",),
    claim_note=PROBABILITY_NOTE,
    variables={"facts": "the number m of facts", "delta": "the failure probability δ", "n": "the exponent",
               "a": "1 − 1/m", "b": "e^(−1/m)"},
    explain=lambda cx: f"the exact probability that some fact is unseen exceeds δ at n = ⌈m·ln(m/δ)⌉: {cx}",
    expect="proved",
)


@COUPON.check("sympy")
def exponential_steps():
    x, n = sp.Symbol("x", nonnegative=True), sp.Symbol("n", positive=True)
    size = m_sym * sp.log(m_sym / delta_sym)
    domain = {m_sym: (2, 1000), delta_sym: (0.001, 0.5), n: (1, 1e5)}
    return [cas.Bound(sp.exp(-x) - (1 - x), {x: (0, 1)}, name="one_minus_x_below_exp"),
            cas.Identity(m_sym * sp.exp(-size / m_sym), delta_sym, domain, name="bound_is_delta_at_the_size"),
            cas.Bound(-sp.diff(m_sym * sp.exp(-n / m_sym), n), domain, strict=True, calculus=False,
                      name="bound_falls_with_n")]


@COUPON.check("z3")
def powers_keep_the_order(q):
    (n,) = q.ints("n")
    a, b = q.reals("a b")
    q.domain(a >= 0, a <= b)
    power_a = q.recursive_function("A", base=0 * a + 1, step=lambda k, prev: prev * a)  # a^n
    power_b = q.recursive_function("B", base=0 * b + 1, step=lambda k, prev: prev * b)  # b^n
    q.induction(n, start=0)
    q.prove(smt.And(power_a(n) >= 0, power_a(n) <= power_b(n)))


@COUPON.check("hypothesis")
@settings(max_examples=40)
@given(facts=st.integers(1, 60), delta=st.floats(0.001, 0.5))
def exact_unseen_probability_below_delta(facts, delta):
    samples = math.ceil(facts * math.log(facts / delta))
    exact = toys.unseen_probability(facts, samples)  # inclusion–exclusion, 50 digits
    assert exact <= facts * (1 - 1 / facts) ** samples + 1e-12 <= delta + 1e-12


COUPON_POWER = 0.02  # an absolute error of two points in a failure probability near δ = 5 %


@COUPON.check("simulation")
def memoriser_at_the_coupon_size(rng, scale):
    delta, trials = 0.05, (20_000 if scale == "default" else 200_000)
    rows, estimates = [], []
    for facts in (5, 20, 50, 200):
        samples = math.ceil(facts * math.log(facts / delta))
        failure = 1 - toys.memoriser_success(rng, facts, samples, trials)  # independent uniform draws
        exact = toys.unseen_probability(facts, samples)
        rows.append((facts, samples, failure, exact))
        estimates.append(proportion_compare(f"failure[m={facts}]", failure, exact, trials, COUPON_POWER))
    violation = next(({"facts": f, "exact_failure": e, "delta": delta} for f, _, _, e in rows if e > delta), None)
    return sim.Observation(violation=violation, slack=sim.slack([e for *_, e in rows], delta, side="upper"),
                           estimates=tuple(estimates), figures={f"failure[m={f}]": m for f, _, m, _ in rows},
                           detail=f"memoriser with ⌈m·ln(m/δ)⌉ independent uniform draws, δ = {delta}, {trials} trials: "
                                  f"the sampled failure rate matches the exact one, and both are below δ")


SAMPLES_A_NOISELESS = lemma(
    "hallucination.sample_complexity_a_noiseless",
    title="Variant A as a lower bound, with noiseless observations: a memoriser needs far fewer",
    kind="theorem",
    paper_ref="§2.1, Theorem 4",
    claim_ref="E-06",
    source="attested",
    statement=(r"Variant A read literally, as a lower bound for every learner, on the instance the words give: each "
               r"example a noiseless observation of one of $m$ facts drawn uniformly; success = every fact right with "
               r"probability $\ge 1 - \delta$. 'Every learner needs $n \ge c\,(m/\varepsilon^2)\log(m/\delta)$' is "
               r"false: the memoriser succeeds from $m \ln(m/\delta)$ examples."),
    formal=(
        r"Noiseless observations of uniformly drawn facts; success = every fact right with probability $\ge 1 - \delta$. "
        r"A memoriser succeeds with $n = m \ln(m/\delta)$ (hallucination.coupon_collector_tail); the ratio to "
        r"$(m/\varepsilon^2)\ln(m/\delta)$ is $\varepsilon^2$, which tends to 0 (sympy), so no constant $c > 0$ makes A a "
        r"lower bound for small $\varepsilon$."
    ),
    interpretation=("A read as a lower bound for every learner; noiseless observations; ε a per-fact tolerance.",),
    uses=("hallucination.coupon_collector_tail",),
    claim_note=LIMIT_NOTE,
    variables={"facts": "the number m of facts", "seed": "the seed of the draws", "epsilon": "the accuracy parameter ε"},
    explain=lambda cx: (f"with m = {cx.get('facts')} facts the memoriser succeeds with m·ln(m/δ) draws, far below "
                        f"variant A's (m/ε²)·ln(m/δ)" if cx.get("facts") else
                        f"the memoriser's sample size over variant A's tends to {cx.get('sympy_limit')} as ε → 0"),
    expect="refuted",
)


@SAMPLES_A_NOISELESS.check("sympy")
def memoriser_over_variant_a():
    ratio = (m_sym * sp.log(m_sym / delta_sym)) / ((m_sym / eps_sym ** 2) * sp.log(m_sym / delta_sym))
    return cas.Limit(ratio.subs(eps_sym, 1 / eps_sym), eps_sym, expected=0, relation=">",
                     samples={m_sym: (100,), delta_sym: (sp.Rational(1, 20),)}, name="ratio_as_epsilon_shrinks")


@SAMPLES_A_NOISELESS.check("hypothesis")
@settings(max_examples=10)
@given(seed=st.integers(0, 2**32 - 1), facts=st.integers(20, 200))
def memoriser_beats_variant_a(seed, facts):
    delta, epsilon = 0.05, 0.1
    samples = int(facts * math.log(facts / delta))
    success = toys.memoriser_success(np.random.default_rng(seed), facts, samples, 200)
    required = facts / epsilon ** 2 * math.log(facts / delta)
    assert not (success >= 1 - delta and samples < required / 10), f"succeeded with n = {samples} ≪ {required:.0f}"


@SAMPLES_A_NOISELESS.check("simulation")
def memoriser_sample_sizes(rng, scale):
    delta, epsilon = 0.05, 0.1
    rows = []
    for facts in (20, 50, 100, 200):
        samples = int(facts * math.log(facts / delta))
        rows.append((facts, samples, toys.memoriser_success(rng, facts, samples, 400 if scale == "default" else 4000),
                     facts / epsilon ** 2 * math.log(facts / delta)))
    violation = next(({"facts": f, "samples": n, "success": s, "variant_a_requires": r} for f, n, s, r in rows
                      if s >= 1 - delta and n < r / 10), None)
    figure = sim.new_figure()
    ax = figure.subplots()
    ax.loglog([r[0] for r in rows], [r[1] for r in rows], "o-", label="memoriser: m·ln(m/δ), success ≥ 1 − δ")
    ax.loglog([r[0] for r in rows], [r[3] for r in rows], "s--", label="variant A at ε = 0.1")
    ax.set_xlabel("facts m")
    ax.set_ylabel("samples n")
    ax.legend()
    return sim.Observation(violation=violation, plot=figure, figures={f"success[m={f}]": s for f, _, s, _ in rows},
                           detail="noiseless facts are learned with ε²-times fewer samples than variant A demands")


SAMPLES_A_NOISY = lemma(
    "hallucination.sample_complexity_a_noisy",
    title="Variant A with noisy observations (margin ε): majority vote succeeds at (m/(2ε²))·ln(m/δ)",
    kind="correction",
    corrects="hallucination.sample_complexity_a_noiseless",
    paper_ref="§2.1, Theorem 4",
    claim_ref="E-06",
    source="reconstructed",
    statement=(
        r"Variant A's order is what learning noisy facts costs: when the observations are independent and each is "
        r"right with probability $1/2 + \varepsilon$, majority vote over $n = (m/(2\varepsilon^2))\ln(m/\delta)$ "
        r"samples spread evenly ($\lceil\ln(m/\delta)/(2\varepsilon^2)\rceil$ per fact) gets every fact right with "
        r"probability $\ge 1 - \delta$. Without independence it is false: copies of one observation per fact leave "
        r"each fact wrong with probability $1/2 - \varepsilon$ however many there are."
    ),
    formal=(
        r"Per fact, the majority errs only if the fraction of right observations falls $\varepsilon$ below its mean: "
        r"probability $\le e^{-2(n/m)\varepsilon^2}$ (hallucination.hoeffding, cited); over $m$ facts "
        r"$\le m e^{-2(n/m)\varepsilon^2}$ (hallucination.union_bound, cited). sympy: this equals $\delta$ at "
        r"$n = (m/(2\varepsilon^2))\ln(m/\delta)$ and decreases in $n$. The property test computes the exact success "
        r"probability of independent observations (binomial tails) at that size; the simulation samples independent "
        r"observations and compares the failure rate with the exact one, and shows copied observations failing."
    ),
    interpretation=("Only sufficiency is claimed and checked. That every learner needs this order (a two-point, "
                    "Le Cam-type lower bound) is not encoded; the simulation shows majority vote failing well below it.",
                    "A hypothesis the words do not state: observations independent, each right with probability ½ + ε.",),
    uses=("hallucination.hoeffding", "hallucination.union_bound"),
    assumes=(_hoeffding_union_step("m facts"),),
    claim_note=PROBABILITY_NOTE,
    survivors={"exact_majority_success_at_the_size | boundary | 1 - success <= delta | LtE → Lt": NEVER_AT_DELTA},
    variables={"facts": "the number m of facts", "margin": "ε, each observation right with probability ½ + ε",
               "delta": "the failure probability δ"},
    explain=lambda cx: f"majority vote at the Hoeffding size fails with probability above δ: {cx}",
    expect="proved",
)


def _per_fact_size(facts, margin, delta):
    """Observations per fact at the Hoeffding + union size: ⌈ln(m/δ)/(2ε²)⌉."""
    return math.ceil(math.log(facts / delta) / (2 * margin ** 2))


@SAMPLES_A_NOISY.check("sympy")
def hoeffding_union_size():
    n = sp.Symbol("n", positive=True)
    failure = m_sym * sp.exp(-2 * (n / m_sym) * eps_sym ** 2)
    size = m_sym / (2 * eps_sym ** 2) * sp.log(m_sym / delta_sym)
    domain = {m_sym: (2, 1000), eps_sym: (0.01, 0.4), delta_sym: (0.001, 0.5), n: (1, 1e6)}
    return [cas.Identity(failure.subs(n, size), delta_sym, domain, name="union_bound_equals_delta"),
            cas.Bound(-sp.diff(failure, n), domain, strict=True, name="failure_falls_with_n")]


@SAMPLES_A_NOISY.check("hypothesis")
@given(facts=st.integers(1, 500), margin=st.floats(0.02, 0.45), delta=st.floats(0.001, 0.5))
def exact_majority_success_at_the_size(facts, margin, delta):
    success = toys.majority_all_right(facts, _per_fact_size(facts, margin, delta), margin)
    assert 1 - success <= delta


MAJORITY_POWER = 0.03  # an absolute error of three points in a failure probability that ranges over [0, 1]
TABLE_POWER = 0.01  # one point, for failure probabilities near 1 % (every row is at the Hoeffding size)


def _majority_failure(rng, facts, per_fact, margin, trials, copied=False):
    """Sampled P(the majority is wrong on some fact), each fact seen `per_fact` times: independent observations (a
    binomial count of right ones), or `copied`, one observation repeated per_fact times."""
    if copied:
        right = per_fact * (rng.random((trials, facts)) < 0.5 + margin)
    else:
        right = rng.binomial(per_fact, 0.5 + margin, size=(trials, facts))
    return 1 - float(np.mean(np.all(2 * right > per_fact, axis=1)))


@SAMPLES_A_NOISY.check("simulation")
def majority_against_the_size(rng, scale):
    delta, margin, trials = 0.1, 0.1, (20_000 if scale == "default" else 200_000)
    rows, estimates, copied = [], [], {}
    for facts in (10, 40, 160):
        full = _per_fact_size(facts, margin, delta)
        for share in (0.1, 0.3, 1.0):
            per_fact = max(1, math.ceil(share * full))
            measured = _majority_failure(rng, facts, per_fact, margin, trials)  # independent, evenly spread
            exact = 1 - toys.majority_all_right(facts, per_fact, margin)
            rows.append((facts, share, measured, exact))
            estimates.append(proportion_compare(f"failure[m={facts}, share={share}]", measured, exact, trials, MAJORITY_POWER))
        copied[facts] = _majority_failure(rng, facts, full, margin, trials, copied=True)
    at_size = [(f, m, e) for f, s, m, e in rows if s == 1.0]
    violation = next(({"facts": f, "exact_failure": e, "delta": delta} for f, _, e in at_size if e > delta), None)
    figure = sim.new_figure()
    ax = figure.subplots()
    for facts in (10, 40, 160):
        ax.plot([s for f, s, _, _ in rows if f == facts], [m for f, _, m, _ in rows if f == facts], "o-", label=f"m = {facts}")
    ax.axhline(delta, color="k", ls=":", label="δ")
    ax.set_xlabel("share of the Hoeffding size (m/(2ε²))·ln(m/δ)")
    ax.set_ylabel("P(some fact wrong)")
    ax.legend(fontsize=8)
    return sim.Observation(violation=violation, plot=figure, slack=sim.slack([e for _, _, e in at_size], delta),
                           estimates=tuple(estimates),
                           figures={**{f"failure[m={f}, share={s}]": m for f, s, m, _ in rows},
                                    **{f"failure_if_copied[m={f}]": c for f, c in copied.items()}},
                           detail="majority vote over independent observations, ε = 0.1: the sampled failure matches the "
                                  "exact one, below δ at the Hoeffding size and far above it at a tenth of it; copies of "
                                  "one observation per fact fail at the same size (independence is needed)")


SAMPLES_B = lemma(
    "hallucination.sample_complexity_b",
    title="Variant B, Ω(2^m·log(m/δ)/ε), as a lower bound for m stored facts",
    kind="theorem",
    paper_ref="§2.1, Theorem 4 (v2, per G3)",
    claim_ref="E-06",
    source="attested",
    statement=(r"Variant B read as a lower bound with the $m$ facts as $m$ stored bits, each example a noiseless "
               r"observation of a uniformly drawn fact: 'every learner needs $n \ge c\, 2^m \log(m/\delta)/\varepsilon$' "
               r"is false, since the memoriser succeeds from $m \ln(m/\delta)$ examples."),
    formal=(
        r"$m$ facts = $m$ stored bits, noiseless: a memoriser needs $m \ln(m/\delta)$ (hallucination.coupon_collector_tail); "
        r"its ratio to $2^m \ln(m/\delta)/\varepsilon$ tends to 0 as $m \to \infty$ (sympy), so B is no lower bound."
    ),
    interpretation=("A variant (B is G3's transcription, not the claim's wording): 'm independent binary facts' read as "
                    "m stored bits; as a Boolean function of m bits (2^m values) B would be variant A on 2^m facts.",),
    uses=("hallucination.coupon_collector_tail",),
    claim_note=LIMIT_NOTE,
    variables={"facts": "the number m of facts", "samples": "the memoriser's draws"},
    explain=lambda cx: (f"the memoriser's sample size over variant B's tends to {cx.get('sympy_limit')} as m grows"
                        if "sympy_limit" in cx else
                        f"with m = {cx.get('facts')} facts the memoriser succeeds (rate {cx.get('success')}) from "
                        f"{cx.get('samples')} draws, where variant B asks for {cx.get('variant_b_requires', 0):.3g}"),
    waivers={"property": "the same memoriser as hallucination.sample_complexity_a_noiseless; the simulation measures it against B"},
    expect="refuted",
)


@SAMPLES_B.check("sympy")
def memoriser_over_variant_b():
    ratio = (m_sym * sp.log(m_sym / delta_sym)) / (2 ** m_sym * sp.log(m_sym / delta_sym) / eps_sym)
    return cas.Limit(ratio, m_sym, expected=0, relation=">",
                     samples={eps_sym: (sp.Rational(1, 10),), delta_sym: (sp.Rational(1, 20),)}, name="ratio_as_m_grows")


@SAMPLES_B.check("simulation")
def memoriser_against_b(rng, scale):
    delta, epsilon, rows = 0.05, 0.1, []
    for facts in (10, 15, 20):
        samples = int(facts * math.log(facts / delta))
        rows.append((facts, samples, toys.memoriser_success(rng, facts, samples, 400), 2 ** facts * math.log(facts / delta) / epsilon))
    violation = next(({"facts": f, "samples": n, "success": s, "variant_b_requires": r} for f, n, s, r in rows
                      if s >= 1 - delta and n < r / 100), None)
    return sim.Observation(violation=violation, figures={f"samples[m={f}]": n for f, n, _, _ in rows},
                           detail="the memoriser succeeds orders of magnitude below 2^m")


SAMPLES_B_FUNCTION = lemma(
    "hallucination.sample_complexity_b_as_a_function",
    title="Variant B's 2^m is right when the m facts are the inputs of a Boolean function: A on 2^m facts",
    kind="correction",
    corrects="hallucination.sample_complexity_b",
    paper_ref="§2.1, Theorem 4 (v2, per G3)",
    claim_ref="E-06",
    source="reconstructed",
    statement=(
        "If 'm independent binary facts' means an arbitrary Boolean function of m input bits, there are "
        r"$2^m$ facts to learn, and variant A applies to them: with independent noisy observations (each right with "
        r"probability $1/2 + \varepsilon$) majority "
        r"vote over $n = (2^m/(2\varepsilon^2))\ln(2^m/\delta)$ evenly spread samples gets the whole table right with "
        r"probability $\ge 1 - \delta$, i.e. $\Theta(2^m (m + \log(1/\delta))/\varepsilon^2)$ samples suffice: B's "
        r"$2^m$ factor, with $1/\varepsilon^2$ in place of $1/\varepsilon$."
    ),
    formal=(r"sympy: with $M = 2^m$ facts, $M e^{-2(n/M)\varepsilon^2} = \delta$ at $n = (M/(2\varepsilon^2))\ln(M/\delta)$, "
            r"and $\ln(2^m/\delta) = m \ln 2 + \ln(1/\delta)$; Hoeffding and the union bound as in "
            r"hallucination.sample_complexity_a_noisy."),
    interpretation=("A hypothesis the words do not state: observations independent, each right with probability ½ + ε.",),
    uses=("hallucination.sample_complexity_a_noisy", "hallucination.hoeffding", "hallucination.union_bound"),
    assumes=(_hoeffding_union_step("the 2^m entries of the table"),),
    claim_note=PROBABILITY_NOTE,
    survivors={"exact_truth_table_success_at_the_size | boundary | 1 - success <= delta | LtE → Lt": NEVER_AT_DELTA},
    variables={"bits": "input bits m (2^m facts)", "margin": "ε", "delta": "δ"},
    explain=lambda cx: f"majority vote over a whole truth table fails with probability above δ at the size: {cx}",
    expect="proved",
)


@SAMPLES_B_FUNCTION.check("sympy")
def union_bound_over_a_truth_table():
    n, bits = sp.Symbol("n", positive=True), sp.Symbol("m", positive=True, integer=True)
    facts = 2 ** bits
    size = facts / (2 * eps_sym ** 2) * sp.log(facts / delta_sym)
    domain = {bits: (1, 12), eps_sym: (0.05, 0.4), delta_sym: (0.001, 0.5), n: (1, 1e6)}
    return [cas.Identity((facts * sp.exp(-2 * (n / facts) * eps_sym ** 2)).subs(n, size), delta_sym, domain,
                         name="union_bound_equals_delta"),
            cas.Identity(sp.expand_log(sp.log(facts / delta_sym), force=True), bits * sp.log(2) - sp.log(delta_sym),
                         domain, name="log_of_the_table")]


@SAMPLES_B_FUNCTION.check("hypothesis")
@given(bits=st.integers(1, 14), margin=st.floats(0.02, 0.45), delta=st.floats(0.001, 0.5))
def exact_truth_table_success_at_the_size(bits, margin, delta):
    facts = 2 ** bits
    success = toys.majority_all_right(facts, _per_fact_size(facts, margin, delta), margin)
    assert 1 - success <= delta


@SAMPLES_B_FUNCTION.check("simulation")
def truth_tables_by_width(rng, scale):
    delta, margin, trials, rows = 0.1, 0.2, (20_000 if scale == "default" else 100_000), []
    estimates = []
    for bits in (2, 3, 4, 5, 6):
        facts = 2 ** bits
        per_fact = _per_fact_size(facts, margin, delta)
        measured = _majority_failure(rng, facts, per_fact, margin, trials)  # independent observations
        exact = 1 - toys.majority_all_right(facts, per_fact, margin)
        rows.append((bits, per_fact * facts, measured, exact))
        estimates.append(proportion_compare(f"failure[m={bits}]", measured, exact, trials, TABLE_POWER))
    violation = next(({"bits": b, "samples": n, "exact_failure": e} for b, n, _, e in rows if e > delta), None)
    figure = sim.new_figure()
    ax = figure.subplots()
    ax.semilogy([r[0] for r in rows], [r[1] for r in rows], "o-", label="samples at the Hoeffding size (margin 0.2)")
    ax.set_xlabel("input bits m (2^m facts)")
    ax.set_ylabel("samples n")
    ax.legend()
    return sim.Observation(violation=violation, plot=figure, slack=sim.slack([e for *_, e in rows], delta),
                           estimates=tuple(estimates), figures={f"failure[m={b}]": m for b, _, m, _ in rows},
                           detail="majority vote learns whole truth tables at (2^m/(2ε²))·ln(2^m/δ)")
