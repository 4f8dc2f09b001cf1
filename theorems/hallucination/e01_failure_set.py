"""E-01, LLM, ground truth, hallucination, failure set (§2.1): its readings, variants and corrections.

Each lemma reads top-down: the declaration, then its symbolic checks, property test and simulation.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from proofs import lemma, smt
from simulations import hallucination as toys

from ._shared import failure_sets

# ---------------------------------------------------------------------------------------------
# E-01: definitions.
# ---------------------------------------------------------------------------------------------

DEFINITION = lemma(
    "hallucination.failure_set",
    title="The failure set S_h = {s : h(s) ≠ f(s)}, and what abstention does to it",
    kind="definition",
    paper_ref="§2.1",
    claim_ref="E-01",
    source="attested",
    statement=r"h hallucinates on s ⟺ h(s) ≠ f(s); failure set $S_h = \{s \in \mathcal{S} : h(s) \ne f(s)\}$ (G2, G3).",
    formal=(
        "S_h is exactly the set of disagreements; an abstention ⊥ is in S_h when abstentions are counted as "
        "failures, and in a separate abstention set when graded apart; the two conventions partition the same "
        "inputs (z3, pointwise at every input, when the truth is 0 or 1; the property test on finite tables)."
    ),
    interpretation=("Both conventions for ⊥ are encoded; E-04 shows the one that changes the outcome.",),
    variables={"x": "an input", "h": "the model (−1 = ⊥, abstain)", "f": "the truth (0 or 1)",
               "table": "pairs (h(s), f(s)) of a finite table"},
    explain=lambda cx: "the two conventions for ⊥ would not partition the same failures at this input",
    waivers={"simulation": "a definition; the enumerations of E-02 … E-04 use it"},
    expect="proved",
)


@DEFINITION.check("z3")
def conventions_partition_pointwise(q):
    model, truth = q.function("h", "Int", "Int"), q.function("f", "Int", "Int")
    (x,) = q.ints("x")
    q.given(smt.Or(truth(x) == 0, truth(x) == 1))  # the truth never abstains
    counted = model(x) != truth(x)  # ⊥ counted as a failure
    separate = smt.And(model(x) != truth(x), model(x) != toys.ABSTAIN)  # graded apart
    abstained = model(x) == toys.ABSTAIN
    q.prove(smt.And(counted == smt.Or(separate, abstained), smt.Not(smt.And(separate, abstained))))


@DEFINITION.check("hypothesis")
@given(table=st.lists(st.tuples(st.sampled_from([0, 1, toys.ABSTAIN]), st.sampled_from([0, 1])), min_size=1, max_size=60))
def conventions_partition_the_same_inputs(table):
    h, f = [a for a, _ in table], [b for _, b in table]
    counted, _ = failure_sets(h, f, True)
    separate, abstained = failure_sets(h, f, False)
    assert counted == separate | abstained
    assert not (separate & abstained)
    assert separate == {s for s in range(len(h)) if h[s] != f[s] and h[s] != toys.ABSTAIN}
