"""E-04, Undecidable queries force infinite failure sets (§2.1, Theorem 3): its readings, variants and corrections.

Each lemma reads top-down: the declaration, then its symbolic checks, property test and simulation.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from proofs import Claim, lemma, sim, smt
from proofs.statement import If, Implies, Or
from simulations import hallucination as toys

from ._shared import failure_sets

# ---------------------------------------------------------------------------------------------
# E-04: undecidable queries force infinite failure sets.
# ---------------------------------------------------------------------------------------------

LIFTING = ("a finite failure set makes the theorem false: patching h on the finite set with f_halt's values is "
           "computable (hallucination.computable_closure, cited) and, by the patch lemma checked here at every input, "
           "equals f_halt everywhere, so it would decide halting, contradicting hallucination.halting_undecidable "
           "(cited); this proof by contradiction joins the checked pointwise lemma to the theorem in prose")


def _patched_equals_truth(h, f, patched):
    """At one query: h patched there with f's value (if the query is in the patch set) equals f."""
    return If(patched, f, h) == f


def _predictor_failures(limit, abstention_counts):
    """Failures of each predictor on the first `limit` programs, against the step-bounded truth."""
    programs = toys.programs(8)[:limit]
    truth = np.array([toys.halts(p) for p in programs], dtype=int)
    out = {}
    for name, predict in toys.PREDICTORS.items():
        answers = np.array([predict(p) for p in programs])
        wrong = (answers != truth) & ((answers != toys.ABSTAIN) | abstention_counts)
        out[name] = np.cumsum(wrong)
    return out


HALTING = lemma(
    "hallucination.halting_failure_set_infinite",
    title="Every computable halting predictor (abstentions counted) fails on infinitely many queries",
    kind="theorem",
    paper_ref="§2.1, Theorem 3",
    claim_ref="E-04",
    source="attested",
    statement=(r"For every total computable $h$ answering halting queries, $S_h = \{s : h(s) \ne f_{\mathrm{halt}}(s)\}$ "
               r"(an abstention counted as a failure) is infinite. Checked: the patch lemma, at every query "
               r"($S \supseteq S_h$ ⟹ $h$ patched on $S$ with $f$'s values equals $f$); the contradiction with the "
               r"undecidability of halting is the assumed step."),
    formal=(
        r"Patch lemma (z3, the declared claim, pointwise at every query $x$ with answers any integers): if the patch "
        r"set contains $x$ whenever $h(x) \ne f(x)$, then (if $x \in S$ then $f(x)$ else $h(x)$) $= f(x)$. The "
        r"property test and the simulation evaluate it at the failure sets the suite builds (random tables; four "
        r"predictors on every counter-machine program of at most 8 symbols). If $S_h$ were finite, the patched $h$ "
        r"would be computable (a finite lookup table: hallucination.computable_closure, cited) and would decide "
        r"halting, contradicting hallucination.halting_undecidable (cited); so $S_h$ is infinite (assumed step)."
    ),
    interpretation=(
        "Abstention ⊥ counted as a failure (the other convention is hallucination.halting_with_abstention_graded_apart). "
        "Simulation: a counter-machine language, truth approximated by a 200-step bound.",
    ),
    uses=("hallucination.failure_set", "hallucination.halting_undecidable", "hallucination.computable_closure"),
    assumes=(LIFTING,),
    claim=Claim(_patched_equals_truth, where=lambda h, f, patched: Implies(h != f, patched),
                sorts={"h": "Int", "f": "Int", "patched": "Bool"}),
    variables={"h": "the predictor's answer at the query", "f": "the halting truth there",
               "patched": "the query is in the patched set S"},
    explain=lambda cx: f"the patched predictor would still differ from the truth at this query: {cx}",
    expect="proved",
)


@HALTING.check("z3")
def patch_lemma(q):
    q.prove_claim()


def _patch_points(table, extra, abstention_counts, abstentions_patched=False):
    """The claim's points at every query of a finite table: the answers, and whether the query is in the patch
    set built from the suite's failure sets (plus extra queries)."""
    h, f = [a for a, _ in table], [b for _, b in table]
    failures, abstained = failure_sets(h, f, abstention_counts)
    patch_set = failures | (abstained if abstentions_patched else set()) | {e for e in extra if e < len(h)}
    return [dict(h=h[s], f=f[s], patched=s in patch_set) for s in range(len(h))]


