"""Toy models of reasoning degradation (paper §4): chains of thought as mediators.

A binary structural causal model X → Z → Y with a direct edge X → Y is three tables:
P(X = 1), P(Z = 1 | X = x) and P(Y = 1 | X = x, Z = z). Natural effects are computed exactly
by intervention (the mediation formula, exact for this model class), and estimated from
samples; a tabular policy emitting a trace Z and an answer Ŷ is trained by REINFORCE with an
outcome-only reward or with a reward on the whole chain.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class Mediation:
    """P(X=1), P(Z=1|x) for x = 0, 1, and P(Y=1|x, z) as a 2×2 table."""

    p_x: float
    p_z: np.ndarray  # shape (2,)
    p_y: np.ndarray  # shape (2, 2), [x, z]

    def answer_given_question(self) -> np.ndarray:
        """P(Y=1 | X=x) = Σ_z P(Y=1|x,z)·P(z|x): the likelihood the next-token objective sees."""
        z_law = np.stack([1 - self.p_z, self.p_z], axis=1)  # [x, z]
        return np.sum(self.p_y * z_law, axis=1)

    def joint_chain(self) -> np.ndarray:
        """P(Z=z, Y=y | X=x) as an array [x, z, y]: what supervising the chain sees."""
        z_law = np.stack([1 - self.p_z, self.p_z], axis=1)
        y_law = np.stack([1 - self.p_y, self.p_y], axis=2)
        return z_law[:, :, None] * y_law

    def effects(self, treated: int = 1, reference: int = 0) -> dict[str, float]:
        """Natural indirect, direct and total effects of moving X from `reference` to `treated`."""
        z_treated = np.array([1 - self.p_z[treated], self.p_z[treated]])
        z_reference = np.array([1 - self.p_z[reference], self.p_z[reference]])
        nie = float(self.p_y[treated] @ (z_treated - z_reference))
        nde = float((self.p_y[treated] - self.p_y[reference]) @ z_reference)
        total = float(self.p_y[treated] @ z_treated - self.p_y[reference] @ z_reference)
        return {"NIE": nie, "NDE": nde, "TE": total}


def random_mediation(rng: np.random.Generator, positivity: float = 0.0) -> Mediation:
    low, high = positivity, 1 - positivity
    return Mediation(float(rng.uniform(0.2, 0.8)), rng.uniform(low, high, 2), rng.uniform(0, 1, (2, 2)))


def sample(rng: np.random.Generator, model: Mediation, units: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x = (rng.random(units) < model.p_x).astype(int)
    z = (rng.random(units) < model.p_z[x]).astype(int)
    y = (rng.random(units) < model.p_y[x, z]).astype(int)
    return x, z, y


def estimated_nie(x: np.ndarray, z: np.ndarray, y: np.ndarray) -> float:
    """Plug-in mediation-formula estimate of the NIE from observed (x, z, y)."""
    p_z = np.array([z[x == v].mean() for v in (0, 1)])
    p_y = np.array([[y[(x == v) & (z == w)].mean() if np.any((x == v) & (z == w)) else 0.0 for w in (0, 1)]
                    for v in (0, 1)])
    return Mediation(float(x.mean()), p_z, p_y).effects()["NIE"]


# -- outcome-only reward against a reward on the chain ---------------------------------------------


@dataclass(frozen=True, slots=True)
class Policy:
    """Tabular logits: trace[x, z] for π(z|x) and answer[x, z, ŷ] for π(ŷ|x, z)."""

    trace: np.ndarray
    answer: np.ndarray


def _softmax(logits: np.ndarray) -> np.ndarray:
    weights = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return weights / weights.sum(axis=-1, keepdims=True)


def train_policy(rng: np.random.Generator, questions: int, reward: str, steps: int, step_size: float = 0.5) -> Policy:
    """REINFORCE on questions x ∈ {0..questions−1} whose answer is x mod 2. `reward` = "outcome":
    1[ŷ correct]; "chain": 1[z states the answer]·1[ŷ = z] (a valid chain that reaches it)."""
    policy = Policy(0.01 * rng.standard_normal((questions, 2)), 0.01 * rng.standard_normal((questions, 2, 2)))
    for _ in range(steps):
        x = int(rng.integers(questions))
        truth = x % 2
        trace_law = _softmax(policy.trace[x])
        z = int(rng.random() < trace_law[1])
        answer_law = _softmax(policy.answer[x, z])
        guess = int(rng.random() < answer_law[1])
        gain = float(guess == truth) if reward == "outcome" else float(z == truth and guess == z)
        # ∇ log π for a softmax over two actions: onehot − probabilities
        policy.trace[x] += step_size * gain * (np.eye(2)[z] - trace_law)
        policy.answer[x, z] += step_size * gain * (np.eye(2)[guess] - answer_law)
    return policy


def policy_nie(policy: Policy) -> float:
    """Mean over questions of P(ŷ = 1 | x, Z(x)) − P(ŷ = 1 | x, Z(x')) with x' = x + 1 (the other
    answer): how much swapping in another question's trace moves the answer."""
    questions = policy.trace.shape[0]
    trace = _softmax(policy.trace)[:, 1]  # P(z = 1 | x)
    answer = _softmax(policy.answer)[:, :, 1]  # P(ŷ = 1 | x, z)
    effects = []
    for x in range(questions):
        other = (x + 1) % questions
        own = answer[x, 1] * trace[x] + answer[x, 0] * (1 - trace[x])
        swapped = answer[x, 1] * trace[other] + answer[x, 0] * (1 - trace[other])
        effects.append(abs(own - swapped))
    return float(np.mean(effects))


def policy_accuracy(policy: Policy) -> float:
    questions = policy.trace.shape[0]
    trace, answer = _softmax(policy.trace)[:, 1], _softmax(policy.answer)[:, :, 1]
    right = [(answer[x, 1] * trace[x] + answer[x, 0] * (1 - trace[x])) if x % 2 else
             1 - (answer[x, 1] * trace[x] + answer[x, 0] * (1 - trace[x])) for x in range(questions)]
    return float(np.mean(right))


# -- pattern completion against inference (E-27) ---------------------------------------------------


def syllogism_corpus(rng: np.random.Generator, count: int, surface_agreement: float) -> tuple[np.ndarray, np.ndarray]:
    """Premise pairs (a→b, b→c) over 8 symbols with a query 'a→c?'; the label is entailment. A
    surface cue (the query's symbols co-occur in the premises) agrees with the label with
    probability `surface_agreement`. Features: [cue, entailed] as two bits."""
    entailed = rng.integers(2, size=count)
    cue = np.where(rng.random(count) < surface_agreement, entailed, 1 - entailed)
    return np.stack([cue, entailed], axis=1), entailed


def likelihood_learner(features: np.ndarray, labels: np.ndarray, uses_structure: bool) -> np.ndarray:
    """A count-based next-token learner: P(label | visible features). The pattern completer sees
    only the surface cue; the reasoner also sees whether the chain entails the query."""
    columns = [0, 1] if uses_structure else [0]
    keys = features[:, columns] @ (2 ** np.arange(len(columns)))
    table = np.array([labels[keys == k].mean() if np.any(keys == k) else 0.5 for k in range(2 ** len(columns))])
    return table


def learner_accuracy(table: np.ndarray, features: np.ndarray, labels: np.ndarray, uses_structure: bool) -> float:
    columns = [0, 1] if uses_structure else [0]
    keys = features[:, columns] @ (2 ** np.arange(len(columns)))
    return float(((table[keys] >= 0.5).astype(int) == labels).mean())
