"""Benchmark: the streamed required-margin statistics against materialising every logit.

For N distractor logits per trial (8 trials, Gaussian), three ways to get logsumexp, max and
mean per trial: the project's streaming `row_statistics` (memory independent of N); the
straightforward version that materialises all N logits and calls a library logsumexp (scipy's
when installed, else the same max-shift algorithm in numpy); and the machine's ceiling, a bare
loop that only draws the same random numbers into a preallocated buffer.

Run: python bench/softmax_streaming.py [--largest 8]   (N = 10^6 … 10^largest)
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

import numpy as np

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository's own simulations/

from simulations import softmax

TRIALS = 8


def library_logsumexp(x: np.ndarray) -> np.ndarray:
    try:
        from scipy.special import logsumexp
    except ImportError:
        top = x.max(axis=1, keepdims=True)
        return (top + np.log(np.exp(x - top).sum(axis=1, keepdims=True)))[:, 0]
    return logsumexp(x, axis=1)


def measure(fn):
    tracemalloc.start()
    started = time.perf_counter()
    fn()
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, peak / 2**20


def ceiling(n: int) -> None:
    rng = np.random.default_rng(0)
    buffer = np.empty((TRIALS, min(softmax.CHUNK, n)))
    for _ in range(n // buffer.shape[1]):
        rng.standard_normal(out=buffer)


def streaming(n: int) -> None:
    softmax.row_statistics(np.random.default_rng(0), softmax.Law("gaussian", 1.0), n, TRIALS)


def materialised(n: int) -> None:
    logits = np.random.default_rng(0).standard_normal((TRIALS, n))
    library_logsumexp(logits), logits.max(axis=1), logits.mean(axis=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--largest", type=int, default=8, help="largest N as a power of ten (default 8)")
    parser.add_argument("--materialise-up-to", type=int, default=7, help="largest power of ten to materialise")
    arguments = parser.parse_args()
    try:
        import scipy  # noqa: F401
        library = "scipy.special.logsumexp"
    except ImportError:
        library = "numpy max-shift logsumexp (scipy not installed)"
    print(f"{TRIALS} trials per N, Gaussian logits, float64; baseline logsumexp: {library}")
    print(f"{'N':>12} {'method':<14} {'seconds':>8} {'Mlogits/s':>10} {'peak MiB':>9} {'of ceiling':>10}")
    for power in range(6, arguments.largest + 1):
        n = 10 ** power
        ceiling_s, ceiling_mib = measure(lambda: ceiling(n))
        rows = [("ceiling", ceiling_s, ceiling_mib), ("streaming", *measure(lambda: streaming(n)))]
        if power <= arguments.materialise_up_to:
            rows.append(("materialised", *measure(lambda: materialised(n))))
        for method, seconds, mib in rows:
            rate = TRIALS * n / seconds / 1e6
            print(f"{n:>12,} {method:<14} {seconds:>8.2f} {rate:>10.1f} {mib:>9.1f} {ceiling_s / seconds:>9.0%}")


if __name__ == "__main__":
    main()
