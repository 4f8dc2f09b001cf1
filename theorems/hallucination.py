"""§2 of the paper, hallucination: claims E-01 … E-14.

Each lemma reads top-down: the declaration, then its symbolic check, property test and
simulation. Models are functions from strings (taken in shortlex order s_0, s_1, …) to answers;
a model hallucinates on s when h(s) ≠ f(s) for the ground truth f.
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from proofs import cas, lemma, sim, smt
from simulations import hallucination as toys

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
    statement="h hallucinates on s ⟺ h(s) ≠ f(s); failure set S_h = {s ∈ 𝒮 : h(s) ≠ f(s)} (G2, G3).",
    formal=(
        "On finite tables: S_h is exactly the set of disagreements; an abstention ⊥ is in S_h when "
        "abstentions are counted as failures, and in a separate abstention set when graded apart; "
        "the two conventions partition the same inputs."
    ),
    interpretation=("Both conventions for ⊥ are encoded; E-04 shows the one that changes the outcome.",),
    waivers={"symbolic": "a definition; its consequences are proved in E-02 … E-04",
             "simulation": "a definition; the enumerations of E-02 … E-04 use it"},
    expect="tested",
)


def failure_sets(h, f, abstention_counts):
    wrong = {s for s, (a, b) in enumerate(zip(h, f)) if a != b and (a != toys.ABSTAIN or abstention_counts)}
    abstained = {s for s, a in enumerate(h) if a == toys.ABSTAIN}
    return wrong, abstained


@DEFINITION.check("hypothesis")
@given(table=st.lists(st.tuples(st.sampled_from([0, 1, toys.ABSTAIN]), st.sampled_from([0, 1])), min_size=1, max_size=60))
def conventions_partition_the_same_inputs(table):
    h, f = [a for a, _ in table], [b for _, b in table]
    counted, _ = failure_sets(h, f, True)
    separate, abstained = failure_sets(h, f, False)
    assert counted == separate | abstained
    assert not (separate & abstained)
    assert separate == {s for s in range(len(h)) if h[s] != f[s] and h[s] != toys.ABSTAIN}


# ---------------------------------------------------------------------------------------------
# E-02: diagonalisation, every model of a c.e. family errs somewhere.
# ---------------------------------------------------------------------------------------------

DIAGONAL_STATEMENT = (
    "For any computably enumerable model family, diagonalization guarantees inputs on which some model "
    "must fail (abstract); ∀ c.e. {h_i} ∃ computable f ∀ i ∃ s: h_i(s) ≠ f(s), with f(s_i) := flip(h_i(s_i)) (G2)."
)

DIAGONAL = lemma(
    "hallucination.diagonal_every_model_fails",
    title="With two or more answers, f(s_i) = flip(h_i(s_i)) defeats every model of the family",
    kind="theorem",
    paper_ref="§2.1, Theorem 1",
    claim_ref="E-02",
    source="attested",
    statement=DIAGONAL_STATEMENT,
    formal=(
        "z3, for an uninterpreted family h: ℤ × ℤ → ℤ and flip(a) = 1 if a = 0 else 0: ∀ i ≥ 0: "
        "flip(h(i, i)) ≠ h(i, i), so f(s_i) := flip(h_i(s_i)) differs from every h_i at its own "
        "input s_i. One f defeats the whole family."
    ),
    interpretation=(
        "Total, uniform family ((i, s) ↦ h_i(s) one computable function); distinct diagonal inputs "
        "s_i = the i-th string; at least two answers. f is left 0 off the diagonal.",
        "The full statement belongs to computability theory; the finite core is what z3 checks, and "
        "the simulation runs the construction on real enumerable classes.",
    ),
    assumes=("a total, uniformly computable family makes f computable (f evaluates h_i(s_i) once)",),
    expect="proved",
)


@DIAGONAL.check("z3")
def flip_differs(q):
    family = q.function("h", "Int", "Int", "Int")
    (i,) = q.ints("i")
    q.domain(i >= 0)
    q.prove(smt.If(family(i, i) == 0, 1, 0) != family(i, i))


@DIAGONAL.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), models=st.integers(1, 50), answers=st.integers(2, 6))
def diagonal_on_random_tables(seed, models, answers):
    table = np.random.default_rng(seed).integers(answers, size=(models, models))  # h_i(s_j)
    truth = np.where(np.diag(table) == 0, 1, 0)  # f(s_i) = flip(h_i(s_i))
    assert np.all(np.diag(table) != truth)


@DIAGONAL.check("simulation")
def diagonal_on_model_classes(rng, scale):
    answers, names = toys.enumeration(toys.shortlex(600))
    models = answers.shape[0]
    truth = 1 - np.diag(answers[:, :models])  # f(s_i) = flip(h_i(s_i)) for i < models
    errs = answers[np.arange(models), np.arange(models)] != truth
    violation = None if errs.all() else {"model": int(np.argmin(errs)), "class": names[int(np.argmin(errs))]}
    counts = {name: names.count(name) for name in dict.fromkeys(names)}
    return sim.Observation(violation=violation, figures={f"models[{k}]": v for k, v in counts.items()},
                           detail=f"{models} models from 4 enumerable classes, each checked at its diagonal input: all err")


SINGLE_ANSWER = lemma(
    "hallucination.diagonal_single_answer",
    title="With a single possible answer, no model can be made to fail",
    kind="theorem",
    paper_ref="§2.1, Theorem 1",
    claim_ref="E-02",
    source="attested",
    statement=DIAGONAL_STATEMENT,
    formal="Answer set A = {0}: ∃ f ∀ i ∃ s: h_i(s) ≠ f(s) is false, since every h_i and every f is the constant 0.",
    interpretation=("The answer-set size the sources leave open: |A| = 1, where flip cannot exist.",),
    waivers={"property": "with one answer every table and every truth is the same constant: there is nothing to draw",
             "simulation": "with one answer there is nothing to enumerate: every model and every truth is the constant"},
    expect="refuted",
)


@SINGLE_ANSWER.check("z3")
def nothing_to_flip(q):
    family = q.function("h", "Int", "Int", "Int")
    truth = q.function("f", "Int", "Int")
    (i,) = q.ints("i")
    q.domain(i >= 0)
    q.given(family(i, i) == 0, truth(i) == 0)  # the only answer
    q.exists(truth(i) != family(i, i))


# ---------------------------------------------------------------------------------------------
# E-03: infinitely many hallucinations, by pairing.
# ---------------------------------------------------------------------------------------------

INFINITE = lemma(
    "hallucination.infinitely_many_failures",
    title="Pairing ⟨i, k⟩ makes every model err at infinitely many inputs",
    kind="theorem",
    paper_ref="§2.1, Theorem 2",
    claim_ref="E-03",
    source="attested",
    statement="Each model hallucinates on infinitely many inputs: ∃ computable f ∀ i: |{s : h_i(s) ≠ f(s)}| = ℵ₀ (G1, G2, G6).",
    formal=(
        "f(s_⟨i,k⟩) := flip(h_i(s_⟨i,k⟩)) with Cantor pairing ⟨i,k⟩ = (i+k)(i+k+1)/2 + k. z3: ∀ i, k ≥ 0 "
        "f differs from h_i at ⟨i,k⟩. sympy: the number of k with ⟨i,k⟩ < M is at least √(2M) − i − 1, "
        "which tends to ∞ with M: the failures in every prefix grow without bound."
    ),
    interpretation=("A cardinality statement; the probability mass of S_h under a query law is not claimed.",),
    uses=("hallucination.diagonal_every_model_fails",),
    assumes=("Cantor pairing is a bijection ℕ² → ℕ",),
    expect="proved",
)


@INFINITE.check("z3")
def flip_on_every_pair(q):
    family = q.function("h", "Int", "Int", "Int")
    i, k = q.ints("i k")
    q.domain(i >= 0, k >= 0)
    point = (i + k) * (i + k + 1) / 2 + k
    q.prove(smt.If(family(i, point) == 0, 1, 0) != family(i, point))


@INFINITE.check("sympy")
def prefix_failures_grow():
    m, i = sp.symbols("M i", positive=True)
    return cas.Limit(sp.sqrt(2 * m) - i - 1, m, expected=sp.oo, samples={i: (0, 10, 1000)}, name="pairs_below_M")


@INFINITE.check("hypothesis")
@given(i=st.integers(0, 200), prefix=st.integers(1, 200_000))
def counted_pairs_meet_the_bound(i, prefix):
    k = np.arange(0, 2 * int(math.isqrt(2 * prefix)) + 2)
    counted = int(np.sum(toys.cantor(i, k) < prefix))
    assert counted >= math.floor(math.sqrt(2 * prefix)) - i - 1


@INFINITE.check("simulation")
def failures_in_growing_prefixes(rng, scale):
    prefix = 20_000 if scale == "default" else 200_000
    answers, names = toys.enumeration(toys.shortlex(prefix))
    truth = toys.paired_ground_truth(answers)
    wrong = answers != truth[None, :]
    checkpoints = np.unique(np.logspace(2, np.log10(prefix), 12).astype(int))
    reached = [i for i in range(answers.shape[0]) if toys.cantor(i, 0) < prefix]
    curves = np.array([[wrong[i, :m].sum() for m in checkpoints] for i in reached])
    stalls = [i for i, curve in zip(reached, curves) if curve[-1] <= curve[-2]]
    violation = None if not stalls else {"model": stalls[0], "class": names[stalls[0]], "failures": curves[reached.index(stalls[0])].tolist()}
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
                           detail=f"{len(reached)} models reached by the pairing within {prefix} inputs: every one keeps failing")


# ---------------------------------------------------------------------------------------------
# E-04: undecidable queries force infinite failure sets.
# ---------------------------------------------------------------------------------------------

HALTING_STATEMENT = (
    "Problems like the Halting Problem force infinite failure sets for any computable predictor (G1): "
    "∀ computable h answering halting queries, S_h = {s : h(s) ≠ f_halt(s)} is infinite (G2, G3)."
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
        "Patch lemma (z3): if a finite set S contains every failure of h, then h patched on S with f's "
        "values equals f everywhere. If S_h were finite, the patched h would be computable and decide "
        "halting, contradicting Turing; so S_h is infinite."
    ),
    interpretation=(
        "Abstention ⊥ counted as a failure (the other convention is hallucination.halting_with_abstention_graded_apart). "
        "Simulation: a counter-machine language, truth approximated by a 200-step bound.",
    ),
    uses=("hallucination.failure_set",),
    assumes=("the halting problem is undecidable (Turing 1936)",
             "a finite patch of a computable function is computable (a finite lookup table)"),
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
    limit = 6916 if scale == "default" else 6916
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
        "With ⊥ not in S_h: the predictor h ≡ ⊥ is computable and S_h = ∅, so 'S_h infinite for every "
        "computable h' is false (z3: no x with h(x) ≠ f(x) and h(x) ≠ ⊥ when h ≡ ⊥)."
    ),
    interpretation=("The G8 quote: 'refusing to answer reveals incompleteness, while attempting an answer … hallucination'.",),
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
    formal="The patch lemma (z3) with S ⊇ {s : h(s) ≠ f(s)} ∪ {s : h(s) = ⊥}; then as in E-04.",
    uses=("hallucination.halting_failure_set_infinite",),
    assumes=("the halting problem is undecidable (Turing 1936)",),
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


# ---------------------------------------------------------------------------------------------
# E-05: the Kolmogorov complexity bottleneck.
# ---------------------------------------------------------------------------------------------

KOLMOGOROV_STATEMENT = "Kolmogorov complexity bottleneck (Lemma 1): a model of complexity c errs on targets of complexity above c (G1, G2, G3, G5)."
n_sym, c_sym = sp.symbols("n c", positive=True)

KOLMOGOROV_EXACT = lemma(
    "hallucination.kolmogorov_exact",
    title="K(h) = c and K(f) > c imply h ≠ f",
    kind="lemma",
    paper_ref="§2.1, Lemma 1",
    claim_ref="E-05",
    source="attested",
    statement=KOLMOGOROV_STATEMENT,
    formal="Variant (a): with K an uninterpreted function, h = f ⟹ K(h) = K(f), so K(h) = c < K(f) ⟹ h ≠ f (z3).",
    interpretation=("K of the function computed (not of a particular program), relative to one fixed machine.",),
    waivers={"simulation": "the statement is the congruence of K; the toy language is enumerated under hallucination.kolmogorov_fraction"},
    expect="proved",
)


@KOLMOGOROV_EXACT.check("z3")
def equal_functions_equal_complexity(q):
    complexity = q.function("K", "Int", "Int")
    model, target, budget = q.ints("h f c")
    q.given(complexity(model) == budget, complexity(target) > budget)
    q.prove(model != target)


@KOLMOGOROV_EXACT.check("hypothesis")
@given(variables=st.integers(1, 3), size=st.integers(1, 7), table=st.integers(0, 255))
def shortest_formula_separates(variables, size, table):
    tables = toys.formula_tables(variables, 9)
    target = table % (1 << (2 ** variables))
    smallest = next((s + 1 for s, t in enumerate(tables) if target in t), None)
    if smallest is not None and smallest > size:
        assert all(target != t for t in tables[size - 1])


KOLMOGOROV_FRACTION = lemma(
    "hallucination.kolmogorov_fraction",
    title="A fixed description budget c covers a vanishing fraction of the 2^(2^n) targets",
    kind="lemma",
    paper_ref="§2.1, Lemma 1",
    claim_ref="E-05",
    source="attested",
    statement=KOLMOGOROV_STATEMENT,
    formal=(
        "Variant (b): fewer than 2^(c+1) programs have length ≤ c, so at most 2^(c+1) of the 2^(2^n) "
        "Boolean functions on n bits are representable; log₂ of the fraction, c + 1 − 2^n, tends to −∞ as "
        "n → ∞ at fixed c (sympy), so the fraction tends to 0."
    ),
    interpretation=("c fixed while n grows; a budget that grows like 2^n is hallucination.kolmogorov_fraction_growing_budget.",),
    assumes=("there are fewer than 2^(c+1) binary programs of length ≤ c",),
    expect="proved",
)


@KOLMOGOROV_FRACTION.check("sympy")
def representable_fraction():
    # in log₂: log₂(2^(c+1) / 2^(2^n)) = c + 1 − 2^n (the fraction itself underflows any float)
    return cas.Limit(c_sym + 1 - 2 ** n_sym, n_sym, expected=-sp.oo, samples={c_sym: (10, 1000)}, at=(8, 16, 32, 64, 128, 256),
                     name="log2_fraction_fixed_budget")


@KOLMOGOROV_FRACTION.check("hypothesis")
@given(variables=st.integers(1, 3), size=st.integers(1, 9))
def formulas_cover_at_most_their_count(variables, size):
    tables = toys.formula_tables(variables, size)
    assert len(tables[-1]) <= 2 ** (2 ** variables)
    assert all(len(a) <= len(b) for a, b in zip(tables, tables[1:]))


@KOLMOGOROV_FRACTION.check("simulation")
def toy_language_coverage(rng, scale):
    figure = sim.new_figure()
    ax = figure.subplots()
    figures, violation = {}, None
    for variables in (2, 3, 4):
        tables = toys.formula_tables(variables, 9 if variables < 4 else 7)
        fractions = [len(t) / 2 ** (2 ** variables) for t in tables]
        figures[f"covered[n={variables}, size≤{len(tables)}]"] = fractions[-1]
        ax.semilogy(range(1, len(tables) + 1), fractions, "o-", label=f"n = {variables}")
    by_n = [figures[k] for k in figures]
    if not by_n[0] > by_n[-1]:
        violation = {"coverage_by_n": by_n}
    ax.set_xlabel("formula size budget")
    ax.set_ylabel("fraction of all Boolean functions expressible")
    ax.legend()
    return sim.Observation(violation=violation, plot=figure, figures=figures,
                           detail="formulas x_i | ¬e | e∧e | e∨e enumerated by size; coverage falls as n grows")


GROWING_BUDGET = lemma(
    "hallucination.kolmogorov_fraction_growing_budget",
    title="If the description budget grows like 2^n, the representable fraction need not vanish",
    kind="lemma",
    paper_ref="§2.1, Lemma 1",
    claim_ref="E-05",
    source="attested",
    statement=KOLMOGOROV_STATEMENT,
    formal=(
        "Variant (b) with c = 2^n + 1 (a budget that can store the whole truth table): the counting bound "
        "2^(c+1)/2^(2^n) = 4 does not tend to 0 (sympy, in log₂), and a lookup table of 2^n bits represents "
        "every target."
    ),
    interpretation=("c growing with n at the rate of the truth-table length.",),
    waivers={"property": "the statement is one limit; the simulation measures the budget that covers everything"},
    expect="refuted",
)


@GROWING_BUDGET.check("sympy")
def budget_of_a_full_table():
    # log₂ of the counting bound with c = 2^n + 1: (2^n + 2) − 2^n; the claim needs it to tend to −∞
    return cas.Limit((2 ** n_sym + 2) - 2 ** n_sym, n_sym, expected=-sp.oo, at=(8, 16, 32, 64, 128, 256),
                     name="log2_fraction_table_budget")


@GROWING_BUDGET.check("simulation")
def budget_that_grows_with_the_table(rng, scale):
    needed = {}
    for variables, largest in ((1, 8), (2, 16), (3, 24)):
        coverage = [len(t) / 2 ** (2 ** variables) for t in toys.formula_tables(variables, largest)]
        needed[variables] = next((size + 1 for size, c in enumerate(coverage) if c == 1.0), None)
    covered = all(size is not None and size <= 4 * 2 ** v for v, size in needed.items())
    violation = {"size_for_full_coverage": needed} if covered else None
    return sim.Observation(violation=violation, figures={f"size_for_all_functions[n={v}]": s for v, s in needed.items()},
                           detail="formulas reach every Boolean function once their size budget grows like 2^n")


ERROR_SCALE = lemma(
    "hallucination.kolmogorov_error_arbitrarily_large",
    title="Error 'arbitrarily large' on the fraction scale: a complex target can be 2^(−n)-close",
    kind="lemma",
    paper_ref="§2.1, Lemma 1",
    claim_ref="E-05",
    source="attested",
    statement=KOLMOGOROV_STATEMENT,
    formal=(
        "Variant (c), error = fraction of inputs misclassified: claim 'for K(f) > c the best error of "
        "a complexity-c model is ≥ 1/4'. Toy: formulas of size ≤ 3 over 3 bits; a target outside that "
        "set can differ from one inside at a single input, error 1/8."
    ),
    interpretation=("The fraction-of-inputs scale; on the count scale the error can grow with n.",),
    waivers={"symbolic": "a statement about the toy description language, enumerated exactly by both checks"},
    expect="refuted",
)


def _best_errors(variables, size):
    rows = 2 ** variables
    cheap = np.array(sorted(toys.formula_tables(variables, size)[-1]))
    targets = np.arange(2 ** rows)
    expensive = np.setdiff1d(targets, cheap)
    distance = np.array([[bin(int(t) ^ int(c)).count("1") for c in cheap] for t in expensive])
    return expensive, distance.min(axis=1) / rows


@ERROR_SCALE.check("hypothesis")
@given(pick=st.integers(0, 10_000))
def complex_targets_are_far(pick):
    expensive, errors = _best_errors(3, 3)
    target = int(expensive[pick % len(expensive)])
    assert errors[pick % len(expensive)] >= 0.25, f"target {target:08b} is within {errors[pick % len(expensive)]:.3f} of a size-3 formula"


@ERROR_SCALE.check("simulation")
def best_error_distribution(rng, scale):
    expensive, errors = _best_errors(3, 3)
    violation = None if errors.min() >= 0.25 else {"target": format(int(expensive[errors.argmin()]), "08b"), "best_error": float(errors.min())}
    figure = sim.new_figure()
    ax = figure.subplots()
    ax.hist(errors, bins=np.arange(0, 0.6, 0.125) - 0.0625)
    ax.set_xlabel("best error of a size ≤ 3 formula (fraction of the 8 inputs)")
    ax.set_ylabel("targets outside the size-3 set")
    return sim.Observation(violation=violation, plot=figure, figures={"smallest_best_error": float(errors.min())},
                           detail=f"{len(expensive)} targets not expressible at size 3, each against every size-3 formula")


# ---------------------------------------------------------------------------------------------
# E-06: sample complexity of long-tail facts.
# ---------------------------------------------------------------------------------------------

SAMPLES_STATEMENT = "Long-tail factual knowledge requires prohibitive sample complexity (abstract)."
m_sym, eps_sym, delta_sym = sp.symbols("m epsilon delta", positive=True)

SAMPLES_A_NOISELESS = lemma(
    "hallucination.sample_complexity_a_noiseless",
    title="Variant A as a lower bound, with noiseless observations: a memoriser needs far fewer",
    kind="theorem",
    paper_ref="§2.1, Theorem 4",
    claim_ref="E-06",
    source="attested",
    statement=SAMPLES_STATEMENT + " A: learning m independent binary facts needs n = Ω((m/ε²)·log(m/δ)) (G1, G2, G5).",
    formal=(
        "Noiseless observations of uniformly drawn facts; success = every fact right with probability ≥ 1 − δ. "
        "A memoriser succeeds with n = m·ln(m/δ) (coupon collector); the ratio to (m/ε²)·ln(m/δ) is ε², "
        "which tends to 0 (sympy), so no constant c makes A a lower bound for small ε."
    ),
    interpretation=("A read as a lower bound for every learner; noiseless observations; ε a per-fact tolerance.",),
    assumes=("coupon collector: n = m·ln(m/δ) uniform draws see all m facts with probability ≥ 1 − δ",),
    expect="refuted",
)


@SAMPLES_A_NOISELESS.check("sympy")
def memoriser_over_variant_a():
    ratio = (m_sym * sp.log(m_sym / delta_sym)) / ((m_sym / eps_sym ** 2) * sp.log(m_sym / delta_sym))
    return cas.Limit(ratio.subs(eps_sym, 1 / eps_sym), eps_sym, expected=0, relation=">",
                     samples={m_sym: (100,), delta_sym: (sp.Rational(1, 20),)}, name="ratio_as_epsilon_shrinks")


@SAMPLES_A_NOISELESS.check("hypothesis")
@settings(max_examples=10)
@given(seed=st.integers(0, 2**32 - 1), facts=st.integers(20, 200))
def memoriser_beats_variant_a(seed, facts):
    delta, epsilon = 0.05, 0.1
    samples = int(facts * math.log(facts / delta))
    success = toys.memoriser_success(np.random.default_rng(seed), facts, samples, 200)
    required = facts / epsilon ** 2 * math.log(facts / delta)
    assert not (success >= 1 - delta and samples < required / 10), f"succeeded with n = {samples} ≪ {required:.0f}"


@SAMPLES_A_NOISELESS.check("simulation")
def memoriser_sample_sizes(rng, scale):
    delta, epsilon = 0.05, 0.1
    rows = []
    for facts in (20, 50, 100, 200):
        samples = int(facts * math.log(facts / delta))
        rows.append((facts, samples, toys.memoriser_success(rng, facts, samples, 400 if scale == "default" else 4000),
                     facts / epsilon ** 2 * math.log(facts / delta)))
    violation = next(({"facts": f, "samples": n, "success": s, "variant_a_requires": r} for f, n, s, r in rows
                      if s >= 1 - delta and n < r / 10), None)
    figure = sim.new_figure()
    ax = figure.subplots()
    ax.loglog([r[0] for r in rows], [r[1] for r in rows], "o-", label="memoriser: m·ln(m/δ), success ≥ 1 − δ")
    ax.loglog([r[0] for r in rows], [r[3] for r in rows], "s--", label="variant A at ε = 0.1")
    ax.set_xlabel("facts m")
    ax.set_ylabel("samples n")
    ax.legend()
    return sim.Observation(violation=violation, plot=figure, figures={f"success[m={f}]": s for f, _, s, _ in rows},
                           detail="noiseless facts are learned with ε²-times fewer samples than variant A demands")


SAMPLES_A_NOISY = lemma(
    "hallucination.sample_complexity_a_noisy",
    title="Variant A with noisy observations (margin γ = ε): majority vote needs Θ((m/ε²)·log(m/δ))",
    kind="correction",
    corrects="hallucination.sample_complexity_a_noiseless",
    paper_ref="§2.1, Theorem 4",
    claim_ref="E-06",
    source="reconstructed",
    statement=(
        "Variant A is the right order when each observation is correct with probability ½ + ε: majority "
        "vote with n = (m/(2ε²))·ln(m/δ) samples spread evenly gets every fact right with probability "
        "≥ 1 − δ (Hoeffding + union bound), and two-point lower bounds make that order necessary."
    ),
    formal=(
        "sympy: m·exp(−2(n/m)ε²) = δ at n = (m/(2ε²))·ln(m/δ), and the union-bound failure is decreasing in n."
    ),
    assumes=("Hoeffding's inequality", "a two-point (Le Cam) lower bound of the same order for every learner"),
    expect="proved",
)


@SAMPLES_A_NOISY.check("sympy")
def hoeffding_union_size():
    n = sp.Symbol("n", positive=True)
    failure = m_sym * sp.exp(-2 * (n / m_sym) * eps_sym ** 2)
    size = m_sym / (2 * eps_sym ** 2) * sp.log(m_sym / delta_sym)
    domain = {m_sym: (2, 1000), eps_sym: (0.01, 0.4), delta_sym: (0.001, 0.5), n: (1, 1e6)}
    return [cas.Identity(failure.subs(n, size), delta_sym, domain, name="union_bound_equals_delta"),
            cas.Bound(-sp.diff(failure, n), domain, strict=True, name="failure_falls_with_n")]


@SAMPLES_A_NOISY.check("hypothesis")
@settings(max_examples=10)
@given(seed=st.integers(0, 2**32 - 1), facts=st.integers(10, 60), margin=st.floats(0.1, 0.3))
def majority_succeeds_at_the_bound(seed, facts, margin):
    delta = 0.1
    samples = int(2 * facts / (2 * margin ** 2) * math.log(facts / delta))  # ×2 for the uneven split of uniform draws
    assert toys.majority_success(np.random.default_rng(seed), facts, samples, margin, 100) >= 1 - 2 * delta


@SAMPLES_A_NOISY.check("simulation")
def majority_sample_sizes(rng, scale):
    delta, rows = 0.1, []
    for margin in (0.1, 0.2, 0.3):
        for facts in (20, 80):
            samples = int(2 * facts / (2 * margin ** 2) * math.log(facts / delta))
            rows.append((margin, facts, samples, toys.majority_success(rng, facts, samples, margin, 200)))
    violation = next(({"margin": g, "facts": f, "samples": n, "success": s} for g, f, n, s in rows if s < 1 - 2 * delta), None)
    return sim.Observation(violation=violation, figures={f"success[γ={g}, m={f}]": s for g, f, _, s in rows},
                           detail="majority vote at twice the Hoeffding size succeeds with probability ≥ 1 − 2δ")


SAMPLES_B = lemma(
    "hallucination.sample_complexity_b",
    title="Variant B, Ω(2^m·log(m/δ)/ε), as a lower bound for m stored facts",
    kind="theorem",
    paper_ref="§2.1, Theorem 4 (v2, per G3)",
    claim_ref="E-06",
    source="attested",
    statement=SAMPLES_STATEMENT + " B: m independent binary facts need n = Ω(2^m·log(m/δ)/ε) samples (G3).",
    formal=(
        "m facts = m stored bits, noiseless: a memoriser needs m·ln(m/δ); its ratio to 2^m·ln(m/δ)/ε tends "
        "to 0 as m → ∞ (sympy), so B is no lower bound."
    ),
    interpretation=("'m independent binary facts' read as m stored bits; as a Boolean function of m bits (2^m values) B would be variant A on 2^m facts.",),
    assumes=("coupon collector, as for hallucination.sample_complexity_a_noiseless",),
    waivers={"property": "the same memoriser as hallucination.sample_complexity_a_noiseless; the simulation measures it against B"},
    expect="refuted",
)


@SAMPLES_B.check("sympy")
def memoriser_over_variant_b():
    ratio = (m_sym * sp.log(m_sym / delta_sym)) / (2 ** m_sym * sp.log(m_sym / delta_sym) / eps_sym)
    return cas.Limit(ratio, m_sym, expected=0, relation=">",
                     samples={eps_sym: (sp.Rational(1, 10),), delta_sym: (sp.Rational(1, 20),)}, name="ratio_as_m_grows")


@SAMPLES_B.check("simulation")
def memoriser_against_b(rng, scale):
    delta, epsilon, rows = 0.05, 0.1, []
    for facts in (10, 15, 20):
        samples = int(facts * math.log(facts / delta))
        rows.append((facts, samples, toys.memoriser_success(rng, facts, samples, 400), 2 ** facts * math.log(facts / delta) / epsilon))
    violation = next(({"facts": f, "samples": n, "success": s, "variant_b_requires": r} for f, n, s, r in rows
                      if s >= 1 - delta and n < r / 100), None)
    return sim.Observation(violation=violation, figures={f"samples[m={f}]": n for f, n, _, _ in rows},
                           detail="the memoriser succeeds orders of magnitude below 2^m")


SAMPLES_B_FUNCTION = lemma(
    "hallucination.sample_complexity_b_as_a_function",
    title="Variant B's 2^m is right when the m facts are the inputs of a Boolean function: A on 2^m facts",
    kind="correction",
    corrects="hallucination.sample_complexity_b",
    paper_ref="§2.1, Theorem 4 (v2, per G3)",
    claim_ref="E-06",
    source="reconstructed",
    statement=(
        "If 'm independent binary facts' means an arbitrary Boolean function of m input bits, there are "
        "2^m facts to learn, and variant A applies to them: with noisy observations (margin ε) majority "
        "vote needs n = (2^m/(2ε²))·ln(2^m/δ), i.e. Θ(2^m·(m + log(1/δ))/ε²): B's 2^m factor, with 1/ε² "
        "in place of 1/ε."
    ),
    formal="sympy: with M = 2^m facts, M·exp(−2(n/M)ε²) = δ at n = (M/(2ε²))·ln(M/δ), and ln(2^m/δ) = m·ln 2 + ln(1/δ).",
    uses=("hallucination.sample_complexity_a_noisy",),
    assumes=("Hoeffding's inequality",),
    expect="proved",
)


@SAMPLES_B_FUNCTION.check("sympy")
def union_bound_over_a_truth_table():
    n, bits = sp.Symbol("n", positive=True), sp.Symbol("m", positive=True, integer=True)
    facts = 2 ** bits
    size = facts / (2 * eps_sym ** 2) * sp.log(facts / delta_sym)
    domain = {bits: (1, 12), eps_sym: (0.05, 0.4), delta_sym: (0.001, 0.5), n: (1, 1e6)}
    return [cas.Identity((facts * sp.exp(-2 * (n / facts) * eps_sym ** 2)).subs(n, size), delta_sym, domain,
                         name="union_bound_equals_delta"),
            cas.Identity(sp.expand_log(sp.log(facts / delta_sym), force=True), bits * sp.log(2) - sp.log(delta_sym),
                         domain, name="log_of_the_table")]


@SAMPLES_B_FUNCTION.check("hypothesis")
@settings(max_examples=6)
@given(seed=st.integers(0, 2**32 - 1), bits=st.integers(2, 5), margin=st.floats(0.15, 0.3))
def truth_table_at_the_size(seed, bits, margin):
    facts, delta = 2 ** bits, 0.1
    samples = int(2 * facts / (2 * margin ** 2) * math.log(facts / delta))  # ×2 for uneven uniform draws
    assert toys.majority_success(np.random.default_rng(seed), facts, samples, margin, 100) >= 1 - 2 * delta


@SAMPLES_B_FUNCTION.check("simulation")
def truth_tables_by_width(rng, scale):
    delta, margin, rows = 0.1, 0.2, []
    for bits in (2, 3, 4, 5, 6):
        facts = 2 ** bits
        samples = int(2 * facts / (2 * margin ** 2) * math.log(facts / delta))
        rows.append((bits, samples, toys.majority_success(rng, facts, samples, margin, 100)))
    violation = next(({"bits": b, "samples": n, "success": s} for b, n, s in rows if s < 1 - 2 * delta), None)
    figure = sim.new_figure()
    ax = figure.subplots()
    ax.semilogy([r[0] for r in rows], [r[1] for r in rows], "o-", label="samples at the Hoeffding size (margin 0.2)")
    ax.set_xlabel("input bits m (2^m facts)")
    ax.set_ylabel("samples n")
    ax.legend()
    return sim.Observation(violation=violation, plot=figure, figures={f"success[m={b}]": s for b, _, s in rows},
                           detail="majority vote learns whole truth tables at (2^m/(2ε²))·ln(2^m/δ), doubled")


# ---------------------------------------------------------------------------------------------
# E-07: the PAC/VC bound, with n outside or inside the root.
# ---------------------------------------------------------------------------------------------

PAC_STATEMENT = "With probability ≥ 1 − δ, ∀ h ∈ ℋ: R_hal(h) ≤ R̂_hal(h) + O(√(d·log(n/d) + log(1/δ)) / n) (G3 as transcribed)."
SAMPLE_SIZES = np.array([100, 300, 1000, 3000, 10_000])


def _gap_slope(rng, trials):
    gaps = np.array([toys.threshold_gap(rng, int(n), 0.2, trials) for n in SAMPLE_SIZES])
    return float(np.polyfit(np.log(SAMPLE_SIZES), np.log(gaps), 1)[0]), gaps


PAC_OUTSIDE = lemma(
    "hallucination.pac_bound_n_outside_root",
    title="The transcribed rate √(d log n)/n is too fast for agnostic learning",
    kind="equation",
    paper_ref="§2.1",
    claim_ref="E-07",
    source="attested",
    statement=PAC_STATEMENT,
    formal=(
        "Thresholds on [0, 1] (d = 1) with 20 % label noise: the uniform gap sup_h |R − R̂| falls like "
        "n^(−1/2) (fitted slope on log–log axes), while √(d log(n/d) + log(1/δ))/n falls like n^(−1) up to "
        "logs; claim: no constant C makes gap ≤ C·bound for all n. Finite form: fitted slope < −0.8."
    ),
    interpretation=("n outside the root, as G3 transcribes it; agnostic setting.",),
    waivers={"symbolic": "the n^(−1/2) rate of the agnostic gap is a known lower bound, measured here rather than proved",
             "property": "the rate is a statement over n; only the simulation's sweep measures it"},
    expect="refuted",
)


@PAC_OUTSIDE.check("simulation")
def gap_rate_outside(rng, scale):
    slope, gaps = _gap_slope(rng, 30 if scale == "default" else 300)
    bound = np.sqrt(np.log(SAMPLE_SIZES) + np.log(20)) / SAMPLE_SIZES
    violation = None if slope < -0.8 else {"fitted_slope": slope, "bound_slope": -1.0,
                                           "gap_over_bound": (gaps / bound).tolist()}
    figure = sim.new_figure()
    ax = figure.subplots()
    ax.loglog(SAMPLE_SIZES, gaps, "o-", label=f"measured sup gap (slope {slope:.2f})")
    ax.loglog(SAMPLE_SIZES, bound * gaps[0] / bound[0], "--", label="√(log n)/n (n outside)")
    ax.loglog(SAMPLE_SIZES, np.sqrt(np.log(SAMPLE_SIZES) / SAMPLE_SIZES) * gaps[0] / np.sqrt(np.log(100) / 100), ":",
              label="√(log n / n) (n inside)")
    ax.set_xlabel("sample size n")
    ax.legend(fontsize=8)
    return sim.Observation(violation=violation, plot=figure, figures={"fitted_slope": slope},
                           detail="threshold class with 20 % label noise, sup over 201 thresholds")


PAC_INSIDE = lemma(
    "hallucination.pac_bound_n_inside_root",
    title="The standard VC rate √((d log(n/d) + log(1/δ))/n) matches the measured gap",
    kind="correction",
    corrects="hallucination.pac_bound_n_outside_root",
    paper_ref="§2.1",
    claim_ref="E-07",
    source="reconstructed",
    statement="With n inside the root, as in standard VC bounds, the rate is √((d·log(n/d) + log(1/δ))/n).",
    formal=(
        "sympy, with n = d·e^(1+u), u > 0 (i.e. n > e·d): the squared bound decreases in n and increases in "
        "d. Simulation: the fitted slope of "
        "the measured gap is within 0.15 of −1/2."
    ),
    assumes=("the VC uniform-convergence theorem (Vapnik–Chervonenkis; Sauer–Shelah)",),
    expect="proved",
)


@PAC_INSIDE.check("sympy")
def vc_bound_shape():
    n, d, u, confidence = sp.symbols("n d u L", positive=True)  # L = ln(1/δ) ≥ 0
    squared = (d * sp.log(n / d) + confidence) / n  # the bound squared; same monotonicity
    at = {n: d * sp.exp(1 + u)}  # n > e·d
    domain = {d: (1.0, 10.0), u: (0.01, 10.0), confidence: (0.01, 7.0)}
    return [cas.Bound(sp.simplify(-sp.diff(squared, n).subs(at) * (d * sp.exp(1 + u)) ** 2), domain, strict=True,
                      name="decreasing_in_n"),
            cas.Bound(sp.simplify(sp.diff(squared, d).subs(at) * d * sp.exp(1 + u)), domain, strict=True,
                      name="increasing_in_d")]


@PAC_INSIDE.check("hypothesis")
@given(n=st.integers(30, 10**6), d=st.integers(1, 10), delta=st.floats(0.001, 0.5))
def vc_bound_monotone(n, d, delta):
    bound = lambda n, d: math.sqrt((d * math.log(n / d) + math.log(1 / delta)) / n)  # noqa: E731
    assert bound(n + 1, d) < bound(n, d) < bound(n, d + 1)


@PAC_INSIDE.check("simulation")
def gap_rate_inside(rng, scale):
    slope, _ = _gap_slope(rng, 30 if scale == "default" else 300)
    violation = None if abs(slope + 0.5) <= 0.15 else {"fitted_slope": slope}
    return sim.Observation(violation=violation, figures={"fitted_slope": slope},
                           detail="the measured gap falls like n^(−1/2)")


# ---------------------------------------------------------------------------------------------
# E-08: the coverage ratio.
# ---------------------------------------------------------------------------------------------

COVERAGE_STATEMENT = "Coverage ratio ρ_cov = |K_train| / |K| → 0 as the knowledge base → ∞ (G3)."
K_sym = sp.Symbol("K", positive=True)

COVERAGE_SUBLINEAR = lemma(
    "hallucination.coverage_sublinear",
    title="If training covers |K|^a facts (a < 1) or a bounded number, ρ_cov → 0",
    kind="equation",
    paper_ref="§2.2",
    claim_ref="E-08",
    source="reconstructed",
    statement=COVERAGE_STATEMENT,
    formal="sympy: |K|^a/|K| → 0 for a ∈ {1/2, 9/10}, and B/|K| → 0 for bounded coverage.",
    interpretation=("Facts counted, not weighted by query frequency (see the simulation's mass coverage).",),
    expect="proved",
)


@COVERAGE_SUBLINEAR.check("sympy")
def sublinear_limits():
    return [cas.Limit(K_sym ** sp.Rational(1, 2) / K_sym, K_sym, expected=0, name="square_root_coverage"),
            cas.Limit(K_sym ** sp.Rational(9, 10) / K_sym, K_sym, expected=0, name="power_nine_tenths_coverage"),
            cas.Limit(10 ** 6 / K_sym, K_sym, expected=0, name="bounded_coverage")]


@COVERAGE_SUBLINEAR.check("hypothesis")
@given(a=st.floats(0.1, 0.95), base=st.floats(1e3, 1e6))
def ratio_falls(a, base):
    assert base ** a / base > (100 * base) ** a / (100 * base)


@COVERAGE_SUBLINEAR.check("simulation")
def count_and_mass_coverage(rng, scale):
    sizes = np.logspace(3, 7, 9).astype(int)
    count, mass = [], []
    for size in sizes:
        covered = int(size ** 0.7)
        weights = 1.0 / np.arange(1, size + 1) ** 1.1  # Zipf query frequencies
        count.append(covered / size)
        mass.append(float(weights[:covered].sum() / weights.sum()))
    violation = None if count[-1] < count[0] else {"count_ratio": count}
    figure = sim.new_figure()
    ax = figure.subplots()
    ax.semilogx(sizes, count, "o-", label="ρ_cov by count (coverage |K|^0.7)")
    ax.semilogx(sizes, mass, "s-", label="covered query mass (Zipf 1.1, top facts trained)")
    ax.set_xlabel("|K|")
    ax.legend()
    return sim.Observation(violation=violation, plot=figure, figures={"count_ratio_at_1e7": count[-1], "mass_at_1e7": mass[-1]},
                           detail="the count ratio vanishes while the covered query mass stays high")


COVERAGE_FRACTION = lemma(
    "hallucination.coverage_constant_fraction",
    title="If training covers a constant fraction of K, ρ_cov does not tend to 0",
    kind="equation",
    paper_ref="§2.2",
    claim_ref="E-08",
    source="reconstructed",
    statement=COVERAGE_STATEMENT,
    formal="|K_train| = κ·|K|: ρ_cov = κ for every |K|; claim ρ_cov → 0 (sympy: the limit is κ).",
    interpretation=("Training data that grows in proportion to the knowledge base.",),
    waivers={"property": "one limit; nothing to sample", "simulation": "one limit; nothing to simulate"},
    expect="refuted",
)


@COVERAGE_FRACTION.check("sympy")
def constant_fraction_limit():
    return cas.Limit(sp.Rational(3, 10) * K_sym / K_sym, K_sym, expected=0, name="constant_fraction")


# ---------------------------------------------------------------------------------------------
# E-09: the irreducible noise floor.
# ---------------------------------------------------------------------------------------------

NOISE_STATEMENT = "With training noise η = 2–3 %, even as n → ∞, hallucination rate ≥ η (G2); a non-zero floor (G1)."
eta_sym = sp.Symbol("eta", positive=True)

NOISE_SAMPLING = lemma(
    "hallucination.noise_floor_sampling",
    title="A calibrated model sampled at temperature 1 reproduces the noise: error rate = η",
    kind="claim",
    paper_ref="§2.2",
    claim_ref="E-09",
    source="attested",
    statement=NOISE_STATEMENT,
    formal="Each mention is false with probability η; the model samples from the learned conditional: P(error) = η ≥ η.",
    interpretation=("Independent noise, calibrated learner, sampling decoder.",),
    waivers={"symbolic": "an identity P(error) = η by construction; the simulation measures it"},
    expect="tested",
)


@NOISE_SAMPLING.check("hypothesis")
@settings(max_examples=30)
@given(seed=st.integers(0, 2**32 - 1), noise=st.floats(0.01, 0.4))
def sampled_errors(seed, noise):
    rng = np.random.default_rng(seed)
    mentions = rng.random((2000, 51)) < noise  # True = a false mention
    learned = mentions.mean(axis=1)  # calibrated: P(false) per fact
    errors = (rng.random(2000) < learned).mean()
    assert abs(errors - noise) < 5 * math.sqrt(noise * (1 - noise) / 2000) + 0.01


@NOISE_SAMPLING.check("simulation")
def sampling_rate_against_noise(rng, scale):
    noises = np.linspace(0.01, 0.3, 8)
    rates = []
    for noise in noises:
        learned = (rng.random((20_000, 101)) < noise).mean(axis=1)
        rates.append(float((rng.random(20_000) < learned).mean()))
    gap = float(np.max(np.abs(np.array(rates) - noises)))
    violation = None if gap < 0.01 else {"largest_gap": gap}
    return sim.Observation(violation=violation, figures={"largest_gap": gap},
                           detail="sampling from the learned conditional reproduces the noise rate")


NOISE_MAJORITY = lemma(
    "hallucination.noise_floor_majority",
    title="With independent noise, a majority over k mentions drives the error to 0",
    kind="claim",
    paper_ref="§2.2",
    claim_ref="E-09",
    source="attested",
    statement=NOISE_STATEMENT,
    formal=(
        "Independent noise η < 1/2, decoder = majority of k mentions. z3 at k = 3: error 3η²(1−η) + η³; "
        "claim error ≥ η fails (e.g. η = 1/4: 10/64 < 1/4)."
    ),
    interpretation=("Greedy / majority decoding; the noise independent across mentions.",),
    expect="refuted",
)


@NOISE_MAJORITY.check("z3")
def three_mentions(q):
    (noise,) = q.reals("eta")
    q.domain(noise > 0, noise < 0.5)
    q.prove(3 * noise ** 2 * (1 - noise) + noise ** 3 >= noise)


@NOISE_MAJORITY.check("hypothesis")
@given(noise=st.floats(0.01, 0.45), mentions=st.integers(3, 61).filter(lambda k: k % 2 == 1))
def majority_beats_noise(noise, mentions):
    assert toys.majority_error(noise, mentions) >= noise


@NOISE_MAJORITY.check("simulation")
def majority_error_against_mentions(rng, scale):
    mentions = np.arange(1, 42, 4)
    figure = sim.new_figure()
    ax = figure.subplots()
    violation = None
    for noise in (0.03, 0.1, 0.3):
        errors = [toys.majority_error(noise, int(k)) for k in mentions]
        if violation is None and min(errors) < noise:
            violation = {"eta": noise, "mentions": int(mentions[int(np.argmin(errors))]), "error": float(min(errors))}
        ax.semilogy(mentions, errors, "o-", label=f"η = {noise}")
    ax.set_xlabel("mentions per fact k")
    ax.set_ylabel("majority error")
    ax.legend()
    return sim.Observation(violation=violation, plot=figure, detail="independent noise is averaged away by the majority")


NOISE_SYSTEMATIC = lemma(
    "hallucination.noise_floor_systematic",
    title="With systematic noise (the same falsehood repeated), the floor persists for every decoder",
    kind="correction",
    corrects="hallucination.noise_floor_majority",
    paper_ref="§2.2",
    claim_ref="E-09",
    source="reconstructed",
    statement=(
        "The floor is real when the corpus repeats the same false statement for a fraction η of facts: "
        "every decoder that follows the corpus's majority errs on those facts, so the error rate is ≥ η "
        "however much data; with independent noise the majority averages it away."
    ),
    formal=(
        "A fraction η of facts has every mention false; the others have each mention false with probability "
        "ν ≤ 1/2. The majority decoder errs on all of the first and on a majority-error share q(ν, k) of the "
        "rest: error = η + (1−η)·q ≥ η (z3 at k = 3, q = 3ν²(1−ν) + ν³), and q → 0 as k grows."
    ),
    expect="proved",
)


def _decoded_error(rng, facts, systematic, noise, mentions):
    """Error rate of the majority decoder (ties wrong) on sampled mentions: a fraction `systematic`
    of facts has every mention false; the others have each mention false with probability `noise`."""
    corrupted = rng.random(facts) < systematic
    false = np.where(corrupted[:, None], True, rng.random((facts, mentions)) < noise)
    return float((2 * false.sum(axis=1) >= mentions).mean()), float(corrupted.mean())


@NOISE_SYSTEMATIC.check("z3")
def systematic_floor(q):
    systematic, noise = q.reals("eta nu")
    q.domain(systematic >= 0, systematic <= 1, noise >= 0, noise <= 0.5)
    clean_error = 3 * noise ** 2 * (1 - noise) + noise ** 3  # majority of 3 independent mentions
    q.prove(systematic + (1 - systematic) * clean_error >= systematic)


@NOISE_SYSTEMATIC.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), systematic=st.floats(0.01, 0.4), noise=st.floats(0.0, 0.45),
       mentions=st.integers(1, 51))
def decoded_error_stays_above_the_floor(seed, systematic, noise, mentions):
    error, corrupted = _decoded_error(np.random.default_rng(seed), 2000, systematic, noise, mentions)
    assert error >= corrupted, f"majority error {error:.4f} below the corrupted fraction {corrupted:.4f}"


@NOISE_SYSTEMATIC.check("simulation")
def systematic_against_mentions(rng, scale):
    facts = 100_000 if scale == "default" else 10_000_000
    counts = (1, 5, 25, 125)
    rows = [_decoded_error(rng, facts, 0.03, 0.1, k) for k in counts]
    violation = next(({"mentions": k, "error": e, "corrupted": c} for k, (e, c) in zip(counts, rows) if e < c), None)
    figure = sim.new_figure()
    ax = figure.subplots()
    ax.semilogx(counts, [e for e, _ in rows], "o-", label="majority error (3 % systematic, 10 % independent)")
    ax.axhline(0.03, color="k", ls=":", label="systematic fraction η")
    ax.set_xlabel("mentions per fact k")
    ax.legend(fontsize=8)
    return sim.Observation(violation=violation, plot=figure, figures={f"error[k={k}]": e for k, (e, _) in zip(counts, rows)},
                           detail="more mentions average the independent noise away, down to the systematic floor and no further")


# ---------------------------------------------------------------------------------------------
# E-10: temporal staleness.
# ---------------------------------------------------------------------------------------------

STALENESS = lemma(
    "hallucination.staleness_model",
    title="Under exponential change, 'more than half outdated at 6 months' is a statement about the rates",
    kind="claim",
    paper_ref="§2.2, Fig. 3(b)",
    claim_ref="E-10",
    source="reconstructed",
    statement="Temporal staleness: more than 50 % of time-sensitive facts are outdated within 6 months (G2, G3).",
    formal=(
        "If fact i changes at the first event of a Poisson process of rate λ_i, the outdated fraction at "
        "time t is 1 − E[e^(−λt)] (sympy, for one rate); τ(6 months) > 1/2 ⟺ E[e^(−6λ)] < 1/2 (λ per month). "
        "The quoted figure itself is empirical (a cited study) and is not tested."
    ),
    waivers={"property": "the equivalence is exact; the simulation evaluates it for several rate laws"},
    expect="proved",
)


@STALENESS.check("sympy")
def outdated_fraction():
    rate, t = sp.symbols("lambda t", positive=True)
    survival = sp.integrate(rate * sp.exp(-rate * sp.Symbol("u", positive=True)), (sp.Symbol("u", positive=True), t, sp.oo))
    return cas.Identity(1 - survival, 1 - sp.exp(-rate * t), {rate: (0.01, 5.0), t: (0.1, 24.0)}, name="outdated_by_t")


@STALENESS.check("simulation")
def rate_laws(rng, scale):
    laws = {"half-lives log-uniform 1 week – 10 years": np.exp(rng.uniform(np.log(0.25), np.log(120), 100_000)),
            "half-lives log-uniform 1 month – 2 years": np.exp(rng.uniform(0, np.log(24), 100_000))}
    figures = {}
    for name, half_life in laws.items():
        rate = np.log(2) / half_life
        changes = rng.exponential(1 / rate)
        figures[f"outdated_at_6_months[{name}]"] = float((changes < 6).mean())
        figures[f"formula[{name}]"] = float(1 - np.exp(-6 * rate).mean())
    gap = max(abs(figures[f"outdated_at_6_months[{n}]"] - figures[f"formula[{n}]"]) for n in laws)
    violation = None if gap < 0.01 else {"gap": gap}
    return sim.Observation(violation=violation, figures=figures,
                           detail="sampled change times agree with 1 − E[e^(−λt)]; whether τ > 0.5 depends on the law")


# ---------------------------------------------------------------------------------------------
# E-11: exposure bias.
# ---------------------------------------------------------------------------------------------

EXPOSURE_STATEMENT = "Exposure bias makes the KL drift grow with length (G3); Table 1 lists it as a modelling assumption (G4)."


def _chains(rng, vocabulary, perturbation):
    data = rng.dirichlet(np.ones(vocabulary), vocabulary)
    model = (1 - perturbation) * data + perturbation * rng.dirichlet(np.ones(vocabulary), vocabulary)
    return model, data, np.ones(vocabulary) / vocabulary


EXPOSURE_KL = lemma(
    "hallucination.exposure_kl_grows",
    title="The path-level KL between a model chain and the data chain never decreases with length",
    kind="claim",
    paper_ref="§2.2",
    claim_ref="E-11",
    source="attested",
    statement=EXPOSURE_STATEMENT,
    formal=(
        "KL(P_model^(T) ‖ P_data^(T)) = Σ_{t<T} E_{x_t∼P_model}[KL(K_model(x_t,·) ‖ K_data(x_t,·))] (chain rule), "
        "a sum of non-negative terms: non-decreasing in T. Stationary chains make it grow linearly."
    ),
    interpretation=("KL(model ‖ data) per sequence; Markov kernels with the same start law.",),
    assumes=("the chain rule of KL and KL ≥ 0 (Gibbs)",),
    waivers={"symbolic": "the chain rule and Gibbs' inequality are assumed; exact path computations test them"},
    expect="tested",
)


@EXPOSURE_KL.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), vocabulary=st.integers(2, 4), perturbation=st.floats(0.01, 0.5))
def kl_non_decreasing(seed, vocabulary, perturbation):
    model, data, start = _chains(np.random.default_rng(seed), vocabulary, perturbation)
    kls, _ = toys.path_divergences(model, data, start, 6)
    assert np.all(np.diff(kls) >= -1e-12)


@EXPOSURE_KL.check("simulation")
def kl_and_tv_against_length(rng, scale):
    figure = sim.new_figure()
    ax = figure.subplots()
    violation, figures = None, {}
    for perturbation in (0.05, 0.2):
        model, data, start = _chains(rng, 3, perturbation)
        kls, tvs = toys.path_divergences(model, data, start, 8)
        if np.any(np.diff(kls) < -1e-12) and violation is None:
            violation = {"perturbation": perturbation, "kl": kls.tolist()}
        figures[f"kl_T8[ε={perturbation}]"] = float(kls[-1])
        figures[f"tv_T8[ε={perturbation}]"] = float(tvs[-1])
        ax.plot(range(1, 9), kls, "o-", label=f"KL, ε = {perturbation}")
        ax.plot(range(1, 9), tvs, "s--", label=f"TV, ε = {perturbation}")
    ax.set_xlabel("generation length T")
    ax.legend(fontsize=8)
    return sim.Observation(violation=violation, plot=figure, figures=figures,
                           detail="exact path divergences of a 3-token chain and its perturbed copy")


EXPOSURE_TV = lemma(
    "hallucination.exposure_tv_unbounded",
    title="Read in total variation, the drift cannot grow without bound",
    kind="claim",
    paper_ref="§2.2",
    claim_ref="E-11",
    source="attested",
    statement=EXPOSURE_STATEMENT,
    formal="'Grows' read as unbounded growth of TV(P_model^(T), P_data^(T)); but TV ≤ 1 for every T (z3 on the two masses of an event).",
    interpretation=("The divergence the sources leave open, read as total variation.",),
    waivers={"property": "one bound; the simulation shows TV saturating"},
    expect="refuted",
)


@EXPOSURE_TV.check("z3")
def tv_bounded(q):
    p, r = q.reals("p q")
    q.domain(p >= 0, p <= 1, r >= 0, r <= 1)
    q.exists(p - r > 1)


@EXPOSURE_TV.check("simulation")
def tv_saturates(rng, scale):
    model, data, start = _chains(rng, 3, 0.3)
    _, tvs = toys.path_divergences(model, data, start, 9)
    growth = np.diff(tvs)
    # unbounded growth would need the increments to stay away from 0; they shrink as TV nears 1
    violation = {"largest_tv": float(tvs.max()), "last_increment": float(growth[-1])} if growth[-1] < growth[0] else None
    return sim.Observation(violation=violation, figures={"tv_T9": float(tvs[-1])},
                           detail="TV grows with T but its increments shrink as it approaches 1")


# ---------------------------------------------------------------------------------------------
# E-12: binary grading, the RLHF optimum, overconfidence.
# ---------------------------------------------------------------------------------------------

GRADING_STATEMENT = ("Binary grading ⇒ the expected score of abstention is 0 ⇒ the rational policy is always to guess; "
                     "RLHF: π*(r|c) ∝ exp(β·R(r|c)); overconfidence P(correct | 90 % confidence) ≪ 0.9 (G1, G3).")

GRADING = lemma(
    "hallucination.binary_grading_rewards_guessing",
    title="Under 1/0/0 grading, answering beats abstaining for every p > 0; a penalty t/(1−t) moves the threshold to p > t",
    kind="equation",
    paper_ref="§2.3, Eqs. 15–20",
    claim_ref="E-12",
    source="attested",
    statement=GRADING_STATEMENT,
    formal=(
        "z3: p ∈ (0, 1] ⟹ p·1 + (1−p)·0 > 0. With a penalty t/(1−t) for a wrong answer, answering beats "
        "abstaining iff p > t (z3)."
    ),
    interpretation=("p the true probability of being right; Kalai et al.'s penalised grading as the contrasting case.",),
    waivers={"simulation": "two linear inequalities; the property test sweeps p and t"},
    expect="proved",
)


@GRADING.check("z3")
def guessing_pays(q):
    p, t = q.reals("p t")
    q.domain(p > 0, p <= 1, t > 0, t < 1)
    penalised = p - (1 - p) * t / (1 - t)
    q.prove(smt.And(p * 1 + (1 - p) * 0 > 0, (penalised > 0) == (p > t)))


@GRADING.check("hypothesis")
@given(p=st.floats(0.001, 1.0), t=st.floats(0.01, 0.99))
def guessing_on_a_grid(p, t):
    assert p > 0
    penalised = p - (1 - p) * t / (1 - t)
    if abs(p - t) > 1e-9:
        assert (penalised > 0) == (p > t)


RLHF_UNIFORM = lemma(
    "hallucination.rlhf_optimum_uniform_reference",
    title="max E_π[R] − (1/β)·KL(π‖uniform) is attained at π ∝ exp(β·R)",
    kind="equation",
    paper_ref="§2.3, Eqs. 15–20",
    claim_ref="E-12",
    source="attested",
    statement=GRADING_STATEMENT,
    formal=(
        "Three responses; sympy: at π ∝ exp(βR) the gradient of E_π[R] + (1/β)·H(π) is constant across "
        "responses (a Lagrange stationary point of a strictly concave objective on the simplex)."
    ),
    interpretation=("Objective with an entropy (uniform-reference KL) regulariser; β an inverse temperature.",),
    expect="proved",
)


def _rlhf_optimum(rewards, beta, reference):
    """argmax over the simplex of E[R] − (1/β)·KL(π‖ref), by mirror ascent on the objective's own gradient."""
    policy = np.ones_like(rewards) / rewards.size
    for _ in range(200):  # mirror ascent with step 1/(2β) in the gradient's units: a contraction
        gradient = rewards - (np.log(policy / reference) + 1) / beta
        step = 0.5 * beta * gradient
        policy = policy * np.exp(step - step.max())
        policy /= policy.sum()
    return policy


