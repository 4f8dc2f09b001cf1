"""E-03, Infinitely many hallucinations (§2.1, Theorem 2): its readings, variants and corrections.

Each lemma reads top-down: the declaration, then its symbolic checks, property test and simulation.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from proofs import lemma, sim, smt
from simulations import hallucination as toys

from ._shared import _flip

# ---------------------------------------------------------------------------------------------
# E-03: infinitely many hallucinations, by Cantor pairing.
# ---------------------------------------------------------------------------------------------


def _twice_cantor(x, y):
    """2·⟨x, y⟩ = (x + y)(x + y + 1) + 2y: the Cantor pairing doubled, integer-valued without a division."""
    return (x + y) * (x + y + 1) + 2 * y


TRIANGLE_GAP = lemma(
    "hallucination.triangle_numbers_gap",
    title="Consecutive Cantor diagonals do not overlap: v ≥ w + 1 implies v(v+1) ≥ (w+1)(w+2)",
    kind="lemma",
    paper_ref="§2.1, Theorem 2",
    claim_ref="E-03",
    source="reconstructed",
    statement=(r"For integers $w \ge 0$ and $v \ge w + 1$: $v(v+1) \ge (w+1)(w+2)$; the pairs on the $w$-th "
               r"diagonal ($i + k = w$) take the values $w(w+1)/2, \dots, w(w+1)/2 + w$, all below the first value "
               r"$(w+1)(w+2)/2$ of any later diagonal."),
    formal="z3 over the integers (non-linear integer arithmetic).",
    variables={"w": "the diagonal i + k of one pair", "v": "the diagonal a + b of another"},
    explain=lambda cx: f"diagonals w = {cx.get('w')} and v = {cx.get('v')} would overlap",
    waivers={"simulation": "one polynomial inequality, proved for all integers; hallucination.cantor_pairing_injective "
                           "enumerates the diagonals"},
    expect="proved",
)


@TRIANGLE_GAP.check("z3")
def later_diagonals_start_higher(q):
    w, v = q.ints("w v")
    q.domain(w >= 0)
    q.given(v >= w + 1)
    q.prove(v * (v + 1) >= (w + 1) * (w + 2))


@TRIANGLE_GAP.check("hypothesis")
@given(w=st.integers(0, 10**9), gap=st.integers(1, 10**9))
def later_diagonals_on_integers(w, gap):
    v = w + gap
    assert v * (v + 1) >= (w + 1) * (w + 2)


CANTOR_INJECTIVE = lemma(
    "hallucination.cantor_pairing_injective",
    title="Cantor pairing ⟨i, k⟩ = (i+k)(i+k+1)/2 + k is injective on ℕ²",
    kind="lemma",
    paper_ref="§2.1, Theorem 2",
    claim_ref="E-03",
    source="reconstructed",
    statement=(r"For $i, k, a, b \ge 0$: $\langle i, k\rangle = \langle a, b\rangle \Rightarrow i = a \wedge k = b$. So "
               r"a ground truth defined by $f(\langle i, k\rangle) := \mathrm{flip}(h_i(\langle i, k\rangle))$ is a "
               r"function (no input gets two definitions)."),
    formal=(r"z3 over the integers, on $2\langle x, y\rangle = (x+y)(x+y+1) + 2y$, with two instances of "
            r"hallucination.triangle_numbers_gap (the diagonals $i + k$ and $a + b$ in both orders) taken by reference."),
    uses=("hallucination.triangle_numbers_gap",),
    variables={"i": "first coordinate of one pair", "k": "second coordinate of one pair",
               "a": "first coordinate of the other pair", "b": "second coordinate of the other pair"},
    explain=lambda cx: (f"the pairs ({cx.get('i')}, {cx.get('k')}) and ({cx.get('a')}, {cx.get('b')}) would share "
                        f"one Cantor code"),
    expect="proved",
)


@CANTOR_INJECTIVE.check("z3")
def equal_codes_equal_pairs(q):
    i, k, a, b = q.ints("i k a b")
    q.domain(i >= 0, k >= 0, a >= 0, b >= 0)
    q.use(TRIANGLE_GAP, w=i + k, v=a + b)
    q.use(TRIANGLE_GAP, w=a + b, v=i + k)
    q.given(_twice_cantor(i, k) == _twice_cantor(a, b))
    q.prove(smt.And(i == a, k == b))


@CANTOR_INJECTIVE.check("hypothesis")
@given(i=st.integers(0, 10**6), k=st.integers(0, 10**6), a=st.integers(0, 10**6), b=st.integers(0, 10**6))
def codes_separate_pairs(i, k, a, b):
    assert (toys.cantor(i, k) == toys.cantor(a, b)) == ((i, k) == (a, b))
    decoded = toys.cantor_inverse(np.array([toys.cantor(i, k)], dtype=np.int64))
    assert (int(decoded[0][0]), int(decoded[1][0])) == (i, k)


@CANTOR_INJECTIVE.check("simulation")
def every_code_below_a_diagonal_once(rng, scale):
    diagonals = 3000 if scale == "default" else 8000
    total = diagonals * (diagonals + 1) // 2
    hits = np.zeros(total, dtype=np.uint8)  # streamed one diagonal at a time: O(total) bytes, no pair arrays
    for w in range(diagonals):
        k = np.arange(w + 1)
        codes = toys.cantor(w - k, k)
        np.add.at(hits, codes[codes < total], 1)
    collisions, missed = int(np.sum(hits > 1)), int(np.sum(hits == 0))
    violation = None if collisions == 0 else {"codes_hit_twice": collisions}
    return sim.Observation(violation=violation, figures={"pairs": total, "codes_missed": missed, "collisions": collisions},
                           detail=f"all pairs with i + k < {diagonals} encoded: each of the {total} codes below "
                                  f"the next diagonal is hit exactly once")


INFINITE = lemma(
    "hallucination.infinitely_many_failures",
    title="Pairing ⟨i, k⟩ makes every model err at infinitely many inputs",
    kind="theorem",
    paper_ref="§2.1, Theorem 2",
    claim_ref="E-03",
    source="attested",
    statement=(r"Each model hallucinates on infinitely many inputs: $\exists$ computable $f$ $\forall i$: "
               r"$|\{s : h_i(s) \ne f(s)\}| = \aleph_0$ (G1, G2, G6)."),
    formal=(
        r"$f(n) := \mathrm{flip}(h(a, n))$ where $(a, b)$ decodes $n = \langle a, b\rangle$ (Cantor). z3: for all "
        r"$i, k \ge 0$ and any decoding $(a, b)$ of $n = \langle i, k\rangle$, model $i$ errs at $n$ and "
        r"$n \ge k$; injectivity (hallucination.cantor_pairing_injective, by reference) is what makes $a = i$. So "
        r"the failures of model $i$ exceed every bound $k$: the failure set is infinite. Quantitatively (z3): every "
        r"$k$ with $(i+k+2)^2 \le 2M$ has $\langle i, k\rangle < M$, so model $i$ fails on at least "
        r"$\lfloor\sqrt{2M}\rfloor - i - 1$ of the first $M$ inputs."
    ),
    interpretation=("A cardinality statement; the probability mass of S_h under a query law is not claimed.",
                    "f is computable by substitution into the computable decoder and the family (cited)."),
    uses=("hallucination.cantor_pairing_injective", "hallucination.computable_closure"),
    variables={"i": "the model", "k": "the index of the pair ⟨i, k⟩", "a": "first coordinate decoded from the input",
               "b": "second coordinate decoded from the input", "n": "the input ⟨i, k⟩", "M": "the prefix length",
               "h": "the family"},
    explain=lambda cx: (f"model {cx.get('i')} would not err at its {cx.get('k')}-th paired input "
                        f"{cx.get('n', '')}"),
    expect="proved",
)


@INFINITE.check("z3")
def every_model_errs_beyond_every_bound(q):
    family = q.function("h", "Int", "Int", "Int")
    i, k, a, b = q.ints("i k a b")
    q.domain(i >= 0, k >= 0, a >= 0, b >= 0)
    n = _twice_cantor(i, k) / 2  # n = ⟨i, k⟩, the k-th input reserved for model i (an even number halved)
    q.given(_twice_cantor(a, b) == _twice_cantor(i, k))  # (a, b): the pair that f's decoder reads off n
    q.use(CANTOR_INJECTIVE, i=i, k=k, a=a, b=b)
    truth = _flip(family(a, n))  # f(n) := flip(h_a(n))
    q.prove(smt.And(family(i, n) != truth, n >= k))


@INFINITE.check("z3")
def pairs_below_a_prefix(q):
    i, k, prefix = q.ints("i k M")
    q.domain(i >= 0, k >= 0)
    q.given((i + k + 2) * (i + k + 2) <= 2 * prefix)
    q.prove(_twice_cantor(i, k) < 2 * prefix)


@INFINITE.check("hypothesis")
@given(i=st.integers(0, 200), prefix=st.integers(1, 200_000))
def counted_pairs_meet_the_bound(i, prefix):
    k = np.arange(0, 2 * int(math.isqrt(2 * prefix)) + 2)
    counted = int(np.sum(toys.cantor(i, k) < prefix))
    assert counted >= math.isqrt(2 * prefix) - i - 1


@INFINITE.check("simulation")
def failures_in_growing_prefixes(rng, scale):
    prefix = 20_000 if scale == "default" else 200_000
    answers, names = toys.enumeration(toys.shortlex(prefix))
    truth = toys.paired_ground_truth(answers)
    wrong = answers != truth[None, :]
    checkpoints = np.unique(np.logspace(2, np.log10(prefix), 12).astype(int))
    reached = [i for i in range(answers.shape[0]) if toys.cantor(i, 0) < prefix]
    curves = np.array([np.cumsum(wrong[i])[checkpoints - 1] for i in reached])
    floors = np.array([[max(0, math.isqrt(2 * int(m)) - i - 1) for m in checkpoints] for i in reached])
    short = np.argwhere(curves < floors)  # (model row, checkpoint) pairs below the floor
    violation = None if short.size == 0 else {"below_the_floor": [[int(reached[r]), int(checkpoints[c]), int(curves[r, c]),
                                                                   int(floors[r, c])] for r, c in short.tolist()[:5]]}
    positive = floors > 0
    figure = sim.new_figure()
    ax = figure.subplots()
    for row in np.linspace(0, len(reached) - 1, 6).astype(int):
        ax.plot(checkpoints, curves[row], label=f"model {reached[row]} ({names[reached[row]]})")
    ax.plot(checkpoints, np.sqrt(2 * checkpoints), "k--", label="√(2M)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("prefix M of the input enumeration")
    ax.set_ylabel("failures in the prefix")
    ax.legend(fontsize=6)
    return sim.Observation(violation=violation, plot=figure, figures={"models_reached": len(reached)},
                           slack=sim.slack(curves[positive], floors[positive], side="lower"),
                           detail=f"{len(reached)} models reached by the pairing within {prefix} inputs: each fails "
                                  f"at least ⌊√(2M)⌋ − i − 1 times in every prefix M")
