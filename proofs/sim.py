"""The simulation engine: a seeded run of the phenomenon on toy models, and its plot.

A simulation check receives a `numpy.random.Generator` seeded from the lemma id and the scale
("default", sized to finish in seconds, or "full"), and returns an `Observation`:

    @LEMMA.check("simulation")
    def margin_against_n(rng, scale):
        result = sweep(rng, ...)  # a function of your own
        violation = ...  # the first sampled instance that contradicts the claim, or None
        return sim.Observation(violation=violation, detail=..., figures=..., plot=draw(result))

The status follows from the violation the simulation computed: a violation is `refuted` with
that instance as the counterexample; none is `tested`. A simulation never proves.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import math
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Mapping

from proofs.errors import InvalidCheck
from proofs.records import Check, CheckContext
from proofs.status import Evidence, Status

if TYPE_CHECKING:
    from matplotlib.figure import Figure

ENGINE = "simulation"
SCALES = ("default", "full")
LOOSE = 10.0  # a bound with more slack than this is labelled loose on its card


@dataclass(frozen=True)
class Estimate:
    """A claimed value checked against a measurement within a statistical tolerance, and the
    smallest deviation from the claimed value the simulation is built to detect (its power).

    Made by `compare`; `within` says whether the measurement agrees with the claim. A simulation
    whose tolerance is not below half its declared power cannot tell the claim from a claim that is
    off by that power, and the engine says so instead of calling it tested."""

    name: str
    measured: float
    claimed: float
    tolerance: float
    power: float
    relative: bool
    shifted: bool = False  # the claimed value was moved by the power (a mutant of `python -m proofs mutate`)

    @property
    def deviation(self) -> float:
        scale = abs(self.claimed) if self.relative and self.claimed else 1.0
        return abs(self.measured - self.claimed) / scale

    @property
    def within(self) -> bool:
        return self.deviation <= self.tolerance

    @property
    def sees_its_power(self) -> bool:
        return self.tolerance < self.power / 2

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "measured": _plain(self.measured), "claimed": _plain(self.claimed),
                "tolerance": _plain(self.tolerance), "power": _plain(self.power), "relative": self.relative,
                "deviation": _plain(self.deviation), "within": self.within, "shifted": self.shifted}


_SHIFT = contextvars.ContextVar("proofs_power_shift", default=False)


@contextlib.contextmanager
def shifted_by_power():
    """Within the block, every `compare` moves its claimed value by its declared power: the mutant
    `python -m proofs mutate` runs to show that the simulation rejects a claim off by that much."""
    token = _SHIFT.set(True)
    try:
        yield
    finally:
        _SHIFT.reset(token)


def compare(name: str, measured: Any, claimed: Any, *, tolerance: float, power: float,
            relative: bool = False) -> Estimate:
    """Check a measured value against the claimed one: within `tolerance` (absolute, or relative to
    the claimed value with relative=True), where the simulation's sample sizes must make the
    tolerance smaller than half the `power`, the smallest deviation it declares it can detect.
    Pass the estimates to `Observation(estimates=...)`: one outside its tolerance is a violation."""
    if not (power > 0 and tolerance >= 0):
        raise InvalidCheck(f"compare({name!r}): power={power!r} must be > 0 and tolerance={tolerance!r} ≥ 0")
    claimed = float(claimed)
    shift = _SHIFT.get()
    if shift:
        claimed += power * (abs(claimed) if relative and claimed else 1.0)
    return Estimate(name, float(measured), claimed, float(tolerance), float(power), relative, shift)


@dataclass(frozen=True)
class Observation:
    """What a simulation saw: a violating instance (or None), a summary, figures, a plot.

    A simulation that checks a bound reports its `slack`: how far the bound is from what was
    measured, as a factor ≥ 1 when it holds (see `slack`); the report labels a bound loose when
    the factor exceeds LOOSE. One that checks a value within a statistical tolerance passes its
    `estimates` (see `compare`): each is shown with its tolerance and power, and one outside its
    tolerance is a violation."""

    violation: Mapping[str, Any] | None
    detail: str
    figures: Mapping[str, float] = field(default_factory=dict)
    plot: Figure | None = None
    slack: float | None = None
    estimates: tuple[Estimate, ...] = ()


def slack(measured: Any, bound: Any, *, side: str = "upper") -> float:
    """The factor by which a bound clears what was measured, at its tightest point.

    For an upper bound (measured ≤ bound) it is min(bound / measured); for a lower bound
    (measured ≥ bound), min(measured / bound). 1 means the bound is attained; below 1 it is
    violated; above LOOSE it is loose. `measured` and `bound` are arrays (or numbers) of positive
    values of the same shape."""
    import numpy as np

    measured, bound = np.asarray(measured, dtype=float), np.asarray(bound, dtype=float)
    if side not in ("upper", "lower"):
        raise InvalidCheck(f"side={side!r}: a bound is 'upper' (measured ≤ bound) or 'lower' (measured ≥ bound)")
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = bound / measured if side == "upper" else measured / bound
    ratios = ratios[np.isfinite(ratios)]
    return float(ratios.min()) if ratios.size else float("inf")


# -- chunks of a sweep, on one core or on a Dask cluster ----------------------------------------------
#
# A large sweep splits into independent chunks. Each chunk draws from its own generator, spawned
# from the check's seed by chunk index (never by worker), so the result is the same whether the
# chunks run here one after another, on a local Dask cluster, or on a remote one.
#
# A cluster's scheduler and workers have the installed packages (this kernel, numpy, …) but not the
# project's own folders: its simulations, its theorems, the helper modules beside them. Those are
# shipped with the tasks instead, by Dask's own means for code that exists only on the client:
# cloudpickle, told to pickle every module loaded here that no installed distribution provides
# (and that is not Python's own) by value. The chunk function and each task's arguments are
# pickled so here, and a small function of this kernel (installed on the workers) unpickles and
# calls them and pickles the result the same way, so the classes a chunk returns come back as the
# client's own. (Dask pickles a task graph with the standard pickle first, which would name the
# project's functions by reference, so the pickling by value is done here, not left to Dask.)

_CLUSTER = {"address": None, "client": None, "owned": None, "progress": False}


def use_cluster(address: str | None, *, progress: bool = False) -> None:
    """Run chunks on Dask from now on: 'local' for a local cluster sized to the machine (one
    single-threaded worker process per core), a scheduler address such as tcp://host:8786, or None
    to run them in this process. The cluster is started when the first chunk needs it."""
    if address != _CLUSTER["address"]:
        close_cluster()
        _CLUSTER["address"] = address
    _CLUSTER["progress"] = progress


def close_cluster() -> None:
    client, owned = _CLUSTER["client"], _CLUSTER["owned"]
    _CLUSTER.update(client=None, owned=None)
    if client is not None:
        client.close()
    if owned is not None:
        owned.close()


def _client() -> Any:
    if _CLUSTER["address"] is None:
        return None
    if _CLUSTER["client"] is None:
        import atexit
        import os

        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise InvalidCheck("--proof-cluster needs Dask's distributed: pip install 'distributed>=2024.1'") from None
        if _CLUSTER["address"] == "local":
            # its worker processes may also import the project's modules by name (an import inside
            # a function, which pickling by value does not carry): give them our path
            os.environ["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
            cluster = LocalCluster(n_workers=os.cpu_count() or 1, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            _CLUSTER["owned"], _CLUSTER["client"] = cluster, Client(cluster)
        else:
            _CLUSTER["client"] = Client(_CLUSTER["address"])
        atexit.register(close_cluster)
    return _CLUSTER["client"]


@functools.lru_cache(maxsize=1)
def _installed_top_level_names() -> frozenset[str]:
    from importlib.metadata import packages_distributions

    return frozenset(packages_distributions())


def project_modules() -> list[str]:
    """The top-level modules and packages loaded in this process that only this project has: not
    Python's own, provided by no installed distribution, and not inside this environment's
    prefix (a virtual environment kept in the project folder is not the project)."""
    installed = _installed_top_level_names()
    prefixes = {Path(p).resolve() for p in (sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix)}
    found = []
    for name, module in list(sys.modules.items()):
        if "." in name or name == "__main__" or name in installed or name in sys.stdlib_module_names:
            continue
        file = getattr(module, "__file__", None) or next(iter(getattr(module, "__path__", ())), None)
        if not file:  # built into the interpreter
            continue
        path = Path(file).resolve()
        if "site-packages" in path.parts or any(path.is_relative_to(prefix) for prefix in prefixes):
            continue
        found.append(name)
    return sorted(found)


@contextlib.contextmanager
def _by_value(names: list[str]) -> Iterator[None]:
    """cloudpickle pickles the named modules (and their submodules) by value inside the block."""
    import cloudpickle

    registered = [name for name in names if name not in cloudpickle.list_registry_pickle_by_value()]
    for name in registered:
        cloudpickle.register_pickle_by_value(sys.modules[name])
    try:
        yield
    finally:
        for name in registered:
            cloudpickle.unregister_pickle_by_value(sys.modules[name])


def shipped(function: Any, tasks: list[tuple]) -> tuple[bytes, list[bytes]]:
    """The chunk function and each task's arguments pickled with the project's modules by value:
    what a worker that has only the installed packages can run (`run_shipped`)."""
    import cloudpickle

    with _by_value(project_modules()):
        return cloudpickle.dumps(function), [cloudpickle.dumps(tuple(task)) for task in tasks]


def run_shipped(function: bytes, task: bytes) -> bytes:
    """On a worker: call the shipped function on the shipped arguments; the result is pickled by
    value too (a class of the project's exists here only as shipped)."""
    import pickle

    import cloudpickle

    return cloudpickle.dumps(pickle.loads(function)(*pickle.loads(task)))


def chunk_seeds(rng: Any, count: int) -> list[Any]:
    """`count` independent seed sequences, one per chunk index, all drawn from `rng`."""
    import numpy as np

    return np.random.SeedSequence(int(rng.integers(2**63))).spawn(count)


def map_chunks(function: Any, tasks: list[tuple]) -> list[Any]:
    """`[function(*task) for task in tasks]`, on the cluster when one is in use (in task order).
    `function`, what it calls and its arguments may live in the project's own modules: they are
    shipped with the tasks (`shipped`); installed packages must be installed on the workers too."""
    import pickle

    client = _client()
    if client is None or len(tasks) < 2:
        return [function(*task) for task in tasks]
    payload, arguments = shipped(function, tasks)
    futures = client.map(run_shipped, [payload] * len(arguments), arguments, pure=False)
    if _CLUSTER["progress"]:
        from distributed import progress

        progress(futures)
    return [pickle.loads(result) for result in client.gather(futures)]


def new_figure(width: float = 7.0, height: float = 4.5) -> Figure:
    """A matplotlib figure that needs no display and no global pyplot state."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def run(check: Check, context: CheckContext) -> list[Evidence]:
    import numpy as np

    started = time.perf_counter()
    use_cluster(context.cluster, progress=_CLUSTER["progress"])
    observation = check.fn(np.random.default_rng(context.seed), context.scale)
    if not isinstance(observation, Observation):
        raise InvalidCheck(f"simulation {check.name!r} returned {type(observation).__name__}; expected sim.Observation")
    artifacts: tuple[str, ...] = ()
    unlabelled = _unlabelled_axes(observation.plot)
    if observation.plot is not None:
        relative = f"plots/{check.lemma_id}.{check.name}.png"
        path = context.report_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        observation.plot.savefig(path, dpi=110)
        artifacts = (relative,)
    figures = ", ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in observation.figures.items())
    detail = observation.detail + (f" [{figures}]" if figures else "") + f" (scale {context.scale}, seed {context.seed})"
    violation = dict(observation.violation) if observation.violation is not None else None
    outside = [e for e in observation.estimates if not e.within]
    if violation is None and outside:
        violation = {"estimate": outside[0].name, "measured": _plain(outside[0].measured),
                     "claimed": _plain(outside[0].claimed), "deviation": _plain(outside[0].deviation),
                     "tolerance": _plain(outside[0].tolerance)}
    status = Status.REFUTED if violation is not None else Status.TESTED
    facts: dict[str, Any] = {"figures": {k: _plain(v) for k, v in observation.figures.items()}}
    if observation.estimates:
        facts["estimates"] = [e.to_json() for e in observation.estimates]
        shown = "; ".join(f"{e.name}: {e.measured:.4g} against {e.claimed:.4g}, deviation {e.deviation:.2g} "
                          f"(tolerance {e.tolerance:.2g}, power {e.power:.2g}{' relative' if e.relative else ''})"
                          for e in observation.estimates)
        detail += f"; estimates: {shown}"
        blind = [e for e in observation.estimates if not e.sees_its_power]
        if blind and status is Status.TESTED:  # too blunt to see what it declares: no evidence either way
            status = Status.UNKNOWN
            detail += (f"; blind: {', '.join(e.name for e in blind)} cannot detect its declared power (tolerance "
                       f"not below half the power): enlarge the samples")
    if unlabelled:  # a plot a reader cannot read is a defect of the check: shown, never silent
        facts["unlabelled_axes"] = unlabelled
        detail += f"; plot axes without a label: {', '.join(unlabelled)}"
    if observation.slack is not None:
        facts["slack"] = _plain(float(observation.slack))
        facts["loose"] = observation.slack > LOOSE
        detail += f"; slack {observation.slack:.3g}×" + (" (loose)" if observation.slack > LOOSE else "")
    return [Evidence(ENGINE, status, detail, violation, time.perf_counter() - started, artifacts, check.name,
                     facts=facts)]


def _unlabelled_axes(figure: Any) -> list[str]:
    """'1:x', '2:y', … for every axis with data and no label (ticks of names count as a label)."""
    if figure is None:
        return []
    missing = []
    for number, axes in enumerate(figure.axes, start=1):
        if not axes.has_data():
            continue
        if not axes.get_xlabel() and not any(t.get_text() for t in axes.get_xticklabels()
                                            if not t.get_text().replace(".", "").replace("−", "").isdigit()):
            missing.append(f"{number}:x")
        if not axes.get_ylabel():
            missing.append(f"{number}:y")
    return missing


def _plain(value: Any) -> Any:
    """A JSON value: numpy scalars become Python numbers, and infinities and NaN become text."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value if isinstance(value, (int, float, str, bool)) or value is None else str(value)
