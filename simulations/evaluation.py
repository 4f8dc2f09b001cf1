"""Toy benchmarks for the evaluation thesis (paper §7, E-39): contamination, compute (a saturating
curve, and benchmarks whose items are solved at Pareto-distributed compute thresholds), judges."""

from __future__ import annotations

import numpy as np


def contaminated_scores(rng: np.random.Generator, items: int, skill: float, overlap: float,
                        trials: int) -> tuple[np.ndarray, np.ndarray]:
    """Raw and clean benchmark scores of a model that answers memorised items always and others
    with probability `skill`; `overlap` of the items were in its training data."""
    memorised = rng.random((trials, items)) < overlap
    correct = memorised | (rng.random((trials, items)) < skill)
    raw = correct.mean(axis=1)
    clean = np.array([c[~m].mean() if (~m).any() else np.nan for c, m in zip(correct, memorised)])
    return raw, clean


def accuracy_curve(compute: np.ndarray, scale: float, exponent: float) -> np.ndarray:
    """A saturating scaling curve: accuracy = 1 − scale·C^(−exponent), floored at 0."""
    return np.clip(1 - scale * compute ** (-exponent), 0, 1)


def judged_scores(rng: np.random.Generator, correctness: np.ndarray, stated: np.ndarray, bias: float,
                  trials: int) -> tuple[float, float]:
    """Mean score of a policy that states confidence `stated` on questions it answers correctly
    with probability `correctness`: under a judge adding `bias`·confidence, and under Brier."""
    correct = rng.random((trials, correctness.size)) < correctness
    judge = (correct + bias * stated).mean()
    brier = -((stated - correct) ** 2).mean()
    return float(judge), float(brier)


def item_thresholds(rng: np.random.Generator, items: int, knee: float, exponent: float) -> np.ndarray:
    """The compute at which each of `items` benchmark items becomes solved: Pareto thresholds
    D = knee·U^(−1/exponent), so that P(D > C) = (knee/C)^exponent for C ≥ knee. A model trained
    with compute C solves exactly the items with D ≤ C; its expected accuracy is then the
    saturating curve 1 − a·C^(−b) with a = knee^b, b = exponent, for C ≥ knee (and 0 below)."""
    return knee * rng.random(items) ** (-1.0 / exponent)


def compute_to_reach(thresholds: np.ndarray, accuracies: np.ndarray) -> np.ndarray:
    """The least compute at which a model solves at least each fraction `accuracies` of the items:
    the ⌈acc·K⌉-th smallest threshold."""
    ordered = np.sort(thresholds)
    ranks = np.ceil(np.asarray(accuracies) * ordered.size).astype(int) - 1
    return ordered[np.clip(ranks, 0, ordered.size - 1)]
