"""Toy benchmarks for the evaluation thesis (paper §7, E-39): contamination, compute, judges."""

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