@RLHF_UNIFORM.check("sympy")
def lagrange_stationary():
    beta = sp.Symbol("beta", positive=True)
    rewards = sp.symbols("R1:4", real=True)
    weights = [sp.exp(beta * r) for r in rewards]
    policy = [w / sum(weights) for w in weights]
    gradient = [r - (sp.log(p) + 1) / beta for r, p in zip(rewards, policy)]  # ∂/∂π_i of E[R] + H/β
    domain = {beta: (0.1, 5.0), **{r: (-3.0, 3.0) for r in rewards}}
    return [cas.Identity(gradient[0], gradient[1], domain, name="equal_partials_1_2"),
            cas.Identity(gradient[1], gradient[2], domain, name="equal_partials_2_3")]


@RLHF_UNIFORM.check("hypothesis")
@settings(max_examples=40)
@given(seed=st.integers(0, 2**32 - 1), responses=st.integers(2, 6), beta=st.floats(0.2, 3.0))
def numeric_optimum_uniform(seed, responses, beta):
    rewards = np.random.default_rng(seed).normal(size=responses)
    closed = np.exp(beta * rewards) / np.exp(beta * rewards).sum()
    assert np.abs(_rlhf_optimum(rewards, beta, np.ones(responses) / responses) - closed).max() < 1e-4


