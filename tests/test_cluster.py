"""Chunks of a simulation on Dask: the verdict and the figures are the same with no cluster, with a
local cluster of 2 worker processes, with a scheduler and two workers started as a user starts
them (separate processes, in another folder, without the project's modules on their path), and
whatever the number of workers (chunks are seeded by index, never by worker)."""

import json
import os
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

pytestmark = pytest.mark.slow

distributed = pytest.importorskip("distributed", reason="Dask's distributed is not installed")

# The chunk function lives in a module of the project, calls a second one, and returns an instance
# of the project's own class: all three exist only in the project's folder.
MODULE = '''
import os

import numpy as np
from proofs import lemma, sim
from chunks import Piece, piece_mean

MEANS = lemma("demo.chunked_means", title="means", statement="the mean of U(0,1) draws is near 1/2",
              waivers={"symbolic": "an empirical claim", "property": "the simulation is the test"})

@MEANS.check("simulation")
def chunked(rng, scale):
    seeds = sim.chunk_seeds(rng, 6)
    pieces = sim.map_chunks(piece_mean, [(seed, 20_000) for seed in seeds])
    assert all(isinstance(p, Piece) for p in pieces), "a chunk's result came back as another class"
    mean = float(np.mean([p.mean for p in pieces]))
    return sim.Observation(violation=None if abs(mean - 0.5) < 0.01 else {"mean": mean},
                           detail="six chunks", figures={"mean": mean, "first": pieces[0].mean,
                                                         "run_here": sum(p.process == os.getpid() for p in pieces)})
'''

CHUNKS = '''
import os
from dataclasses import dataclass

from draws import uniform


@dataclass(frozen=True)
class Piece:
    mean: float
    process: int


def piece_mean(seed, size):
    return Piece(float(uniform(seed, size).mean()), os.getpid())
'''

DRAWS = '''
import numpy as np

def uniform(seed, size):
    return np.random.default_rng(seed).random(size)
'''


def project(pytester):
    pytester.makefile(".toml", pyproject='[project]\nname = "demo"\nversion = "0"\n\n[tool.pytest.ini_options]\n'
                                         'pythonpath = ["."]\n')
    pytester.makepyfile(**{"theorems/__init__": "", "theorems/demo": textwrap.dedent(MODULE), "chunks": CHUNKS,
                           "draws": DRAWS})


def run(pytester, *options):
    result = pytester.runpytest_subprocess("theorems", *options)
    assert result.ret == 0, result.stdout.str()
    (lemma,) = json.loads((pytester.path / "reports" / "status.json").read_text())["lemmas"]
    return lemma["status"], lemma["evidence"][0]["facts"]["figures"]


def test_a_local_cluster_of_two_workers_gives_the_same_verdict_and_figures(pytester):
    project(pytester)
    serial = run(pytester)
    clustered = run(pytester, "--proof-cluster", "local")
    assert serial[0] == clustered[0] == "tested" and serial[1]["run_here"] == 6 and clustered[1]["run_here"] == 0
    assert {k: v for k, v in serial[1].items() if k != "run_here"} == \
        {k: v for k, v in clustered[1].items() if k != "run_here"}


@pytest.fixture
def external_cluster(tmp_path):
    """`dask scheduler` and two `dask worker` processes started from another folder, with no
    PYTHONPATH: they have the installed packages and none of the project's modules."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    address_file = elsewhere / "scheduler.json"
    dask = [sys.executable, "-m", "dask"]
    started = [subprocess.Popen([*dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                 "--scheduler-file", str(address_file)], cwd=elsewhere, env=environment,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        deadline = time.monotonic() + 60
        while not address_file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        address = json.loads(address_file.read_text())["address"]
        started += [subprocess.Popen([*dask, "worker", address, "--host", "127.0.0.1", "--nthreads", "1",
                                      "--no-nanny", "--no-dashboard"], cwd=elsewhere, env=environment,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(2)]
        with distributed.Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=60)
            importable = client.run(lambda: __import__("importlib.util").util.find_spec("chunks") is not None)
        assert importable and not any(importable.values()), "the workers can import the project's modules"
        yield address
    finally:
        for process in reversed(started):
            process.terminate()
        for process in started:
            try:
                process.wait(timeout=5)  # a dask worker closing gracefully can take 20 s; nothing here needs it
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_a_scheduler_and_workers_started_elsewhere_run_the_projects_chunks_with_the_same_figures(
        pytester, external_cluster):
    project(pytester)
    serial = run(pytester)
    clustered = run(pytester, "--proof-cluster", external_cluster)
    assert serial[0] == clustered[0] == "tested" and serial[1]["run_here"] == 6 and clustered[1]["run_here"] == 0
    assert {k: v for k, v in serial[1].items() if k != "run_here"} == \
        {k: v for k, v in clustered[1].items() if k != "run_here"}


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
