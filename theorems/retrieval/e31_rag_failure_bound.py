"""E-31, Lower bound on RAG failure probability (§5): its readings, variants and corrections.

Each lemma reads top-down: the declaration, then its symbolic checks, property test and simulation.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from proofs import Claim, lemma, sim
from proofs.statement import And
from simulations import retrieval as toys

# ---------------------------------------------------------------------------------------------
# E-31: Pr[failure] ≥ 1 − Pr[d* ∈ D_r] · Pr[the model attends to d*].
# ---------------------------------------------------------------------------------------------

CELLS = [(r, a, s) for r in (0, 1) for a in (0, 1) for s in (0, 1)]


def _events(w000, w001, w010, w011, w100, w101, w110, w111):
    """The masses of the events of a joint law of (R, A, S) given by its eight cell masses wRAS: the total,
    R, A, R ∩ A, S, and S outside R ∩ A (the parametric fallback's successes)."""
    total = w000 + w001 + w010 + w011 + w100 + w101 + w110 + w111
    return {"total": total, "retrieved": w100 + w101 + w110 + w111, "attends": w010 + w011 + w110 + w111,
            "both": w110 + w111, "success": w001 + w011 + w101 + w111, "fallback": w001 + w011 + w101}


def _a_law(w000, w001, w010, w011, w100, w101, w110, w111):
    """The setting of every E-31 claim: the eight masses are a (not necessarily normalised) probability law."""
    return And(w000 >= 0, w001 >= 0, w010 >= 0, w011 >= 0, w100 >= 0, w101 >= 0, w110 >= 0, w111 >= 0,
               w000 + w001 + w010 + w011 + w100 + w101 + w110 + w111 > 0)


def _no_fallback(w000, w001, w010, w011, w100, w101, w110, w111):
    """A law whose answer is right only through a retrieved and attended d*: success ⊆ R ∩ A."""
    return And(_a_law(w000, w001, w010, w011, w100, w101, w110, w111), w001 == 0, w011 == 0, w101 == 0)


# Each claim between probabilities is stated multiplied through by the total T (or T², for a product of
# two probabilities), which is equivalent since T > 0 in the setting, and keeps the claim polynomial (a
# division would leave z3 models that divide by zero).


def _conditional_claim(w000, w001, w010, w011, w100, w101, w110, w111):
    """1 − P(S) ≥ 1 − P(R ∩ A), times T."""
    e = _events(w000, w001, w010, w011, w100, w101, w110, w111)
    return e["total"] - e["success"] >= e["total"] - e["both"]


def _scaled_claim(w000, w001, w010, w011, w100, w101, w110, w111):
    """1 − P(S) ≥ (1 − P(R ∩ A))·(1 − φ), φ = m(S ∖ (R ∩ A)) / m(¬(R ∩ A)) = P(S | ¬(R ∩ A)), times both
    denominators, T and M = m(¬(R ∩ A)) = T − m(R ∩ A): (T − m(S))·M ≥ (M − m(S ∖ (R ∩ A)))·M. When M = 0
    (φ undefined, taken as 0) both sides are 0."""
    e = _events(w000, w001, w010, w011, w100, w101, w110, w111)
    missed = e["total"] - e["both"]
    return (e["total"] - e["success"]) * missed >= (missed - e["fallback"]) * missed


def _independent_no_fallback(w000, w001, w010, w011, w100, w101, w110, w111):
    """No fallback, and R, A independent: P(R ∩ A) = P(R)·P(A), i.e. m(R ∩ A)·total = m(R)·m(A)."""
    e = _events(w000, w001, w010, w011, w100, w101, w110, w111)
    return And(_no_fallback(w000, w001, w010, w011, w100, w101, w110, w111),
               e["both"] * e["total"] == e["retrieved"] * e["attends"])


def _marginal_claim(w000, w001, w010, w011, w100, w101, w110, w111):
    """1 − P(S) ≥ 1 − P(R)·P(A), with the marginal P(A), times T²."""
    e = _events(w000, w001, w010, w011, w100, w101, w110, w111)
    return e["total"] * (e["total"] - e["success"]) >= e["total"] * e["total"] - e["retrieved"] * e["attends"]


def _cells(law):
    """The eight cell probabilities of a joint law drawn by toys.joint_of_events (R and A with the drawn
    P(R), P(A), P(R ∩ A); S at the reading rate inside R ∩ A and at the fallback rate outside it)."""
    both, reading, fallback = law["both"], law["reading"], law["fallback"]
    outside = {(1, 0): law["p_r"] - both, (0, 1): law["p_a"] - both, (0, 0): 1 - law["p_r"] - law["p_a"] + both}
    cells = {"w111": both * reading, "w110": both * (1 - reading)}
    for (r, a), mass in outside.items():
        cells[f"w{r}{a}1"], cells[f"w{r}{a}0"] = mass * fallback, mass * (1 - fallback)
    return cells


def _explain_joint(cx, bound="marginal"):
    """A sentence for a counterexample: the joint law's probabilities, from its weights, against the
    marginal bound 1 − P(R)·P(A) or the conditional one 1 − P(R ∩ A)."""
    if "w111" not in cx:
        if "correlation" in cx:
            return (f"retrieving and attending correlated at {cx['correlation']:.3g}: the failure rate falls below "
                    f"the bound")
        return f"counterexample {dict(cx)}"
    fallback = bool(cx.get("fallback", True))  # a claim's counterexample carries its cells as they are
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


EXACT_PER_CORRELATION = 500  # joints per correlation at which the declared claim is evaluated in exact arithmetic


def _failure_simulation(rng, scale, allow_fallback, bound_of, title, claim, correlations=None):
    """Random joints of (R, A, S) swept over the correlation of R and A (every other one with a perfect
    reader, which attains the conditional bound): the smallest P(fail) − bound, and the slack of the bound
    where it is positive. The lemma's declared `claim` is evaluated, exactly, on the cells of the joints
    closest to the bound (all of them at the default scale, the EXACT_PER_CORRELATION tightest per
    correlation at full scale, where exact evaluation of every joint would take minutes); its first
    failure is the violation."""
    correlations = np.linspace(-1, 1, 9) if correlations is None else correlations
    worst, violation, failures, bounds = [], None, [], []
    for correlation in correlations:
        margins, cells = [], []
        for trial in range(500 if scale == "default" else 50_000):
            law = toys.joint_of_events(rng, allow_fallback, correlation, reading=1.0 if trial % 2 else None)
            cells.append(_cells(law))
            bound = bound_of(law)
            margins.append((1 - law["success"]) - bound)
            if bound > 0:
                failures.append(1 - law["success"])
                bounds.append(bound)
        worst.append(min(margins))
        tightest = np.argsort(margins, kind="stable")[:EXACT_PER_CORRELATION]
        failure = claim.first_failure(**{k: np.array([cells[i][k] for i in tightest]) for k in cells[0]},
                                      tolerance=1e-12)
        violation = violation or failure
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
    claim=Claim(_marginal_claim, where=_no_fallback),
    variables=JOINT_VARIABLES,
    explain=_explain_joint,
    expect="refuted",
)