@RLHF_UNIFORM.check("simulation")
def optimum_against_beta(rng, scale):
    rewards = rng.normal(size=5)
    gaps = [float(np.abs(_rlhf_optimum(rewards, b, np.ones(5) / 5) - np.exp(b * rewards) / np.exp(b * rewards).sum()).max())
            for b in (0.3, 1.0, 3.0)]
    violation = None if max(gaps) < 1e-4 else {"gaps": gaps}
    return sim.Observation(violation=violation, figures={"largest_gap": max(gaps)},
                           detail="numeric optima match exp(βR) normalised, for three temperatures")


RLHF_REFERENCE = lemma(
    "hallucination.rlhf_optimum_with_reference",
    title="With a non-uniform reference policy, the optimum is π_ref·exp(βR), not exp(βR)",
    kind="equation",
    paper_ref="§2.3, Eqs. 15–20",
    claim_ref="E-12",
    source="attested",
    statement=GRADING_STATEMENT,
    formal="Objective E_π[R] − (1/β)·KL(π‖π_ref), π_ref not uniform: claim the optimum is ∝ exp(βR).",
    interpretation=("The usual RLHF objective with a reference policy; the transcribed form omits π_ref.",),
    waivers={"symbolic": "the correct optimum π_ref·exp(βR) follows as in the uniform case; the property test finds the mismatch"},
    expect="refuted",
)


