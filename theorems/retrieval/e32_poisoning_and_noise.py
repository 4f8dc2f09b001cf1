"""E-32, Semantic drift, ranking noise, weak retrieval–generation coupling, knowledge-conflict arbitration, poisoning (§5): its readings, variants and corrections.

Each lemma reads top-down: the declaration, then its symbolic checks, property test and simulation.
"""

from __future__ import annotations

import numpy as np

from proofs import lemma, sim
from simulations import retrieval as toys

# ---------------------------------------------------------------------------------------------
# E-32: poisoning and distraction.
# ---------------------------------------------------------------------------------------------

POISONING = lemma(
    "retrieval.poisoning_five_documents",
    title="In a random bi-encoder toy, five injected near-duplicates take over the top 5 for ≥ 90 % of target queries",
    kind="claim",
    paper_ref="§5 (PoisonedRAG)",
    claim_ref="E-32",
    source="attested",
    statement=(
        "A model of poisoning, not the attack on real retrievers: in a random bi-encoder toy (10⁵ random unit "
        "vectors in 64 dimensions, 10⁶ at full scale; one genuine document at cosine 0.8 to each target query), "
        "five injected documents at cosine 0.9 hold a majority of the top 5 for at least 90 % of the target queries."
    ),
    formal=(
        "Bi-encoder toy: $10^5$ random unit vectors in 64 dimensions ($10^6$ at full scale, streamed in chunks); "
        "each target query has one genuine document at cosine 0.8; $k$ injected documents at cosine 0.9. "
        "Success = injected documents hold a majority of the top 5. Claim: success ≥ 0.9 at $k = 5$."
    ),
    interpretation=(
        "Attack success read as retrieval takeover (a poisoned majority in the top 5), not the "
        "generated answer; the embedding model is random, not a trained retriever.",
        "In this toy the outcome is nearly deterministic: once k ≥ 3 injected documents score above the "
        "corpus's best random match (cosine about 0.5 in 64 dimensions), they hold the majority. The sweep over "
        "the injected cosine shows where that threshold lies; the toy says nothing about the 90 % of real attacks.",
    ),
    variables={"k": "injected documents", "success": "fraction of target queries taken over"},
    explain=lambda cx: f"with {cx.get('k')} injected documents only {cx.get('success')} of the target queries were taken over",
    claim_note=("a model of an empirical figure: a success frequency over a streamed random corpus, which only the "
                "simulation's sweep measures; no formula to share"),
    waivers={"symbolic": "an empirical claim about attacks on retrievers",
             "property": "one streamed corpus per run is the unit of evidence; the simulation sweeps k and the cosine"},
    survivors={"attack_success_against_k | boundary | success[5, 0.9] >= 0.9 | GtE → Gt": "a true stronger claim in this toy: every target query is taken over at k = 5 (success 1, not just ≥ 0.9)"},
    expect="tested",
)


@POISONING.check("simulation")
def attack_success_against_k(rng, scale):
    corpus = 100_000 if scale == "default" else 1_000_000
    counts, cosines = (0, 1, 2, 3, 5, 10), (0.9, 0.6, 0.5, 0.4)
    success = toys.poisoning_sweep(rng, corpus, 64, counts, cosines, 50)
    violation = None if success[5, 0.9] >= 0.9 else {"k": 5, "success": success[5, 0.9]}
    figure = sim.new_figure()
    ax = figure.subplots()
    for cosine in cosines:
        # curves that coincide (cosine 0.9 and 0.6 both succeed at k ≥ 3) stay visible: drawn first with larger,
        # hollow markers and wider lines
        order = sorted(cosines, reverse=True).index(cosine)
        ax.plot(counts, [success[k, cosine] for k in counts], marker="os^D"[order % 4], ms=11 - 2.5 * order,
                mfc="none", lw=3.5 - 0.8 * order, alpha=0.85, label=f"injected at cosine {cosine} (genuine 0.8)")
    ax.axhline(0.9, color="k", ls=":", label="90 %")
    ax.set_xlabel("injected documents k")
    ax.set_ylabel("attack success (poisoned majority of top 5)")
    ax.legend(fontsize=7)
    return sim.Observation(violation=violation, plot=figure,
                           figures={f"success[k={k}, cos={c}]": v for (k, c), v in success.items() if c in (0.9, 0.5)},
                           slack=sim.slack(success[5, 0.9], 0.9, side="lower"),
                           detail=f"{corpus} random documents (streamed), 50 target queries per (k, cosine)")


DISTRACTION = lemma(
    "retrieval.one_distractor_cuts_accuracy",
    title="In a softmax-reader toy, one irrelevant but similar passage can cut accuracy by 30 %",
    kind="claim",
    paper_ref="§5",
    claim_ref="E-32",
    source="attested",
    statement=("A model of distraction, not a measurement of real readers: a softmax reader (temperature 0.05 over "
               "cosines) that answers from one sampled passage among the gold passage (cosine 0.8), four unrelated "
               "passages (random unit vectors in 64 dimensions) and one irrelevant distractor, loses at least 30 % of its accuracy, relatively, for some "
               "distractor cosine up to 0.8."),
    formal=(
        "Reader toy: it answers from a passage sampled by softmax(cosine / 0.05) over the gold passage "
        "(cosine 0.8), four unrelated ones and one irrelevant distractor of cosine $s$ with a wrong "
        "answer; accuracy is the probability of sampling the gold passage, averaged over random queries. Claim "
        "('can'): for some $s \\le 0.8$, accuracy drops by at least 30 % relative."
    ),
    interpretation=("'Can' read existentially over the distractor's similarity; the 30 % is relative.",),
    variables={"largest_relative_drop": "the largest relative accuracy drop over the similarities swept"},
    explain=lambda cx: f"no distractor similarity up to 0.8 cut accuracy by 30 % (largest drop {cx.get('largest_relative_drop')})",
    claim_note=("a model of an empirical figure: the largest accuracy drop over a sweep of the distractor's cosine, "
                "which only the simulation measures; no formula to share"),
    waivers={"symbolic": "an empirical claim about readers",
             "property": "the simulation sweeps the one parameter, the distractor's similarity"},
    survivors={"accuracy_against_distractor | boundary | drops.max() >= 0.3 | GtE → Gt": "a true stronger claim: a distractor as similar as the gold passage halves the accuracy (drop 0.5 > 0.3)"},
    expect="tested",
)


@DISTRACTION.check("simulation")
def accuracy_against_distractor(rng, scale):
    trials = 20_000 if scale == "default" else 2_000_000
    clean = toys.distracted_accuracy_batch(rng, None, trials)
    similarities = np.array([0.5, 0.6, 0.7, 0.75, 0.8])
    distracted = np.array([toys.distracted_accuracy_batch(rng, s, trials) for s in similarities])
    drops = 1 - distracted / clean
    violation = None if drops.max() >= 0.3 else {"largest_relative_drop": float(drops.max())}
    figure = sim.new_figure()
    ax = figure.subplots()
    ax.plot(similarities, drops, "o-")
    ax.axhline(0.3, color="k", ls=":", label="30 %")
    ax.set_xlabel("cosine of the irrelevant passage with the query")
    ax.set_ylabel("relative accuracy drop")
    ax.legend()
    return sim.Observation(violation=violation, plot=figure, figures={f"drop[s={s:g}]": float(d) for s, d in zip(similarities, drops)},
                           slack=sim.slack(float(drops.max()), 0.3, side="lower"),
                           detail=f"clean accuracy {clean:.3f}; one distractor per question, {trials} random queries")