@MARGINAL_BOUND.check("z3")
def marginal_bound(q):
    q.prove_claim()


@MARGINAL_BOUND.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), correlation=st.floats(-1.0, 1.0))
def marginal_bound_on_random_joints(seed, correlation):
    law = toys.joint_of_events(np.random.default_rng(seed), False, correlation)
    MARGINAL_BOUND.claim.require(**_cells(law), tolerance=1e-12)


@MARGINAL_BOUND.check("simulation")
def marginal_bound_sweep(rng, scale):
    return _failure_simulation(rng, scale, False, lambda law: 1 - law["p_r"] * law["p_a"], "bound with the marginal P(A)",
                               claim=MARGINAL_BOUND.claim)


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
    formal=("The declared claim, over a joint law given by its eight cell masses $w_{ras} \\ge 0$ (total $T > 0$) with "
            "$w_{001} = w_{011} = w_{101} = 0$ (success $\\subseteq R \\cap A$): $1 - P(S) \\ge 1 - P(R \\cap A)$, each "
            "probability a cell sum over $T$, stated multiplied through by $T$. z3 proves it (dropping the no-fallback cells gives "
            "retrieval.failure_bound_with_fallback's counterexample); the property test and the simulation evaluate it "
            "on the cells of random joints of the toy law (R and A correlated from −1 to 1, a random or perfect reader)."),
    claim=Claim(_conditional_claim, where=_no_fallback),
    variables=JOINT_VARIABLES,
    explain=lambda cx: _explain_joint(cx, bound="conditional"),
    expect="proved",
)


@CONDITIONAL_BOUND.check("z3")
def conditional_bound(q):
    q.prove_claim()


@CONDITIONAL_BOUND.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), correlation=st.floats(-1.0, 1.0), perfect_reader=st.booleans())
def conditional_bound_on_random_joints(seed, correlation, perfect_reader):
    # a reader that is always right once it attends to d* attains the bound exactly
    law = toys.joint_of_events(np.random.default_rng(seed), False, correlation, reading=1.0 if perfect_reader else None)
    CONDITIONAL_BOUND.claim.require(**_cells(law), tolerance=1e-12)


@CONDITIONAL_BOUND.check("simulation")
def conditional_bound_sweep(rng, scale):
    return _failure_simulation(rng, scale, False, lambda law: 1 - law["both"], "bound with P(A | R)",
                               claim=CONDITIONAL_BOUND.claim)


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
    claim=Claim(_conditional_claim, where=_a_law),
    variables=JOINT_VARIABLES,
    explain=lambda cx: _explain_joint(cx, bound="conditional"),
    expect="refuted",
)


@FALLBACK_BOUND.check("z3")
def fallback_bound(q):
    q.prove_claim()