@RLHF_REFERENCE.check("hypothesis")
@settings(max_examples=20)
@given(seed=st.integers(0, 2**32 - 1), beta=st.floats(0.2, 3.0))
def transcribed_form_with_reference(seed, beta):
    rng = np.random.default_rng(seed)
    rewards, reference = rng.normal(size=4), rng.dirichlet(np.ones(4))
    transcribed = np.exp(beta * rewards) / np.exp(beta * rewards).sum()
    assert np.abs(_rlhf_optimum(rewards, beta, reference) - transcribed).max() < 1e-3


@RLHF_REFERENCE.check("simulation")
def reference_shifts_the_optimum(rng, scale):
    rewards, reference = rng.normal(size=4), np.array([0.7, 0.1, 0.1, 0.1])
    optimum = _rlhf_optimum(rewards, 1.0, reference)
    transcribed = np.exp(rewards) / np.exp(rewards).sum()
    corrected = reference * np.exp(rewards) / (reference * np.exp(rewards)).sum()
    gap = float(np.abs(optimum - transcribed).max())
    violation = {"optimum": optimum.tolist(), "transcribed": transcribed.tolist()} if gap > 1e-3 else None
    return sim.Observation(violation=violation, figures={"gap_to_transcribed": gap,
                                                          "gap_to_reference_form": float(np.abs(optimum - corrected).max())},
                           detail="with π_ref = (0.7, 0.1, 0.1, 0.1) the optimum follows π_ref·exp(R)")


