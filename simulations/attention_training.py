"""A one-head, content-free causal attention layer trained with hand-written gradients.

The score of query position i for key position j depends on the distance d = i − j through
one of two parameterisations:

- `relative_bias`: one learned number per distance, s_d = b_d (position-specific, T5-style);
- `rope`: frequency weights shared by every distance, s_d = Σ_k a_k cos(θ_k d) + c_k sin(θ_k d),
  which is q·R_d k for learned content-free q, k under RoPE with θ_k = 10000^(−2k/dim).

The task is fixed-offset retrieval: every query i ≥ `target` must attend to key i − target,
with loss −ln α_{i,i−target} averaged over queries. The gradient with respect to the scores is
α − onehot, summed per distance; everything else is the chain rule, written out below and
checked against finite differences in the tests.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulations.positions import geometric_grid

PARAMETERISATIONS = ("relative_bias", "rope")


@dataclass(frozen=True, slots=True)
class Model:
    kind: str
    max_distance: int
    dim: int = 16  # RoPE width: dim/2 frequencies, each with a cosine and a sine weight

    def features(self, distances: np.ndarray) -> np.ndarray:
        """Φ[d] such that s_d = Φ[d] · θ; for the relative bias Φ is the identity."""
        distances = np.asarray(distances)
        if self.kind == "relative_bias":
            return np.eye(self.max_distance + 1)[distances]
        theta = geometric_grid(self.dim)
        angles = np.outer(distances, theta)
        return np.concatenate([np.cos(angles), np.sin(angles)], axis=1)

    def parameter_count(self) -> int:
        return self.max_distance + 1 if self.kind == "relative_bias" else self.dim

    @property
    def score_lipschitz(self) -> float:
        """L_a: |s_d(θ) − s_d(θ')| ≤ L_a ‖θ − θ'‖ for every d (Cauchy–Schwarz on Φ[d])."""
        return 1.0 if self.kind == "relative_bias" else float(np.sqrt(self.dim // 2))


def loss_and_distance_gradient(scores_by_distance: np.ndarray, length: int, target: int) -> tuple[float, np.ndarray]:
    """Mean retrieval loss over the queries of one sequence, and ∂loss/∂s_d for every d."""
    queries = np.arange(target, length)
    keys = np.arange(length)
    distance = queries[:, None] - keys[None, :]
    causal = distance >= 0
    scores = np.where(causal, scores_by_distance[np.clip(distance, 0, None)], -np.inf)
    scores -= scores.max(axis=1, keepdims=True)
    weights = np.exp(scores)
    weights /= weights.sum(axis=1, keepdims=True)
    loss = float(-np.log(weights[np.arange(queries.size), queries - target]).mean())
    residual = weights.copy()
    residual[np.arange(queries.size), queries - target] -= 1.0
    gradient = np.zeros_like(scores_by_distance)
    np.add.at(gradient, distance[causal], residual[causal] / queries.size)
    return loss, gradient


@dataclass(frozen=True, slots=True)
class TrainingRun:
    initial: np.ndarray  # parameters before training
    final: np.ndarray
    contributed: np.ndarray  # per distance: the number of steps whose sequence contained it
    largest_gradient_norm: float  # C, measured
    steps: int
    step_size: float


def train(rng: np.random.Generator, model: Model, lengths: np.ndarray, steps: int, step_size: float,
          target: int) -> TrainingRun:
    """Plain SGD, one sequence per step, its length drawn from `lengths`."""
    features = model.features(np.arange(model.max_distance + 1))
    parameters = 0.1 * rng.standard_normal(model.parameter_count())
    initial = parameters.copy()
    contributed = np.zeros(model.max_distance + 1)
    largest = 0.0
    for length in rng.choice(lengths, size=steps):
        _, distance_gradient = loss_and_distance_gradient(features @ parameters, int(length), target)
        gradient = features.T @ distance_gradient
        largest = max(largest, float(np.linalg.norm(gradient)))
        parameters -= step_size * gradient
        contributed[: int(length)] += 1  # distances 0..length−1 occur in this sequence
    return TrainingRun(initial, parameters, contributed, largest, steps, step_size)


def score_change(model: Model, run: TrainingRun) -> np.ndarray:
    """|s_d(θ_T) − s_d(θ_0)| for every distance d."""
    features = model.features(np.arange(model.max_distance + 1))
    return np.abs(features @ (run.final - run.initial))


def evaluation_loss(model: Model, parameters: np.ndarray, length: int, target: int, scale: float = 1.0) -> float:
    """Retrieval loss at `length`; `scale` < 1 is position interpolation (distances shrunk)."""
    distances = np.arange(length) * scale
    if model.kind == "relative_bias":
        scores = parameters[np.clip(np.round(distances).astype(int), 0, model.max_distance)]
    else:
        scores = model.features(distances) @ parameters
    return loss_and_distance_gradient(scores, length, target)[0]