@FALLBACK_BOUND.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), correlation=st.floats(-1.0, 1.0))
def fallback_bound_on_random_joints(seed, correlation):
    law = toys.joint_of_events(np.random.default_rng(seed), True, correlation)
    FALLBACK_BOUND.claim.require(**_cells(law), tolerance=1e-12)


@FALLBACK_BOUND.check("simulation")
def fallback_bound_sweep(rng, scale):
    return _failure_simulation(rng, scale, True, lambda law: 1 - law["both"], "with a parametric fallback",
                               claim=FALLBACK_BOUND.claim)


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
            "The declared claim, over every joint law given by its eight cell masses (all $\\ge 0$, total $T > 0$, "
            "fallback cells free), multiplied through by its two denominators $T$ and $M = T - m(R \\cap A)$: "
            "$(T - m(S))\\,M \\ge (M - m(S \\setminus (R \\cap A)))\\,M$; z3 proves it; the property test and the simulation evaluate it on the cells of "
            "random joints of the toy law, with and without a fallback. When $P(\\lnot(R \\cap A)) = 0$ there is "
            "no mass outside $R \\cap A$ and both sides are $1 - P(S) \\ge 0$."),
    claim=Claim(_scaled_claim, where=_a_law),
    survivors={
        "bound_scaled_by_fallback_misses | widen-domain | 0 <= w111 | dropped": (
            "cleared of its denominators the bound is M·w110 ≥ 0 with M = m(¬(R ∩ A)): w111 lies inside R ∩ A and "
            "outside M, so its sign never enters; the constraint is part of the setting (a probability law), not a "
            "hypothesis the bound uses"),
        "bound_scaled_by_fallback_misses | widen-domain | 0 < w000 + w001 + w010 + w011 + w100 + w101 + w110 + w111 "
        "| dropped": (
            "cleared of its denominators the bound is M·w110 ≥ 0, which needs only the cells' signs: T > 0 is what "
            "makes the masses a probability law (the setting), and the cleared inequality holds without it"),
    },
    variables=JOINT_VARIABLES,
    explain=lambda cx: _explain_joint(cx, bound="conditional"),
    expect="proved",
)


@FALLBACK_RATE_BOUND.check("z3")
def bound_scaled_by_fallback_misses(q):
    q.prove_claim()


@FALLBACK_RATE_BOUND.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), correlation=st.floats(-1.0, 1.0), fallback=st.booleans(),
       perfect_reader=st.booleans())
def scaled_bound_on_random_joints(seed, correlation, fallback, perfect_reader):
    law = toys.joint_of_events(np.random.default_rng(seed), fallback, correlation, reading=1.0 if perfect_reader else None)
    FALLBACK_RATE_BOUND.claim.require(**_cells(law), tolerance=1e-12)  # attained by a perfect reader


@FALLBACK_RATE_BOUND.check("simulation")
def scaled_bound_sweep(rng, scale):
    return _failure_simulation(rng, scale, True, lambda law: (1 - law["both"]) * (1 - law["fallback"]),
                               "bound scaled by the fallback's miss rate", claim=FALLBACK_RATE_BOUND.claim)


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
        "The declared claim, over a joint law given by its eight cell masses $w_{ras} \\ge 0$ (total $T > 0$) with "
        "success $\\subseteq R \\cap A$ ($w_{001} = w_{011} = w_{101} = 0$) and $R, A$ independent "
        "($P(R \\cap A) = P(R)\\,P(A)$, which for two events is independence): $1 - P(S) \\ge 1 - P(R)\\,P(A)$, "
        "stated multiplied through by $T^2$. z3 "
        "proves it; the property test and the simulation evaluate it on the cells of random independent joints of "
        "the toy law (a random or perfect reader, the latter attaining the bound). Without independence the bound "
        "is retrieval.failure_bound_marginal (refuted); with a fallback, a counterexample."
    ),
    interpretation=("A variant: it adds two hypotheses the words do not state, R and A independent (so that the "
                    "marginal product is P(R ∩ A)) and no parametric fallback.",),
    claim=Claim(_marginal_claim, where=_independent_no_fallback),
    variables=JOINT_VARIABLES,
    explain=lambda cx: _explain_joint(cx),
    expect="proved",
)


@INDEPENDENT_BOUND.check("z3")
def independent_bound(q):
    q.prove_claim()


@INDEPENDENT_BOUND.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), perfect_reader=st.booleans())
def independent_bound_on_random_joints(seed, perfect_reader):
    law = toys.joint_of_events(np.random.default_rng(seed), False, 0.0, reading=1.0 if perfect_reader else None)
    INDEPENDENT_BOUND.claim.require(**_cells(law), tolerance=1e-12)


@INDEPENDENT_BOUND.check("simulation")
def independent_bound_sweep(rng, scale):
    return _failure_simulation(rng, scale, False, lambda law: 1 - law["p_r"] * law["p_a"],
                               "independent retrieval and attention", claim=INDEPENDENT_BOUND.claim,
                               correlations=np.zeros(4))
