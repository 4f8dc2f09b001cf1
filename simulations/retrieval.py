"""Toy models of retrieval fragility (paper §5): budgets, breadth, failure, poisoning.

Retrieval instances are small enough to solve exactly by enumerating every subset; corpora of
unit vectors are large (10^5 and more) and processed in chunks.
"""

from __future__ import annotations

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


def optima(instance: Instance) -> tuple[set, set]:
    """All budget-feasible sets of maximal precision and of maximal coverage (ties kept)."""
    sets = feasible_sets(instance)
    best_precision = max(precision(instance, s) for s in sets)
    best_coverage = max(coverage(instance, s) for s in sets)
    return ({s for s in sets if precision(instance, s) >= best_precision - 1e-12},
            {s for s in sets if coverage(instance, s) == best_coverage})


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


def retained_fraction(rng: np.random.Generator, pool: int, budget: int, signal: float, trials: int) -> float:
    """P(the relevant document survives a top-`budget` cut of `pool` candidates ranked by a noisy
    score: relevant = signal + noise, others = noise)."""
    relevant = signal + rng.standard_normal(trials)
    others = rng.standard_normal((trials, pool - 1))
    beaten_by = (others > relevant[:, None]).sum(axis=1)
    return float((beaten_by < budget).mean())


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
