"""Needle retrieval with a softmax read-out: the accuracy frontier as the context grows.

N keys are random unit vectors in R^dim; the needle's key is the query direction, so with a
logit scale β every logit β·q·k lies in [−β, β]. The read-out is o = Σ_j α_j v_j over random ±1
value vectors, decoded to the value it is most aligned with: a trial succeeds when that is the
needle's value. A larger β is a larger margin the model can realise.
"""

from __future__ import annotations

import numpy as np

TRIAL_BATCH = 16


def retrieval_accuracy(rng: np.random.Generator, n_keys: int, dim: int, logit_scale: float, trials: int,
                       value_dim: int = 64) -> float:
    """Fraction of trials whose read-out decodes to the needle's value (key 0)."""
    successes = 0
    for start in range(0, trials, TRIAL_BATCH):
        batch = min(TRIAL_BATCH, trials - start)
        keys = rng.standard_normal((batch, n_keys, dim))
        keys /= np.linalg.norm(keys, axis=2, keepdims=True)
        logits = logit_scale * np.einsum("bnd,bd->bn", keys, keys[:, 0, :])
        weights = np.exp(logits - logits.max(axis=1, keepdims=True))
        weights /= weights.sum(axis=1, keepdims=True)
        values = rng.choice([-1.0, 1.0], size=(batch, n_keys, value_dim))
        readout = np.einsum("bn,bnv->bv", weights, values)
        decoded = np.einsum("bv,bnv->bn", readout, values).argmax(axis=1)
        successes += int((decoded == 0).sum())
    return successes / trials


def effective_length(lengths: np.ndarray, accuracy: np.ndarray, threshold: float) -> int:
    """L_eff = the largest swept length whose accuracy is at least `threshold` (0 if none).

    The candidate definition of claims.md E-15, max{ℓ ≤ L : acc(ℓ) ≥ τ}, over a sweep."""
    passing = np.asarray(lengths)[np.asarray(accuracy) >= threshold]
    return int(passing.max()) if passing.size else 0


def needle_attention_by_length(rng: np.random.Generator, max_keys: int, dim: int, logit_scale: float, trials: int,
                               adversarial: bool = False) -> np.ndarray:
    """The needle's softmax weight in every prefix of `trials` rows: entry [t, ℓ − 1] is the weight of
    key 0 in row t cut to its first ℓ keys (the needle and ℓ − 1 distractors), ℓ = 1 … max_keys.

    Keys are random unit vectors and the needle's key is the query direction, as in
    `retrieval_accuracy`, so every logit β·q·k lies in [−β, β]. With `adversarial`, every distractor
    key is −q: all distractor logits are −β, the row that makes the needle's weight smallest. Each
    prefix is an actual softmax row: 1 / (1 + Σ_{j<ℓ} e^{s_j − s_0}), summed cumulatively (the terms
    lie in [e^{−2β}, 1], so the sum is stable). Memory stays TRIAL_BATCH × max_keys × dim."""
    out = np.empty((trials, max_keys))
    for start in range(0, trials, TRIAL_BATCH):
        batch = min(TRIAL_BATCH, trials - start)
        if adversarial:
            logits = np.full((batch, max_keys), -logit_scale)
            logits[:, 0] = logit_scale
        else:
            keys = rng.standard_normal((batch, max_keys, dim))
            keys /= np.linalg.norm(keys, axis=2, keepdims=True)
            logits = logit_scale * np.einsum("bnd,bd->bn", keys, keys[:, 0, :])
        relative = np.exp(logits[:, 1:] - logits[:, :1])  # e^{s_j − s_0} ≤ e^{2β}
        mass = np.concatenate([np.zeros((batch, 1)), np.cumsum(relative, axis=1)], axis=1)
        out[start:start + batch] = 1.0 / (1.0 + mass)
    return out


def needle_logits(rng: np.random.Generator, max_keys: int, dim: int, logit_scale: float, trials: int,
                  adversarial: bool = False) -> np.ndarray:
    """The logit rows behind `needle_attention_by_length` (shape trials × max_keys, the needle's key first):
    β·q·k for random unit keys and the query along key 0, or, with `adversarial`, +β for the needle and −β for
    every other key. A prefix of a row is the context of that length."""
    if adversarial:
        logits = np.full((trials, max_keys), -logit_scale)
        logits[:, 0] = logit_scale
        return logits
    keys = rng.standard_normal((trials, max_keys, dim))
    keys /= np.linalg.norm(keys, axis=2, keepdims=True)
    return logit_scale * np.einsum("bnd,bd->bn", keys, keys[:, 0, :])