OVERCONFIDENCE = lemma(
    "hallucination.overconfidence_from_the_objective",
    title="A confidence-rewarding objective makes stated confidence 1 optimal; log loss makes it the accuracy",
    kind="equation",
    paper_ref="§2.3, Eqs. 15–20",
    claim_ref="E-12",
    source="reconstructed",
    statement=GRADING_STATEMENT,
    formal=(
        "Reading (iii) as the optimum of a training objective. An answer right with probability p, stated "
        "confidence c. Objective 1[right] + λ·c (λ > 0): strictly increasing in c (z3), so c = 1 for every "
        "p and P(right | stated 1) = E[p] < 1. Log loss p·ln c + (1−p)·ln(1−c): stationary at c = p and "
        "concave (sympy), so stated confidence equals accuracy."
    ),
    interpretation=("Not an empirical statement about particular models, which needs them; λ a confidence bonus.",),
    expect="proved",
)


@OVERCONFIDENCE.check("z3")
def bonus_pushes_confidence_up(q):
    p, bonus, low, high = q.reals("p lambda c1 c2")
    q.domain(p >= 0, p <= 1, low >= 0, high <= 1)
    q.given(bonus > 0, low < high)
    q.prove(p + bonus * high > p + bonus * low)


@OVERCONFIDENCE.check("sympy")
def log_loss_optimum():
    p, c = sp.symbols("p c", positive=True)
    expected = p * sp.log(c) + (1 - p) * sp.log(1 - c)
    domain = {p: (0.01, 0.99), c: (0.01, 0.99)}
    return [cas.Identity(sp.diff(expected, c).subs(c, p), 0, domain, name="stationary_at_p"),
            cas.Bound(-sp.diff(expected, c, 2), domain, strict=True, calculus=False, name="concave")]


