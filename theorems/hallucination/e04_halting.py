"""E-04, Undecidable queries force infinite failure sets (§2.1, Theorem 3): its readings, variants and corrections.

Each lemma reads top-down: the declaration, then its symbolic checks, property test and simulation.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from proofs import lemma, sim, smt
from simulations import hallucination as toys

from ._shared import failure_sets

# ---------------------------------------------------------------------------------------------
# E-04: undecidable queries force infinite failure sets.
# ---------------------------------------------------------------------------------------------

HALTING_STATEMENT = (
    "Problems like the Halting Problem force infinite failure sets for any computable predictor (G1): "
    r"$\forall$ computable $h$ answering halting queries, $S_h = \{s : h(s) \ne f_{\mathrm{halt}}(s)\}$ is infinite (G2, G3)."
)


def _patch(q):
    model, truth = q.function("h", "Int", "Int"), q.function("f", "Int", "Int")
    patched_set = q.function("S", "Int", "Bool")
    (x,) = q.ints("x")
    q.given(smt.Implies(model(x) != truth(x), patched_set(x)))  # S contains every failure
    return model, truth, patched_set, x


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
    statement=HALTING_STATEMENT,
    formal=(
        r"Patch lemma (z3): if a set $S$ contains every failure of $h$, then $h$ patched on $S$ with $f$'s values "
        r"equals $f$ at every input. If $S_h$ were finite, the patched $h$ would be computable (a finite lookup "
        r"table: hallucination.computable_closure, cited) and would decide halting, contradicting "
        r"hallucination.halting_undecidable (cited); so $S_h$ is infinite."
    ),
    interpretation=(
        "Abstention ⊥ counted as a failure (the other convention is hallucination.halting_with_abstention_graded_apart). "
        "Simulation: a counter-machine language, truth approximated by a 200-step bound.",
    ),
    uses=("hallucination.failure_set", "hallucination.halting_undecidable", "hallucination.computable_closure"),
    variables={"x": "a query ⟨M, x⟩", "h": "the predictor", "f": "the halting truth", "S": "the patched set"},
    explain=lambda cx: f"the patched predictor would still differ from the truth at query {cx.get('x')}",
    expect="proved",
)


@HALTING.check("z3")
def patch_lemma(q):
    model, truth, patched_set, x = _patch(q)
    q.prove(smt.If(patched_set(x), truth(x), model(x)) == truth(x))


@HALTING.check("hypothesis")
@given(table=st.lists(st.tuples(st.sampled_from([0, 1, toys.ABSTAIN]), st.sampled_from([0, 1])), min_size=1, max_size=80),
       extra=st.sets(st.integers(0, 79)))
def patching_a_finite_table(table, extra):
    h, f = [a for a, _ in table], [b for _, b in table]
    failures, _ = failure_sets(h, f, True)
    patch_set = failures | {e for e in extra if e < len(h)}
    patched = [f[s] if s in patch_set else h[s] for s in range(len(h))]
    assert patched == f


@HALTING.check("simulation")
def predictors_on_programs(rng, scale):
    limit = 6916  # every program of at most 8 symbols
    curves = _predictor_failures(limit, abstention_counts=True)
    stalled = [name for name, c in curves.items() if c[-1] <= c[len(c) // 2]]
    violation = None if not stalled else {"predictor": stalled[0], "failures": int(curves[stalled[0]][-1])}
    figure = sim.new_figure()
    ax = figure.subplots()
    for name, curve in curves.items():
        ax.plot(np.arange(1, len(curve) + 1), curve, label=name)
    ax.set_xlabel("programs enumerated (shortest first)")
    ax.set_ylabel("failures (abstention counted)")
    ax.legend(fontsize=7)
    return sim.Observation(violation=violation, plot=figure, figures={k: int(c[-1]) for k, c in curves.items()},
                           detail=f"{limit} counter-machine programs; every predictor's failures keep growing")


ABSTENTION = lemma(
    "hallucination.halting_with_abstention_graded_apart",
    title="If abstentions are graded apart, a predictor that always abstains never hallucinates",
    kind="theorem",
    paper_ref="§2.1, Theorem 3",
    claim_ref="E-04",
    source="attested",
    statement=HALTING_STATEMENT,
    formal=(
        r"With ⊥ not in $S_h$: the predictor $h \equiv ⊥$ is computable and $S_h = \emptyset$, so '$S_h$ infinite for "
        r"every computable $h$' is false (z3: no $x$ with $h(x) \ne f(x)$ and $h(x) \ne ⊥$ when $h \equiv ⊥$)."
    ),
    interpretation=("The G8 quote: 'refusing to answer reveals incompleteness, while attempting an answer … hallucination'.",),
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
        "With abstention graded separately, the theorem becomes: for every computable predictor, the set "
        "of queries it answers wrongly or abstains on is infinite. Refusing avoids hallucination only by "
        "giving up completeness."
    ),
    formal=(r"The patch lemma (z3) with $S \supseteq \{s : h(s) \ne f(s)\} \cup \{s : h(s) = ⊥\}$; then as in E-04, "
            r"with the cited undecidability of halting and closure under finite patches."),
    uses=("hallucination.halting_failure_set_infinite", "hallucination.halting_undecidable",
          "hallucination.computable_closure"),
    variables={"x": "a query", "h": "the predictor", "f": "the halting truth", "S": "the patched set"},
    explain=lambda cx: f"the patched predictor would still differ from the truth at query {cx.get('x')}",
    survivors={
        'curve[-1] > curve[len(curve) // 2]': 'the counts differ by thousands: > and ≥ agree',
    },
    expect="proved",
)


@ABSTENTION_FIX.check("z3")
def patch_with_abstentions(q):
    model, truth = q.function("h", "Int", "Int"), q.function("f", "Int", "Int")
    patched_set = q.function("S", "Int", "Bool")
    (x,) = q.ints("x")
    q.given(smt.Implies(smt.Or(model(x) != truth(x), model(x) == toys.ABSTAIN), patched_set(x)))
    q.prove(smt.If(patched_set(x), truth(x), model(x)) == truth(x))


@ABSTENTION_FIX.check("hypothesis")
@given(table=st.lists(st.tuples(st.sampled_from([0, 1, toys.ABSTAIN]), st.sampled_from([0, 1])), min_size=1, max_size=80))
def errs_or_abstains_covers_failures(table):
    h, f = [a for a, _ in table], [b for _, b in table]
    wrong, abstained = failure_sets(h, f, False)
    counted, _ = failure_sets(h, f, True)
    assert wrong | abstained >= counted


@ABSTENTION_FIX.check("simulation")
def errs_or_abstains_on_programs(rng, scale):
    programs = toys.programs(8)
    truth = np.array([toys.halts(p) for p in programs], dtype=int)
    answers = np.array([toys.PREDICTORS["abstains on loops"](p) for p in programs])
    curve = np.cumsum((answers != truth) | (answers == toys.ABSTAIN))
    violation = None if curve[-1] > curve[len(curve) // 2] else {"errs_or_abstains": int(curve[-1])}
    return sim.Observation(violation=violation, figures={"errs_or_abstains": int(curve[-1])},
                           detail="the abstaining predictor's wrong-or-abstained set keeps growing")
