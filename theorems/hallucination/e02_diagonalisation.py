"""E-02, Diagonalization: every model in a c.e. family hallucinates (§2.1, Theorem 1): its readings, variants and corrections.

Each lemma reads top-down: the declaration, then its symbolic checks, property test and simulation.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from proofs import lemma, sim, smt
from simulations import hallucination as toys

from ._shared import _flip

# ---------------------------------------------------------------------------------------------
# E-02: diagonalisation, every model of a c.e. family errs somewhere.
# ---------------------------------------------------------------------------------------------

DIAGONAL_STATEMENT = (
    "For any computably enumerable model family, diagonalization guarantees inputs on which some model "
    r"must fail (abstract); $\forall$ c.e. $\{h_i\}$ $\exists$ computable $f$ $\forall i$ $\exists s$: $h_i(s) \ne f(s)$, "
    r"with $f(s_i) := \mathrm{flip}(h_i(s_i))$ (G2)."
)


DIAGONAL = lemma(
    "hallucination.diagonal_every_model_fails",
    title="With two or more answers, the diagonal f(s) = flip(h_s(s)) defeats every model of the family",
    kind="theorem",
    paper_ref="§2.1, Theorem 1",
    claim_ref="E-02",
    source="attested",
    statement=DIAGONAL_STATEMENT,
    formal=(
        r"z3, for an uninterpreted family $h: \mathbb{Z} \times \mathbb{Z} \to \mathbb{Z}$ (answers any integers) and "
        r"the diagonal truth $f(s) := \mathrm{flip}(h(s, s))$ defined at every input: by induction on $n$, for "
        r"every $i \ge 0$ and every $n \ge i$ the running conjunction $\bigwedge_{s \le n} h(i, s) = f(s)$ is false, "
        r"i.e. model $i$ disagrees with $f$ somewhere among $s_0, \dots, s_n$. So no $i$ has $h(i, s) = f(s)$ for "
        r"all $s$ ($\neg\exists i\, \forall s$): one $f$ defeats the whole family. $f$ is computable by substitution "
        r"(cited: hallucination.computable_closure)."
    ),
    interpretation=(
        "Total, uniform family ((i, s) ↦ h_i(s) one computable function); distinct diagonal inputs "
        "s_i = the i-th string, so every input is the diagonal input of one model and f is defined everywhere; "
        "at least two answers.",
        "The property test and the simulation build f from the diagonal only and then search every model of the "
        "family, on every input of the prefix, for one that agrees with f everywhere.",
    ),
    uses=("hallucination.computable_closure",),
    variables={"i": "the index of a model in the family", "n": "the last input s_n of the prefix compared",
               "h": "the family: h(i, s) is model i's answer on input s"},
    explain=lambda cx: (f"model {cx.get('i')} would agree with the diagonal truth f on every input s_0 … "
                        f"s_{cx.get('n')}, its own diagonal input included"),
    expect="proved",
)


def _perfect_agreement(answers, truth):
    """Every model (row) that agrees with `truth` on every input of the prefix."""
    return np.flatnonzero(np.all(answers == truth[None, :], axis=1))


@DIAGONAL.check("z3")
def no_model_agrees_on_any_prefix(q):
    family = q.function("h", "Int", "Int", "Int")
    i, n = q.ints("i n")
    truth = lambda s: _flip(family(s, s))  # noqa: E731 - f(s) := flip(h_s(s)), at every input
    agrees = q.recursive_function("agrees", base=family(i, 0) == truth(0),
                                  step=lambda s, prev: smt.And(prev, family(i, s) == truth(s)), sort="Bool")
    q.domain(i >= 0)
    q.induction(n, start=0)
    q.prove(smt.Implies(n >= i, smt.Not(agrees(n))))


@DIAGONAL.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), models=st.integers(1, 50), extra=st.integers(0, 30),
       answers=st.integers(2, 6), copies=st.integers(1, 3))
def no_model_of_the_table_equals_the_diagonal_truth(seed, models, extra, answers, copies):
    rng = np.random.default_rng(seed)
    distinct = rng.integers(answers, size=(max(1, models // copies), models + extra))  # h_i(s_j)
    family = distinct[rng.integers(distinct.shape[0], size=models)]  # a family may list one model many times
    truth = toys.diagonal_truth(family)  # built from the diagonal only
    agreeing = _perfect_agreement(family, truth)
    assert agreeing.size == 0, f"models {agreeing.tolist()[:3]} agree with f on all {family.shape[1]} inputs"


@DIAGONAL.check("simulation")
def diagonal_against_whole_model_classes(rng, scale):
    strings = toys.shortlex(600 if scale == "default" else 4000)
    answers, names = toys.enumeration(strings)
    models = answers.shape[0]
    truth = toys.diagonal_truth(answers)  # f(s_i) = flip(h_i(s_i)) for i < models, 0 beyond
    agreement = (answers == truth[None, :]).sum(axis=1)  # inputs on which each model agrees with f
    perfect = _perfect_agreement(answers, truth)
    # control: the same search, given a truth that is one of the models, finds it
    control = int(rng.integers(models))
    found = control in _perfect_agreement(answers, answers[control])
    violation = None if perfect.size == 0 else {"models": perfect.tolist()[:5],
                                                 "classes": sorted({names[j] for j in perfect.tolist()})}
    figure = sim.new_figure()
    ax = figure.subplots()
    for name in dict.fromkeys(names):
        rows = [j for j, n in enumerate(names) if n == name]
        ax.hist(agreement[rows] / len(strings), bins=40, range=(0, 1), alpha=0.6, label=name)
    ax.set_xlabel("fraction of the prefix on which a model agrees with the diagonal f")
    ax.set_ylabel("models")
    ax.legend(fontsize=7)
    return sim.Observation(violation=violation, plot=figure,
                           figures={"models": models, "inputs": len(strings),
                                    "best_agreement": float(agreement.max() / len(strings)),
                                    "control_found": found},
                           detail=f"{models} models from 4 enumerable classes searched on all {len(strings)} inputs: "
                                  f"none agrees with the diagonal f everywhere")


SINGLE_ANSWER = lemma(
    "hallucination.diagonal_single_answer",
    title="With a single possible answer, no model can be made to fail",
    kind="theorem",
    paper_ref="§2.1, Theorem 1",
    claim_ref="E-02",
    source="attested",
    statement=DIAGONAL_STATEMENT,
    formal=(r"Answer set $A = \{0\}$: $\exists f\, \forall i\, \exists s: h_i(s) \ne f(s)$ is false, since every $h_i$ "
            r"and every $f$ is the constant 0 (z3: no $i, s$ with $h(i, s) \ne f(s)$ when both are 0)."),
    interpretation=(
        "The answer-set size the sources leave open: |A| = 1, where flip cannot exist.",
        "No correction: with at least two answers the claim holds as stated (hallucination.diagonal_every_model_fails, "
        "proved); with one answer no model can err, so there is no weaker statement to repair it to.",
    ),
    variables={"i": "a model index", "s": "an input", "h": "the family (constant 0)", "f": "a candidate truth (constant 0)"},
    explain=lambda cx: "with one answer every model and every truth is the same constant: no input separates them",
    waivers={"property": "with one answer every table and every truth is the same constant: there is nothing to draw",
             "simulation": "with one answer there is nothing to enumerate: every model and every truth is the constant"},
    expect="refuted",
)


@SINGLE_ANSWER.check("z3")
def nothing_to_flip(q):
    family = q.function("h", "Int", "Int", "Int")
    truth = q.function("f", "Int", "Int")
    i, s = q.ints("i s")
    q.domain(i >= 0, s >= 0)
    q.given(family(i, s) == 0, truth(s) == 0)  # the only answer
    q.exists(truth(s) != family(i, s))