@OVERCONFIDENCE.check("hypothesis")
@given(p=st.floats(0.01, 0.99), bonus=st.floats(0.01, 1.0))
def grid_optima(p, bonus):
    grid = np.linspace(0.001, 0.999, 999)
    assert grid[np.argmax(p + bonus * grid)] == grid[-1]
    assert abs(grid[np.argmax(p * np.log(grid) + (1 - p) * np.log(1 - grid))] - p) <= 0.001


@OVERCONFIDENCE.check("simulation")
def reliability_by_objective(rng, scale):
    questions = 20_000 if scale == "default" else 2_000_000
    accuracy = rng.beta(4, 3, questions)  # each question's chance of being right
    right = rng.random(questions) < accuracy
    grid = np.linspace(0.001, 0.999, 999)
    stated = {"confidence bonus (λ = 0.2)": np.full(questions, grid[-1]),
              "log loss": grid[np.clip(np.searchsorted(grid, accuracy), 0, grid.size - 1)]}
    bins = np.linspace(0, 1, 11)
    figure = sim.new_figure()
    ax = figure.subplots()
    errors = {}
    for name, confidence in stated.items():
        which = np.clip(np.digitize(confidence, bins) - 1, 0, 9)
        filled = [b for b in range(10) if np.any(which == b)]
        mean_conf = np.array([confidence[which == b].mean() for b in filled])
        mean_right = np.array([right[which == b].mean() for b in filled])
        weights = np.array([np.mean(which == b) for b in filled])
        errors[name] = float(np.sum(weights * np.abs(mean_conf - mean_right)))
        ax.plot(mean_conf, mean_right, "o-", label=f"{name}: ECE {errors[name]:.3f}")
    ax.plot([0, 1], [0, 1], "k:", label="calibrated")
    ax.set_xlabel("stated confidence")
    ax.set_ylabel("fraction right")
    ax.legend(fontsize=8)
    violation = None
    if not errors["confidence bonus (λ = 0.2)"] > 0.3 > 0.02 > errors["log loss"]:
        violation = {"ece": errors}
    return sim.Observation(violation=violation, plot=figure, figures={f"ECE[{k}]": v for k, v in errors.items()},
                           detail=f"{questions} questions: the bonus-optimal policy states 1 at 57 % accuracy")


