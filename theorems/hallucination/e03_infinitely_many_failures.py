"""E-03, Infinitely many hallucinations (§2.1, Theorem 2): its readings, variants and corrections.

Each lemma reads top-down: the declaration, then its symbolic checks, property test and simulation.
"""

from __future__ import annotations

import functools
import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from proofs import Claim, lemma, sim
from proofs.statement import And, If, Implies
from simulations import hallucination as toys


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
    formal="z3 over the integers (non-linear integer arithmetic), the goal built from the declared claim.",
    claim=Claim(lambda w, v: v * (v + 1) >= (w + 1) * (w + 2), where=lambda w, v: And(w >= 0, v >= w + 1),
                sorts={"w": "Int", "v": "Int"}),
    variables={"w": "the diagonal i + k of one pair", "v": "the diagonal a + b of another"},
    explain=lambda cx: f"diagonals w = {cx.get('w')} and v = {cx.get('v')} would overlap",
    waivers={"simulation": "one polynomial inequality, proved for all integers; hallucination.cantor_pairing_injective "
                           "enumerates the diagonals"},
    expect="proved",
)


@TRIANGLE_GAP.check("z3")
def later_diagonals_start_higher(q):
    q.prove_claim()


@TRIANGLE_GAP.check("hypothesis")
@given(w=st.integers(0, 10**6), gap=st.integers(1, 10**6))
def later_diagonals_on_the_codes(w, gap):
    v = w + gap
    first_of_later = int(toys.cantor(v, 0))  # the first code on diagonal v, from the suite's pairing
    last_of_this = int(toys.cantor(0, w))  # the last code on diagonal w
    assert last_of_this < first_of_later
    TRIANGLE_GAP.claim.require(w=w, v=v)  # 2·first(v) = v(v+1) ≥ (w+1)(w+2) = 2·(last(w) + 1)


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
    formal=(r"z3 over the integers, on codes defined by $2\langle x, y\rangle = (x+y)(x+y+1) + 2y$ (the claim's domain), "
            r"with two instances of hallucination.triangle_numbers_gap (the diagonals $i + k$ and $a + b$ in both "
            r"orders) drawn on by reference. The property test and the simulation evaluate the same claim at codes "
            r"computed by the suite's pairing (toys.cantor)."),
    uses=("hallucination.triangle_numbers_gap",),
    claim=Claim(lambda i, k, a, b, code_ik, code_ab: Implies(code_ik == code_ab, And(i == a, k == b)),
                where=lambda i, k, a, b, code_ik, code_ab: And(i >= 0, k >= 0, a >= 0, b >= 0,
                                                               2 * code_ik == _twice_cantor(i, k),
                                                               2 * code_ab == _twice_cantor(a, b)),
                sorts={name: "Int" for name in ("i", "k", "a", "b", "code_ik", "code_ab")}),
    variables={"i": "first coordinate of one pair", "k": "second coordinate of one pair",
               "a": "first coordinate of the other pair", "b": "second coordinate of the other pair",
               "code_ik": "the code ⟨i, k⟩", "code_ab": "the code ⟨a, b⟩"},
    explain=lambda cx: (f"the pairs ({cx.get('i')}, {cx.get('k')}) and ({cx.get('a')}, {cx.get('b')}) would share "
                        f"one Cantor code"),
    expect="proved",
)


@CANTOR_INJECTIVE.check("z3")
def equal_codes_equal_pairs(q):
    i, k, a, b = q.ints("i k a b")
    q.prove_claim(i=i, k=k, a=a, b=b)
    q.use(TRIANGLE_GAP, w=i + k, v=a + b)
    q.use(TRIANGLE_GAP, w=a + b, v=i + k)


def _pairing_point(i, k, a, b):
    """The claim's point at two pairs, their codes computed by the suite's pairing."""
    return dict(i=i, k=k, a=a, b=b, code_ik=int(toys.cantor(i, k)), code_ab=int(toys.cantor(a, b)))


@CANTOR_INJECTIVE.check("hypothesis")
@given(i=st.integers(0, 10**6), k=st.integers(0, 10**6), a=st.integers(0, 10**6), b=st.integers(0, 10**6),
       same=st.booleans())
