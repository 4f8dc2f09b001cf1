"""E-01, LLM, ground truth, hallucination, failure set (§2.1): its readings, variants and corrections.

Each lemma reads top-down: the declaration, then its symbolic checks, property test and simulation.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from proofs import Claim, lemma
from proofs.statement import And, Iff, Not, Or
from simulations import hallucination as toys

from ._shared import failure_sets

# ---------------------------------------------------------------------------------------------
# E-01: definitions.
# ---------------------------------------------------------------------------------------------


def _memberships(h, f, counted, separate, abstained):
    """At one input with the model's answer h and a truth f of 0 or 1, the memberships the definition
    gives: counted ⟺ h ≠ f (⊥ counted); separate ⟺ h ≠ f ∧ h ≠ ⊥ (graded apart); abstained ⟺ h = ⊥."""
    return And(Or(f == 0, f == 1), Iff(counted, h != f), Iff(separate, And(h != f, h != toys.ABSTAIN)),
               Iff(abstained, h == toys.ABSTAIN))


DEFINITION = lemma(
    "hallucination.failure_set",
    title="The failure set S_h = {s : h(s) ≠ f(s)}, and what abstention does to it",
    kind="definition",
    paper_ref="§2.1",
    claim_ref="E-01",
    source="attested",
    statement=(r"Well-formedness of the definition $S_h = \{s : h(s) \ne f(s)\}$ at every input whose truth is 0 or 1: "
               r"with ⊥ counted, $s \in S_h$ exactly when $h(s) \ne f(s)$; graded apart, the failures "
               r"$\{h(s) \ne f(s), h(s) \ne ⊥\}$ and the abstentions $\{h(s) = ⊥\}$ are disjoint and together make up "
               r"the counted $S_h$."),
    formal=(
        "z3, pointwise at every input with the truth 0 or 1: where the memberships are the definition's (counted ⟺ "
        "h ≠ f, separate ⟺ h ≠ f ∧ h ≠ ⊥, abstained ⟺ h = ⊥), the two conventions partition the same inputs. The property test evaluates the same claim at every input of random finite "
        "tables, with the memberships read off the failure sets the suite's helper builds."
    ),
    interpretation=("Both conventions for ⊥ are encoded; E-04 shows the one that changes the outcome.",),
    claim=Claim(lambda h, f, counted, separate, abstained: And(Iff(counted, Or(separate, abstained)),
                                                                  Not(And(separate, abstained))),
                where=_memberships,
                sorts={"h": "Int", "f": "Int", "counted": "Bool", "separate": "Bool", "abstained": "Bool"}),
    variables={"h": "the model's answer at the input (−1 = ⊥, abstain)", "f": "the truth (0 or 1)",
               "counted": "the input is in S_h with ⊥ counted", "separate": "it is a failure graded apart",
               "abstained": "the model abstained", "table": "pairs (h(s), f(s)) of a finite table"},
    explain=lambda cx: "the memberships do not follow the definition, or the two conventions do not partition the "
                       "same failures at this input",
    waivers={"simulation": "a definition; the enumerations of E-02 … E-04 use it"},
    expect="proved",
)


@DEFINITION.check("z3")
def conventions_partition_pointwise(q):
    q.prove_claim()


@DEFINITION.check("hypothesis")
@given(table=st.lists(st.tuples(st.sampled_from([0, 1, toys.ABSTAIN]), st.sampled_from([0, 1])), min_size=1, max_size=60))
def conventions_partition_the_same_inputs(table):
    h, f = [a for a, _ in table], [b for _, b in table]
    counted, _ = failure_sets(h, f, True)
    separate, abstained = failure_sets(h, f, False)
    for s in range(len(h)):  # the sets the helper built, read at each input: the definition's, and partitioned
        point = dict(h=h[s], f=f[s], counted=s in counted, separate=s in separate, abstained=s in abstained)
        assert DEFINITION.claim.applies(**point), f"the helper's memberships at input {s} break the definition: {point}"
        DEFINITION.claim.require(**point)
