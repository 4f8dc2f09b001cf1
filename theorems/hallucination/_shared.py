"""Helpers shared by several claims of the hallucination family: symbols, strategies and functions.
"""

from __future__ import annotations

import math

import numpy as np

from proofs import sim
from simulations import hallucination as toys


def _chains(rng, vocabulary, perturbation):
    data = rng.dirichlet(np.ones(vocabulary), vocabulary)
    model = (1 - perturbation) * data + perturbation * rng.dirichlet(np.ones(vocabulary), vocabulary)
    return model, data, np.ones(vocabulary) / vocabulary


def _binary_entropy(delta):
    return -(delta * math.log2(delta) + (1 - delta) * math.log2(1 - delta)) if 0 < delta < 1 else 0.0


def failure_sets(h, f, abstention_counts):
    wrong = {s for s, (a, b) in enumerate(zip(h, f)) if a != b and (a != toys.ABSTAIN or abstention_counts)}
    abstained = {s for s, a in enumerate(h) if a == toys.ABSTAIN}
    return wrong, abstained


def proportion_compare(name, measured, claimed, trials, power):
    """A sampled proportion against its claimed exact value, within four standard errors of a proportion over
    `trials` independent draws (at least one count's worth), declaring the absolute deviation `power` it detects."""
    tolerance = 4 * math.sqrt(max(claimed * (1 - claimed), 1 / trials) / trials)
    return sim.compare(name, measured, claimed, tolerance=tolerance, power=power)
