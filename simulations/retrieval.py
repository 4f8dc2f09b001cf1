"""Toy models of retrieval fragility (paper §5): budgets, breadth, failure, poisoning.

Retrieval instances are small enough to solve exactly by enumerating every subset; corpora of
unit vectors are large (10^5 and more) and processed in chunks.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class Instance:
    lengths: np.ndarray  # tokens per document
    relevance: np.ndarray  # in [0, 1]
    aspects: np.ndarray  # boolean, [document, aspect]
    budget: int


def random_instance(rng: np.random.Generator, documents: int, aspects: int = 6,
                    budget_fraction: float | None = None) -> Instance:
    """Random lengths, relevance and aspects; a budget of 20–60 % of the total length (or the
    given fraction), never below the shortest document so that some set is feasible."""
    lengths = rng.integers(50, 400, documents)
    fraction = rng.uniform(0.2, 0.6) if budget_fraction is None else budget_fraction
    return Instance(lengths, rng.random(documents), rng.random((documents, aspects)) < 0.3,
                    max(int(fraction * lengths.sum()), int(lengths.min())))


def feasible_sets(instance: Instance) -> list[tuple[int, ...]]:
    documents = range(len(instance.lengths))
    return [s for r in range(1, len(instance.lengths) + 1) for s in itertools.combinations(documents, r)
            if instance.lengths[list(s)].sum() <= instance.budget]


def precision(instance: Instance, chosen: tuple[int, ...]) -> float:
    return float(instance.relevance[list(chosen)].mean())


def coverage(instance: Instance, chosen: tuple[int, ...]) -> int:
    return int(instance.aspects[list(chosen)].any(axis=0).sum())


@functools.lru_cache(maxsize=None)
def _subsets(documents: int) -> tuple[list[tuple[int, ...]], np.ndarray]:
    """Every non-empty subset of `documents` documents, in `feasible_sets` order, and as 0/1 rows."""
    subsets = [s for r in range(1, documents + 1) for s in itertools.combinations(range(documents), r)]
    rows = np.zeros((len(subsets), documents))
    for index, subset in enumerate(subsets):
        rows[index, list(subset)] = 1
    return subsets, rows


def relevance_of_subsets(instance: Instance) -> tuple[list[tuple[int, ...]], np.ndarray, np.ndarray]:
    """Every non-empty subset, its total relevance (one dot product per subset, so that a set's value
    is the same float whichever way it was found) and whether it fits the budget."""
    subsets, rows = _subsets(len(instance.lengths))
    return subsets, rows @ instance.relevance, rows @ instance.lengths <= instance.budget


def optima(instance: Instance) -> tuple[set, set]:
    """All budget-feasible sets of maximal precision and of maximal coverage (ties kept), computed
    over every subset at once (the same sets `feasible_sets`, `precision` and `coverage` give)."""
    subsets, rows = _subsets(len(instance.lengths))
    fits = rows @ instance.lengths <= instance.budget
    sizes = rows.sum(axis=1)
    mean_relevance = (rows @ instance.relevance) / sizes
    covered = ((rows @ instance.aspects.astype(float)) > 0).sum(axis=1)
    chosen = np.flatnonzero(fits)
    best_precision, best_coverage = mean_relevance[chosen].max(), covered[chosen].max()
    return ({subsets[i] for i in chosen if mean_relevance[i] >= best_precision - 1e-12},
            {subsets[i] for i in chosen if covered[i] == best_coverage})


def greedy_relevance(instance: Instance) -> tuple[int, ...]:
    """Most relevant first while the budget allows: the usual top-k under a token budget."""
    chosen, used = [], 0
    for d in np.argsort(-instance.relevance):
        if used + instance.lengths[d] <= instance.budget:
            chosen.append(int(d))
            used += int(instance.lengths[d])
    return tuple(sorted(chosen))


def total_relevance(instance: Instance, chosen: tuple[int, ...]) -> float:
    return float(instance.relevance[list(chosen)].sum())


# -- information and breadth --------------------------------------------------------------------


def mutual_information(joint: np.ndarray) -> float:
    """I(A; B) in nats for a joint pmf given as a 2-D array [a, b]."""
    a, b = joint.sum(axis=1, keepdims=True), joint.sum(axis=0, keepdims=True)
    mask = joint > 0
    return float(np.sum(joint[mask] * np.log(joint[mask] / (a @ b)[mask])))


def retained_fraction(rng: np.random.Generator, pool: int, budget: int, signal: float, trials: int,
                      chunk_values: int = 4_000_000) -> float:
    """P(the relevant document survives a top-`budget` cut of `pool` candidates ranked by a noisy
    score: relevant = signal + noise, others = noise), by drawing every score; trials are processed
    in chunks of at most `chunk_values` scores, so memory does not grow with pool × trials."""
    kept, per_chunk = 0, max(1, chunk_values // max(1, pool - 1))
    for start in range(0, trials, per_chunk):
        size = min(per_chunk, trials - start)
        relevant = signal + rng.standard_normal(size)
        others = rng.standard_normal((size, pool - 1))
        kept += int(((others > relevant[:, None]).sum(axis=1) < budget).sum())
    return kept / trials


def retained_information(retained: float, prior: float = 0.5) -> float:
    """I(Y; answer) for a binary fact Y that the reader gets right when d* is retained and guesses
    otherwise: a binary channel with crossover (1 − retained)/2."""
    error = (1 - retained) / 2
    joint = np.array([[prior * (1 - error), prior * error], [(1 - prior) * error, (1 - prior) * (1 - error)]])
    return mutual_information(joint)


# -- poisoning and distraction ------------------------------------------------------------------


def unit_rows(rng: np.random.Generator, count: int, dim: int) -> np.ndarray:
    rows = rng.standard_normal((count, dim)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def near(rng: np.random.Generator, target: np.ndarray, count: int, similarity: float) -> np.ndarray:
    """`count` unit vectors whose cosine with `target` is about `similarity`."""
    noise = unit_rows(rng, count, target.size)
    noise -= (noise @ target)[:, None] * target[None, :]
    noise /= np.linalg.norm(noise, axis=1, keepdims=True)
    return (similarity * target[None, :] + np.sqrt(1 - similarity ** 2) * noise).astype(np.float32)


def poisoning_success(rng: np.random.Generator, corpus: np.ndarray, injected: int, similarity: float,
                      queries: int, top: int = 5) -> float:
    """Fraction of target queries for which the injected documents hold a majority of the top `top`.
    Each query has one genuine relevant document at cosine 0.8; the rest of the corpus is shared."""
    dim = corpus.shape[1]
    successes = 0
    for _ in range(queries):
        query = unit_rows(rng, 1, dim)[0]
        genuine = near(rng, query, 1, 0.8)
        poison = near(rng, query, injected, similarity) if injected else np.empty((0, dim), np.float32)
        scores = np.concatenate([corpus @ query, genuine @ query, poison @ query])
        top_ids = np.argpartition(-scores, top)[:top]
        successes += int((top_ids >= corpus.shape[0] + 1).sum() * 2 > top)
    return successes / queries


def distracted_accuracy(rng: np.random.Generator, distractor_similarity: float | None, trials: int,
                        dim: int = 64, temperature: float = 0.05) -> float:
    """A reader answers with the value of the passage it attends to most (softmax over cosine /
    temperature, then a sample). The gold passage has cosine 0.8 with the query; an optional
    irrelevant distractor has cosine `distractor_similarity` and a wrong answer."""
    right = 0
    for _ in range(trials):
        query = unit_rows(rng, 1, dim)[0]
        passages = [near(rng, query, 1, 0.8)[0]] + list(unit_rows(rng, 4, dim))
        if distractor_similarity is not None:
            passages.append(near(rng, query, 1, distractor_similarity)[0])
        scores = np.array(passages) @ query / temperature
        weights = np.exp(scores - scores.max())
        weights /= weights.sum()
        right += int(rng.random() < weights[0])
    return right / trials


def exact_retention(pool: int, budget: int, signal: float, points: int = 4001) -> float:
    """P(the relevant document survives a top-`budget` cut of `pool` candidates), computed (not
    sampled): ∫ φ(s − signal)·P(Binomial(pool − 1, P(N(0,1) > s)) < budget) ds, by the trapezoid rule
    on s ∈ signal ± 12."""
    from math import erfc, lgamma, sqrt

    s = np.linspace(signal - 12, signal + 12, points)
    density = np.exp(-0.5 * (s - signal) ** 2) / np.sqrt(2 * np.pi)
    beaten = np.array([0.5 * erfc(v / sqrt(2)) for v in s])  # P(another candidate scores above s)
    others = pool - 1
    kept = np.zeros_like(s)
    with np.errstate(divide="ignore", invalid="ignore"):
        for k in range(min(budget, others + 1)):
            log_choose = lgamma(others + 1) - lgamma(k + 1) - lgamma(others - k + 1)
            log_term = log_choose + k * np.log(beaten) + (others - k) * np.log1p(-beaten)
            kept += np.where(np.isfinite(log_term), np.exp(log_term), 0.0)
    if budget > others:
        kept = np.ones_like(s)
    return float(np.trapezoid(density * kept, s))


def joint_of_events(rng: np.random.Generator, allow_fallback: bool, correlation: float,
                    reading: float | None = None) -> dict[str, float]:
    """A random joint law of R = {d* retrieved}, A = {attended} and S = {answer right}: R and A are
    Bernoulli with a tunable correlation (exactly independent at 0), S happens with a reading rate
    inside R ∩ A (random unless given) and, if a parametric fallback is allowed, with a random
    fallback rate outside it."""
    p_r, p_a = rng.uniform(0.2, 0.9), rng.uniform(0.2, 0.9)
    both = p_r * p_a if correlation == 0 else float(np.clip(
        p_r * p_a + correlation * min(p_r, p_a) * (1 - max(p_r, p_a)), max(0, p_r + p_a - 1), min(p_r, p_a)))
    reading = rng.uniform(0.5, 1.0) if reading is None else reading
    fallback = rng.uniform(0.0, 0.6) if allow_fallback else 0.0
    success = both * reading + (1 - both) * fallback
    return {"p_r": p_r, "p_a": p_a, "both": both, "reading": reading, "fallback": fallback, "success": success}


def poisoning_sweep(rng: np.random.Generator, corpus_size: int, dim: int, counts: tuple[int, ...],
                    similarities: tuple[float, ...], queries: int, top: int = 5,
                    chunk: int = 20_000) -> dict[tuple[int, float], float]:
    """Attack success (a poisoned majority in the top `top`) for every (injected count, similarity),
    `queries` target queries each, against one shared corpus of random unit vectors that is streamed
    in chunks and never held in memory: only each query's running top `top` scores are kept."""
    settings = [(k, s) for k in counts for s in similarities]
    targets = unit_rows(rng, len(settings) * queries, dim)  # one row per (setting, query)
    best = np.full((targets.shape[0], top), -np.inf, dtype=np.float32)
    for start in range(0, corpus_size, chunk):
        scores = unit_rows(rng, min(chunk, corpus_size - start), dim) @ targets.T  # [document, query]
        merged = np.concatenate([best, scores.T], axis=1)
        best = -np.partition(-merged, top - 1, axis=1)[:, :top]
    success = {}
    for index, (k, similarity) in enumerate(settings):
        wins = 0
        for query in range(queries):
            row = index * queries + query
            target = targets[row]
            genuine = near(rng, target, 1, 0.8) @ target
            poison = near(rng, target, k, similarity) @ target if k else np.empty(0, np.float32)
            pooled = np.concatenate([best[row], genuine, poison])
            labels = np.concatenate([np.zeros(top + 1, bool), np.ones(poison.size, bool)])
            chosen = np.argsort(-pooled, kind="stable")[:top]
            wins += int(labels[chosen].sum() * 2 > top)
        success[(k, similarity)] = wins / queries
    return success


