"""The published theorems the evaluation family cites: each declared once with its reference and the form applied, never proved; lemmas use them through `uses=`.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from proofs import axiom

# ---------------------------------------------------------------------------------------------
# Evaluation instability masks saturation.
# ---------------------------------------------------------------------------------------------

RECORDS = axiom(
    "evaluation.renyi_records",
    title="Rényi's record theorem: the j-th of i.i.d. continuous draws is a record with probability 1/j",
    statement=(r"For i.i.d. real observations $X_1, X_2, \ldots$ with a continuous law, the record indicators "
               r"$I_j = \mathbf{1}[X_j > \max_{i<j} X_i]$ are independent and $P(I_j = 1) = 1/j$."),
    reference=("Rényi (1962), Théorie des éléments saillants d'une suite d'observations, Annales scientifiques "
               "de l'Université de Clermont 8: 7–13; textbook form in Arnold, Balakrishnan & Nagaraja (1998), "
               "Records, Wiley, chapter 2 (record indicators are independent Bernoulli(1/j))."),
    formal=(r"the form applied: $P(\text{release } j \text{ sets a new best}) = 1/j$, so "
            r"$\mathbb{E}[\#\text{records in } k] = \sum_{j\le k} 1/j$."),
    paper_ref="§7",
    claim_ref="E-39",
    expect="tested",
)


@RECORDS.check("hypothesis")
@given(length=st.integers(1, 7))
def record_probability_by_enumeration(length):
    import itertools

    # with a continuous law every ordering of the ranks is equally likely: count the orderings whose
    # last element is the largest
    orderings = list(itertools.permutations(range(length)))
    records_last = sum(1 for order in orderings if order[-1] == length - 1)
    assert records_last * length == len(orderings)
