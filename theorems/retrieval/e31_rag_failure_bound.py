"""E-31, Lower bound on RAG failure probability (§5): its readings, variants and corrections.

Each lemma reads top-down: the declaration, then its symbolic checks, property test and simulation.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from proofs import cas, lemma, sim, smt
from simulations import retrieval as toys

# ---------------------------------------------------------------------------------------------
# E-31: Pr[failure] ≥ 1 − Pr[d* ∈ D_r] · Pr[the model attends to d*].
# ---------------------------------------------------------------------------------------------

CELLS = [(r, a, s) for r in (0, 1) for a in (0, 1) for s in (0, 1)]


def _joint_law(q):
    """A joint law of (R, A, S) as unnormalised masses: weights w[r][a][s] ≥ 0 with a positive total,
    P(cell) = mass/total, and a switch `fallback`: when it is off, the cells where the answer is right
    without R ∩ A carry no mass (success ⊆ R ∩ A). With the switch on every joint law is reached;
    with it off, every joint law without a fallback. Returns the masses of the events of interest,
    the total, and the switch. A claim between probabilities is stated multiplied through by the
    total (or its square, for a product of two probabilities), which is equivalent since it is
    positive, and keeps the claim polynomial."""
    weight = {cell: q.reals(f"w{cell[0]}{cell[1]}{cell[2]}")[0] for cell in CELLS}
    (fallback,) = q.bools("fallback")
    mass = {cell: (smt.If(fallback, w, 0) if cell[2] == 1 and not (cell[0] and cell[1]) else w)
            for cell, w in weight.items()}
    total = sum(mass.values())
    q.domain(smt.And(*[w >= 0 for w in weight.values()], total > 0))  # the setting: a probability law
    law = {
        "retrieved": sum(v for (r, _, _), v in mass.items() if r),
        "attends": sum(v for (_, a, _), v in mass.items() if a),
        "both": mass[1, 1, 0] + mass[1, 1, 1],
        "success": sum(v for (_, _, s), v in mass.items() if s),
        "success_without_both": sum(v for (r, a, s), v in mass.items() if s and not (r and a)),
        "total": total,
    }
    return law, fallback


def _marginal_form(law):
    """1 − P(S) ≥ 1 − P(R)·P(A), multiplied through by total²."""
    total = law["total"]
    return total * (total - law["success"]) >= total * total - law["retrieved"] * law["attends"]


def _conditional_form(law):
    """1 − P(S) ≥ 1 − P(R ∩ A), multiplied through by the total."""
    return law["total"] - law["success"] >= law["total"] - law["both"]


def _explain_joint(cx, bound="marginal"):
    """A sentence for a counterexample: the joint law's probabilities, from its weights, against the
    marginal bound 1 − P(R)·P(A) or the conditional one 1 − P(R ∩ A)."""
    if "w111" not in cx:
        if "correlation" in cx:
            return (f"retrieving and attending correlated at {cx['correlation']:.3g}: the failure rate falls below "
                    f"the bound")
        return f"counterexample {dict(cx)}"
    fallback = bool(cx.get("fallback", False))
    mass = {cell: float(cx.get(f"w{cell[0]}{cell[1]}{cell[2]}", 0)) for cell in CELLS}
    if not fallback:
        mass = {cell: (0.0 if cell[2] == 1 and not (cell[0] and cell[1]) else v) for cell, v in mass.items()}
    total = sum(mass.values()) or 1.0
    p = {cell: v / total for cell, v in mass.items()}
    retrieved = sum(v for (r, _, _), v in p.items() if r)
    attends = sum(v for (_, a, _), v in p.items() if a)
    both = p[1, 1, 0] + p[1, 1, 1]
    success = sum(v for (_, _, s), v in p.items() if s)
    stated = (f"1 − P(R)·P(A) = {1 - retrieved * attends:.3g}" if bound == "marginal" else
              f"1 − P(R ∩ A) = {1 - both:.3g}")
    return (f"P(R) = {retrieved:.3g}, P(A) = {attends:.3g}, P(R ∩ A) = {both:.3g}, P(right) = {success:.3g}"
            f"{' with a parametric fallback' if fallback else ''}: P(fail) = {1 - success:.3g} is below {stated}")


JOINT_VARIABLES = {"w111": "weight of (retrieved, attended, right); wRAS likewise for each cell",
                   "fallback": "whether the answer can be right without a retrieved and attended d*",
                   "correlation": "the correlation between retrieving and attending", "seed": "the seed of the joint"}


def _failure_simulation(rng, scale, allow_fallback, bound_of, title):
    """Random joints of (R, A, S) swept over the correlation of R and A: the smallest P(fail) − bound,
    and the slack of the bound where it is positive."""
    correlations = np.linspace(-1, 1, 9)
    worst, violation, failures, bounds = [], None, [], []
    for correlation in correlations:
        margins = []
        for _ in range(500 if scale == "default" else 50_000):
            law = toys.joint_of_events(rng, allow_fallback, correlation)
            bound = bound_of(law)
            margins.append((1 - law["success"]) - bound)
            if bound > 0:
                failures.append(1 - law["success"])
                bounds.append(bound)
        worst.append(min(margins))
        if min(margins) < -1e-12 and violation is None:
            violation = {"correlation": float(correlation), "failure_minus_bound": float(min(margins))}
    figure = sim.new_figure()
    ax = figure.subplots()
    ax.plot(correlations, worst, "o-")
    ax.axhline(0, color="k", ls=":")
    ax.set_xlabel("correlation between retrieving and attending")
    ax.set_ylabel("min over joints of P(fail) − bound")
    ax.set_title(title)
    return sim.Observation(violation=violation, plot=figure, figures={"worst_margin": float(min(worst))},
                           slack=sim.slack(failures, bounds, side="lower"),
                           detail="random joints of (R, A, S) swept over the correlation of R and A")


MARGINAL_BOUND = lemma(
    "retrieval.failure_bound_marginal",
    title="Failure bound with the marginal Pr[attends]: fails when retrieving and attending correlate",
    kind="equation",
    paper_ref="§5",
    claim_ref="E-31",
    source="attested",
    statement=("Marginal reading: for every joint law of $R = \\{d^* \\in D_r\\}$, $A = \\{\\text{the model attends to } "
               "d^*\\}$ and success, even one where the answer is right only through $R \\cap A$, "
               "$\\Pr[\\text{failure}] \\ge 1 - \\Pr[R] \\cdot \\Pr[A]$ with the marginal $\\Pr[A]$."),
    formal="$\\forall$ joints with success $\\subseteq R \\cap A$: $1 - P(S) \\ge 1 - P(R)\\,P(A)$, with the marginal $P(A)$.",
    interpretation=("P(A) marginal; success only through R ∩ A; R and A may correlate.",),
    variables=JOINT_VARIABLES,
    explain=_explain_joint,
    expect="refuted",
)


@MARGINAL_BOUND.check("z3")
def marginal_bound(q):
    law, fallback = _joint_law(q)
    q.given(smt.Not(fallback))
    q.prove(_marginal_form(law))


@MARGINAL_BOUND.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), correlation=st.floats(-1.0, 1.0))
def marginal_bound_on_random_joints(seed, correlation):
    law = toys.joint_of_events(np.random.default_rng(seed), False, correlation)
    assert 1 - law["success"] >= 1 - law["p_r"] * law["p_a"] - 1e-12, \
        f"P(fail) = {1 - law['success']:.3f} < 1 − P(R)P(A) = {1 - law['p_r'] * law['p_a']:.3f}"


@MARGINAL_BOUND.check("simulation")
def marginal_bound_sweep(rng, scale):
    return _failure_simulation(rng, scale, False, lambda law: 1 - law["p_r"] * law["p_a"], "bound with the marginal P(A)")


CONDITIONAL_BOUND = lemma(
    "retrieval.failure_bound_conditional",
    title="With Pr[attends | retrieved], the bound holds whenever success needs both",
    kind="correction",
    corrects="retrieval.failure_bound_marginal",
    paper_ref="§5",
    claim_ref="E-31",
    source="reconstructed",
    statement=(
        "Read with the conditional probability, $\\Pr[\\text{fail}] \\ge 1 - \\Pr[d^* \\in D_r]\\cdot\\Pr[\\text{attends} "
        "\\mid d^* \\in D_r] = 1 - \\Pr[R \\cap A]$ holds for every joint, correlated or not, as long as the answer can "
        "only be right through a retrieved and attended $d^*$ (no parametric fallback)."
    ),
    formal=("$\\forall$ joints with success $\\subseteq R \\cap A$: $1 - P(S) \\ge 1 - P(R \\cap A)$ (z3, over every joint "
            "law written as normalised weights; dropping the no-fallback premise gives a counterexample)."),
    variables=JOINT_VARIABLES,
    explain=lambda cx: _explain_joint(cx, bound="conditional"),
    expect="proved",
)


@CONDITIONAL_BOUND.check("z3")
def conditional_bound(q):
    law, fallback = _joint_law(q)
    q.given(smt.Not(fallback))
    q.prove(_conditional_form(law))


@CONDITIONAL_BOUND.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), correlation=st.floats(-1.0, 1.0), perfect_reader=st.booleans())
def conditional_bound_on_random_joints(seed, correlation, perfect_reader):
    # a reader that is always right once it attends to d* attains the bound exactly
    law = toys.joint_of_events(np.random.default_rng(seed), False, correlation, reading=1.0 if perfect_reader else None)
    assert 1 - law["success"] >= 1 - law["both"]


@CONDITIONAL_BOUND.check("simulation")
def conditional_bound_sweep(rng, scale):
    return _failure_simulation(rng, scale, False, lambda law: 1 - law["both"], "bound with P(A | R)")


FALLBACK_BOUND = lemma(
    "retrieval.failure_bound_with_fallback",
    title="With a parametric fallback, even the conditional bound fails",
    kind="equation",
    paper_ref="§5",
    claim_ref="E-31",
    source="attested",
    statement=("Conditional reading, $\\Pr[\\text{attends}]$ read as $\\Pr[A \\mid R]$, so that the product is "
               "$\\Pr[R \\cap A]$: for every joint law, including one where the model can answer right from its own "
               "parameters without a retrieved and attended $d^*$, $\\Pr[\\text{failure}] \\ge 1 - \\Pr[d^* \\in D_r] "
               "\\cdot \\Pr[\\text{attends} \\mid d^* \\in D_r]$."),
    formal="$\\forall$ joints (success also possible without $R \\cap A$): $1 - P(S) \\ge 1 - P(R \\cap A)$.",
    interpretation=("Pr[attends] read as the conditional Pr[A | R]; the model may answer from its own parameters "
                    "when d* is missing or ignored (the words exclude neither).",),
    variables=JOINT_VARIABLES,
    explain=lambda cx: _explain_joint(cx, bound="conditional"),
    expect="refuted",
)


@FALLBACK_BOUND.check("z3")
def fallback_bound(q):
    law, _ = _joint_law(q)
    q.prove(_conditional_form(law))


@FALLBACK_BOUND.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), correlation=st.floats(-1.0, 1.0))
def fallback_bound_on_random_joints(seed, correlation):
    law = toys.joint_of_events(np.random.default_rng(seed), True, correlation)
    assert 1 - law["success"] >= 1 - law["both"] - 1e-12, \
        f"P(fail) = {1 - law['success']:.3f} < 1 − P(R∩A) = {1 - law['both']:.3f}"


@FALLBACK_BOUND.check("simulation")
def fallback_bound_sweep(rng, scale):
    return _failure_simulation(rng, scale, True, lambda law: 1 - law["both"], "with a parametric fallback")


FALLBACK_RATE_BOUND = lemma(
    "retrieval.failure_bound_fallback_rate",
    title="With a fallback that is right at rate φ, the failure bound is scaled by 1 − φ",
    kind="correction",
    corrects="retrieval.failure_bound_with_fallback",
    paper_ref="§5",
    claim_ref="E-31",
    source="reconstructed",
    statement=(
        "When the model can also answer from its parameters, let $\\varphi = \\Pr[\\text{right} \\mid \\lnot(R \\cap A)]$ "
        "be how often it is right without a retrieved and attended $d^*$. Then $\\Pr[\\text{fail}] \\ge "
        "(1 - \\Pr[d^* \\in D_r]\\cdot\\Pr[\\text{attends} \\mid d^* \\in D_r])\\,(1 - \\varphi)$: the paper's bound "
        "(conditional reading) multiplied by the fallback's miss rate; it is the conditional bound when $\\varphi = 0$."
    ),
    formal=("$\\forall$ joints: $1 - P(S) \\ge (1 - P(R \\cap A))(1 - \\varphi)$ with "
            "$\\varphi = P(S \\cap \\lnot(R \\cap A)) / P(\\lnot(R \\cap A))$, taken as 0 when $P(\\lnot(R \\cap A)) = 0$. "
            "sympy: the right side times the total is $T - m(R \\cap A) - m(S \\setminus (R \\cap A))$ for masses $m$; "
            "z3: $T - m(S) \\ge T - m(R \\cap A) - m(S \\setminus (R \\cap A))$ for every joint law (masses "
            "$\\ge 0$, total $T > 0$, fallback allowed or not). When $P(\\lnot(R \\cap A)) = 0$ there is no mass "
            "outside $R \\cap A$ and both sides are $1 - P(S) \\ge 0$."),
    variables=JOINT_VARIABLES,
    explain=lambda cx: _explain_joint(cx, bound="conditional"),
    expect="proved",
)


@FALLBACK_RATE_BOUND.check("z3")
def bound_scaled_by_fallback_misses(q):
    law, _ = _joint_law(q)
    # (1 − P(R ∩ A))·(1 − φ)·total = total − both − success_without_both (identity below)
    q.prove(law["total"] - law["success"] >= law["total"] - law["both"] - law["success_without_both"])


@FALLBACK_RATE_BOUND.check("sympy")
def scaled_bound_in_probabilities():
    total, both, fallback_mass = sp.symbols("T b f", positive=True)  # total, mass of R ∩ A, of S outside R ∩ A
    missed = total - both  # mass of not (R ∩ A), positive here; when it is 0, φ := 0 and both sides vanish
    rate = fallback_mass / missed  # φ = P(S | not (R ∩ A))
    return cas.Identity((1 - both / total) * (1 - rate) * total, total - both - fallback_mass,
                        {total: (2.0, 3.0), both: (0.0, 1.0), fallback_mass: (0.0, 1.0)}, name="scaled_bound_cleared")


@FALLBACK_RATE_BOUND.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), correlation=st.floats(-1.0, 1.0), fallback=st.booleans(),
       perfect_reader=st.booleans())
def scaled_bound_on_random_joints(seed, correlation, fallback, perfect_reader):
    law = toys.joint_of_events(np.random.default_rng(seed), fallback, correlation, reading=1.0 if perfect_reader else None)
    # the law's probabilities in exact arithmetic: P(S) = P(R ∩ A)·reading + (1 − P(R ∩ A))·φ
    both, reading, rate = (Fraction(law[k]) for k in ("both", "reading", "fallback"))
    success = both * reading + (1 - both) * rate
    assert 1 - success >= (1 - both) * (1 - rate)  # attained by a perfect reader


@FALLBACK_RATE_BOUND.check("simulation")
def scaled_bound_sweep(rng, scale):
    return _failure_simulation(rng, scale, True, lambda law: (1 - law["both"]) * (1 - law["fallback"]),
                               "bound scaled by the fallback's miss rate")


INDEPENDENT_BOUND = lemma(
    "retrieval.failure_bound_independent",
    title="If retrieving and attending are independent, the marginal form holds",
    kind="equation",
    paper_ref="§5",
    claim_ref="E-31",
    source="reconstructed",
    statement=("If retrieving $d^*$ ($R$) and attending to it ($A$) are independent and the answer can be right only "
               "through a retrieved and attended $d^*$ (no parametric fallback), then $\\Pr[\\text{failure}] \\ge "
               "1 - \\Pr[d^* \\in D_r] \\cdot \\Pr[\\text{LLM attends to } d^*]$."),
    formal=(
        "$\\forall$ joints with success $\\subseteq R \\cap A$ and $P(R \\cap A) = P(R)\\,P(A)$: $1 - P(S) \\ge 1 - "
        "P(R)\\,P(A)$ (z3). For binary events, independence is exactly $P(r, a) = P(r)\\,P(a)$ on all four cells, so "
        "the joint laws are written $P(r)\\,P(a)\\,P(s \\mid r, a)$ with each probability a ratio of non-negative "
        "weights, $P(R), P(A), P(S)$ recomputed from the cells, and the claim multiplied through by the squared "
        "normaliser. Dropping the no-fallback premise gives a counterexample; without independence the bound "
        "is retrieval.failure_bound_marginal (refuted)."
    ),
    interpretation=("A variant: it adds two hypotheses the words do not state, R and A independent (so that the "
                    "marginal product is P(R ∩ A)) and no parametric fallback.",),
    variables={"retrieved_w1": "weight of R (retrieved_w0 of not R)", "attends_w1": "weight of A",
               "reads_w1": "weight of a right answer given R ∩ A", "recalls_w1": "weight of a right answer otherwise",
               "fallback": "whether the answer can be right without R ∩ A", "seed": "the seed of the joint"},
    explain=lambda cx: f"independent retrieval and attention with a fallback: P(fail) drops below 1 − P(R)P(A) ({dict(cx)})",
    expect="proved",
)


@INDEPENDENT_BOUND.check("z3")
def independent_bound(q):
    # P(r, a, s) = P(r)·P(a)·P(s | r, a), each factor a ratio of two non-negative weights; every cell
    # is written over the common denominator, the product of the four pair sums
    pair = {name: q.reals(f"{name}_w0 {name}_w1") for name in ("retrieved", "attends", "reads", "recalls")}
    (fallback,) = q.bools("fallback")
    q.domain(smt.And(*[w >= 0 for w0w1 in pair.values() for w in w0w1],
                     *[w0 + w1 > 0 for w0, w1 in pair.values()]))  # the setting: four probabilities
    norm = {name: w0 + w1 for name, (w0, w1) in pair.items()}

    def answer(r, a, s):  # P(s | r, a) times norm["reads"]·norm["recalls"]
        if r and a:
            return pair["reads"][s] * norm["recalls"]  # right at rate reads_w1 / (reads_w0 + reads_w1)
        without = norm["reads"] * norm["recalls"] if s == 0 else 0  # no fallback: never right without R ∩ A
        return smt.If(fallback, pair["recalls"][s] * norm["reads"], without)

    mass = {(r, a, s): pair["retrieved"][r] * pair["attends"][a] * answer(r, a, s) for (r, a, s) in CELLS}
    law = {"retrieved": sum(v for (r, _, _), v in mass.items() if r),
           "attends": sum(v for (_, a, _), v in mass.items() if a),
           "success": sum(v for (_, _, s), v in mass.items() if s),
           "total": norm["retrieved"] * norm["attends"] * norm["reads"] * norm["recalls"]}
    q.given(smt.Not(fallback))
    q.prove(_marginal_form(law))


@INDEPENDENT_BOUND.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), perfect_reader=st.booleans())
def independent_bound_on_random_joints(seed, perfect_reader):
    law = toys.joint_of_events(np.random.default_rng(seed), False, 0.0, reading=1.0 if perfect_reader else None)
    assert law["both"] == law["p_r"] * law["p_a"]  # independent
    assert 1 - law["success"] >= 1 - law["p_r"] * law["p_a"]


@INDEPENDENT_BOUND.check("simulation")
def independent_bound_sweep(rng, scale):
    failures, bounds = [], []
    for trial in range(2000 if scale == "default" else 200_000):
        # every other joint has a perfect reader, which attains the bound exactly
        law = toys.joint_of_events(rng, False, 0.0, reading=1.0 if trial % 2 else None)
        failures.append(1 - law["success"])
        bounds.append(1 - law["p_r"] * law["p_a"])
    margins = np.array(failures) - np.array(bounds)
    violation = None if margins.min() >= 0 else {"failure_minus_bound": float(margins.min())}
    return sim.Observation(violation=violation, figures={"worst_margin": float(margins.min())},
                           slack=sim.slack(failures, bounds, side="lower"),
                           detail="independent retrieval and attention: the marginal bound holds")
