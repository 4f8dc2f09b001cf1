"""Softmax crowding on toy attention rows: the margin a relevant token needs among N distractors.

The relevant token has logit s*, the N' distractors have logits s_1..s_N'. Its attention is
α = e^{s*} / (e^{s*} + Σ_j e^{s_j}), so α ≥ p exactly when

    s* ≥ logsumexp(s) + logit(p),       logit(p) = ln(p / (1 − p)).

The *required margin* is that threshold measured from a reference distractor logit: the
largest one (`vs_max`) or their mean (`vs_mean`). Everything here is a pure function of a seeded
Generator; distractors are streamed in chunks so that memory does not grow with N.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from proofs import sim

CHUNK = 1 << 13  # 8 × 8192 float64 = 512 KiB per buffer: stays in cache
PIECE = 1 << 24  # distractors per independent piece of a long row: the unit of work for a cluster


@dataclass(frozen=True, slots=True)
class Law:
    """A distribution of distractor logits. `name` is one of LAW_SAMPLERS; `scale` its spread."""

    name: str
    scale: float = 1.0

    @property
    def label(self) -> str:
        return self.name if self.name == "equal" else f"{self.name}({self.scale:g})"


def _fill(draw):
    """A sampler that writes into `out` for laws numpy cannot draw in place."""
    def sample(rng, scale, out):
        out[...] = draw(rng, scale, out.shape)
        return out
    return sample


def _gaussian(rng, scale, out):
    rng.standard_normal(out=out)
    out *= scale
    return out


def _uniform(rng, scale, out):
    rng.random(out=out)
    out *= 2 * scale
    out -= scale
    return out


def _equal(rng, scale, out):
    out.fill(0.0)
    return out


# Each sampler fills `out` (shape trials × chunk) with draws of the law, in place where numpy can.
LAW_SAMPLERS = {
    "equal": _equal,
    "gaussian": _gaussian,
    "uniform": _uniform,
    "gumbel": _fill(lambda rng, scale, shape: rng.gumbel(0.0, scale, shape)),
    # heavy-tailed: e^{s} has no finite mean, so the largest distractor dominates the sum
    "student_t": _fill(lambda rng, scale, shape: rng.standard_t(scale, shape)),
}


def logit(p: float) -> float:
    return math.log(p / (1.0 - p))


def equal_margin(n_distractors: np.ndarray | float, p: float) -> np.ndarray | float:
    """The margin equal distractors need: ln(N' p / (1 − p)), the worst case over all rows."""
    return np.log(n_distractors) + logit(p)


@dataclass(frozen=True, slots=True)
class RowStatistics:
    """Per trial: logsumexp, maximum and mean of the distractor logits."""

    logsumexp: np.ndarray
    maximum: np.ndarray
    mean: np.ndarray


def row_statistics(rng: np.random.Generator, law: Law, n_distractors: int, trials: int,
                   chunk: int = CHUNK) -> RowStatistics:
    """Stream `trials` rows of `n_distractors` logits; peak memory is two trials × chunk buffers.

    Per chunk: draw in place, take the block maximum, then Σ exp(block − running max) in a
    scratch buffer, rescaling the running sum whenever the maximum rises (online logsumexp)."""
    sampler = LAW_SAMPLERS[law.name]
    width = min(chunk, n_distractors)
    block, scratch = np.empty((trials, width)), np.empty((trials, width))
    running_max = np.full(trials, -np.inf)
    scaled_sum = np.zeros(trials)  # Σ e^{s − running_max}
    total = np.zeros(trials)
    remaining = n_distractors
    while remaining > 0:
        if remaining < width:  # the last, narrower chunk (a slice would not be contiguous)
            block, scratch = np.empty((trials, remaining)), np.empty((trials, remaining))
        sampler(rng, law.scale, block)
        new_max = np.maximum(running_max, block.max(axis=1))
        scaled_sum *= np.exp(running_max - new_max)
        np.subtract(block, new_max[:, None], out=scratch)
        np.exp(scratch, out=scratch)
        scaled_sum += scratch.sum(axis=1)
        total += block.sum(axis=1)
        running_max = new_max
        remaining -= block.shape[1]
    return RowStatistics(running_max + np.log(scaled_sum), running_max, total / n_distractors)


def _piece_statistics(seed: np.random.SeedSequence, law: Law, n_distractors: int, trials: int,
                      chunk: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One piece of long rows: (maximum, Σ e^{s − maximum}, Σ s) per trial, from its own generator."""
    stats = row_statistics(np.random.default_rng(seed), law, n_distractors, trials, chunk)
    return stats.maximum, np.exp(stats.logsumexp - stats.maximum), stats.mean * n_distractors


def long_row_statistics(rng: np.random.Generator, law: Law, n_distractors: int, trials: int,
                        piece: int = PIECE, chunk: int = CHUNK) -> RowStatistics:
    """`row_statistics` for rows longer than one piece: the row is cut into pieces of `piece`
    distractors, each drawn from a generator spawned by piece index, streamed independently (on a
    Dask cluster when one is in use, see `sim.use_cluster`), and merged exactly as online
    logsumexp merges chunks. The result does not depend on where the pieces ran. Rows of at most
    one piece are streamed here as before."""
    if n_distractors <= piece:
        return row_statistics(rng, law, n_distractors, trials, chunk)
    sizes = [piece] * (n_distractors // piece) + ([n_distractors % piece] if n_distractors % piece else [])
    seeds = sim.chunk_seeds(rng, len(sizes))
    parts = sim.map_chunks(_piece_statistics, [(seed, law, size, trials, chunk) for seed, size in zip(seeds, sizes)])
    maxima = np.array([m for m, _, _ in parts])  # pieces × trials
    top = maxima.max(axis=0)
    scaled = sum(s * np.exp(m - top) for m, s, _ in parts)
    total = sum(t for _, _, t in parts)
    return RowStatistics(top + np.log(scaled), top, total / n_distractors)


@dataclass(frozen=True, slots=True)
class MarginSweep:
    law: Law
    p: float
    n_distractors: np.ndarray  # shape (len(ns),)
    vs_max: np.ndarray  # required margin over the largest distractor, shape (len(ns), trials)
    vs_mean: np.ndarray  # required margin over the mean distractor, shape (len(ns), trials)

    def slope(self, reference: str) -> float:
        """Least-squares slope of the median required margin against ln N'."""
        margins = np.median(getattr(self, reference), axis=1)
        return float(np.polyfit(np.log(self.n_distractors), margins, 1)[0])


def margin_sweep(rng: np.random.Generator, law: Law, ns: np.ndarray, trials: int, p: float) -> MarginSweep:
    vs_max, vs_mean = [], []
    for n in ns:
        stats = long_row_statistics(rng, law, int(n), trials)
        vs_max.append(stats.logsumexp - stats.maximum + logit(p))
        vs_mean.append(stats.logsumexp - stats.mean + logit(p))
    return MarginSweep(law, p, np.asarray(ns, dtype=float), np.array(vs_max), np.array(vs_mean))


def attention(relevant: float, distractors: np.ndarray) -> float:
    """α of the relevant token in a materialised row, computed stably."""
    top = max(relevant, float(distractors.max())) if distractors.size else relevant
    weights = np.exp(distractors - top)
    own = math.exp(relevant - top)
    return own / (own + float(weights.sum()))


def spread_row(n_distractors: int, margin: float, gap: float) -> np.ndarray:
    """One distractor at −margin, the other N' − 1 a further `gap` below it (relevant logit 0)."""
    row = np.full(n_distractors, -margin - gap)
    row[0] = -margin
    return row


def spread_required_margin(n_distractors: float, p: float, gap: float) -> float:
    """Closed form of the margin over the largest distractor that `spread_row` needs for α = p."""
    return logit(p) + math.log1p((n_distractors - 1) * math.exp(-gap))


def bounded_attention_cap(n_distractors: np.ndarray | float, logit_bound: float) -> np.ndarray | float:
    """The largest attention any token can get when every logit lies in [−B, B]: e^{2B}/(e^{2B} + N')."""
    return 1.0 / (1.0 + np.asarray(n_distractors, dtype=float) * math.exp(-2.0 * logit_bound))


def best_bounded_attention(rng: np.random.Generator, n_distractors: int, dim: int, norm_bound: float,
                           trials: int) -> np.ndarray:
    """Largest attention over the tokens of random rows with ‖q‖, ‖k‖ ≤ √(norm_bound) and logits q·k/√d.

    Keys are drawn on the sphere of radius √norm_bound and the query along one of them, so the
    logits lie in [−B, B] with B = norm_bound/√d and the aligned key reaches the top.
    """
    best = np.empty(trials)
    for t in range(trials):
        keys = rng.standard_normal((n_distractors + 1, dim))
        keys *= math.sqrt(norm_bound) / np.linalg.norm(keys, axis=1, keepdims=True)
        query = keys[0]
        logits = keys @ query / math.sqrt(dim)
        weights = np.exp(logits - logits.max())
        best[t] = weights.max() / weights.sum()
    return best


def bounded_logits(rng: np.random.Generator, n_distractors: int, dim: int, norm_bound: float, trials: int,
                   extreme: bool = False) -> np.ndarray:
    """Logit rows q·k/√d of the keys `best_bounded_attention` draws (shape trials × (n_distractors + 1)), the
    relevant key first: keys on the sphere of radius √norm_bound and the query along key 0, so every logit lies
    in [−B, B], B = norm_bound/√d, and key 0 is at +B. With `extreme`, every other key is −q: the row whose
    relevant weight is smallest, every distractor at −B."""
    rows = np.empty((trials, n_distractors + 1))
    for t in range(trials):
        keys = rng.standard_normal((n_distractors + 1, dim))
        keys *= math.sqrt(norm_bound) / np.linalg.norm(keys, axis=1, keepdims=True)
        if extreme:
            keys[1:] = -keys[0]
        rows[t] = keys @ keys[0] / math.sqrt(dim)
    return rows