def codes_separate_pairs(i, k, a, b, same):
    a, b = (i, k) if same else (a, b)
    point = _pairing_point(i, k, a, b)
    assert CANTOR_INJECTIVE.claim.applies(**point), f"toys.cantor is not the Cantor pairing at {point}"
    CANTOR_INJECTIVE.claim.require(**point)
    decoded = toys.cantor_inverse(np.array([point["code_ik"]], dtype=np.int64))
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
    # the declared claim at sampled pairs and the pair the suite's decoder reads off their code
    w = rng.integers(diagonals, size=500)
    k = (rng.random(500) * (w + 1)).astype(np.int64)
    codes = toys.cantor(w - k, k)
    a, b = toys.cantor_inverse(codes)
    failure = CANTOR_INJECTIVE.claim.first_failure(i=w - k, k=k, a=a, b=b, code_ik=codes, code_ab=toys.cantor(a, b))
    violation = failure or (None if collisions == 0 else {"codes_hit_twice": collisions})
    return sim.Observation(violation=violation, figures={"pairs": total, "codes_missed": missed, "collisions": collisions},
                           detail=f"all pairs with i + k < {diagonals} encoded: each of the {total} codes below "
                                  f"the next diagonal is hit exactly once; the declared claim holds at 500 sampled "
                                  f"pairs and their decoded codes")


def _errs_at_its_pair(h, f, i, k, a, b, code):
    """Model i errs at its k-th reserved input ⟨i, k⟩, which lies at or beyond k."""
    return And(h(i, code) != f(code), code >= k)


def _pair_decoded(h, f, i, k, a, b, code):
    """code = ⟨i, k⟩, (a, b) is the pair f's decoder reads off it, and f(code) = flip(h_a(code))."""
    return And(i >= 0, k >= 0, a >= 0, b >= 0, 2 * code == _twice_cantor(i, k), _twice_cantor(a, b) == 2 * code,
               f(code) == If(h(a, code) == 0, 1, 0))


INFINITE = lemma(
    "hallucination.infinitely_many_failures",
    title="Pairing ⟨i, k⟩ makes every model err at infinitely many inputs",
    kind="theorem",
    paper_ref="§2.1, Theorem 2",
    claim_ref="E-03",
    source="attested",
    statement=(r"For a total, uniformly computable family over at least two answers, the truth "
               r"$f(n) := \mathrm{flip}(h_a(n))$, where $(a, b)$ is the Cantor pair coded by $n$, makes every model "
               r"err at each of its reserved inputs $\langle i, k\rangle \ge k$ ($k = 0, 1, \dots$), so "
               r"$|\{s : h_i(s) \ne f(s)\}| = \aleph_0$ for every $i$ (how many of them fall in a prefix is "
               r"hallucination.failures_in_every_prefix)."),
    formal=(
        r"z3, the declared claim: for all $i, k \ge 0$, the code $n = \langle i, k\rangle$, any decoding $(a, b)$ of "
        r"$n$ and $f(n) = \mathrm{flip}(h(a, n))$: model $i$ errs at $n$ and $n \ge k$; injectivity "
        r"(hallucination.cantor_pairing_injective, drawn on by reference) is what makes $a = i$. So the failures of "
        r"model $i$ exceed every bound $k$: the failure set is infinite. The property test and the simulation evaluate "
        r"the declared claim with $f$ from the suite's truth builder and $(a, b)$ from its decoder, on random tables "
        r"and on four enumerated model classes."
    ),
    interpretation=("A cardinality statement; the probability mass of S_h under a query law is not claimed.",
                    "f is computable by substitution into the computable decoder and the family (cited)."),
    uses=("hallucination.cantor_pairing_injective", "hallucination.computable_closure"),
    claim=Claim(_errs_at_its_pair, where=_pair_decoded,
                sorts={"h": ("Int", "Int", "Int"), "f": ("Int", "Int"), "i": "Int", "k": "Int", "a": "Int", "b": "Int",
                       "code": "Int"}),
    variables={"i": "the model", "k": "the index of the pair ⟨i, k⟩", "a": "first coordinate decoded from the input",
               "b": "second coordinate decoded from the input", "code": "the input ⟨i, k⟩", "M": "the prefix length",
               "h": "the family", "f": "the paired truth"},
    explain=lambda cx: (f"model {cx.get('i')} would not err at its {cx.get('k')}-th paired input "
                        f"{cx.get('code', '')}"),
    expect="proved",
)


