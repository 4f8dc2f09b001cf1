"""E-30, Mutual information decays with retrieval breadth (§5): its readings, variants and corrections.

Each lemma reads top-down: the declaration, then its symbolic checks, property test and simulation.
"""

from __future__ import annotations

import itertools

import numpy as np
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from proofs import Claim, cas, lemma, sim
from proofs.statement import All, And, Implies, Or, Sum
from simulations import retrieval as toys

from ._shared import TOLERANCE
from .axioms import INFORMATION_CHAIN_RULE as CHAIN_RULE

# ---------------------------------------------------------------------------------------------
# E-30: information against retrieval breadth, in two readings.
# ---------------------------------------------------------------------------------------------



def _mi_two_copies(flip_first, flip_second):
    """Exact I(Y; D1) and I(Y; D1, D2) for a fair bit Y seen through two independent noisy copies."""
    joint = np.zeros((2, 4))
    for y, d1, d2 in itertools.product((0, 1), repeat=3):
        p = 0.5 * (flip_first if d1 != y else 1 - flip_first) * (flip_second if d2 != y else 1 - flip_second)
        joint[y, 2 * d1 + d2] += p
    first = np.stack([joint[:, 0] + joint[:, 1], joint[:, 2] + joint[:, 3]], axis=1)
    return toys.mutual_information(first), toys.mutual_information(joint)


NESTED = lemma(
    "retrieval.breadth_nested_sets",
    title="Nested reading: adding documents to the retrieved set lowers I(Y; D)",
    kind="claim",
    paper_ref="§5",
    claim_ref="E-30",
    source="attested",
    statement=("Nested reading: when the retrieved set grows by adding documents ($D^1 \\subseteq D^2$), the mutual "
               "information between the retrieved evidence and the target fact does not rise: $I(Y; D^2) \\le I(Y; D^1)$."),
    formal=(
        "For nested retrieved sets $D^1 \\subseteq D^2$, $I(Y; D^2) \\le I(Y; D^1)$. sympy, exactly: a fair bit $Y$ "
        "seen through two independent copies flipped with probability 3/10 has $I(Y; D_1, D_2) > I(Y; D_1)$."
    ),
    interpretation=("What grows is the retrieved set itself; the fixed-budget reading is retrieval.breadth_fixed_budget.",),
    variables={"first": "the flip probability of the first retrieved copy of Y",
               "second": "the flip probability of the second", "k": "documents retrieved"},
    explain=lambda cx: ((f"a fair bit seen through copies flipped with probabilities {cx['first']:.3g} and "
                         f"{cx['second']:.3g}: the second copy adds information") if "first" in cx else
                        "adding a noisy copy of the target to the retrieved set raises the information it holds"),
    expect="refuted",
)


@NESTED.check("sympy")
def second_copy_adds_information():
    flip = sp.Rational(3, 10)
    h = lambda *ps: -sum(p * sp.log(p) for p in ps if p != 0)  # noqa: E731
    agree, disagree = (1 - flip) ** 2 + flip ** 2, 2 * flip * (1 - flip)
    one = h(sp.Rational(1, 2), sp.Rational(1, 2)) - h(1 - flip, flip)
    # I(Y; D1, D2) = H(D1, D2) − H(D1, D2 | Y)
    two = h(agree / 2, agree / 2, disagree / 2, disagree / 2) - h((1 - flip) ** 2, flip ** 2, flip * (1 - flip), flip * (1 - flip))
    return cas.Bound(one - two, {}, name="information_of_one_copy_minus_two")


@NESTED.check("hypothesis")
@given(first=st.floats(0.0, 0.5), second=st.floats(0.0, 0.5))
def nested_information_falls(first, second):
    one, two = _mi_two_copies(first, second)
    assert two <= one + 1e-12, f"I(Y;D1) = {one:.4f} < I(Y;D1,D2) = {two:.4f}"


