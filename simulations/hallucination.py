"""Toy models for the hallucination section (paper §2): pure functions, numpy where it counts.

- Enumerable model classes (lookup tables, Boolean functions, DFAs, bigram predictors) evaluated
  on binary strings in shortlex order, for diagonalisation (E-02, E-03).
- A counter-machine language with a step-bounded interpreter, and halting predictors (E-04).
- A toy description language of Boolean formulas, enumerated by size (E-05, E-14).
- Learning facts from samples, noise floors, Markov-chain exposure bias, temperature (E-06 … E-13).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

# -- strings and model classes (E-02, E-03) -----------------------------------------------------


def shortlex(count: int) -> list[str]:
    """The first `count` binary strings in shortlex order: '', '0', '1', '00', ..."""
    out, length = [], 0
    while len(out) < count:
        out += ["".join(bits) for bits in itertools.product("01", repeat=length)]
        length += 1
    return out[:count]


def _bits(strings: list[str], width: int) -> np.ndarray:
    """The first `width` bits of each string, padded with 0: shape [strings, width]."""
    return np.array([[int(s[j]) if j < len(s) else 0 for j in range(width)] for s in strings], dtype=np.int8)


def lookup_tables(strings: list[str]) -> np.ndarray:
    """Every table from the 7 strings of length ≤ 2 to {0, 1}, answering 0 elsewhere: [128, strings]."""
    domain = {s: i for i, s in enumerate(shortlex(7))}
    index = np.array([domain.get(s, -1) for s in strings])
    tables = np.array(list(itertools.product((0, 1), repeat=7)), dtype=np.int8)  # [128, 7]
    return np.where(index >= 0, tables[:, np.clip(index, 0, 6)], 0).astype(np.int8)


def boolean_functions(strings: list[str], inputs: int = 3) -> np.ndarray:
    """Every Boolean function of the first `inputs` bits: [2^(2^inputs), strings]."""
    code = _bits(strings, inputs) @ (2 ** np.arange(inputs))
    truth = np.array(list(itertools.product((0, 1), repeat=2 ** inputs)), dtype=np.int8)
    return truth[:, code]


def automata(strings: list[str], states: int = 2) -> np.ndarray:
    """Every DFA with 1..`states` states over {0, 1}, start state 0, accepting set any subset:
    the accept bit of each string, computed for all automata at once: [automata, strings]."""
    rows = []
    for q in range(1, states + 1):
        transitions = np.array(list(itertools.product(range(q), repeat=2 * q))).reshape(-1, q, 2)  # [T, q, 2]
        accepts = np.array(list(itertools.product((0, 1), repeat=q)), dtype=np.int8)  # [A, q]
        final = np.empty((transitions.shape[0], len(strings)), dtype=np.int64)
        for j, s in enumerate(strings):
            state = np.zeros(transitions.shape[0], dtype=np.int64)
            for ch in s:
                state = transitions[np.arange(transitions.shape[0]), state, int(ch)]
            final[:, j] = state
        # accept bit of every (accepting set, transition table) pair on every string
        rows.append(accepts[:, final].reshape(-1, len(strings)))
    return np.concatenate(rows).astype(np.int8)


def bigram_predictors(strings: list[str]) -> np.ndarray:
    """Every next-bit predictor that looks only at the last symbol (none, 0 or 1): [8, strings]."""
    last = np.array([0 if not s else 1 + int(s[-1]) for s in strings])
    tables = np.array(list(itertools.product((0, 1), repeat=3)), dtype=np.int8)
    return tables[:, last]


MODEL_CLASSES = {
    "lookup tables (len ≤ 2)": lookup_tables,
    "Boolean functions of 3 bits": boolean_functions,
    "DFAs with ≤ 2 states": automata,
    "bigram predictors": bigram_predictors,
}


def enumeration(strings: list[str]) -> tuple[np.ndarray, list[str]]:
    """All classes stacked: answers [models, strings] and each model's class name."""
    blocks, names = [], []
    for name, build in MODEL_CLASSES.items():
        block = build(strings)
        blocks.append(block)
        names += [name] * block.shape[0]
    return np.concatenate(blocks), names