# ---------------------------------------------------------------------------------------------
# E-13: creativity against factuality, A(θ) + α·C(θ) = κ.
# ---------------------------------------------------------------------------------------------

TRADEOFF_STATEMENT = ("Creativity–factuality trade-off A(θ) + α·C(θ) = κ, hence dA = −α·dC (G1, G4, G5); low temperatures "
                      "give accurate, conservative text, high temperatures diverse text and frequent hallucinations (G4, verbatim).")
T_sym = sp.Symbol("T", positive=True)

TRADEOFF_LINEAR = lemma(
    "hallucination.creativity_factuality_linear",
    title="Along temperature, accuracy and creativity do not lie on one line A + αC = κ",
    kind="equation",
    paper_ref="§2.4",
    claim_ref="E-13",
    source="attested",
    statement=TRADEOFF_STATEMENT,
    formal=(
        "Toy LM with logits (2, 0): A(T) = σ(2/T) (the fact's probability), C(T) = its entropy. Claim: "
        "∃ α, κ with A + αC = κ for all T. The three points T = 1/2, 1, 2 are not collinear (sympy)."
    ),
    interpretation=("Θ = the decoding temperature of one model; A = P(fact token); C = entropy (nats).",),
    expect="refuted",
)


def _two_token(temperature):
    a = 1 / (1 + sp.exp(-2 / temperature))
    return a, -(a * sp.log(a) + (1 - a) * sp.log(1 - a))