@NESTED.check("simulation")
def information_against_k(rng, scale):
    flips = rng.uniform(0.1, 0.4, 8)
    information = []
    for k in range(1, 9):
        joint = np.zeros((2, 2 ** k))
        for y in (0, 1):
            for pattern in range(2 ** k):
                bits = [(pattern >> i) & 1 for i in range(k)]
                joint[y, pattern] = 0.5 * np.prod([f if b != y else 1 - f for b, f in zip(bits, flips[:k])])
        information.append(toys.mutual_information(joint))
    rises = np.flatnonzero(np.diff(information) > 1e-12)
    violation = None if not rises.size else {"k": int(rises[0]) + 1, "I_k": information[rises[0]], "I_k_plus_1": information[rises[0] + 1]}
    figure = sim.new_figure()
    ax = figure.subplots()
    ax.plot(range(1, 9), information, "o-")
    ax.set_xlabel("documents retrieved k (nested)")
    ax.set_ylabel("I(Y; D^(k)) (nats)")
    return sim.Observation(violation=violation, plot=figure, figures={"I_1": information[0], "I_8": information[-1]},
                           detail="each extra noisy document adds information about the target")


NESTED_GROWS = lemma(
    "retrieval.breadth_nested_information_grows",
    title="For nested retrieved sets, information about the target can only grow",
    kind="correction",
    corrects="retrieval.breadth_nested_sets",
    paper_ref="§5",
    claim_ref="E-30",
    source="reconstructed",
    statement=(
        "For every joint law of a target $Y$ and retrieved evidence $D^1, D^2$ on finite alphabets, retrieving "
        "$D^2$ as well cannot reduce the information the retrieved set holds about the target: "
        "$I(Y; D^1, D^2) \\ge I(Y; D^1)$. Breadth hurts only through what the reader does with it, or when a "
        "budget truncates (retrieval.breadth_fixed_budget)."
    ),
    formal=("The declared claim $\\mathit{both} \\ge \\mathit{first}$ for $\\mathit{both} = I(Y; D^1, D^2)$, "
            "$\\mathit{first} = I(Y; D^1)$. z3: the claim from the cited chain rule and non-negativity of "
            "conditional mutual information (retrieval.information_chain_rule, drawn on with q.use, its "
            "$I(Y; D^2 \\mid D^1)$ left free). The property test and the simulation evaluate the claim at the two "
            "informations computed from random joint laws (Dirichlet, alphabets of 2–4 letters; 3×3×3 at "
            "concentration 0.3)."),
    uses=("retrieval.information_chain_rule",),
    claim=Claim(lambda both, first: both >= first),
    variables={"both": "I(Y; D¹, D²)", "first": "I(Y; D¹)", "seed": "the seed of the random joint law",
               "sizes": "the alphabet sizes of (Y, D¹, D²)"},
    explain=lambda cx: (f"a joint law of (Y, D¹, D²) where adding D² lowers the information: I(Y; D¹, D²) = "
                        f"{cx.get('both')} < I(Y; D¹) = {cx.get('first')}"),
    expect="proved",
)


@NESTED_GROWS.check("z3")
def chain_rule_gives_growth(q):
    both, first = q.reals("both first")
    q.prove_claim(both=both, first=first)
    q.use(CHAIN_RULE, both=both, first=first)  # I(Y; D¹, D²) = I(Y; D¹) + I(Y; D² | D¹), the last ≥ 0


def _informations(joint):
    """I(Y; D¹, D²) and I(Y; D¹) of a joint pmf [y, d1, d2], computed from the law."""
    return toys.mutual_information(joint.reshape(joint.shape[0], -1)), toys.mutual_information(joint.sum(axis=2))


@NESTED_GROWS.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), sizes=st.tuples(st.integers(2, 4), st.integers(2, 4), st.integers(2, 4)))
def second_document_never_lowers_information(seed, sizes):
    both, first = _informations(np.random.default_rng(seed).dirichlet(np.ones(np.prod(sizes))).reshape(sizes))
    NESTED_GROWS.claim.require(both=both, first=first, tolerance=1e-12)


@NESTED_GROWS.check("simulation")
def random_nested_laws(rng, scale):
    both, first = zip(*(_informations(rng.dirichlet(np.ones(27) * 0.3).reshape(3, 3, 3))
                        for _ in range(5000 if scale == "default" else 500_000)))
    failure = NESTED_GROWS.claim.first_failure(both=np.array(both), first=np.array(first), tolerance=1e-12)
    gains = np.array(both) - np.array(first)
    return sim.Observation(violation=failure, figures={"smallest_gain": float(gains.min())},
                           detail="random joint laws of (Y, D1, D2): the second document never lowered I")