def distracted_accuracy_batch(rng: np.random.Generator, distractor_similarity: float | None, trials: int,
                              dim: int = 64, temperature: float = 0.05, chunk: int = 20_000) -> float:
    """`distracted_accuracy`, vectorised and in chunks: the mean over trials of the probability that
    the reader's softmax (over cosine / temperature) picks the gold passage (cosine 0.8); four
    unrelated passages, and an optional irrelevant distractor at `distractor_similarity`."""
    total = 0.0
    for start in range(0, trials, chunk):
        size = min(chunk, trials - start)
        cosines = [np.full(size, 0.8)]  # the gold passage is built at cosine 0.8 exactly
        # the cosine of an independent uniform unit vector with the query is one coordinate of a uniform
        # unit vector: its square is Beta(1/2, (dim − 1)/2), its sign fair
        squares = rng.beta(0.5, (dim - 1) / 2, (4, size))
        cosines += list(np.sqrt(squares) * rng.choice([-1.0, 1.0], (4, size)))
        if distractor_similarity is not None:
            cosines.append(np.full(size, distractor_similarity))
        scores = np.stack(cosines, axis=1) / temperature
        weights = np.exp(scores - scores.max(axis=1, keepdims=True))
        total += float((weights[:, 0] / weights.sum(axis=1)).sum())
    return total / trials
