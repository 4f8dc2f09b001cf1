"""The simulation engine: a seeded run of the phenomenon on toy models, and its plot.

A simulation check receives a `numpy.random.Generator` seeded from the lemma id and the scale
("default", sized to finish in seconds, or "full"), and returns an `Observation`:

    @LEMMA.check("simulation")
    def margin_against_n(rng, scale):
        result = softmax.margin_sweep(rng, ...)
        violation = ...  # the first sampled instance that contradicts the claim, or None
        return sim.Observation(violation=violation, detail=..., figures=..., plot=draw(result))

The status follows from the violation the simulation computed: a violation is `refuted` with
that instance as the counterexample; none is `tested`. A simulation never proves.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping

from proofs.errors import InvalidCheck
from proofs.records import Check, CheckContext
from proofs.status import Evidence, Status

if TYPE_CHECKING:
    from matplotlib.figure import Figure

ENGINE = "simulation"
SCALES = ("default", "full")
LOOSE = 10.0  # a bound with more slack than this is labelled loose on its card


@dataclass(frozen=True)
class Observation:
    """What a simulation saw: a violating instance (or None), a summary, figures, a plot.

    A simulation that checks a bound reports its `slack`: how far the bound is from what was
    measured, as a factor ≥ 1 when it holds (see `slack`); the report labels a bound loose when
    the factor exceeds LOOSE."""

    violation: Mapping[str, Any] | None
    detail: str
    figures: Mapping[str, float] = field(default_factory=dict)
    plot: Figure | None = None
    slack: float | None = None


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


def new_figure(width: float = 7.0, height: float = 4.5) -> Figure:
    """A matplotlib figure that needs no display and no global pyplot state."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def run(check: Check, context: CheckContext) -> list[Evidence]:
    import numpy as np

    started = time.perf_counter()
    observation = check.fn(np.random.default_rng(context.seed), context.scale)
    if not isinstance(observation, Observation):
        raise InvalidCheck(f"simulation {check.name!r} returned {type(observation).__name__}; expected sim.Observation")
    artifacts: tuple[str, ...] = ()
    if observation.plot is not None:
        relative = f"plots/{check.lemma_id}.{check.name}.png"
        path = context.report_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        observation.plot.savefig(path, dpi=110)
        artifacts = (relative,)
    figures = ", ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in observation.figures.items())
    detail = observation.detail + (f" [{figures}]" if figures else "") + f" (scale {context.scale}, seed {context.seed})"
    status = Status.REFUTED if observation.violation is not None else Status.TESTED
    violation = dict(observation.violation) if observation.violation is not None else None
    facts: dict[str, Any] = {"figures": {k: _plain(v) for k, v in observation.figures.items()}}
    if observation.slack is not None:
        facts["slack"] = _plain(float(observation.slack))
        facts["loose"] = observation.slack > LOOSE
        detail += f"; slack {observation.slack:.3g}×" + (" (loose)" if observation.slack > LOOSE else "")
    return [Evidence(ENGINE, status, detail, violation, time.perf_counter() - started, artifacts, check.name,
                     facts=facts)]


def _plain(value: Any) -> Any:
    """A JSON value: numpy scalars become Python numbers, and infinities and NaN become text."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value if isinstance(value, (int, float, str, bool)) or value is None else str(value)
