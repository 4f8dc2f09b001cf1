"""E-27, Likelihood favours pattern completion over inference (§4): its readings, variants and corrections.

Each lemma reads top-down: the declaration, then its symbolic checks, property test and simulation.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from proofs import lemma, sim
from simulations import reasoning as toys

from ._shared import WEAKER

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