@INFINITE.check("z3")
def every_model_errs_beyond_every_bound(q):
    i, k, a, b, code = q.ints("i k a b code")
    q.prove_claim(i=i, k=k, a=a, b=b, code=code)
    q.use(CANTOR_INJECTIVE, i=i, k=k, a=a, b=b, code_ik=code, code_ab=code)


def _reserved_inputs(models, inputs, i):
    """The inputs ⟨i, k⟩ below `inputs`, with their index k and the pair (a, b) the suite's decoder reads off."""
    k = np.arange(inputs)
    codes = toys.cantor(i, k)
    k, codes = k[codes < inputs], codes[codes < inputs]
    a, b = toys.cantor_inverse(codes)
    return k, a, b, codes


@INFINITE.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), models=st.integers(1, 30), inputs=st.integers(1, 400), answers=st.integers(2, 5))
def every_model_errs_at_its_reserved_inputs(seed, models, inputs, answers):
    rng = np.random.default_rng(seed)
    family = rng.integers(answers, size=(models, inputs))
    truth = toys.paired_ground_truth(family)  # the suite's builder of f
    i = int(rng.integers(models))
    k, a, b, codes = _reserved_inputs(models, inputs, i)
    h, f = (lambda m, s: int(family[m, s])), (lambda s: int(truth[s]))
    for row in range(k.size):
        point = dict(h=h, f=f, i=i, k=int(k[row]), a=int(a[row]), b=int(b[row]), code=int(codes[row]))
        assert INFINITE.claim.applies(**point), f"the truth builder or the decoder is off at {point['code']}"
        INFINITE.claim.require(**point)


@functools.lru_cache(maxsize=2)
def _enumerated(prefix):
    """The four model classes on the first `prefix` strings, and the paired truth: shared by two lemmas' simulations."""
    answers, names = toys.enumeration(toys.shortlex(prefix))
    return answers, names, toys.paired_ground_truth(answers)


def _prefix(scale):
    return 20_000 if scale == "default" else 200_000


@INFINITE.check("simulation")
def enumerated_models_err_at_their_inputs(rng, scale):
    prefix = _prefix(scale)
    answers, names, truth = _enumerated(prefix)
    reached = [i for i in range(answers.shape[0]) if toys.cantor(i, 0) < prefix]
    h, f = (lambda m, s: int(answers[m, s])), (lambda s: int(truth[s]))
    picked = sorted({int(reached[j]) for j in np.linspace(0, len(reached) - 1, 12).astype(int)})
    failure, evaluated = None, 0
    for i in picked:  # the declared claim at every reserved input below the prefix, for models across the classes
        k, a, b, codes = _reserved_inputs(answers.shape[0], prefix, i)
        evaluated += k.size
        failure = failure or INFINITE.claim.first_failure(h=h, f=f, i=i, k=k, a=a, b=b, code=codes)
    return sim.Observation(violation=failure, figures={"models_reached": len(reached), "claim_evaluated_at": evaluated},
                           detail=f"{len(picked)} of the {len(reached)} models the pairing reaches within {prefix} "
                                  f"inputs (classes {sorted({names[i] for i in picked})}) err at every reserved input "
                                  f"⟨i, k⟩ below the prefix, with f from the suite's truth builder")


def _count_of_reserved_below(i, prefix):
    """How many reserved inputs ⟨i, k⟩ the suite's pairing puts below `prefix`."""
    k = np.arange(0, 2 * int(math.isqrt(2 * prefix)) + 2)
    return int(np.sum(toys.cantor(i, k) < prefix))


