"""E-17, Training-pair distance statistics (SlimPajama) (§3 (empirical / geometric)): its readings, variants and corrections.

Each lemma reads top-down: the declaration, then its symbolic checks, property test and simulation.
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp
from hypothesis import example, given
from hypothesis import strategies as st

from proofs import Claim, cas, lemma, sim
from proofs.statement import All, And, If, Implies, Sum

from ._shared import CUTS, _number, first_measured_failure, require_measured

# ---------------------------------------------------------------------------------------------
# E-17, training-pair distances (SlimPajama, 2048 window): < 20 % upper half, < 5 % extreme end.
# ---------------------------------------------------------------------------------------------

WINDOW = 2048
L_SYM, D_SYM = sp.symbols("L D", positive=True)
EXTREME_BOUND = 0.0101  # what is proved for the top tenth at L ≥ 2048: below 1.01 % (the paper says 5 %)


def _packed_fraction_symbolic(cut):
    far = L_SYM - cut
    return far * (far + 1) / (L_SYM * (L_SYM - 1))


def _keys_at_least(query, cut):
    """The keys j ≥ 0 at distance ≥ D from query position i: j ≤ i − D, so max(0, i − D + 1) of them."""
    return If(query >= cut, query - cut + 1, 0)


def _far_pairs_twice(length, cut):
    """Twice the causal pairs at distance ≥ D in a sequence of length ℓ: (ℓ − D)(ℓ − D + 1), or 0 when ℓ < D."""
    return If(length >= cut, (length - cut) * (length - cut + 1), 0)


def _pairs_by_query(length, cut):
    """Twice the pairs at distance ≥ D, counted query by query (queries 0 … ℓ − 1 as i − 1, i = 1 … ℓ), is the
    closed form."""
    return 2 * Sum(lambda i: _keys_at_least(i - 1, cut), length, start=1) == _far_pairs_twice(length, cut)


PAIR_COUNT = lemma(
    "context.pair_count_closed_form",
    title=r"A sequence of length $\ell$ holds $(\ell-D)(\ell-D+1)/2$ causal pairs at distance $\ge D$",
    kind="lemma",
    paper_ref="§3 (SlimPajama statistics): the counting behind E-17",
    claim_ref="E-17",
    source="reconstructed",
    statement=(
        r"A sequence of length $\ell \ge 1$ holds $(\ell-D)(\ell-D+1)/2$ causal (query, key) pairs at distance "
        r"$\ge D \ge 1$ (none when $\ell < D$), so the fraction of its $\ell(\ell-1)/2$ pairs at distance $\ge D$ is "
        r"$(\ell-D)(\ell-D+1)/(\ell(\ell-1))$; for a packed window ($\ell = L$) it is $(L-D)(L-D+1)/(L(L-1))$."
    ),
    formal=(
        r"The declared claim, counting by query position: query $i \in \{0, \dots, \ell-1\}$ has $\max(0, i - D + 1)$ "
        r"keys at distance $\ge D$, and $\forall \ell \ge 1, D \ge 1$: $2\sum_{i=0}^{\ell-1}\max(0, i-D+1) = "
        r"(\ell-D)(\ell-D+1)$ if $\ell \ge D$, else 0. z3 proves it by induction on $\ell$. Property test: every pair "
        r"$(i, j)$ enumerated, query by query, meets the claim's per-query count, and the claim holds there; the "
        r"simulations' helper counts the same."
    ),
    claim=Claim(_pairs_by_query, where=lambda length, cut: And(length >= 1, cut >= 1), sorts={"length": "Int", "cut": "Int"}),
    waivers={"simulation": "a counting identity; the E-17 simulations apply it to millions of documents"},
    variables={"length": "ℓ, the sequence length", "cut": "D, the distance threshold"},
    explain=lambda cx: (f"a sequence of length {cx.get('length')} has a different number of pairs at distance ≥ "
                        f"{cx.get('cut')} than (ℓ−D)(ℓ−D+1)/2"),
    expect="proved",
)


@PAIR_COUNT.check("z3")
def newest_query_adds_its_pairs(q):
    length, cut = q.ints("length cut")
    q.prove_claim(length=length, cut=cut)
    q.induction(length, 1)


@PAIR_COUNT.check("hypothesis")
@given(length=st.integers(1, 160), cut=st.integers(1, 160))
@example(length=2, cut=1)
def enumerated_pairs_meet_the_claim(length, cut):
    from simulations import positions

    by_query = [sum(1 for j in range(i) if i - j >= cut) for i in range(length)]  # the model: every pair, enumerated
    assert all(count == _keys_at_least(i, cut) for i, count in enumerate(by_query)), by_query
    PAIR_COUNT.claim.require(length=length, cut=cut)
    assert 2 * positions.pairs_at_least(np.array([length]), cut)[0] == 2 * sum(by_query)  # the simulations' helper


def _document_laws(rng, documents):
    return {
        "exponential(mean 1000)": rng.exponential(1000, documents).astype(int) + 1,
        "lognormal(median 400, σ 1.3)": rng.lognormal(math.log(400), 1.3, documents).astype(int) + 1,
        "lognormal(median 1000, σ 1.0)": rng.lognormal(math.log(1000), 1.0, documents).astype(int) + 1,
    }


def _pair_distance_sweep(rng, scale, sample=400):
    """Per (length law, packing mode): the fraction of causal pairs at distance ≥ D for every D < L, and the
    mix's first `sample` sequence lengths (where a declared claim over sequences is evaluated)."""
    from simulations import positions

    documents = 200_000 if scale == "default" else 5_000_000
    curves, samples = {}, {}
    for law, lengths in _document_laws(rng, documents).items():
        for mode in ("truncate", "split", "packed"):
            sequences = positions.windows(lengths, WINDOW, mode)
            curves[(law, mode)] = positions.far_fraction_curve(sequences, WINDOW)
            samples[(law, mode)] = sequences[:sample].tolist()
    return curves, samples


