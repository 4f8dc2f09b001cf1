"""E-14, Finite information capacity of parameters (§2.1/§2.2): its readings, variants and corrections.

Each lemma reads top-down: the declaration, then its symbolic checks, property test and simulation.
"""

from __future__ import annotations

import sympy as sp

from proofs import cas, lemma

# ---------------------------------------------------------------------------------------------
# E-14: finite information capacity of parameters.
# ---------------------------------------------------------------------------------------------

CAPACITY = lemma(
    "hallucination.parameter_capacity",
    title="A counting model of the remark: P parameters of b bits represent at most 2^(P·b) fact tables",
    kind="remark",
    paper_ref="§2.1/§2.2 (G7, verbatim)",
    claim_ref="E-14",
    source="reconstructed",
    statement=(
        r"A counting model of the remark (which is not a statement mathematics decides): a fixed decoder maps each of "
        r"the $2^{Pb}$ settings of $P$ parameters of $b$ bits to one table of $m$ binary facts, so at most a fraction "
        r"$2^{Pb}/2^m = 2^{-(m - Pb)}$ of the $2^m$ tables can be stored exactly, which tends to 0 as $m - Pb \to \infty$."
    ),
    formal=(
        r"Counting: a fixed decoder maps each of the $2^{Pb}$ parameter settings to one table, so at most $2^{Pb}$ "
        r"tables are reached (the image of a set is no larger than the set) and the fraction of the $2^m$ tables of "
        r"$m$ random bits that can be stored is $\le 2^{Pb}/2^m = 2^{-(m - Pb)}$ (sympy), which tends to 0 as "
        r"$m - Pb \to \infty$ (sympy)."
    ),
    interpretation=("Independent uniform facts, exact storage, the architecture's code not counted.",),
    uses=("hallucination.kolmogorov_fraction",),
    assumes=("a fixed decoder maps each of the 2^(P·b) settings to one table, so at most 2^(P·b) tables are reached (the "
             "image of a finite set is no larger than it): argued, not checked by an engine",),
    claim_note="an identity and a limit in the exponent m − P·b, each a sympy goal; the count itself is the pigeonhole principle",
    variables={"k": "m − P·b, the facts beyond the parameter bits"},
    explain=lambda cx: f"the storable fraction would not vanish: {cx}",
    waivers={"property": "the count is the pigeonhole principle (a decoder reaches at most one table per setting): "
                         "any finite test of it holds by construction, so none is claimed as evidence",
             "simulation": "as for the property test: a decoder's distinct tables never outnumber its settings on any "
                           "run, so a simulation could not fail"},
    expect="proved",
)


@CAPACITY.check("sympy")
def storable_fraction():
    bits, facts = sp.symbols("B m", positive=True)  # B = P·b
    excess = sp.Symbol("k", positive=True)  # m − P·b
    return [cas.Identity(2 ** bits / 2 ** facts, 2 ** (-(facts - bits)), {bits: (1, 64), facts: (1, 128)},
                         name="fraction_bound"),
            cas.Limit(2 ** (-excess), excess, expected=0, name="storable_fraction")]
