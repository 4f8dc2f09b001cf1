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


def estimated_model(x: np.ndarray, z: np.ndarray, y: np.ndarray) -> Mediation:
    """The plug-in model: the empirical tables of observed (x, z, y) (0 for an unobserved cell)."""
    p_z = np.array([z[x == v].mean() for v in (0, 1)])
    p_y = np.array([[y[(x == v) & (z == w)].mean() if np.any((x == v) & (z == w)) else 0.0 for w in (0, 1)]
                    for v in (0, 1)])
    return Mediation(float(x.mean()), p_z, p_y)


def estimated_nie(x: np.ndarray, z: np.ndarray, y: np.ndarray) -> float:
    """Plug-in mediation-formula estimate of the NIE from observed (x, z, y)."""
    return estimated_model(x, z, y).effects()["NIE"]


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


# -- identification from the joint law (E-23) -------------------------------------------------------


def nie_from_joint(joint: np.ndarray) -> float:
    """The NIE (x: 0 → 1) read off the joint law P(Z = z, Y = y | X = x), given as an array [x, z, y]
    and nothing else: Σ_z P(Y=1 | 1, z)·(P(z | 1) − P(z | 0)), with P(Y=1 | 1, z) taken as 0 where
    P(z | 1) = 0 (there the joint says nothing about it)."""
    z_law = joint.sum(axis=2)  # [x, z]
    with np.errstate(divide="ignore", invalid="ignore"):
        outcome = np.where(z_law[1] > 0, joint[1, :, 1] / z_law[1], 0.0)
    return float(outcome @ (z_law[1] - z_law[0]))


def joint_twin(rng: np.random.Generator, model: Mediation) -> Mediation:
    """Another model with the same joint law P(Z, Y | X) as `model`: P(Y | x, z) is redrawn wherever
    P(z | x) = 0 (the joint never sees it), and so is P(X = 1), which the conditional law ignores."""
    p_y = model.p_y.copy()
    z_law = np.stack([1 - model.p_z, model.p_z], axis=1)
    unseen = z_law == 0
    p_y[unseen] = rng.uniform(0, 1, int(unseen.sum()))
    return Mediation(float(rng.uniform(0.2, 0.8)), model.p_z.copy(), p_y)


def sampled_answer_rate(rng: np.random.Generator, model: Mediation, units: int,
                        chunk: int = 1_000_000) -> tuple[np.ndarray, np.ndarray]:
    """Count of units and of answers Y = 1 per question x, from `units` samples of the causal model,
    drawn in chunks so that memory does not grow with `units`."""
    counts, answers = np.zeros(2), np.zeros(2)
    for start in range(0, units, chunk):
        x, _, y = sample(rng, model, min(chunk, units - start))
        counts += np.bincount(x, minlength=2)
        answers += np.bincount(x, weights=y, minlength=2)
    return counts, answers


def sampled_tables(rng: np.random.Generator, model: Mediation, units: int,
                   chunk: int = 1_000_000) -> np.ndarray:
    """Counts of (x, z, y) from `units` samples, streamed in chunks: an array [x, z, y]."""
    table = np.zeros((2, 2, 2))
    for start in range(0, units, chunk):
        x, z, y = sample(rng, model, min(chunk, units - start))
        table += np.bincount(4 * x + 2 * z + y, minlength=8).reshape(2, 2, 2)
    return table


def nie_from_counts(table: np.ndarray) -> float:
    """The plug-in NIE from counts of (x, z, y): the identification formula on the empirical joint."""
    joint = table / table.sum(axis=(1, 2), keepdims=True)
    return nie_from_joint(joint)


# -- outcome rewards on general finite policies (E-25) ----------------------------------------------


def policies_with_same_answer_marginal(rng: np.random.Generator, questions: int, traces_first: int,
                                       traces_second: int, answers: int) -> tuple[np.ndarray, np.ndarray]:
    """Two policies π(z, ŷ | x), arrays [x, z, ŷ], with the same answer marginal π(ŷ | x) and
    otherwise unrelated chains: different numbers of traces, a fresh trace law, and answer laws
    π₂(ŷ | x, z) = π(ŷ | x) + t·δ_z with random directions δ_z that average to 0 under π₂(z | x)."""
    first = rng.dirichlet(np.ones(traces_first * answers), questions).reshape(questions, traces_first, answers)
    marginal = first.sum(axis=1)  # [x, ŷ]
    trace_law = rng.dirichlet(np.ones(traces_second), questions)  # [x, z]
    direction = rng.standard_normal((questions, traces_second, answers))
    direction -= direction.mean(axis=2, keepdims=True)  # each δ_z sums to 0 over answers
    direction -= (trace_law[:, :, None] * direction).sum(axis=1, keepdims=True)  # and averages to 0 over z
    with np.errstate(divide="ignore", invalid="ignore"):
        room = np.where(direction < 0, marginal[:, None, :] / -direction, np.inf).min(axis=(1, 2))
    step = rng.uniform(0, 1, questions) * np.minimum(room, 1e6)
    conditional = np.clip(marginal[:, None, :] + step[:, None, None] * direction, 0, None)
    conditional /= conditional.sum(axis=2, keepdims=True)
    return first, trace_law[:, :, None] * conditional