def _at(curve, cut):
    """The fraction at distance ≥ ⌈cut·L⌉ from a curve indexed by D − 1."""
    return float(curve[math.ceil(cut * WINDOW) - 1])


def _explain_upper_half(cx):
    if "sympy_limit" in cx:
        return f"as the window grows the packed upper-half fraction tends to {cx['sympy_limit']}, above 1/5"
    window = cx.get("L", cx.get("window", WINDOW))
    fraction = cx.get("upper_half_fraction") or _counted_upper_half(int(window))
    return (f"a packed window of L = {int(window)} tokens puts {100 * fraction:.2f} % of its causal pairs at "
            "distance ≥ L/2, not fewer than 20 %")


def _packed_ceiling():
    from simulations import positions

    return np.array([positions.packed_far_fraction(WINDOW, d) for d in range(1, WINDOW)])


UPPER_HALF_PACKED = lemma(
    "context.pair_distances_upper_half_packed",
    title="Packed windows: fewer than 20 % of pairs in the upper half of the window",
    kind="claim",
    paper_ref="§3 (SlimPajama statistics)",
    claim_ref="E-17",
    source="attested",
    statement=(
        "The upper-half clause of E-17 ('fewer than 20 % of training pairs involve distances in the upper half' "
        "of a 2048-token window) read for packed windows, every training sequence a full window: fewer than 20 % "
        r"of its causal pairs are at distance $\ge L/2$. Refuted: a packed window puts $(L/2)(L/2+1)/(L(L-1))$ = "
        "25.04 % of its pairs there at L = 2048, and the fraction tends to 1/4."
    ),
    formal=(
        r"Packed windows (every sequence has length $L$): the fraction of causal pairs at distance $\ge L/2$ "
        r"is $(L/2)(L/2+1)/(L(L-1))$ (context.pair_count_closed_form); claim: $< 1/5$ for $L = 2048$ and every "
        r"longer window. z3 at $L = 2048$; sympy: the fraction tends to $1/4$."
    ),
    interpretation=(
        "Packing: documents concatenated into full windows (the other reading, whole documents "
        "truncated or split, is context.pair_distances_documents).",
        "Pairs: ordered causal pairs i > j (distance ≥ 1), counted uniformly; 'upper half' = d ≥ L/2.",
    ),
    uses=("context.pair_count_closed_form",),
    variables={"L": "the window length", "window": "the window length",
               "upper_half_fraction": "the fraction of causal pairs at distance ≥ L/2"},
    explain=lambda cx: _explain_upper_half(cx),
    expect="refuted",
)