def _narrower_pool_keeps(beats, n, m, B):
    """With beats(k) = 1 when the k-th other candidate outscores d* (0 otherwise), C(j) = Σ_{k ≤ j} beats(k)
    counts the candidates above d* in a pool of j + 2: if d* survives the top-B cut of the wider pool (n) it
    survives that of every narrower one (m ≤ n)."""
    def outscoring(upper):
        return Sum(lambda k: beats(k), upper)
    return Implies(And(m <= n, outscoring(n) < B), outscoring(m) < B)


FIXED = lemma(
    "retrieval.breadth_fixed_budget",
    title="Fixed-budget variant: in a top-B retriever, widening the candidate pool can only push d* out of the top B",
    kind="claim",
    paper_ref="§5",
    claim_ref="E-30",
    source="attested",
    statement=(
        "In a top-$B$ retriever whose candidates are ranked by a noisy score (the relevant document $d^*$ and the "
        "other candidates each scored independently, the budget $B$ fixed), widening the candidate pool never "
        "raises the probability that $d^*$ is retained; and for a reader that answers a fair binary fact right when "
        "$d^*$ is retained and guesses otherwise, $I(Y; \\text{answer})$ is non-decreasing in that probability, so "
        "it does not rise with the pool either."
    ),
    formal=(
        "The retrieved set is the top $B$ of a candidate pool ranked by a score; a wider pool adds candidates. "
        "(i) The declared claim, pathwise: with $\\beta_k \\in \\{0, 1\\}$ whether the $k$-th other candidate outscores "
        "$d^*$ and $C(n) = \\sum_{k \\le n} \\beta_k$, for every $0 \\le m \\le n$ and $B \\ge 1$, $C(n) < B \\Rightarrow "
        "C(m) < B$: if $d^*$ survives the cut of the wider pool it survives that of every narrower one, on every "
        "draw of the scores, so $P(d^* \\in D_r)$ is non-increasing in the pool size. z3 proves it by induction on "
        "$n$; the property test evaluates it on scores drawn from the toy (and checks the exact retention "
        "probabilities of two pool sizes); the simulation evaluates it on drawn pools and compares sampled "
        "retention with the exact one (power 0.12). (ii) sympy: for a reader that answers a fair binary fact right "
        "when $d^*$ is retained and guesses otherwise, $I(Y; \\text{answer}) = \\ln 2 - h((1 - r)/2)$ has "
        "derivative $\\tfrac12 \\ln\\frac{1 + r}{1 - r} \\ge 0$ in the retention $r \\in [0, 1]$, so the information "
        "falls with the pool too."
    ),
    interpretation=("A variant: what grows is the candidate pool, under a fixed budget B and fixed ranking noise, "
                    "and the information is that of a named retain-or-guess reader; the claim names neither the "
                    "budget nor the reader.",
                    "Two clauses: the declared claim is clause (i), pathwise; clause (ii), the reader's information "
                    "rising with retention, is a second goal, proved by sympy and tested on exact retentions.",),
    variables={"n": "the wider pool's last index", "m": "the narrower pool's last index", "B": "the budget",
               "beats": "which candidates outscore d*", "pool": "the pool size", "budget": "the budget",
               "signal": "the relevant document's score advantage, in noise units"},
    explain=lambda cx: (f"with budget {cx.get('budget')} and signal {cx.get('signal')}, a pool of {cx.get('pool')} "
                        f"retains d* more often than a narrower one" if "pool" in cx else
                        f"d* is cut from a narrower pool but kept in a wider one: {dict(cx)}"),
    claim=Claim(_narrower_pool_keeps,
                where=lambda beats, n, m, B: And(m >= 0, B >= 1, All(lambda k: Or(beats(k) == 0, beats(k) == 1), n)),
                sorts={"beats": ("Int", "Int"), "n": "Int", "m": "Int", "B": "Int"}),
    survivors={"retention_probability_never_gains | boundary | wide <= narrow + 1e-09 | LtE → Lt": TOLERANCE,
               "retention_probability_never_gains | boundary | toys.retained_information(min(1.0, wide)) <= toys.retained_information(min(1.0, narrow)) + 1e-09 | LtE → Lt": TOLERANCE},
    expect="proved",
)


