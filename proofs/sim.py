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

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping

from proofs.status import Evidence, Status

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from proofs.checks import CheckContext
    from proofs.lemma import Check

ENGINE = "simulation"
SCALES = ("default", "full")


@dataclass(frozen=True)
class Observation:
    """What a simulation saw: a violating instance (or None), a summary, figures, a plot."""

    violation: Mapping[str, Any] | None
    detail: str
    figures: Mapping[str, float] = field(default_factory=dict)
    plot: Figure | None = None


def new_figure(width: float = 7.0, height: float = 4.5) -> Figure:
    """A matplotlib figure that needs no display and no global pyplot state."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def run(check: Check, context: CheckContext) -> list[Evidence]:
    import numpy as np

    started = time.perf_counter()
    observation = check.fn(np.random.default_rng(context.seed), context.scale)
    if not isinstance(observation, Observation):
        raise TypeError(f"simulation {check.name!r} returned {type(observation).__name__}; expected sim.Observation")
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
    return [Evidence(ENGINE, status, detail, violation, time.perf_counter() - started, artifacts, check.name)]
