"""E-02, Diagonalization: every model in a c.e. family hallucinates (§2.1, Theorem 1): its readings, variants and corrections.

Each lemma reads top-down: the declaration, then its symbolic checks, property test and simulation.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from proofs import Claim, lemma, sim
from proofs.statement import All, If, Implies, Not
from simulations import hallucination as toys


# ---------------------------------------------------------------------------------------------
# E-02: diagonalisation, every model of a c.e. family errs somewhere.
# ---------------------------------------------------------------------------------------------

def _flip_value(answer):
    """flip(a) = 1 if a = 0 else 0, in every world (a z3 term, a sympy symbol, a number)."""
    return If(answer == 0, 1, 0)


def _no_agreement_up_to(h, i, n):
    """Model i does not agree with the diagonal truth f(s) = flip(h(s, s)) on every input s_0 … s_n (n ≥ i)."""
    return Implies(n >= i, Not(All(lambda s: h(i, s) == _flip_value(h(s, s)), n)))


DIAGONAL = lemma(
    "hallucination.diagonal_every_model_fails",
    title="With two or more answers, the diagonal f(s) = flip(h_s(s)) defeats every model of the family",
    kind="theorem",
    paper_ref="§2.1, Theorem 1",
    claim_ref="E-02",
    source="attested",
    statement=(r"For every total, uniformly computable family $h(i, s) = h_i(s_s)$ over at least two answers, the "
               r"diagonal truth $f(s_s) := \mathrm{flip}(h_s(s_s))$ (flip(0) = 1, flip(a) = 0 otherwise) defeats "
               r"every model: for every $i \ge 0$ and every $n \ge i$, model $i$ disagrees with $f$ somewhere among "
               r"$s_0, \dots, s_n$; so one computable $f$ (by substitution, cited) has $\forall i\, \exists s$: "
               r"$h_i(s) \ne f(s)$."),
    formal=(
        r"z3, for an uninterpreted family $h: \mathbb{Z} \times \mathbb{Z} \to \mathbb{Z}$ (answers any integers): by "
        r"induction on $n$ from 0, for every $i \ge 0$: $n \ge i \Rightarrow \neg \bigwedge_{s \le n} h(i, s) = "
        r"\mathrm{flip}(h(s, s))$ (the declared claim, its running conjunction a recursion). No $i$ has $h(i, s) = f(s)$ "
        r"for all $s$ ($\neg\exists i\, \forall s$). $f$ is computable by substitution (cited: "
        r"hallucination.computable_closure). The property test and the simulation evaluate the same claim on random "
        r"tables and on four enumerated model classes."
    ),
    interpretation=(
        "Total, uniform family ((i, s) ↦ h_i(s) one computable function); distinct diagonal inputs "
        "s_i = the i-th string, so every input is the diagonal input of one model and f is defined everywhere; "
        "at least two answers.",
        "The property test and the simulation build f from the diagonal only (toys.diagonal_truth) and check, besides "
        "the declared claim, that the search over every model finds none agreeing with f everywhere.",
    ),
    uses=("hallucination.computable_closure",),
    claim=Claim(_no_agreement_up_to, where=lambda i: i >= 0,
                sorts={"h": ("Int", "Int", "Int"), "i": "Int", "n": "Int"}),
    variables={"i": "the index of a model in the family", "n": "the last input s_n of the prefix compared",
               "h": "the family: h(i, s) is model i's answer on input s"},
    explain=lambda cx: (f"model {cx.get('i')} would agree with the diagonal truth f on every input s_0 … "
                        f"s_{cx.get('n')}, its own diagonal input included"),
    expect="proved",
)


def _perfect_agreement(answers, truth):
    """Every model (row) that agrees with `truth` on every input of the prefix."""
    return np.flatnonzero(np.all(answers == truth[None, :], axis=1))


def _table(answers):
    return lambda i, s: int(answers[i, s])


@DIAGONAL.check("z3")
def no_model_agrees_on_any_prefix(q):
    (n,) = q.ints("n")
    q.prove_claim(n=n)
    q.induction(n, start=0)


@DIAGONAL.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), models=st.integers(1, 50), extra=st.integers(0, 30),
       answers=st.integers(2, 6), copies=st.integers(1, 3))
def no_model_of_the_table_equals_the_diagonal_truth(seed, models, extra, answers, copies):
    rng = np.random.default_rng(seed)
    distinct = rng.integers(answers, size=(max(1, models // copies), models + extra))  # h_i(s_j)
    family = distinct[rng.integers(distinct.shape[0], size=models)]  # a family may list one model many times
    square = family[:, :models]  # inputs s_0 … s_{models−1}: the diagonal inputs of the family
    i = int(rng.integers(models))
    DIAGONAL.claim.require(h=_table(square), i=i, n=models - 1)
    truth = toys.diagonal_truth(family)  # the simulation's builder, from the diagonal only
    assert np.array_equal(truth[:models], np.where(np.diag(square) == 0, 1, 0))
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
    diagonal = min(models, len(strings))  # the declared claim on the square part, for models spread over the classes
    picked = np.unique(np.linspace(0, diagonal - 1, 40).astype(int))
    square = _table(answers[:diagonal, :diagonal])
    failure = DIAGONAL.claim.first_failure(h=square, i=picked, n=diagonal - 1)
    # control: the same search, given a truth that is one of the models, finds it
    control = int(rng.integers(models))
    found = control in _perfect_agreement(answers, answers[control])
    violation = failure or (None if perfect.size == 0 else {"models": perfect.tolist()[:5],
                                                              "classes": sorted({names[j] for j in perfect.tolist()})})
    if not found:
        violation = {"control_not_found": control}
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
                                    "claim_evaluated_at": len(picked), "control_found": found},
                           detail=f"{models} models from 4 enumerable classes searched on all {len(strings)} inputs: "
                                  f"none agrees with the diagonal f everywhere; the declared claim holds for "
                                  f"{len(picked)} models on the first {diagonal} inputs")


SINGLE_ANSWER = lemma(
    "hallucination.diagonal_single_answer",
    title="With a single possible answer, no model can be made to fail",
    kind="theorem",
    paper_ref="§2.1, Theorem 1",
    claim_ref="E-02",
    source="attested",
    statement=(r"Variant with a single answer, $A = \{0\}$ (where no flip with $\mathrm{flip}(a) \ne a$ exists): "
               r"$\exists f\, \forall i\, \exists s: h_i(s) \ne f(s)$ is false, because every model and every truth "
               r"is the constant 0."),
    formal=(r"Answer set $A = \{0\}$: $\exists f\, \forall i\, \exists s: h_i(s) \ne f(s)$ is false, since every $h_i$ "
            r"and every $f$ is the constant 0 (z3: no $i, s$ with $h(i, s) \ne f(s)$ when both are 0)."),
    interpretation=(
        "A variant, not the literal reading: the words' flip(a) ≠ a presupposes two answers, and this reading takes "
        "|A| = 1, where flip cannot exist.",
        "No correction: with at least two answers the claim holds as stated (hallucination.diagonal_every_model_fails, "
        "proved); with one answer no model can err, so there is no weaker statement to repair it to.",
    ),
    claim_note="the refutation is an existential with no witness: no model and truth of one answer differ anywhere",
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