@TRADEOFF_LINEAR.check("sympy")
def three_points_collinear():
    points = [_two_token(sp.Rational(t)) for t in ("1/2", "1", "2")]
    (a1, c1), (a2, c2), (a3, c3) = points
    area = (a2 - a1) * (c3 - c1) - (a3 - a1) * (c2 - c1)  # zero iff collinear
    return cas.Bound(-sp.Abs(area), {}, name="collinearity_of_three_temperatures")


@TRADEOFF_LINEAR.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), vocabulary=st.integers(2, 8))
def random_lms_are_linear(seed, vocabulary):
    lm = toys.ToyLM(np.random.default_rng(seed).normal(size=vocabulary) * 2)
    temperatures = np.linspace(0.2, 2.0, 10)
    a = np.array([lm.accuracy(t) for t in temperatures])
    c = np.array([lm.creativity(t) for t in temperatures])
    residual = a - np.polyval(np.polyfit(c, a, 1), c)
    assert np.abs(residual).max() < 1e-3, f"largest residual from the best line {np.abs(residual).max():.3g}"


@TRADEOFF_LINEAR.check("simulation")
def accuracy_against_creativity(rng, scale):
    temperatures = np.linspace(0.1, 2.0, 40)
    figure = sim.new_figure()
    ax = figure.subplots()
    worst, violation, fits = 0.0, None, {}
    for model in range(5):
        lm = toys.ToyLM(rng.normal(size=20) * rng.uniform(1, 4))
        a = np.array([lm.accuracy(t) for t in temperatures])
        c = np.array([lm.creativity(t) for t in temperatures])
        slope, intercept = np.polyfit(c, a, 1)
        residual = float(np.abs(a - (slope * c + intercept)).max())
        fits[f"alpha[{model}]"], fits[f"kappa[{model}]"] = -slope, intercept
        worst = max(worst, residual)
        ax.plot(c, a, label=f"model {model}: α = {-slope:.2f}, κ = {intercept:.2f}")
    if worst > 1e-3:
        violation = {"largest_residual_from_a_line": worst}
    ax.set_xlabel("creativity C(T) = entropy")
    ax.set_ylabel("factuality A(T) = P(fact)")
    ax.legend(fontsize=7)
    return sim.Observation(violation=violation, plot=figure, figures={**fits, "largest_residual": worst},
                           detail="five toy LMs swept over T in [0.1, 2]: curved frontiers with per-model α and κ")


TRADEOFF_MONOTONE = lemma(
    "hallucination.creativity_factuality_tension",
    title="Raising the temperature lowers the fact's probability and raises the entropy: a tension, not a line",
    kind="correction",
    corrects="hallucination.creativity_factuality_linear",
    paper_ref="§2.4",
    claim_ref="E-13",
    source="reconstructed",
    statement=(
        "When the fact has the largest logit, temperature trades factuality for creativity monotonically: "
        "dA/dT < 0 and dC/dT > 0, so along T the pair moves on a decreasing curve, with a model-dependent "
        "slope rather than a universal exchange rate α."
    ),
    formal="sympy, for logits (2, 0): dA/dT < 0 and dC/dT > 0 for T ∈ (0.05, 20).",
    expect="proved",
)


@TRADEOFF_MONOTONE.check("sympy")
def monotone_in_temperature():
    a, c = _two_token(T_sym)
    return [cas.Bound(-sp.diff(a, T_sym), {T_sym: (0.05, 20.0)}, strict=True, calculus=False, name="accuracy_falls"),
            cas.Bound(sp.diff(c, T_sym), {T_sym: (0.05, 20.0)}, strict=True, calculus=False, name="entropy_rises")]


@TRADEOFF_MONOTONE.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), vocabulary=st.integers(2, 8), low=st.floats(0.1, 1.5), ratio=st.floats(1.05, 3.0))
def hotter_is_less_factual_more_diverse(seed, vocabulary, low, ratio):
    logits = np.random.default_rng(seed).normal(size=vocabulary)
    logits[0] = logits.max() + 0.5  # the fact leads
    lm = toys.ToyLM(logits)
    assert lm.accuracy(low * ratio) < lm.accuracy(low)
    assert lm.creativity(low * ratio) > lm.creativity(low)


@TRADEOFF_MONOTONE.check("simulation")
def monotone_sweeps(rng, scale):
    temperatures = np.linspace(0.1, 2.0, 40)
    violation = None
    for model in range(20):
        logits = rng.normal(size=20)
        logits[0] = logits.max() + rng.uniform(0.1, 2)
        lm = toys.ToyLM(logits)
        a = np.array([lm.accuracy(t) for t in temperatures])
        c = np.array([lm.creativity(t) for t in temperatures])
        if (np.any(np.diff(a) >= 0) or np.any(np.diff(c) <= 0)) and violation is None:
            violation = {"model": model}
    return sim.Observation(violation=violation, detail="20 toy LMs whose fact leads: A falls and C rises with T")


# ---------------------------------------------------------------------------------------------
# E-14: finite information capacity of parameters.
# ---------------------------------------------------------------------------------------------

CAPACITY = lemma(
    "hallucination.parameter_capacity",
    title="P parameters of b bits represent at most 2^(P·b) fact tables",
    kind="remark",
    paper_ref="§2.1/§2.2 (G7, verbatim)",
    claim_ref="E-14",
    source="reconstructed",
    statement=(
        "Each floating-point parameter can only encode a finite number of bits at a given precision, and the "
        "compression of knowledge faces insurmountable limits (G7, quoting the paper)."
    ),
    formal=(
        "Counting: a fixed decoder maps each of the 2^(P·b) parameter settings to one table, so the fraction "
        "of the 2^m tables of m random bits that can be stored is ≤ 2^(P·b − m), which tends to 0 as "
        "m − P·b → ∞ (sympy)."
    ),
    interpretation=("Independent uniform facts, exact storage, the architecture's code not counted.",),
    uses=("hallucination.kolmogorov_fraction",),
    expect="proved",
)


@CAPACITY.check("sympy")
def storable_fraction():
    excess = sp.Symbol("k", positive=True)  # m − P·b
    return cas.Limit(2 ** (-excess), excess, expected=0, name="storable_fraction")


@CAPACITY.check("hypothesis")
@given(parameters=st.integers(1, 4), bits=st.integers(1, 3), facts=st.integers(1, 10), seed=st.integers(0, 2**32 - 1))
def tiny_models_count(parameters, bits, facts, seed):
    rng = np.random.default_rng(seed)
    decoder = rng.integers(2, size=(2 ** (parameters * bits), facts))  # any fixed decoder: setting → table
    representable = {tuple(row) for row in decoder}
    assert len(representable) <= min(2 ** (parameters * bits), 2 ** facts)


@CAPACITY.check("simulation")
def memorised_bits_against_capacity(rng, scale):
    rows = []
    for capacity in (4, 8, 12):
        facts = 12
        decoder = rng.integers(2, size=(2 ** capacity, facts))
        representable = len({row.tobytes() for row in decoder.astype(np.uint8)})
        rows.append((capacity, representable, 2 ** facts))
    violation = next(({"capacity_bits": c, "representable": r} for c, r, total in rows if r > 2 ** c), None)
    figure = sim.new_figure()
    ax = figure.subplots()
    ax.semilogy([r[0] for r in rows], [r[1] for r in rows], "o-", label="distinct tables a random decoder reaches")
    ax.semilogy([r[0] for r in rows], [2 ** r[0] for r in rows], "k--", label="2^(P·b)")
    ax.axhline(2 ** 12, color="gray", ls=":", label="all 2^12 tables of 12 facts")
    ax.set_xlabel("P·b (bits of parameters)")
    ax.legend(fontsize=8)
    return sim.Observation(violation=violation, plot=figure, figures={f"representable[{c} bits]": r for c, r, _ in rows},
                           detail="random decoders of 4, 8 and 12 parameter bits over 12 facts")
