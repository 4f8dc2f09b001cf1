"""Positional statistics: causal pair distances in training windows, and positional encodings.

Pair distances (E-17): a sequence of length ℓ holds ℓ − d causal (query, key) pairs at distance
d, 1 ≤ d < ℓ, so the pairs at distance ≥ D number (ℓ − D)(ℓ − D + 1)/2 of ℓ(ℓ − 1)/2.

Encodings (E-18, E-21): the normalised inner product of sinusoidal encodings at separation Δ is
A_m(Δ) = (1/m) Σ_k cos(ω_k Δ); RoPE's long-range bound (Su et al.) is (1/m) Σ_j |S_j| with
S_j = Σ_{i ≤ j} e^{iΔθ_i}. Everything is exact counting or vectorised numpy, chunked over Δ.
"""

from __future__ import annotations

import numpy as np

ROPE_BASE = 10_000.0


# -- pair distances ----------------------------------------------------------------------------


def pairs_at_least(lengths: np.ndarray, distance: int) -> np.ndarray:
    """Causal pairs at distance ≥ `distance` (≥ 1) in sequences of the given lengths."""
    lengths = np.asarray(lengths, dtype=np.float64)
    far = np.clip(lengths - distance, 0, None)
    return far * (far + 1) / 2


def windows(document_lengths: np.ndarray, window: int, mode: str) -> np.ndarray:
    """Training-sequence lengths from documents: `packed` fills every window; `truncate` keeps
    min(document, window); `split` cuts each document into full windows and a remainder."""
    documents = np.asarray(document_lengths, dtype=np.int64)
    if mode == "packed":
        count = max(1, int(documents.sum() // window))
        return np.full(count, window)
    if mode == "truncate":
        return np.minimum(documents, window)
    if mode == "split":
        full = documents // window
        remainder = documents % window
        return np.concatenate([np.repeat(window, full.sum()), remainder[remainder > 0]])
    raise ValueError(f"mode={mode!r}: expected 'packed', 'truncate' or 'split'")


def far_pair_fraction(sequence_lengths: np.ndarray, distance: int) -> float:
    """The fraction of all causal pairs (distance ≥ 1) that are at distance ≥ `distance`."""
    total = pairs_at_least(sequence_lengths, 1).sum()
    return float(pairs_at_least(sequence_lengths, distance).sum() / total) if total else 0.0


def packed_far_fraction(window: int, distance: int) -> float:
    """Closed form for full windows: (L − D)(L − D + 1) / (L(L − 1))."""
    return (window - distance) * (window - distance + 1) / (window * (window - 1))


def far_fraction_curve(sequence_lengths: np.ndarray, window: int) -> np.ndarray:
    """The fraction of all causal pairs at distance ≥ D, for every D = 1 … window − 1 (entry D − 1).

    A sequence of length ℓ holds max(0, ℓ − d) pairs at distance d, so the pairs at distance ≥ D
    number Σ_ℓ c_ℓ·(ℓ − D)(ℓ − D + 1)/2 over the histogram c of lengths: O(window) memory, however
    many sequences there are."""
    counts = np.bincount(np.asarray(sequence_lengths, dtype=np.int64), minlength=window + 1).astype(np.float64)
    lengths = np.arange(counts.size, dtype=np.float64)
    distances = np.arange(1, window, dtype=np.float64)
    # Σ_{ℓ ≥ D} c_ℓ (ℓ − D)(ℓ − D + 1)/2 = ½ Σ c_ℓ (ℓ² + ℓ) − (D − ½)·Σ c_ℓ 2ℓ … written with suffix sums
    suffix = lambda values: np.cumsum(values[::-1])[::-1]  # noqa: E731 - Σ_{ℓ ≥ index}
    s0, s1, s2 = suffix(counts), suffix(counts * lengths), suffix(counts * lengths ** 2)
    at = distances.astype(np.int64)
    far = (s2[at] - (2 * distances - 1) * s1[at] + distances * (distances - 1) * s0[at]) / 2
    total = far[0]
    return far / total if total else np.zeros_like(far)


# -- sinusoidal encodings -------------------------------------------------------------------------


def uniform_grid(m: int, omega: float) -> np.ndarray:
    """ω_k = kΩ/m, k = 1..m: evenly spaced up to Ω."""
    return np.arange(1, m + 1) * omega / m


def geometric_grid(dim: int, base: float = ROPE_BASE) -> np.ndarray:
    """ω_k = base^(−2k/d), k = 0..d/2 − 1: the grid real transformers use."""
    return base ** (-2.0 * np.arange(dim // 2) / dim)


def omega_readings(grid: np.ndarray) -> dict[str, float]:
    """The three readings of the frequency scale Ω that the sources leave open."""
    return {"max": float(grid.max()), "bandwidth": float(grid.max() - grid.min()), "min": float(grid.min())}


def averaged_cosine(grid: np.ndarray, separations: np.ndarray, chunk: int = 4096) -> np.ndarray:
    """A_m(Δ) = mean_k cos(ω_k Δ) for every Δ, chunked so memory stays chunk × m."""
    separations = np.asarray(separations, dtype=np.float64)
    out = np.empty(separations.shape)
    for start in range(0, separations.size, chunk):
        block = separations[start:start + chunk]
        out[start:start + chunk] = np.cos(np.outer(block, grid)).mean(axis=1)
    return out


def rope_decay_bound(dim: int, separations: np.ndarray, base: float = ROPE_BASE, chunk: int = 2048) -> np.ndarray:
    """Su et al.'s long-term decay bound (1/m) Σ_j |S_j|, S_j = Σ_{i ≤ j} e^{iΔθ_i}, for every Δ."""
    theta = geometric_grid(dim, base)
    separations = np.asarray(separations, dtype=np.float64)
    out = np.empty(separations.shape)
    for start in range(0, separations.size, chunk):
        block = separations[start:start + chunk]
        partial_sums = np.cumsum(np.exp(1j * np.outer(block, theta)), axis=1)
        out[start:start + chunk] = np.abs(partial_sums).mean(axis=1)
    return out


def log_separations(largest: int, count: int) -> np.ndarray:
    """Integer separations 1..largest, log-spaced, unique."""
    return np.unique(np.logspace(0, np.log10(largest), count).astype(np.int64)).astype(np.float64)