@FIXED.check("z3")
def coupling(q):
    (n,) = q.ints("n")
    q.prove_claim(n=n)
    q.induction(n, start=0)


@FIXED.check("sympy")
def information_rises_with_retention():
    retained = sp.Symbol("r", positive=True)
    error = (1 - retained) / 2  # the reader guesses when d* is lost
    joint = [[(1 - error) / 2, error / 2], [error / 2, (1 - error) / 2]]  # [fact, answer]; both marginals 1/2
    information = sum(cell * sp.log(cell / sp.Rational(1, 4)) for row in joint for cell in row)
    return cas.Bound(sp.diff(information, retained), {retained: (0.0, 1.0)}, name="derivative_non_negative")


def _outscoring(rng, pool, signal):
    """One draw of the toy's scores for a pool of `pool` candidates: d* at signal + noise, the others at noise;
    beats[k] = 1 when the k-th other candidate outscores d*."""
    return (rng.standard_normal(pool - 1) > signal + rng.standard_normal()).astype(int)


@FIXED.check("hypothesis")
@settings(max_examples=40)
@given(pool=st.integers(2, 400), budget=st.integers(1, 10), signal=st.floats(0.0, 4.0), extra=st.integers(1, 100),
       seed=st.integers(0, 2**32 - 1))
def retention_probability_never_gains(pool, budget, signal, extra, seed):
    # the claim on one draw of the wider pool's scores, the narrower pool being its first `pool` candidates
    beats = _outscoring(np.random.default_rng(seed), pool + extra, signal)
    FIXED.claim.require(beats=beats.tolist(), n=pool + extra - 2, m=pool - 2, B=budget)
    # the exact retention probability (quadrature, no sampling) for two pool sizes
    narrow, wide = toys.exact_retention(pool, budget, signal), toys.exact_retention(pool + extra, budget, signal)
    assert wide <= narrow + 1e-9
    assert toys.retained_information(min(1.0, wide)) <= toys.retained_information(min(1.0, narrow)) + 1e-9


@FIXED.check("simulation")
def retention_against_pool(rng, scale):
    pools = np.unique(np.logspace(1, 4, 9).astype(int))
    trials = 2000 if scale == "default" else 200_000
    retained = np.array([toys.retained_fraction(rng, int(n), 5, 2.0, trials) for n in pools])  # fresh draws per pool
    exact = np.array([toys.exact_retention(int(n), 5, 2.0) for n in pools])
    information = np.array([toys.retained_information(r) for r in retained])
    # sampled retention against the exact one: 4 standard errors, below half the power at the default scale
    estimates = tuple(sim.compare(f"retention[pool={n}]", r, e, tolerance=4 * np.sqrt(e * (1 - e) / trials) + 1e-9,
                                  power=0.12) for n, r, e in zip(pools, retained, exact))
    violation = None
    if np.any(np.diff(exact) > 0):
        violation = {"pools": pools.tolist(), "exact": exact.tolist()}
    # the declared claim on drawn pools of 200 candidates, against every narrower prefix of each
    for _ in range(20 if scale == "default" else 2000):
        beats = _outscoring(rng, 200, 2.0).tolist()
        for m in (0, 8, 48, 128):
            if violation is None and not FIXED.claim(beats=beats, n=198, m=m, B=5):
                violation = {"beats": beats, "n": 198, "m": m, "B": 5}
    figure = sim.new_figure()
    ax = figure.subplots()
    ax.semilogx(pools, retained, "o", label="P(d* in the top 5), sampled")
    ax.semilogx(pools, exact, "k-", label="P(d* in the top 5), exact")
    ax.semilogx(pools, information / np.log(2), "s-", label="I(Y; answer) in bits")
    ax.set_xlabel("candidate pool size")
    ax.set_ylabel("probability, or bits")
    ax.legend()
    return sim.Observation(violation=violation, plot=figure,
                           figures={"retained_at_10": float(retained[0]), "retained_at_10000": float(retained[-1])},
                           estimates=estimates,
                           detail=("top-5 of a pool ranked by a noisy score (signal 2σ): independent samples per pool "
                                   "match the exact retention, which falls with the pool"))
