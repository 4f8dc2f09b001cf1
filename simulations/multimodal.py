"""Toy models of multimodal misalignment (paper §6): pure functions of a seeded Generator.

- two-modality scaling laws and their effective exponent α_eff(N) = −d ln L / d ln N;
- a two-stream attention model trained on a text-only loss: per-modality gradient norms and attention;
- mean-embedding drift between distributions against σ·√KL;
- synthetic scenes in which object co-occurrence predicts a spatial relation in training, and the
  coverage of a combinatorial scene space by a finite training set;
- nearest-neighbour retrieval among N random embeddings and its signal-to-noise ratio, and maxima
  of Gaussian samples (streamed);
- a language prior meeting an ambiguous visual likelihood, with contrastive decoding (vectorised),
  with independent random streams and a two-proportion z statistic for comparisons.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

# -- E-33: scaling laws -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ScalingLaw:
    """L(N_t, N_v) = A·N_t^(−α_t) + B·N_v^(−α_v) + E + c·N_v/N_t, on the path N_t = ρN, N_v = (1−ρ)N."""

    text_scale: float
    vision_scale: float
    alpha_text: float
    alpha_vision: float
    mixture: float = 0.5
    floor: float = 0.0
    interaction: float = 0.0

    def terms(self, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        text = self.text_scale * (self.mixture * n) ** (-self.alpha_text)
        vision = self.vision_scale * ((1 - self.mixture) * n) ** (-self.alpha_vision)
        return text, vision

    def loss(self, n: np.ndarray) -> np.ndarray:
        text, vision = self.terms(n)
        return text + vision + self.floor + self.interaction * (1 - self.mixture) / self.mixture

    def effective_exponent(self, n: np.ndarray) -> np.ndarray:
        """−d ln L/d ln N in closed form: (α_t·a + α_v·b) / L; the interaction is constant on the path."""
        text, vision = self.terms(n)
        return (self.alpha_text * text + self.alpha_vision * vision) / self.loss(n)

    def loss_at(self, text_data: np.ndarray, vision_data: np.ndarray) -> np.ndarray:
        return (self.text_scale * text_data ** (-self.alpha_text) + self.vision_scale * vision_data ** (-self.alpha_vision)
                + self.floor + self.interaction * vision_data / text_data)


def fitted_exponents(rng: np.random.Generator, law: ScalingLaw, n: np.ndarray, noise: float) -> np.ndarray:
    """α_eff estimated from noisy synthetic losses by finite differences of ln L over ln N."""
    observed = law.loss(n) * np.exp(noise * rng.standard_normal(n.size))
    return -np.gradient(np.log(observed), np.log(n))


# -- E-34: gradient dominance in a two-stream model ---------------------------------------------


@dataclass(frozen=True, slots=True)
class DominanceRun:
    vision_gradient: float  # mean ‖∂L/∂P‖ over training, P the vision projector
    text_gradient: float  # mean ‖∂L/∂E‖, E the text embeddings
    vision_attention: float  # mean attention mass per vision token
    text_attention: float  # mean attention mass per text token
    largest_loss: float = 0.0  # the largest per-example loss met: a diverged run is not evidence


def two_stream_step(parameters: dict[str, np.ndarray], visual: np.ndarray, text: np.ndarray, label: int,
                    ) -> tuple[float, dict[str, np.ndarray], np.ndarray]:
    """Loss, gradients and attention weights of one example. Tokens x_j are P·f_j (vision) and E[t]
    (text); attention a = softmax(q·x_j); h = Σ a_j x_j; logits = W h; loss = −ln softmax(logits)[label]."""
    projector, embeddings, query, readout = (parameters[k] for k in ("projector", "embeddings", "query", "readout"))
    tokens = np.concatenate([visual @ projector.T, embeddings[text]])
    scores = tokens @ query
    attention = np.exp(scores - scores.max())
    attention /= attention.sum()
    hidden = attention @ tokens
    logits = readout @ hidden
    shifted = logits - logits.max()
    normaliser = np.log(np.exp(shifted).sum())
    probabilities = np.exp(shifted - normaliser)
    loss = float(normaliser - shifted[label])  # −ln softmax in log space: finite even where p underflows to 0
    residual = probabilities.copy()
    residual[label] -= 1.0
    grad_hidden = readout.T @ residual
    grad_scores = attention * (tokens @ grad_hidden - hidden @ grad_hidden)
    grad_tokens = attention[:, None] * grad_hidden[None, :] + grad_scores[:, None] * query[None, :]
    vision_count = visual.shape[0]
    grad_embeddings = np.zeros_like(embeddings)
    np.add.at(grad_embeddings, text, grad_tokens[vision_count:])
    gradients = {
        "projector": grad_tokens[:vision_count].T @ visual,
        "embeddings": grad_embeddings,
        "query": grad_scores @ tokens,
        "readout": np.outer(residual, hidden),
    }
    return loss, gradients, attention


def train_two_stream(rng: np.random.Generator, vision_tokens: int, text_tokens: int, task: str, steps: int,
                     vocabulary: int = 16, width: int = 16, features: int = 32, step_size: float = 0.5,
                     max_norm: float | None = 1.0) -> DominanceRun:
    """An attention-pooled two-stream next-token model trained on a text-only loss, with the
    hand-written gradients of `two_stream_step`. `task` = "language_prior": the text names the
    answer and the image carries nothing; "grounded": the image decides and the text is noise.
    Vision tokens pass a frozen random encoder, then the trainable projector P.

    Each update is clipped to global norm `max_norm`, as in LLM training: without it plain SGD on
    the grounded task can diverge once attention saturates (losses in the hundreds, then an
    underflowing softmax). The norms recorded are those of the raw gradients, before clipping;
    `largest_loss` records the largest loss met, so a caller can tell a diverged run."""
    encoder = rng.standard_normal((features, 8)) / math.sqrt(8)  # frozen
    parameters = {"projector": 0.1 * rng.standard_normal((width, features)),
                  "embeddings": 0.1 * rng.standard_normal((vocabulary, width)),
                  "query": 0.1 * rng.standard_normal(width),
                  "readout": 0.1 * rng.standard_normal((vocabulary, width))}
    image_classes = rng.standard_normal((vocabulary, 8))
    sums = np.zeros(4)
    largest_loss = 0.0
    for _ in range(steps):
        label = int(rng.integers(vocabulary))
        if task == "language_prior":
            text = np.full(text_tokens, label)
            images = rng.standard_normal((vision_tokens, 8))
        else:
            text = rng.integers(vocabulary, size=text_tokens)
            images = image_classes[label] + 0.3 * rng.standard_normal((vision_tokens, 8))
        visual = np.tanh(images @ encoder.T)
        loss, gradients, attention = two_stream_step(parameters, visual, text, label)
        largest_loss = max(largest_loss, loss)
        sums += [np.linalg.norm(gradients["projector"]), np.linalg.norm(gradients["embeddings"]),
                 attention[:vision_tokens].mean(), attention[vision_tokens:].mean()]
        total = math.sqrt(sum(float(np.sum(g * g)) for g in gradients.values()))
        factor = 1.0 if max_norm is None or total <= max_norm else max_norm / total
        for name, gradient in gradients.items():
            parameters[name] -= step_size * factor * gradient
    return DominanceRun(*(sums / steps), largest_loss=largest_loss)


# -- E-35: semantic drift -----------------------------------------------------------------------


def kl_divergence(p: np.ndarray, q: np.ndarray) -> float:
    mask = p > 0
    return float(np.sum(p[mask] * np.log(p[mask] / q[mask])))


def mean_drift(p: np.ndarray, q: np.ndarray, feature: np.ndarray) -> float:
    """‖E_p φ − E_q φ‖ for a feature map given as one row per support point."""
    return float(np.linalg.norm(p @ feature - q @ feature))


def feature_spread(q: np.ndarray, feature: np.ndarray) -> float:
    """σ_c read as the root of the total variance of φ under the training distribution q."""
    mean = q @ feature
    return float(math.sqrt(max(0.0, q @ np.sum((feature - mean) ** 2, axis=1))))


# -- E-36: co-occurrence shortcuts ---------------------------------------------------------------


def scenes(rng: np.random.Generator, count: int, objects: int, correlation: float) -> tuple[np.ndarray, ...]:
    """Scenes of two objects (a, b) at x-positions; label = 1 when a is left of b.
    With probability `correlation` the pair's identity decides the layout (a < b ⇒ a on the left)."""
    a = rng.integers(objects, size=count)
    b = (a + 1 + rng.integers(objects - 1, size=count)) % objects
    by_identity = (a < b).astype(int)
    random_layout = rng.integers(2, size=count)
    label = np.where(rng.random(count) < correlation, by_identity, random_layout)
    xa, xb = rng.random(count), rng.random(count)
    left, right = np.minimum(xa, xb), np.maximum(xa, xb)
    xa, xb = np.where(label == 1, left, right), np.where(label == 1, right, left)
    return a, b, xa, xb, label


