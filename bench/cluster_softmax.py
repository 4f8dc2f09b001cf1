"""Benchmark: the full-size softmax sweep on Dask, in pieces, against one worker and no cluster.

The margin statistics of rows of N Gaussian distractor logits (8 trials) are computed in pieces
of 2^24 distractors, each from its own generator spawned by piece index, so every configuration
gives bit-identical numbers (checked here). Prints the wall time of each configuration, the
speed in logits per second, and the ratio of the 2-worker time to the 1-worker time.

Run: python bench/cluster_softmax.py [--largest 9]   (N up to 10^largest)
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from proofs import sim

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository's own simulations/

from simulations import softmax  # noqa: E402

TRIALS = 8


def sweep(largest: int) -> tuple[float, list[np.ndarray]]:
    law = softmax.Law("gaussian", 1.0)
    rng = np.random.default_rng(2026)
    started = time.perf_counter()
    results = [softmax.long_row_statistics(rng, law, 10**k, TRIALS).logsumexp for k in range(7, largest + 1)]
    return time.perf_counter() - started, results


def rng_ceiling(seconds: float = 3.0) -> float:
    """Logits per second a bare loop draws into a preallocated buffer on one core: the ceiling."""
    rng, block = np.random.default_rng(0), np.empty((TRIALS, softmax.CHUNK))
    drawn, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        rng.standard_normal(out=block)
        drawn += block.size
    return drawn / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--largest", type=int, default=9)
    arguments = parser.parse_args()
    logits = TRIALS * sum(10**k for k in range(7, arguments.largest + 1))
    timings, reference = {}, None
    for label, address, workers in (("no cluster (this process)", None, None), ("local cluster, 1 worker", "local", 1),
                                    ("local cluster, 2 workers", "local", 2)):
        if address is not None:
            from distributed import Client, LocalCluster

            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
            sim._CLUSTER.update(address=cluster.scheduler_address, client=Client(cluster), owned=cluster)
            sim._CLUSTER["client"].run(lambda: None)  # workers started before the clock starts
        elapsed, results = sweep(arguments.largest)
        sim.close_cluster()
        sim.use_cluster(None)
        same = reference is None or all(np.array_equal(a, b) for a, b in zip(reference, results))
        reference = reference or results
        timings[label] = elapsed
        print(f"{label:28s} {elapsed:7.1f} s  {logits / elapsed / 1e6:6.1f} M logits/s  identical: {same}")
    ratio = timings["local cluster, 2 workers"] / timings["local cluster, 1 worker"]
    ceiling = rng_ceiling()
    two = logits / timings["local cluster, 2 workers"]
    print(f"N = 10^7 … 10^{arguments.largest}, {TRIALS} trials: 2 workers / 1 worker = {ratio:.2f} (target ≤ 0.6)")
    print(f"single-core random-number ceiling {ceiling / 1e6:.1f} M/s; 2 workers reach {two / 1e6:.1f} M logits/s "
          f"= {two / ceiling:.2f}× the ceiling (target ≥ 1.6×)")


if __name__ == "__main__":
    main()