@HALTING.check("hypothesis")
@given(table=st.lists(st.tuples(st.sampled_from([0, 1, toys.ABSTAIN]), st.sampled_from([0, 1])), min_size=1, max_size=80),
       extra=st.sets(st.integers(0, 79)))
def patching_a_finite_table(table, extra):
    for point in _patch_points(table, extra, abstention_counts=True):
        assert HALTING.claim.applies(**point), f"the failure set misses a failure: {point}"
        HALTING.claim.require(**point)


@HALTING.check("simulation")
def predictors_on_programs(rng, scale):
    limit = 6916  # every program of at most 8 symbols
    programs = toys.programs(8)[:limit]
    truth = np.array([toys.halts(p) for p in programs], dtype=int)
    curves, failure = {}, None
    for name, predict in toys.PREDICTORS.items():
        answers = np.array([predict(p) for p in programs])
        wrong = answers != truth  # abstentions counted
        curves[name] = np.cumsum(wrong)
        failure = failure or HALTING.claim.first_failure(h=answers, f=truth, patched=wrong)  # patched on S_h itself
    stalled = [name for name, c in curves.items() if c[-1] <= c[len(c) // 2]]
    violation = failure or (None if not stalled else {"predictor": stalled[0], "failures": int(curves[stalled[0]][-1])})
    figure = sim.new_figure()
    ax = figure.subplots()
    for name, curve in curves.items():
        ax.plot(np.arange(1, len(curve) + 1), curve, label=name)
    ax.set_xlabel("programs enumerated (shortest first)")
    ax.set_ylabel("failures (abstention counted)")
    ax.legend(fontsize=7)
    return sim.Observation(violation=violation, plot=figure, figures={k: int(c[-1]) for k, c in curves.items()},
                           detail=f"{limit} counter-machine programs: patched on its failure set, every predictor "
                                  f"equals the step-bounded truth at every program, and every predictor's failures "
                                  f"keep growing")


ABSTENTION = lemma(
    "hallucination.halting_with_abstention_graded_apart",
    title="If abstentions are graded apart, a predictor that always abstains never hallucinates",
    kind="theorem",
    paper_ref="§2.1, Theorem 3",
    claim_ref="E-04",
    source="attested",
    statement=(r"Variant with abstention graded apart (⊥ not in $S_h$, a change to the formula $\{s : h(s) \ne "
               r"f_{\mathrm{halt}}(s)\}$): 'S_h infinite for every computable h' is false, since the predictor that "
               r"always abstains is computable and never hallucinates."),
    formal=(
        r"With ⊥ not in $S_h$: the predictor $h \equiv ⊥$ is computable and $S_h = \emptyset$, so '$S_h$ infinite for "
        r"every computable $h$' is false (z3: no $x$ with $h(x) \ne f(x)$ and $h(x) \ne ⊥$ when $h \equiv ⊥$)."
    ),
    interpretation=("A variant, not the literal reading: it grades ⊥ apart, as the G8 quote suggests ('refusing to answer "
                    "reveals incompleteness, while attempting an answer … hallucination'), where the formula counts every "
                    "output other than f_halt(s).",),
    claim_note="the refutation is one predictor (always ⊥) with no failure, shown on tables and on programs; no formula is shared",
    variables={"x": "a query", "h": "the predictor (always ⊥ = −1)", "f": "the halting truth",
               "truth": "the halting answers of the queries drawn"},
    explain=lambda cx: "the predictor that always abstains has no failure when abstentions are graded apart",
    expect="refuted",
)


@ABSTENTION.check("z3")
def always_abstain(q):
    model, truth = q.function("h", "Int", "Int"), q.function("f", "Int", "Int")
    (x,) = q.ints("x")
    q.given(model(x) == toys.ABSTAIN, smt.Or(truth(x) == 0, truth(x) == 1))
    q.exists(smt.And(model(x) != truth(x), model(x) != toys.ABSTAIN))


@ABSTENTION.check("hypothesis")
@given(truth=st.lists(st.sampled_from([0, 1]), min_size=1, max_size=60))
def abstainer_has_no_failures(truth):
    failures, abstained = failure_sets([toys.ABSTAIN] * len(truth), truth, abstention_counts=False)
    assert failures, f"no failures; {len(abstained)} abstentions"


@ABSTENTION.check("simulation")
def abstention_graded_apart(rng, scale):
    curves = _predictor_failures(6916, abstention_counts=False)
    abstainer = curves["abstains on loops"]
    stalled = abstainer[-1] <= abstainer[len(abstainer) // 2]
    violation = {"predictor": "abstains on loops", "failures": int(abstainer[-1])} if stalled else None
    return sim.Observation(violation=violation, figures={k: int(c[-1]) for k, c in curves.items()},
                           detail="graded apart, the abstaining predictor's failures stop growing")


ABSTENTION_FIX = lemma(
    "hallucination.halting_errs_or_abstains",
    title="Graded apart, every computable predictor errs or abstains on infinitely many queries",
    kind="correction",
    corrects="hallucination.halting_with_abstention_graded_apart",
    paper_ref="§2.1, Theorem 3",
    claim_ref="E-04",
    source="reconstructed",
    statement=(
        "With abstention graded separately, the theorem becomes: for every total computable predictor, the set "
        "of queries it answers wrongly or abstains on is infinite. Refusing avoids hallucination only by "
        "giving up completeness. Checked: the patch lemma for that set, at every query; the contradiction with the "
        "undecidability of halting is the assumed step."
    ),
    formal=(r"The patch lemma (z3, the declared claim, pointwise) with $S \supseteq \{s : h(s) \ne f(s)\} \cup "
            r"\{s : h(s) = ⊥\}$; the property test and the simulation evaluate it at the sets the suite builds. Then "
            r"as in E-04, with the cited undecidability of halting and closure under finite patches (assumed step)."),
    uses=("hallucination.failure_set", "hallucination.halting_undecidable", "hallucination.computable_closure"),
    assumes=(LIFTING.replace("a finite failure set", "a finite set of wrong or abstained queries"),),
    claim=Claim(_patched_equals_truth, where=lambda h, f, patched: Implies(Or(h != f, h == toys.ABSTAIN), patched),
                sorts={"h": "Int", "f": "Int", "patched": "Bool"}),
    variables={"h": "the predictor's answer at the query (−1 = ⊥)", "f": "the halting truth there",
               "patched": "the query is in the patched set S"},
    explain=lambda cx: f"the patched predictor would still differ from the truth at this query: {cx}",
    expect="proved",
)


@ABSTENTION_FIX.check("z3")
def patch_with_abstentions(q):
    q.prove_claim()


@ABSTENTION_FIX.check("hypothesis")
@given(table=st.lists(st.tuples(st.sampled_from([0, 1, toys.ABSTAIN]), st.sampled_from([0, 1])), min_size=1, max_size=80),
       extra=st.sets(st.integers(0, 79)))
def errs_or_abstains_covers_failures(table, extra):
    for point in _patch_points(table, extra, abstention_counts=False, abstentions_patched=True):
        assert ABSTENTION_FIX.claim.applies(**point), f"the wrong-or-abstained set misses a query: {point}"
        ABSTENTION_FIX.claim.require(**point)


@ABSTENTION_FIX.check("simulation")
def errs_or_abstains_on_programs(rng, scale):
    programs = toys.programs(8)
    truth = np.array([toys.halts(p) for p in programs], dtype=int)
    answers = np.array([toys.PREDICTORS["abstains on loops"](p) for p in programs])
    errs_or_abstains = (answers != truth) | (answers == toys.ABSTAIN)
    failure = ABSTENTION_FIX.claim.first_failure(h=answers, f=truth, patched=errs_or_abstains)
    curve = np.cumsum(errs_or_abstains)
    violation = failure or (None if curve[-1] > curve[len(curve) // 2] else {"errs_or_abstains": int(curve[-1])})
    return sim.Observation(violation=violation, figures={"errs_or_abstains": int(curve[-1])},
                           detail="patched on its wrong-or-abstained set, the abstaining predictor equals the truth at "
                                  "every program, and that set keeps growing")