def cooccurrence_classifier(a: np.ndarray, b: np.ndarray, label: np.ndarray, objects: int) -> np.ndarray:
    """ψ(S) = Σ w_ij·1[(o_i, o_j) co-occur]: the majority label of each ordered pair in training."""
    votes = np.zeros((objects, objects))
    counts = np.zeros((objects, objects))
    np.add.at(votes, (a, b), label)
    np.add.at(counts, (a, b), 1)
    return (votes >= counts / 2).astype(int)  # unseen pairs default to 1


def label_kl(train_correlation: float, test_correlation: float) -> float:
    """KL between train and test laws of (pair identity, relation), per scene (uniform pairs)."""
    def law(c):  # P(label agrees with identity order)
        return np.array([(1 + c) / 2, (1 - c) / 2])

    p, q = law(test_correlation), law(train_correlation)
    return kl_divergence(p, q)


# -- E-37: retrieval signal-to-noise ---------------------------------------------------------------


def largest_distractor_scores(rng: np.random.Generator, candidates: int, dim: int, trials: int,
                               chunk: int = 4_000_000) -> np.ndarray:
    """The largest score ⟨q, k⟩ among `candidates` random unit keys k, for a random unit query q,
    once per trial. By rotational invariance the score of a uniform unit key against any fixed unit
    query is distributed as the first coordinate of a uniform unit vector, z₁/√(z₁² + χ²_{d−1}),
    so two draws per key replace d; trials are streamed in chunks of at most `chunk` keys."""
    largest = np.empty(trials)
    per_chunk = max(1, chunk // candidates)
    for start in range(0, trials, per_chunk):
        count = min(per_chunk, trials - start)
        first = rng.standard_normal((count, candidates))
        rest = rng.chisquare(dim - 1, (count, candidates))
        largest[start:start + count] = (first / np.sqrt(first ** 2 + rest)).max(axis=1)
    return largest


def retrieval_snr(rng: np.random.Generator, candidates: int, dim: int, trials: int) -> tuple[float, float]:
    """Amplitude and power SNR of nearest-neighbour retrieval: signal = the matching key's score
    (1, unit vectors), noise = the largest score among `candidates` random unit keys."""
    largest = largest_distractor_scores(rng, candidates, dim, trials)
    return float(1 / largest.mean()), float(1 / np.mean(largest ** 2))


def gaussian_maxima(rng: np.random.Generator, count: int, trials: int, chunk: int = 4_000_000) -> np.ndarray:
    """max of `count` i.i.d. standard normal draws, once per trial, streamed in chunks."""
    maxima = np.empty(trials)
    per_chunk = max(1, chunk // count)
    for start in range(0, trials, per_chunk):
        rows = min(per_chunk, trials - start)
        maxima[start:start + rows] = rng.standard_normal((rows, count)).max(axis=1)
    return maxima


# -- E-38: language prior and contrastive decoding --------------------------------------------------


def decoded_answers(rng: np.random.Generator, ambiguity: float, prior_strength: float, alpha: float,
                    trials: int, answers: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """The decoded answer and the true answer of `trials` independent questions.

    The visual log-likelihood has a peak of height 3·(1 − ambiguity) on the true answer and
    Gaussian noise (sd 0.5) on every answer; the language prior puts `prior_strength` nats on a
    fixed favourite, answer 0, which is never the truth. Contrastive decoding with coefficient α:
    score = (1 + α)·[vision + prior] − α·prior, i.e. (1 + α)·log p(y | v, t) − α·log p(y | t)."""
    truth = rng.integers(1, answers, size=trials)  # the favourite is answer 0, never the truth
    vision = 0.5 * rng.standard_normal((trials, answers))
    vision[np.arange(trials), truth] += 3.0 * (1 - ambiguity)
    prior = np.zeros(answers)
    prior[0] = prior_strength
    score = (1 + alpha) * (vision + prior) - alpha * prior
    return np.argmax(score, axis=1), truth


def prior_following(rng: np.random.Generator, ambiguity: float, prior_strength: float, alpha: float,
                    trials: int, answers: int = 8) -> float:
    """How often the decoded answer is the prior's favourite although the image shows another one."""
    decoded, _ = decoded_answers(rng, ambiguity, prior_strength, alpha, trials, answers)
    return float(np.mean(decoded == 0))


def independent_streams(seed: int, count: int) -> list[np.random.Generator]:
    """`count` statistically independent Generators from one seed (numpy's SeedSequence.spawn), so
    that two arms of a comparison never share their random draws."""
    return [np.random.default_rng(child) for child in np.random.SeedSequence(seed).spawn(count)]


def two_proportion_z(first: float, second: float, trials_first: int, trials_second: int) -> float:
    """z of second − first for two independent binomial rates (unpooled standard error, floored
    at one count so that rates of exactly 0 or 1 do not divide by zero)."""
    variance = first * (1 - first) / trials_first + second * (1 - second) / trials_second
    floor = 1 / min(trials_first, trials_second) ** 2
    return float((second - first) / math.sqrt(max(variance, floor)))


# -- E-36 (c): coverage of a combinatorial scene space ----------------------------------------------


def distinct_scenes(rng: np.random.Generator, objects: int, relations: int, scenes: int) -> int:
    """How many distinct scenes among `scenes` random ones: each unordered pair of `objects` objects
    gets one of `relations` relation labels independently and uniformly."""
    pairs = objects * (objects - 1) // 2
    labels = rng.integers(relations, size=(scenes, pairs), dtype=np.int8)
    return int(np.unique(labels, axis=0).shape[0])


# -- E-33: what a law's numbers say, measured rather than read off a closed form -------------------


def measured_exponent(law: ScalingLaw, n: np.ndarray, step: float = 1e-4) -> np.ndarray:
    """α_eff = −d ln L/d ln N measured by a central difference of the law's own loss in ln N (not
    the closed form of `ScalingLaw.effective_exponent`); `law` may hold columns of laws."""
    up, down = law.loss(n * math.exp(step)), law.loss(n * math.exp(-step))
    return -(np.log(up) - np.log(down)) / (2 * step)


def measured_reducible_exponent(law: ScalingLaw, n: np.ndarray, step: float = 1e-4) -> np.ndarray:
    """−d ln(L − L(∞))/d ln N by a central difference of the law's two decaying terms (their sum is
    the reducible loss; subtracting the floor from L would cancel catastrophically at large N)."""
    def reducible(points: np.ndarray) -> np.ndarray:
        text, vision = law.terms(points)
        return text + vision

    return -(np.log(reducible(n * math.exp(step))) - np.log(reducible(n * math.exp(-step)))) / (2 * step)


def loss_shares(law: ScalingLaw, n: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The shares of the loss held by the text term, the vision term and the constant rest (a floor
    E, or an interaction term that is constant along the mixture path): they sum to 1."""
    text, vision = law.terms(n)
    total = law.loss(n)
    return text / total, vision / total, (total - text - vision) / total


def measured_vision_slope(law: ScalingLaw, text_data: float, vision_data: np.ndarray,
                          relative_step: float = 1e-5) -> np.ndarray:
    """∂L/∂N_v measured by a central difference of `ScalingLaw.loss_at` (not its closed form)."""
    step = relative_step * vision_data
    text = np.full_like(vision_data, text_data, dtype=float)
    return (law.loss_at(text, vision_data + step) - law.loss_at(text, vision_data - step)) / (2 * step)


# -- E-36: laws of (pair, relation) and what a learned rule scores under them -----------------------------


def scene_law(objects: int, correlation: Any, pair_weights: np.ndarray | None = None) -> np.ndarray:
    """P(a, b, label) over ordered pairs a ≠ b and label ∈ {0, 1} (1: a left of b), shape
    (objects, objects, 2). The pair is drawn with `pair_weights` (uniform over a ≠ b by default); then
    with probability `correlation` (a number, or one per pair; negative values reverse it) the label
    agrees with the identity order a < b, else it is a fair coin: P(label = 1[a < b]) = (1 + c)/2, as in
    `scenes`."""
    weights = np.ones((objects, objects)) if pair_weights is None else np.array(pair_weights, dtype=float)
    np.fill_diagonal(weights, 0.0)
    weights /= weights.sum()
    agree = (1 + np.broadcast_to(np.asarray(correlation, dtype=float), (objects, objects))) / 2
    by_identity = np.triu(np.ones((objects, objects), dtype=bool), 1)  # a < b
    law = np.empty((objects, objects, 2))
    law[..., 1] = weights * np.where(by_identity, agree, 1 - agree)
    law[..., 0] = weights * np.where(by_identity, 1 - agree, agree)
    return law


def rule_accuracy(rule: np.ndarray, law: np.ndarray) -> float:
    """The expected accuracy of a rule (one label per ordered pair) under a law of `scene_law`."""
    objects = rule.shape[0]
    a, b = np.meshgrid(np.arange(objects), np.arange(objects), indexing="ij")
    return float(law[a, b, rule].sum())


def rule_correctness(rule: np.ndarray) -> np.ndarray:
    """1 where the rule's label is the outcome's, per outcome (a, b, label), in the layout of `scene_law`."""
    correct = np.zeros(rule.shape + (2,))
    a, b = np.meshgrid(np.arange(rule.shape[0]), np.arange(rule.shape[0]), indexing="ij")
    correct[a, b, rule] = 1.0
    return correct


def law_kl(test: np.ndarray, train: np.ndarray) -> float:
    """KL(test ‖ train) of two laws of `scene_law` (∞ if the test law puts mass where training has none)."""
    mask = test > 0
    if np.any(train[mask] <= 0):
        return math.inf
    return float(np.sum(test[mask] * np.log(test[mask] / train[mask])))


# -- E-38: the scores behind a decision, materialised ------------------------------------------------------


def visual_noise(rng: np.random.Generator, trials: int, answers: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """The visual noise (sd 0.5 on every answer) and the true answer of `trials` questions, drawn as
    `decoded_answers` draws them; the true answer's peak 3·(1 − ambiguity) is added by `decode`."""
    truth = rng.integers(1, answers, size=trials)
    return 0.5 * rng.standard_normal((trials, answers)), truth


def decode(noise: np.ndarray, truth: np.ndarray, ambiguity: float, prior_strength: float, alpha: float) -> np.ndarray:
    """The answer `decoded_answers` would give on these draws: argmax of (1 + α)·[vision + prior] − α·prior,
    with the prior's `prior_strength` nats on answer 0."""
    vision = noise.copy()
    vision[np.arange(truth.size), truth] += 3.0 * (1 - ambiguity)
    prior = np.zeros(noise.shape[1])
    prior[0] = prior_strength
    return np.argmax((1 + alpha) * (vision + prior) - alpha * prior, axis=1)


def favourite_truth_rest(noise: np.ndarray, truth: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per question: the favourite's (answer 0's) visual noise, the true answer's (without its peak), and
    the largest among the other answers."""
    rows = np.arange(truth.size)
    others = noise.copy()
    others[:, 0] = -np.inf
    others[rows, truth] = -np.inf
    return noise[:, 0], noise[rows, truth], others.max(axis=1)
