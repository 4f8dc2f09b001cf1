"""Chunks of a simulation on Dask: the verdict and the figures are the same with no cluster, with a
local cluster of 2 worker processes, and whatever the number of workers (chunks are seeded by
index, never by worker)."""

import json
import textwrap

import numpy as np
import pytest

pytestmark = pytest.mark.slow

distributed = pytest.importorskip("distributed", reason="Dask's distributed is not installed")

MODULE = '''
import numpy as np
from proofs import lemma, sim
from chunks import piece_mean

MEANS = lemma("demo.chunked_means", title="means", statement="the mean of U(0,1) draws is near 1/2",
              waivers={"symbolic": "an empirical claim", "property": "the simulation is the test"})

@MEANS.check("simulation")
def chunked(rng, scale):
    seeds = sim.chunk_seeds(rng, 6)
    means = sim.map_chunks(piece_mean, [(seed, 20_000) for seed in seeds])
    mean = float(np.mean(means))
    return sim.Observation(violation=None if abs(mean - 0.5) < 0.01 else {"mean": mean},
                           detail="six chunks", figures={"mean": mean, "first": float(means[0])})
'''

CHUNKS = '''
import numpy as np

def piece_mean(seed, size):
    return float(np.random.default_rng(seed).random(size).mean())
'''


def run(pytester, *options):
    result = pytester.runpytest_subprocess("theorems", *options)
    assert result.ret == 0, result.stdout.str()
    (lemma,) = json.loads((pytester.path / "reports" / "status.json").read_text())["lemmas"]
    return lemma["status"], lemma["evidence"][0]["facts"]["figures"]


def test_a_local_cluster_of_two_workers_gives_the_same_verdict_and_figures(pytester):
    pytester.makefile(".toml", pyproject='[project]\nname = "demo"\nversion = "0"\n\n[tool.pytest.ini_options]\n'
                                         'pythonpath = ["."]\n')
    pytester.makepyfile(**{"theorems/__init__": "", "theorems/demo": textwrap.dedent(MODULE), "chunks": CHUNKS})
    serial = run(pytester)
    clustered = run(pytester, "--proof-cluster", "local")
    assert serial == clustered and serial[0] == "tested"


def test_softmax_pieces_give_identical_statistics_on_one_or_two_workers():
    from distributed import Client, LocalCluster

    from proofs import sim
    from simulations import softmax

    law = softmax.Law("gaussian", 1.0)
    serial = softmax.long_row_statistics(np.random.default_rng(5), law, 300_000, 4, piece=70_000)
    results = []
    for workers in (1, 2):
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        sim._CLUSTER.update(address=cluster.scheduler_address, client=Client(cluster), owned=cluster)
        try:
            results.append(softmax.long_row_statistics(np.random.default_rng(5), law, 300_000, 4, piece=70_000))
        finally:
            sim.close_cluster()
            sim.use_cluster(None)
    for result in results:
        assert np.array_equal(result.logsumexp, serial.logsumexp) and np.array_equal(result.maximum, serial.maximum)
        assert np.allclose(result.mean, serial.mean, rtol=0, atol=1e-15)