def cantor(i: np.ndarray | int, k: np.ndarray | int):
    return (i + k) * (i + k + 1) // 2 + k


def cantor_inverse(n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    w = ((np.sqrt(8 * n.astype(np.float64) + 1) - 1) // 2).astype(np.int64)
    k = n - w * (w + 1) // 2
    return w - k, k


def diagonal_truth(answers: np.ndarray) -> np.ndarray:
    """f(s_j) = flip(h_j(s_j)) for every input s_j that is some model's diagonal input (j < models),
    with flip(a) = 1 if a = 0 else 0, and 0 on the inputs past the last model: [strings]."""
    models, strings = answers.shape
    own = answers[np.arange(min(models, strings)), np.arange(min(models, strings))]
    truth = np.zeros(strings, dtype=np.int8)
    truth[: own.size] = np.where(own == 0, 1, 0)
    return truth


def paired_ground_truth(answers: np.ndarray) -> np.ndarray:
    """f(s_n) = flip(h_i(s_n)) where n = ⟨i, k⟩ (Cantor), with flip(a) = 1 if a = 0 else 0 (any number of
    answers), and 0 where i is past the last model."""
    n = np.arange(answers.shape[1])
    i, _ = cantor_inverse(n)
    own = answers[np.clip(i, 0, answers.shape[0] - 1), n]
    return np.where(i < answers.shape[0], np.where(own == 0, 1, 0), 0).astype(np.int8)


# -- a counter-machine language (E-04) -------------------------------------------------------------


def programs(max_length: int) -> list[str]:
    """Every program over + - [ ] with balanced brackets, up to `max_length` symbols."""
    out = []
    for length in range(1, max_length + 1):
        for code in itertools.product("+-[]", repeat=length):
            depth = 0
            for ch in code:
                depth += (ch == "[") - (ch == "]")
                if depth < 0:
                    break
            if depth == 0:
                out.append("".join(code))
    return out


def halts(program: str, steps: int = 200) -> bool:
    """Run one counter from 0: + increments, - decrements (not below 0), [ skips to the matching
    ] when the counter is 0, ] jumps back when it is not. True if it stops within `steps`."""
    match, stack = {}, []
    for position, ch in enumerate(program):
        if ch == "[":
            stack.append(position)
        elif ch == "]":
            start = stack.pop()
            match[start], match[position] = position, start
    counter, position, taken = 0, 0, 0
    while position < len(program):
        taken += 1
        if taken > steps:
            return False
        ch = program[position]
        if ch == "+":
            counter += 1
        elif ch == "-":
            counter = max(0, counter - 1)
        elif ch == "[" and counter == 0:
            position = match[position]
        elif ch == "]" and counter != 0:
            position = match[position]
        position += 1
    return True


ABSTAIN = -1
PREDICTORS = {
    "always halts": lambda p: 1,
    "never halts": lambda p: 0,
    "no loop ⇒ halts, loop ⇒ loops": lambda p: 0 if "[" in p else 1,
    "abstains on loops": lambda p: ABSTAIN if "[" in p else 1,
}


# -- a toy description language (E-05, E-14) -------------------------------------------------------


def formula_tables(variables: int, max_size: int) -> list[set[int]]:
    """Distinct truth tables (as integers) expressible by formulas of size ≤ s, for s = 1..max_size.
    Size counts leaves and operators; grammar: x_i | ¬e | e ∧ e | e ∨ e."""
    rows = 2 ** variables
    full = (1 << rows) - 1
    leaves = set()
    for v in range(variables):
        leaves.add(sum(1 << r for r in range(rows) if (r >> v) & 1))
    by_size: dict[int, set[int]] = {1: leaves}
    for size in range(2, max_size + 1):
        made = {full ^ t for t in by_size[size - 1]}
        for left in range(1, size - 1):
            right = size - 1 - left
            for a in by_size[left]:
                for b in by_size[right]:
                    made.add(a & b)
                    made.add(a | b)
        by_size[size] = made
    cumulative, seen = [], set()
    for size in range(1, max_size + 1):
        seen |= by_size[size]
        cumulative.append(set(seen))
    return cumulative


def formula_trees(variables: int, size: int) -> list[int]:
    """The truth table of every formula of exactly `size` symbols, one entry per formula tree
    (duplicates kept), built by writing out the trees, independently of `formula_tables`.
    Grammar and size as in `formula_tables`; small sizes only (the count grows exponentially)."""
    rows = 2 ** variables
    full = (1 << rows) - 1
    if size == 1:
        return [sum(1 << r for r in range(rows) if (r >> v) & 1) for v in range(variables)]
    trees = [full ^ t for t in formula_trees(variables, size - 1)]
    for left in range(1, size - 1):
        lefts, rights = formula_trees(variables, left), formula_trees(variables, size - 1 - left)
        for a in lefts:
            for b in rights:
                trees += [a & b, a | b]
    return trees


def hamming_ball(length: int, radius: int) -> int:
    """The number of words of `length` bits within Hamming distance `radius` of a given word."""
    return sum(math.comb(length, j) for j in range(0, min(radius, length) + 1))


def within_distance(targets: np.ndarray, centres: np.ndarray, radius: int, chunk: int = 4096) -> np.ndarray:
    """For each target table (an integer below 2^32), whether some centre is within Hamming
    distance `radius`; streamed over chunks of targets so memory stays O(chunk × centres)."""
    centres = np.asarray(centres, dtype=np.uint32)
    near = np.empty(len(targets), dtype=bool)
    for first in range(0, len(targets), chunk):
        block = np.asarray(targets[first:first + chunk], dtype=np.uint32)
        xor = (block[:, None] ^ centres[None, :]).astype(">u4")
        bits = np.unpackbits(xor.view(np.uint8).reshape(*xor.shape, 4), axis=-1).sum(axis=-1)
        near[first:first + chunk] = bits.min(axis=1) <= radius
    return near


# -- learning facts (E-06), noise floors (E-09) --------------------------------------------------------


def binomial_tail(trials: int, p: float, at_least: int) -> float:
    """P(Binomial(trials, p) ≥ at_least), summed exactly in log space (no scipy)."""
    if at_least <= 0:
        return 1.0
    if at_least > trials:
        return 0.0
    j = np.arange(at_least, trials + 1)
    log_pmf = (np.array([math.lgamma(trials + 1) - math.lgamma(x + 1) - math.lgamma(trials - x + 1) for x in j])
               + j * math.log(p) + (trials - j) * math.log1p(-p))
    top = log_pmf.max()
    return float(min(1.0, math.exp(top) * np.exp(log_pmf - top).sum()))


def majority_all_right(facts: int, per_fact: int, margin: float) -> float:
    """Exact P(the majority is right on every fact) when each of `facts` facts has `per_fact`
    independent observations, each right with probability ½ + margin (ties wrong)."""
    wrong = binomial_tail(per_fact, 0.5 - margin, math.ceil(per_fact / 2))  # wrong mentions ≥ half
    return float((1.0 - wrong) ** facts)


def unseen_probability(facts: int, samples: int) -> float:
    """Exact P(some of `facts` equally likely facts is never drawn in `samples` draws), by
    inclusion–exclusion at 50 digits (mpmath)."""
    import mpmath

    with mpmath.workdps(50):
        total = mpmath.mpf(0)
        for j in range(1, facts + 1):
            total += (-1) ** (j + 1) * mpmath.binomial(facts, j) * (1 - mpmath.mpf(j) / facts) ** samples
        return float(total)


def memoriser_success(rng: np.random.Generator, facts: int, samples: int, trials: int, chunk: int = 2_000_000) -> float:
    """Noiseless observations of facts drawn uniformly and independently; success = every fact seen at least once.
    Vectorised over trials, streamed in blocks of about `chunk` draws (memory does not grow with `trials`)."""
    rows = max(1, chunk // max(samples, 1))
    successes = 0
    for first in range(0, trials, rows):
        block = min(rows, trials - first)
        draws = rng.integers(facts, size=(block, samples)) + facts * np.arange(block)[:, None]
        seen = np.bincount(draws.ravel(), minlength=block * facts).reshape(block, facts) > 0
        successes += int(seen.all(axis=1).sum())
    return successes / trials


def majority_error(noise: float, mentions: int) -> float:
    """P(the majority of `mentions` independent mentions is wrong), ties counted wrong."""
    return float(sum(math.comb(mentions, j) * noise ** j * (1 - noise) ** (mentions - j)
                     for j in range(mentions + 1) if 2 * j >= mentions))


# -- PAC learning of thresholds (E-07) -------------------------------------------------------------------


def threshold_gap(rng: np.random.Generator, samples: int, noise: float, trials: int, grid: int = 201) -> float:
    """Mean over trials of sup_h |R(h) − R̂(h)| for thresholds h_t(x) = 1[x ≥ t] on [0, 1], target
    threshold 0.5 with labels flipped at rate `noise`; t on a grid (a finite class, VC dim 1)."""
    thresholds = np.linspace(0, 1, grid)
    true_risk = noise + (1 - 2 * noise) * np.abs(thresholds - 0.5)
    gaps = []
    for _ in range(trials):
        x = rng.random(samples)
        y = (x >= 0.5) ^ (rng.random(samples) < noise)
        predictions = x[None, :] >= thresholds[:, None]
        empirical = (predictions != y[None, :]).mean(axis=1)
        gaps.append(np.abs(empirical - true_risk).max())
    return float(np.mean(gaps))


# -- exposure bias (E-11) ---------------------------------------------------------------------------------


def path_divergences(model: np.ndarray, data: np.ndarray, start: np.ndarray, horizon: int) -> tuple[np.ndarray, np.ndarray]:
    """KL(P_model^(T) ‖ P_data^(T)) and TV(P_model^(T), P_data^(T)) for T = 1..horizon generated
    tokens after a start token drawn from the same law, both computed from the joint laws of the
    whole paths (every path enumerated: one array axis per token; small vocabularies only)."""
    kls, tvs = [], []
    p_model, p_data = start.copy(), start.copy()  # laws of whole paths, one axis per step
    for _ in range(horizon):
        p_model = np.einsum("...i,ij->...ij", p_model, model)
        p_data = np.einsum("...i,ij->...ij", p_data, data)
        seen = p_model > 0
        kls.append(float(np.sum(p_model[seen] * np.log(p_model[seen] / p_data[seen]))))
        tvs.append(0.5 * float(np.abs(p_model - p_data).sum()))
    return np.array(kls), np.array(tvs)


def kl_increments(model: np.ndarray, data: np.ndarray, start: np.ndarray, horizon: int) -> np.ndarray:
    """E_{x_t ∼ P_model}[KL(K_model(x_t,·) ‖ K_data(x_t,·))] for t = 0 … horizon − 1: the expected KL of the next token,
    from the marginals of the model chain and the kernels' row divergences (no path is enumerated)."""
    step_kl = np.sum(model * np.log(model / data), axis=1)
    marginal, out = start.copy(), []
    for _ in range(horizon):
        out.append(float(marginal @ step_kl))
        marginal = marginal @ model
    return np.array(out)


def chain_rule_kl(model: np.ndarray, data: np.ndarray, start: np.ndarray, horizon: int) -> np.ndarray:
    """The same path KL by the chain rule: Σ_{t<T} E_{x_t ∼ P_model}[KL(K_model(x_t,·) ‖ K_data(x_t,·))],
    from the marginals of the model chain only (no path is enumerated)."""
    step_kl = np.sum(model * np.log(model / data), axis=1)  # KL of the kernels from each state
    marginal, kl, kls = start.copy(), 0.0, []
    for _ in range(horizon):
        kl += float(marginal @ step_kl)
        kls.append(kl)
        marginal = marginal @ model
    return np.array(kls)


# -- temperature (E-13) ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ToyLM:
    """Next-token logits over a vocabulary; token 0 is the fact, the others are fabrications."""

    logits: np.ndarray

    def distribution(self, temperature: float) -> np.ndarray:
        scaled = self.logits / temperature
        weights = np.exp(scaled - scaled.max())
        return weights / weights.sum()

    def accuracy(self, temperature: float) -> float:
        return float(self.distribution(temperature)[0])

    def creativity(self, temperature: float) -> float:
        p = self.distribution(temperature)
        return float(-np.sum(p[p > 0] * np.log(p[p > 0])))