def outcome_reward(policy: np.ndarray, truth: np.ndarray, weights: np.ndarray) -> float:
    """J(π) = E_x E_{(Z, Ŷ) ∼ π(·|x)} [1(Ŷ = y(x))], by summing over every (x, z, ŷ)."""
    questions, traces, answers = policy.shape
    indicator = (np.arange(answers)[None, None, :] == truth[:, None, None]).astype(float)
    return float(np.einsum("x,xza,xza->", weights, policy, np.broadcast_to(indicator, policy.shape)))


def process_reward(policy: np.ndarray, truth: np.ndarray, weights: np.ndarray) -> float:
    """A reward that also reads the chain: 1(Ŷ = y(x))·1(Z = 0), trace 0 standing for the valid derivation."""
    return float(np.sum(weights * policy[np.arange(policy.shape[0]), 0, truth]))


def sample_episodes(rng: np.random.Generator, policy: np.ndarray, weights: np.ndarray,
                    episodes: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Episodes (x, z, ŷ) drawn from the question law `weights` and the policy π(z, ŷ | x)."""
    questions, traces, answers = policy.shape
    x = rng.choice(questions, size=episodes, p=weights)
    z, guess = np.empty(episodes, int), np.empty(episodes, int)
    for question in range(questions):
        chosen = np.flatnonzero(x == question)
        cells = rng.choice(traces * answers, size=chosen.size, p=policy[question].ravel() / policy[question].sum())
        z[chosen], guess[chosen] = np.divmod(cells, answers)
    return x, z, guess


# -- the next-token loss of a sequence, from a joint law over sequences (E-22) ---------------------------


def sequence_loss(joint: np.ndarray, sequence: tuple[int, ...]) -> float:
    """−Σ_t log p(x_t | x_<t) for a law over sequences given as an array of shape (V,)*T, each
    conditional computed from prefix marginals of the joint: p(x_t | x_<t) = P(x_≤t) / P(x_<t)."""
    loss, previous = 0.0, 1.0
    for t in range(len(sequence)):
        prefix = float(np.sum(joint[tuple(sequence[: t + 1])]))
        loss -= np.log(prefix / previous)
        previous = prefix
    return float(loss)


def nie_standard_error(model: Mediation, units: int) -> float:
    """The delta-method standard error of the plug-in NIE = (p̂_y[1][1] − p̂_y[1][0])·(p̂_z[1] − p̂_z[0])
    from `units` observed (x, z, y), plus 1/units for the second-order terms."""
    p_x = np.array([1 - model.p_x, model.p_x])
    z_law = np.stack([1 - model.p_z, model.p_z], axis=1)
    outcome_gap, step_gap = model.p_y[1, 1] - model.p_y[1, 0], model.p_z[1] - model.p_z[0]
    var_outcome = sum(model.p_y[1, z] * (1 - model.p_y[1, z]) / (units * p_x[1] * z_law[1, z]) for z in (0, 1))
    var_step = sum(model.p_z[x] * (1 - model.p_z[x]) / (units * p_x[x]) for x in (0, 1))
    return float(np.sqrt(step_gap ** 2 * var_outcome + outcome_gap ** 2 * var_step) + 1 / units)


def token_losses(joint: np.ndarray, sequence: tuple[int, ...]) -> list[float]:
    """The per-token losses −log p(x_t | x_<t) of a sequence under a law over sequences (an array of
    shape (V,)*T), each conditional computed from prefix marginals; they sum to `sequence_loss`."""
    losses, previous = [], 1.0
    for t in range(len(sequence)):
        prefix = float(np.sum(joint[tuple(sequence[: t + 1])]))
        losses.append(float(-np.log(prefix / previous)))
        previous = prefix
    return losses
