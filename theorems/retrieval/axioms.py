"""The published theorems the retrieval family cites: each declared once with its reference and the form applied, never proved; lemmas use them through `uses=`.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from proofs import Claim, axiom
from proofs.statement import And
from simulations import retrieval as toys

INFORMATION_CHAIN_RULE = axiom(
    "retrieval.information_chain_rule",
    title="Chain rule of mutual information; conditional mutual information is non-negative",
    statement=("For discrete random variables $Y, D^1, D^2$: $I(Y; D^1, D^2) = I(Y; D^1) + I(Y; D^2 \\mid D^1)$, and "
               "$I(Y; D^2 \\mid D^1) \\ge 0$."),
    reference=("Cover & Thomas (2006), Elements of Information Theory, 2nd ed., Wiley: Theorem 2.5.2 (chain rule "
               "for information) and Theorem 2.6.3 with its Corollary, I(X; Y | Z) ≥ 0 (from the information "
               "inequality, i.e. Gibbs' inequality)."),
    formal=("The form applied, as the declared claim over the three informations of one joint pmf of $(Y, D^1, D^2)$ on "
            "finite alphabets: $\\mathit{both} = I(Y; D^1, D^2)$, $\\mathit{first} = I(Y; D^1)$ and $\\mathit{conditional} = "
            "I(Y; D^2 \\mid D^1)$ satisfy $\\mathit{both} = \\mathit{first} + \\mathit{conditional}$ and "
            "$\\mathit{conditional} \\ge 0$."),
    claim=Claim(lambda both, first, conditional: And(both == first + conditional, conditional >= 0)),
    claim_ref="E-30",
    expect="tested",
)


def _conditional_information(joint):
    """I(Y; D2 | D1) computed directly from its definition, for a joint pmf [y, d1, d2]."""
    d1 = joint.sum(axis=(0, 2))
    total = 0.0
    for index, mass in enumerate(d1):
        if mass > 0:
            total += mass * toys.mutual_information(joint[:, index, :] / mass)
    return total


@INFORMATION_CHAIN_RULE.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), sizes=st.tuples(st.integers(2, 4), st.integers(2, 4), st.integers(2, 4)),
       concentration=st.sampled_from([0.1, 1.0]))
def chain_rule_instances(seed, sizes, concentration):
    joint = np.random.default_rng(seed).dirichlet(np.full(np.prod(sizes), concentration)).reshape(sizes)
    both = toys.mutual_information(joint.reshape(sizes[0], -1))
    first = toys.mutual_information(joint.sum(axis=2))
    conditional = _conditional_information(joint)
    INFORMATION_CHAIN_RULE.claim.require(both=both, first=first, conditional=conditional, tolerance=1e-9)
