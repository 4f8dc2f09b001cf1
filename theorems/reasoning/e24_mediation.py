"""E-24, Mediation: indirect effect of chain-of-thought ≈ 0 (§4, Eq. 29 (number guessed)): its readings, variants and corrections.

Each lemma reads top-down: the declaration, then its symbolic checks, property test and simulation.
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from proofs import Claim, lemma, sim
from proofs.statement import And
from simulations import reasoning as toys

BIAS_POWER = 0.1  # the smallest bias of the plug-in NIE estimate the simulation is built to detect

# ---------------------------------------------------------------------------------------------
# E-24: natural effects and their estimator.
# ---------------------------------------------------------------------------------------------

def _effects_add_up(pz0, pz1, py00, py01, py10, py11):
    """NIE + NDE = TE for (x: 0 → 1), each effect by its mediation formula over P(Z=1|x) and P(Y=1|x, z)."""
    py = [[py00, py01], [py10, py11]]
    z1, z0 = [1 - pz1, pz1], [1 - pz0, pz0]
    nie = sum(py[1][z] * (z1[z] - z0[z]) for z in (0, 1))
    nde = sum((py[1][z] - py[0][z]) * z0[z] for z in (0, 1))
    te = sum(py[1][z] * z1[z] for z in (0, 1)) - sum(py[0][z] * z0[z] for z in (0, 1))
    return nie + nde == te


def _tables(model):
    """The claim's parameters for a model's tables."""
    return {"pz0": model.p_z[0], "pz1": model.p_z[1], "py00": model.p_y[0, 0], "py01": model.p_y[0, 1],
            "py10": model.p_y[1, 0], "py11": model.p_y[1, 1]}


MEDIATION = lemma(
    "reasoning.mediation_decomposition",
    title="TE = NIE + NDE, and the plug-in estimator recovers known effects",
    kind="definition",
    paper_ref="§4, Eq. 29 (number guessed)",
    claim_ref="E-24",
    source="reconstructed",
    statement=(
        "Context for E-24 (the measured figure itself is empirical and has no lemma): in the binary mediation model "
        "X → Z → Y with a direct edge, the natural effects $\\mathrm{NIE} = E[Y(1, Z(1))] - E[Y(1, Z(0))]$ and "
        "$\\mathrm{NDE} = E[Y(1, Z(0))] - E[Y(0, Z(0))]$ add up to the total effect, and the plug-in estimator "
        "of the NIE recovers the effect of models whose effects are known."
    ),
    formal=(
        "sympy, from the declared claim: $\\mathrm{NIE} + \\mathrm{NDE} = \\mathrm{TE}$ identically on $[0, 1]^6$. "
        "The property test evaluates the same claim at the plug-in tables estimated from samples, and checks that "
        "the plug-in NIE is within five delta-method standard errors of the known NIE; the simulation evaluates the "
        "claim at every estimated model and compares the mean of the estimates with the true NIE (power 0.1)."
    ),
    interpretation=("Natural (not controlled) effects; x* = 0, x = 1; the estimator is the plug-in mediation formula.",),
    claim=Claim(_effects_add_up, where=lambda pz0, pz1, py00, py01, py10, py11: And(
        *[And(p >= 0, p <= 1) for p in (pz0, pz1, py00, py01, py10, py11)])),
    variables={"seed": "the seed of the random model and its sample"},
    explain=lambda cx: f"the plug-in estimate misses the known NIE by more than five standard errors ({dict(cx)})",
    expect="proved",
)


@MEDIATION.check("sympy")
def effects_add_up():
    symbols = {name: sp.Symbol(name, real=True) for name in ("pz0", "pz1", "py00", "py01", "py10", "py11")}
    return MEDIATION.claim.goal(name="te_is_nie_plus_nde", engine="sympy", **symbols)


@MEDIATION.check("hypothesis")
@settings(max_examples=40)
@given(seed=st.integers(0, 2**32 - 1))
def estimator_is_consistent(seed):
    rng = np.random.default_rng(seed)
    model = toys.random_mediation(rng, positivity=0.1)
    observed = toys.sample(rng, model, 200_000)
    fitted = toys.estimated_model(*observed)  # the plug-in tables
    MEDIATION.claim.require(**_tables(fitted), tolerance=1e-12)
    assert math.isclose(fitted.effects()["NIE"] + fitted.effects()["NDE"], fitted.effects()["TE"], abs_tol=1e-12)
    estimate = toys.estimated_nie(*observed)
    assert abs(estimate - model.effects()["NIE"]) < 5 * toys.nie_standard_error(model, 200_000)


@MEDIATION.check("simulation")
def estimator_bias_and_spread(rng, scale):
    sizes = np.array([300, 1000, 3000, 10_000, 30_000])
    repeats = 60 if scale == "default" else 600
    model = toys.Mediation(0.5, np.array([0.2, 0.8]), np.array([[0.1, 0.6], [0.3, 0.9]]))
    truth = model.effects()["NIE"]
    fits = [[toys.estimated_model(*toys.sample(rng, model, int(n))) for _ in range(repeats)] for n in sizes]
    for row in fits:  # the decomposition at every estimated model
        for fitted in row:
            MEDIATION.claim.require(**_tables(fitted), tolerance=1e-12)
    errors = np.array([[fitted.effects()["NIE"] - truth for fitted in row] for row in fits])
    spread = errors.std(axis=1)
    predicted = np.array([toys.nie_standard_error(model, int(n)) for n in sizes])
    # the mean of `repeats` estimates against the true NIE, within four standard errors of that mean
    estimates = tuple(sim.compare(f"mean NIE estimate[n={n}]", truth + errors[i].mean(), truth,
                                  tolerance=4 * predicted[i] / math.sqrt(repeats), power=BIAS_POWER)
                      for i, n in enumerate(sizes))
    bias = np.abs(errors.mean(axis=1))
    violation = None if spread[-1] < spread[0] else {"spread": spread.tolist()}
    figure = sim.new_figure()
    ax = figure.subplots()
    ax.loglog(sizes, spread, "o-", label="spread of the estimate")
    ax.loglog(sizes, predicted, "k:", label="delta-method standard error")
    ax.loglog(sizes, np.maximum(bias, 1e-5), "s-", label="|bias|")
    ax.set_xlabel("observed units")
    ax.set_ylabel("error of the NIE estimate (log scale)")
    ax.set_title(f"estimating NIE = {truth:.2f}")
    ax.legend()
    return sim.Observation(violation=violation, plot=figure, estimates=estimates,
                           figures={"spread_at_30k": float(spread[-1]), "bias_at_30k": float(bias[-1])},
                           detail="the plug-in NIE estimator's spread falls like 1/√n, its bias stays within noise")
