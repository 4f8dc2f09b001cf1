"""E-22, Next-token likelihood objective (§4, Eq. 26 (number guessed)): its readings, variants and corrections.

Each lemma reads top-down: the declaration, then its symbolic checks, property test and simulation.
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from proofs import Claim, cas, lemma
from proofs.statement import All, Implies, Sum
from simulations import reasoning as toys

# ---------------------------------------------------------------------------------------------
# E-22: the next-token likelihood objective.
# ---------------------------------------------------------------------------------------------

LIKELIHOOD = lemma(
    "reasoning.next_token_likelihood",
    title="The next-token loss is non-negative for every sequence length",
    kind="definition",
    paper_ref="§4, Eq. 26 (number guessed)",
    claim_ref="E-22",
    source="attested",
    statement=("$\\mathcal{L}(\\theta) = -\\sum_t \\log p_\\theta(x_t \\mid x_{<t})$; certified: each term is "
               "$\\ge 0$, so the loss of a sequence of any length is $\\ge 0$."),
    formal=(
        "(i) sympy: each term $-\\log p \\ge 0$ for $p \\in (0, 1]$; (ii) z3, by induction on the length "
        "$T$: if every per-token loss $\\ell_t = -\\log p_t$ is $\\ge 0$ then $\\mathcal{L}_T = "
        "\\sum_{t \\le T} \\ell_t \\ge 0$, for every $T$. The property test ties the sum to the sequence: "
        "for random laws over short sequences, $\\mathcal{L} = -\\log P(x_{1:T})$ with each conditional "
        "computed from prefix marginals, and the loss of two independent sequences is the sum of their losses."
    ),
    interpretation=("A sum over tokens (not a mean), natural logarithm.",),
    claim=Claim(lambda n, token_loss: Implies(All(lambda t: token_loss(t) >= 0, n), Sum(lambda t: token_loss(t), n) >= 0),
                where=lambda n: n >= 0, sorts={"n": "Int", "token_loss": ("Int", "Real")}),
    variables={"n": "the last token index T − 1", "token_loss": "the per-token losses ℓ_t = −log p_t",
               "p": "a token probability"},
    explain=lambda cx: (f"at length {cx['n'] + 1} the per-token losses {cx.get('token_loss')} sum below 0"
                        if "n" in cx else f"counterexample {dict(cx)}"),
    waivers={"simulation": "a definition; the property test evaluates it on random laws over sequences"},
    expect="proved",
)


@LIKELIHOOD.check("sympy")
def each_term_non_negative():
    p = sp.Symbol("p", positive=True)
    return cas.Bound(-sp.log(p), {p: (0.0, 1.0)}, name="minus_log_p_non_negative")


@LIKELIHOOD.check("z3")
def loss_non_negative_for_every_length(q):
    (n,) = q.ints("n")
    q.prove_claim(n=n)  # ℓ_t = −log p_t, a sequence of reals: if every ℓ_t ≥ 0 then Σ_{t ≤ n} ℓ_t ≥ 0
    q.induction(n, start=0)


@LIKELIHOOD.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), vocabulary=st.integers(2, 3), first=st.integers(1, 4), second=st.integers(1, 3),
       certain=st.booleans())
def loss_of_sequences_from_their_law(seed, vocabulary, first, second, certain):
    rng = np.random.default_rng(seed)
    law_a = rng.dirichlet(np.full(vocabulary ** first, 0.5)).reshape((vocabulary,) * first)
    law_b = rng.dirichlet(np.full(vocabulary ** second, 0.5)).reshape((vocabulary,) * second)
    a = tuple(rng.integers(vocabulary, size=first))
    b = tuple(rng.integers(vocabulary, size=second))
    if certain:  # a model sure of the sequence: every factor is 1 and the loss is exactly 0
        law_a = np.zeros_like(law_a)
        law_a[a] = 1.0
    loss_a = toys.sequence_loss(law_a, a)
    per_token = toys.token_losses(law_a, a)  # −log p(x_t | x_<t) from the law's prefix marginals
    LIKELIHOOD.claim.require(n=len(per_token) - 1, token_loss=per_token)
    assert math.isclose(loss_a, sum(per_token), rel_tol=1e-9, abs_tol=1e-12)
    assert math.isclose(loss_a, -math.log(law_a[a]), rel_tol=1e-9, abs_tol=1e-9)
    assert (loss_a == 0) == certain  # zero exactly when the model is certain of the whole sequence
    independent = np.multiply.outer(law_a, law_b)  # a then b, b independent of a
    both = toys.sequence_loss(independent, a + b)
    assert math.isclose(both, loss_a + toys.sequence_loss(law_b, b), rel_tol=1e-9, abs_tol=1e-9)