PREFIX_COUNT = lemma(
    "hallucination.failures_in_every_prefix",
    title="Model i fails at least ⌊√(2M)⌋ − i − 1 times among the first M inputs",
    kind="lemma",
    paper_ref="§2.1, Theorem 2",
    claim_ref="E-03",
    source="reconstructed",
    statement=(r"Under the pairing construction of hallucination.infinitely_many_failures, every reserved input "
               r"$\langle i, k\rangle$ with $(i + k + 2)^2 \le 2M$ lies below $M$; so model $i$ errs on at least "
               r"$\lfloor\sqrt{2M}\rfloor - i - 1$ of the first $M$ inputs, a count that grows without bound in $M$."),
    formal=(r"z3, the declared claim over the integers: $i, k \ge 0$, $(i+k+2)^2 \le 2M$ and $2n = (i+k)(i+k+1) + 2k$ "
            r"imply $n < M$. The property test evaluates it at every such $k$ with $n$ from the suite's pairing and "
            r"counts them; the simulation counts each enumerated model's failures in growing prefixes."),
    interpretation=("A quantitative companion of E-03: the claim's words ask only for infinitely many failures.",),
    uses=("hallucination.infinitely_many_failures",),
    assumes=("counting: k = 0, 1, …, ⌊√(2M)⌋ − i − 2 are exactly the k with (i + k + 2)² ≤ 2M, so there are "
             "⌊√(2M)⌋ − i − 1 of them, and model i errs at each (hallucination.infinitely_many_failures); the property "
             "test counts them, no engine proves the count",),
    claim=Claim(lambda i, k, M, code: code < M,
                where=lambda i, k, M, code: And(i >= 0, k >= 0, (i + k + 2) * (i + k + 2) <= 2 * M,
                                                2 * code == _twice_cantor(i, k)),
                sorts={"i": "Int", "k": "Int", "M": "Int", "code": "Int"}),
    variables={"i": "the model", "k": "the index of the pair ⟨i, k⟩", "M": "the prefix length", "code": "⟨i, k⟩"},
    explain=lambda cx: f"the reserved input ⟨{cx.get('i')}, {cx.get('k')}⟩ would lie at or beyond the prefix {cx.get('M')}",
    expect="proved",
)


@PREFIX_COUNT.check("z3")
def pairs_below_a_prefix(q):
    q.prove_claim()


@PREFIX_COUNT.check("hypothesis")
@given(i=st.integers(0, 200), prefix=st.integers(1, 200_000))
def counted_pairs_meet_the_bound(i, prefix):
    ks = range(max(0, math.isqrt(2 * prefix) - i - 1))  # the k with (i + k + 2)² ≤ 2M
    for k in ks:
        point = dict(i=i, k=k, M=prefix, code=int(toys.cantor(i, k)))
        assert PREFIX_COUNT.claim.applies(**point), f"k = {k} should meet (i + k + 2)² ≤ 2M"
        PREFIX_COUNT.claim.require(**point)
    assert _count_of_reserved_below(i, prefix) >= len(ks)


@PREFIX_COUNT.check("simulation")
def failures_in_growing_prefixes(rng, scale):
    prefix = _prefix(scale)
    answers, names, truth = _enumerated(prefix)
    wrong = answers != truth[None, :]
    checkpoints = np.unique(np.logspace(2, np.log10(prefix), 12).astype(int))
    reached = [i for i in range(answers.shape[0]) if toys.cantor(i, 0) < prefix]
    curves = np.array([np.cumsum(wrong[i])[checkpoints - 1] for i in reached])
    floors = np.array([[max(0, math.isqrt(2 * int(m)) - i - 1) for m in checkpoints] for i in reached])
    short = np.argwhere(curves < floors)  # (model row, checkpoint) pairs below the floor
    failure = None
    for i in np.linspace(0, len(reached) - 1, 8).astype(int):  # the declared claim at each checkpoint's last counted k
        for m in checkpoints:
            k = math.isqrt(2 * int(m)) - reached[i] - 2
            if k >= 0:
                point = dict(i=reached[i], k=k, M=int(m), code=int(toys.cantor(reached[i], k)))
                failure = failure or (None if PREFIX_COUNT.claim(**point) else point)
    below = [[int(reached[r]), int(checkpoints[c]), int(curves[r, c]), int(floors[r, c])] for r, c in short.tolist()[:5]]
    violation = failure or ({"below_the_floor": below} if below else None)
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