@UPPER_HALF_PACKED.check("z3")
def upper_half_at_2048(q):
    (window,) = q.reals("L")
    q.domain(window == WINDOW)
    half = window / 2
    q.prove(half * (half + 1) * 5 < window * (window - 1))
    q.replay(lambda L: _counted_upper_half(int(L)) < 0.2)


def _counted_upper_half(window):
    """The upper-half fraction by counting the causal pairs of one packed window, in numpy."""
    from simulations import positions

    return positions.far_pair_fraction(np.array([window]), window // 2)


@UPPER_HALF_PACKED.check("sympy")
def upper_half_limit():
    return cas.Limit(_packed_fraction_symbolic(L_SYM / 2), L_SYM, expected=sp.Rational(1, 5), relation="<",
                     name="upper_half_fraction_as_window_grows")


@UPPER_HALF_PACKED.check("hypothesis")
@given(window=st.integers(WINDOW // 2, 2 * WINDOW).map(lambda n: 2 * n))
@example(window=WINDOW)
def packed_upper_half_by_counting(window):
    from simulations import positions

    distances = np.arange(1, window)
    far = (window - distances)[distances >= window // 2].sum()  # count the pairs, not the closed form
    fraction = far / (window - distances).sum()
    assert math.isclose(fraction, positions.packed_far_fraction(window, window // 2), rel_tol=1e-12)
    assert fraction < 0.2, f"{fraction:.4f} of pairs at distance ≥ L/2 for L = {window}"


@UPPER_HALF_PACKED.check("simulation")
def packed_pair_distances(rng, scale):
    curves, samples = _pair_distance_sweep(rng, scale)
    packed = {law: _at(curve, 0.5) for (law, mode), curve in curves.items() if mode == "packed"}
    law, largest = max(packed.items(), key=lambda item: item[1])
    violation = None if largest < 0.2 else {"law": law, "packing": "packed", "window": WINDOW,
                                            "upper_half_fraction": largest}
    windows = 2 ** np.arange(3, 17)
    counted = [_counted_upper_half(int(w)) for w in windows]
    figure = sim.new_figure()
    ax = figure.subplots()
    ax.plot(windows, counted, "o-", label="packed window: fraction of pairs at distance ≥ L/2 (counted)")
    ax.plot([WINDOW], [largest], "r*", ms=12, label=f"L = 2048 from the document sweep: {100 * largest:.2f} %")
    ax.axhline(0.25, color="grey", ls="--", label="limit 1/4 (sympy)")
    ax.axhline(0.2, color="k", ls=":", label="20 % as quoted")
    ax.set_xscale("log", base=2)
    ax.set_xlabel("window L")
    ax.set_ylabel("fraction of causal pairs in the upper half")
    ax.legend(fontsize=8)
    return sim.Observation(violation=violation, plot=figure, figures={"packed_upper_half": largest},
                           detail="packed windows put a quarter of all causal pairs in the upper half, at every L",
                           slack=sim.slack(largest, 0.2, side="upper"))


PER_SEQUENCE = lemma(
    "context.pair_distances_per_sequence",
    title=r"No sequence shorter than the window has a larger far-pair fraction than a full window",
    kind="lemma",
    paper_ref="§3 (SlimPajama statistics): the counting behind E-17",
    claim_ref="E-17",
    source="reconstructed",
    statement=(
        r"A sequence of length $1 \le \ell \le L$ has at most the far-pair fraction of a full window: "
        r"$(\ell-D)(\ell-D+1)\,L(L-1) \le (L-D)(L-D+1)\,\ell(\ell-1)$ for every $1 \le D < L$ (the left side 0 when "
        r"$\ell < D$): twice its pairs at distance $\ge D$ (context.pair_count_closed_form) against twice its pairs."
    ),
    formal=(
        r"The declared claim over real $\ell, L, D$ with $D \ge 1$, $L \ge D + 1$, $1 \le \ell \le L$; z3 proves it. "
        r"Property test: the claim at integer lengths, with the pairs at distance $\ge D$ enumerated."
    ),
    uses=("context.pair_count_closed_form",),
    claim=Claim(lambda length, window, cut: _far_pairs_twice(length, cut) * window * (window - 1)
                <= (window - cut) * (window - cut + 1) * length * (length - 1),
                where=lambda length, window, cut: And(cut >= 1, window >= cut + 1, length >= 1, length <= window)),
    waivers={"simulation": "an inequality per sequence; context.pair_distances_packing_is_worst simulates mixes"},
    variables={"length": "ℓ, a sequence length", "window": "L, the window", "cut": "D, the distance threshold"},
    explain=lambda cx: (f"a sequence of length {_number(cx.get('length'))} in a window of {_number(cx.get('window'))} "
                        f"has a larger fraction of pairs at distance ≥ {_number(cx.get('cut'))} than the full window"),
    expect="proved",
)


@PER_SEQUENCE.check("z3")
def per_sequence_ratio(q):
    q.prove_claim()


@PER_SEQUENCE.check("hypothesis")
@given(window=st.integers(2, 300), data=st.data())
def enumerated_sequences_below_the_window(window, data):
    length = data.draw(st.integers(1, window))
    cut = data.draw(st.integers(1, window - 1))
    far = sum(1 for i in range(length) for j in range(i) if i - j >= cut)  # the model: pairs enumerated
    assert 2 * far == _far_pairs_twice(length, cut)
    PER_SEQUENCE.claim.require(length=length, window=window, cut=cut)


def _mix_claim(lengths, k, window, cut):
    """Every sequence of the mix no longer than the window ⟹ its far pairs are at most the packed fraction of
    its pairs: Σ_i f(ℓ_i)·L(L−1) ≤ (L−D)(L−D+1)·Σ_i ℓ_i(ℓ_i − 1), i = 0 … k."""
    return Implies(All(lambda i: And(lengths(i) >= 1, lengths(i) <= window), k),
                   Sum(lambda i: _far_pairs_twice(lengths(i), cut), k) * window * (window - 1)
                   <= (window - cut) * (window - cut + 1) * Sum(lambda i: lengths(i) * (lengths(i) - 1), k))


PACKING_WORST = lemma(
    "context.pair_distances_packing_is_worst",
    title=r"No length law beats packing: the far-pair fraction is at most $(L-D)(L-D+1)/(L(L-1))$",
    kind="correction",
    corrects="context.pair_distances_upper_half_packed",
    paper_ref="§3 (SlimPajama statistics)",
    claim_ref="E-17",
    source="reconstructed",
    statement=(
        "For any mix of training sequences no longer than the window $L$, the fraction of causal pairs "
        r"at distance $\ge D$ is at most its value for packed windows, $(L-D)(L-D+1)/(L(L-1))$: 25.04 % "
        "for the upper half at $L = 2048$. The quoted '< 20 %' is therefore a property of SlimPajama's "
        "short documents (unpacked), not of the window; web-like length laws give 16–19 %."
    ),
    formal=(
        r"The declared claim, for every number $k + 1$ of sequences with lengths $\ell_0, \dots, \ell_k$ in $[1, L]$: "
        r"$L(L-1)\sum_i f(\ell_i) \le (L-D)(L-D+1)\sum_i \ell_i(\ell_i - 1)$, $f(\ell) = (\ell-D)(\ell-D+1)$ for "
        r"$\ell \ge D$ and 0 below. z3 proves it by induction on $k$, drawing on "
        r"context.pair_distances_per_sequence for each sequence. Property test and simulation: the claim at the "
        r"sampled sequence lengths, and the simulations' far-pair fraction at or below the packed one."
    ),
    uses=("context.pair_distances_per_sequence", "context.pair_count_closed_form"),
    claim=Claim(_mix_claim, where=lambda lengths, k, window, cut: And(k >= 0, cut >= 1, window >= cut + 1),
                sorts={"lengths": ("Int", "Real"), "k": "Int"}),
    variables={"lengths": "the sequence lengths of the mix", "k": "the number of sequences − 1",
               "window": "L, the window", "cut": "D, the distance threshold", "law": "the document-length law",
               "mode": "packing mode", "fraction": "the measured far-pair fraction", "packed": "the packed fraction"},
    explain=lambda cx: (f"a mix of {int(cx.get('k', 0)) + 1} sequences has more far pairs (distance ≥ "
                        f"{_number(cx.get('cut'))}) than packed windows" if "k" in cx else
                        f"under {cx.get('law')} ({cx.get('mode')}) the fraction at distance ≥ {cx.get('cut')} exceeds "
                        "the packed one"),
    survivors={
        "mix_is_below_packing | constant | 1 | 1 → 11/10": (
            "a weakening: moving a 1 of the goal to 1.1 shrinks L(L − 1) (or raises the lower bound of the lengths), "
            "so the mutant's left side is smaller or its hypothesis stronger and it follows from the claim; the "
            "equivalence test cannot see it because Σ f(ℓ_i) ≥ 0 holds only through the recursion, which it "
            "leaves uninterpreted"),
        "mix_is_below_packing | swap | window - 1 | window - 1 → 1 - window": (
            "a weakening: L(1 − L) ≤ 0 makes the left side non-positive while the right side is a sum of "
            "non-negative terms, so the mutant follows from the claim; as above, the equivalence test leaves the Σ "
            "recursion uninterpreted and cannot see the signs"),
    },
    expect="proved",
)


@PACKING_WORST.check("z3")
def mix_is_below_packing(q):
    (k,) = q.ints("k")
    window, cut = q.reals("window cut")
    lengths = q.function("lengths", "Int", "Real")
    q.prove_claim(lengths=lengths, k=k, window=window, cut=cut)
    q.use(PER_SEQUENCE, length=lengths(k), window=window, cut=cut)  # each sequence, as the induction adds it
    q.induction(k, 0)


@PACKING_WORST.check("hypothesis")
@given(lengths=st.lists(st.integers(1, WINDOW), min_size=1, max_size=50), cut=st.integers(1, WINDOW - 1))
@example(lengths=[WINDOW], cut=WINDOW // 2)  # packing itself attains the bound
def any_length_mix_is_below_packing(lengths, cut):
    from fractions import Fraction

    from simulations import positions

    PACKING_WORST.claim.require(lengths=lengths, k=len(lengths) - 1, window=WINDOW, cut=cut)
    far = sum(max(0, n - cut) * (max(0, n - cut) + 1) for n in lengths)  # exact integers (twice the counts)
    pairs = sum(n * (n - 1) for n in lengths)
    measured = positions.far_pair_fraction(np.array(lengths), cut)  # the simulations' helper
    assert math.isclose(measured, Fraction(far, pairs) if pairs else 0, abs_tol=1e-12)


@PACKING_WORST.check("simulation")
def length_laws_against_packing(rng, scale):
    curves, samples = _pair_distance_sweep(rng, scale)
    ceiling = _packed_ceiling()
    violation = None
    for (law, mode), curve in curves.items():
        sample = samples[(law, mode)]  # the declared claim at the mix's first sequences, at three cuts
        for cut in (1, WINDOW // 2, math.ceil(0.9 * WINDOW)):
            if violation is None and not PACKING_WORST.claim(lengths=sample, k=len(sample) - 1, window=WINDOW, cut=cut):
                violation = {"law": law, "mode": mode, "cut": cut, "k": len(sample) - 1}
        worst = int(np.argmax(curve - ceiling))
        if curve[worst] > ceiling[worst] + 1e-12 and violation is None:
            violation = {"law": law, "mode": mode, "cut": worst + 1, "fraction": float(curve[worst]),
                         "packed": float(ceiling[worst])}
    figure = sim.new_figure()
    ax = figure.subplots()
    cuts = np.arange(1, WINDOW) / WINDOW
    for (law, mode), curve in curves.items():
        ax.plot(cuts, curve / ceiling, lw=1, ls="-" if mode == "packed" else ("--" if mode == "split" else ":"),
                label=f"{law}, {mode}")
    ax.axhline(1.0, color="k", lw=1.5, label="packed ceiling (L−D)(L−D+1)/(L(L−1))")
    ax.set_xlabel("distance threshold D / L")
    ax.set_ylabel("far-pair fraction / packed ceiling")
    ax.set_ylim(0, 1.1)
    ax.legend(fontsize=6)
    unpacked = [_at(curve, 0.5) for (law, mode), curve in curves.items() if mode != "packed"]
    return sim.Observation(
        violation=violation, plot=figure,
        figures={"unpacked_upper_half_min": min(unpacked), "unpacked_upper_half_max": max(unpacked),
                 "packed_upper_half": float(ceiling[WINDOW // 2 - 1])},
        detail="every length law and packing mode stays at or below the packed fraction, at every distance; the "
               "declared claim holds at each mix's first 400 sequences",
        slack=min(sim.slack(curve, ceiling, side="upper") for curve in curves.values()),
    )


DOCUMENTS = lemma(
    "context.pair_distances_documents",
    title="Unpacked web-like documents: fewer than 20 % of pairs in the upper half",
    kind="claim",
    paper_ref="§3 (SlimPajama statistics)",
    claim_ref="E-17",
    source="attested",
    statement=(
        "A model of the upper-half clause of E-17 for SlimPajama's unpacked documents: under three synthetic "
        "web-like document-length laws (exponential with mean 1000 tokens; log-normal with median 400 or 1000), "
        "each document truncated to the 2048-token window or split into windows plus a remainder, fewer than 20 % "
        "of causal pairs are at distance ≥ L/2. SlimPajama itself is not here: a model of the measured figure, "
        "never its proof."
    ),
    claim_note=(
        "a statement about three document-length distributions that only the simulation measures (the fraction "
        "of a mixture's pairs); what holds for every distribution is context.pair_distances_packing_is_worst"),
    formal=(
        "Sequences are whole documents, truncated to the window or split into windows plus a "
        "remainder; document lengths follow web-like laws (exponential, mean 1000; log-normal with "
        "median 400 or 1000 tokens). Claim: the upper-half fraction is < 20 %."
    ),
    interpretation=(
        "SlimPajama itself is not available here; the three synthetic length laws stand in for it, "
        "so the verdict can be at most tested.",
    ),
    waivers={
        "symbolic": "an empirical statement about one corpus; what is provable about every length law "
                    "is context.pair_distances_packing_is_worst",
        "property": "a random family of length laws is not SlimPajama; the property that holds for every "
                    "law is tested under context.pair_distances_packing_is_worst",
    },
    variables={"law": "the document-length law", "mode": "truncate or split",
               "upper_half_fraction": "the fraction of pairs at distance ≥ L/2"},
    explain=lambda cx: (f"under {cx.get('law')} ({cx.get('mode')}) {100 * cx.get('upper_half_fraction', 0):.2f} % "
                        "of pairs are in the upper half"),
    expect="tested",
)


@DOCUMENTS.check("simulation")
def unpacked_document_pairs(rng, scale):
    curves, samples = _pair_distance_sweep(rng, scale)
    upper = {key: _at(curve, 0.5) for key, curve in curves.items() if key[1] != "packed"}
    key, row = max(upper.items(), key=lambda item: item[1])
    violation = None if row < 0.2 else {"law": key[0], "mode": key[1], "upper_half_fraction": row}
    figure = sim.new_figure(9, 4.5)
    ax = figure.subplots()
    ax.bar(np.arange(len(upper)), list(upper.values()), color=["C0" if k[1] == "truncate" else "C1" for k in upper])
    ax.axhline(0.2, color="k", ls="--", label="20 % (as quoted)")
    ax.axhline(float(_packed_ceiling()[WINDOW // 2 - 1]), color="r", ls=":", label="packed windows (25.04 %)")
    ax.set_xticks(np.arange(len(upper)), [f"{law}\n{mode}" for law, mode in upper], fontsize=6, rotation=45)
    ax.set_ylabel("fraction of causal pairs at distance ≥ L/2")
    ax.set_title("Unpacked documents, L = 2048: the upper-half fraction per length law")
    ax.legend(fontsize=8)
    return sim.Observation(violation=violation, plot=figure,
                           figures={f"upper_half[{law}, {mode}]": r for (law, mode), r in upper.items()},
                           detail="unpacked documents under three web-like length laws stay below 20 %",
                           slack=sim.slack(row, 0.2, side="upper"))


EXTREME_END = lemma(
    "context.pair_distances_extreme_end",
    title="Fewer than 5 % of pairs at the extreme end of the window, for every length law (below 1.01 %)",
    kind="claim",
    paper_ref="§3 (SlimPajama statistics)",
    claim_ref="E-17",
    source="attested",
    statement=(
        "The extreme-end clause of E-17 ('fewer than 5 % [of training pairs] at the extreme end' of a 2048-token "
        r"window), with the extreme end the top tenth of distances ($d \ge 0.9L$; the top twentieth is stricter and "
        r"follows): for every window $L \ge 2048$ and every mix of training sequences no longer than it, packed or "
        r"not, fewer than 1.01 % of the causal pairs are there, so fewer than 5 %. It is a property of the window, "
        "whatever the corpus; the upper-half clause is not (context.pair_distances_upper_half_packed)."
    ),
    formal=(
        r"The declared claim, over a mix's totals (twice its pairs at distance $\ge D$, $F$, and twice all its pairs, "
        r"$P > 0$): $\forall L \ge 2048$, $0.9L \le D \le L - 1$: if $F\,L(L-1) \le (L-D)(L-D+1)\,P$ (every mix of "
        r"sequences no longer than $L$, context.pair_distances_packing_is_worst) then $10^4 F < 101 P$; z3 proves it. "
        r"z3 also proves the packed bound $10^4(L-D)(L-D+1) < 101\,L(L-1)$ on its own; sympy: the packed fraction "
        r"tends to $1/100$. Property test and simulation: the claim at the totals of sampled mixes and of the "
        r"simulated corpora, counted by the simulations' helper."
    ),
    interpretation=(
        "Both readings of 'extreme end' (top 10 % and top 5 % of distances): any threshold D ≥ 0.9L; packed "
        "windows are the worst case, so the clause holds with or without packing.",
    ),
    uses=("context.pair_distances_packing_is_worst", "context.pair_count_closed_form"),
    claim=Claim(
        lambda far, pairs, window, cut: Implies(far * window * (window - 1) <= (window - cut) * (window - cut + 1) * pairs,
                                                10_000 * far < 101 * pairs),
        where=lambda far, pairs, window, cut: And(pairs > 0, window >= WINDOW, cut * 10 >= 9 * window,
                                                  cut <= window - 1)),
    variables={"lengths": "the sequence lengths", "k": "the number of sequences − 1", "window": "L, the window",
               "cut": "D, the distance threshold", "law": "the document-length law", "mode": "packing mode",
               "top_tenth_fraction": "the measured fraction at distance ≥ 0.9L", "L": "the window",
               "D": "the distance threshold"},
    explain=lambda cx: (f"with L = {_number(cx.get('window', cx.get('L')))} more than 1.01 % of pairs sit in the top "
                        "tenth of distances"),
    expect="proved",
)


@EXTREME_END.check("z3")
def packed_extreme_end_fraction(q):
    """The packed window's top tenth: 10⁴(L − D)(L − D + 1) < 101·L(L − 1) for L ≥ 2048, D ≥ 0.9L."""
    window, cut = q.reals("L D")
    q.domain(window >= WINDOW, cut <= window - 1)
    q.given(cut * 10 >= 9 * window)
    q.prove((window - cut) * (window - cut + 1) * 10_000 < 101 * window * (window - 1))


@EXTREME_END.check("z3")
def every_mix_below_one_percent(q):
    """The declared claim: a mix at most packed is below 1.01 %."""
    q.prove_claim()


@EXTREME_END.check("sympy")
def extreme_end_limit():
    return cas.Limit(_packed_fraction_symbolic(sp.Rational(9, 10) * L_SYM), L_SYM, expected=sp.Rational(1, 100),
                     name="top_tenth_fraction_as_window_grows")


def _mix_totals(sequences, cut):
    """A mix's totals, counted by the simulations' helper: twice its pairs at distance ≥ D, twice all its pairs."""
    from simulations import positions

    sequences = np.asarray(sequences)
    return (2 * float(positions.pairs_at_least(sequences, cut).sum()),
            2 * float(positions.pairs_at_least(sequences, 1).sum()))


@EXTREME_END.check("hypothesis")
@given(lengths=st.lists(st.integers(1, 4 * WINDOW), min_size=1, max_size=50), window=st.integers(WINDOW, 4 * WINDOW),
       share=st.floats(0.9, 1.0))
@example(lengths=[WINDOW], window=WINDOW, share=0.9)  # a packed 2048 window: 0.998 %, the largest the bound allows
def extreme_end_of_sampled_mixes(lengths, window, share):
    sequences = np.minimum(np.array(lengths), window)
    if not np.any(sequences >= 2):
        return  # no pair at all: no fraction to bound
    cut = min(window - 1, math.ceil(share * window))
    far, pairs = _mix_totals(sequences, cut)
    require_measured(EXTREME_END, far=far, pairs=pairs, window=window, cut=cut)


@EXTREME_END.check("simulation")
def extreme_end_pairs(rng, scale):
    curves, samples = _pair_distance_sweep(rng, scale)
    violation = None
    for key, curve in curves.items():  # the totals from the curve: twice the pairs at distance ≥ D over twice all
        for share in CUTS[1:]:
            cut = math.ceil(share * WINDOW)
            failure = first_measured_failure(EXTREME_END, far=[float(curve[cut - 1])], pairs=[1.0], window=WINDOW,
                                             cut=cut)
            if failure is not None and violation is None:
                violation = {**failure, "law": key[0], "mode": key[1]}
    (law, mode), curve = max(curves.items(), key=lambda item: _at(item[1], 0.9))
    top_tenth = _at(curve, 0.9)
    if violation is None and top_tenth >= EXTREME_BOUND:
        violation = {"law": law, "mode": mode, "top_tenth_fraction": top_tenth}
    figure = sim.new_figure()
    ax = figure.subplots()
    start = int(0.8 * WINDOW)
    cuts = np.arange(start, WINDOW) / WINDOW
    for (name, packing), values in curves.items():
        ax.plot(cuts, values[start - 1:], lw=1, label=f"{name}, {packing}")
    ax.axhline(0.05, color="k", ls="--", label="5 % (as quoted)")
    ax.axhline(EXTREME_BOUND, color="r", ls=":", label="1.01 % (proved for the top tenth)")
    for cut in CUTS[1:]:
        ax.axvline(cut, color="grey", lw=0.8)
    ax.set_yscale("log")
    ax.set_xlabel("distance threshold D / L (top fifth of the window)")
    ax.set_ylabel("fraction of causal pairs at distance ≥ D")
    ax.legend(fontsize=6)
    return sim.Observation(violation=violation, plot=figure,
                           figures={"largest_top_tenth": top_tenth,
                                    "largest_top_twentieth": max(_at(c, 0.95) for c in curves.values())},
                           detail="every law and packing mode keeps the top tenth of distances below 1.01 % (< 5 %): "
                                  "the declared claim holds at each corpus's measured fractions",
                           slack=sim.slack(top_tenth, EXTREME_BOUND, side="upper"))
