"""The softmax simulations agree with the straightforward materialised computation."""

import math

import numpy as np
import pytest

from simulations import softmax


@pytest.mark.parametrize("law", [softmax.Law("gaussian", 2.0), softmax.Law("student_t", 2.0), softmax.Law("equal")])
def test_streamed_row_statistics_match_the_materialised_row(law):
    n, trials = 10_500, 3  # not a multiple of the chunk: the last chunk is narrower
    streamed = softmax.row_statistics(np.random.default_rng(7), law, n, trials, chunk=1_000)
    rng = np.random.default_rng(7)
    rows = np.concatenate([softmax.LAW_SAMPLERS[law.name](rng, law.scale, np.empty((trials, 1_000))) for _ in range(10)]
                          + [softmax.LAW_SAMPLERS[law.name](rng, law.scale, np.empty((trials, 500)))], axis=1)
    np.testing.assert_allclose(streamed.logsumexp, np.logaddexp.reduce(rows, axis=1), rtol=1e-12)
    np.testing.assert_allclose(streamed.maximum, rows.max(axis=1))
    np.testing.assert_allclose(streamed.mean, rows.mean(axis=1), atol=1e-12)


def test_the_equal_row_needs_exactly_the_equal_margin():
    sweep = softmax.margin_sweep(np.random.default_rng(0), softmax.Law("equal"), np.array([10, 1000]), 2, 0.3)
    np.testing.assert_allclose(sweep.vs_max[:, 0], softmax.equal_margin(np.array([10, 1000]), 0.3))
    assert sweep.slope("vs_max") == pytest.approx(1.0)


def test_the_spread_row_closed_form_matches_the_materialised_softmax():
    margin = softmax.spread_required_margin(1000, 0.7, 3.0)
    assert softmax.attention(0.0, softmax.spread_row(1000, margin, 3.0)) == pytest.approx(0.7, abs=1e-12)


def test_attention_is_stable_for_huge_logits():
    assert softmax.attention(1000.0, np.array([0.0])) == 1.0
    assert softmax.attention(0.0, np.array([1000.0])) == pytest.approx(math.exp(-1000.0), abs=1e-300)


def test_the_bounded_cap_is_reached_by_the_aligned_key_only_in_the_limit():
    best = softmax.best_bounded_attention(np.random.default_rng(1), 50, 8, 10.0, trials=5)
    assert np.all(best <= softmax.bounded_attention_cap(50, 10.0 / math.sqrt(8)))


@pytest.mark.parametrize("kind", ["relative_bias", "rope"])
def test_hand_written_attention_gradients_match_finite_differences(kind):
    from simulations import attention_training as training

    model = training.Model(kind, 12)
    features = model.features(np.arange(13))
    theta = np.random.default_rng(3).standard_normal(model.parameter_count())
    loss = lambda th: training.loss_and_distance_gradient(features @ th, 10, 3)[0]  # noqa: E731
    analytic = features.T @ training.loss_and_distance_gradient(features @ theta, 10, 3)[1]
    numeric = np.array([(loss(theta + 1e-6 * e) - loss(theta - 1e-6 * e)) / 2e-6 for e in np.eye(theta.size)])
    np.testing.assert_allclose(analytic, numeric, atol=1e-7)


def test_needle_accuracy_falls_with_n_at_fixed_scale_and_effective_length_reads_the_sweep():
    from simulations import needle

    rng = np.random.default_rng(5)
    small, large = (needle.retrieval_accuracy(rng, n, 16, 3.0, 64, value_dim=8) for n in (8, 2048))
    assert small > 0.9 > large
    assert needle.effective_length(np.array([10, 20, 40]), np.array([1.0, 0.95, 0.5]), 0.9) == 20
    assert needle.effective_length(np.array([10]), np.array([0.1]), 0.9) == 0


def test_two_stream_gradients_match_finite_differences():
    from simulations import multimodal

    rng = np.random.default_rng(0)
    parameters = {"projector": 0.3 * rng.standard_normal((4, 6)), "embeddings": 0.3 * rng.standard_normal((5, 4)),
                  "query": 0.3 * rng.standard_normal(4), "readout": 0.3 * rng.standard_normal((5, 4))}
    visual, text, label = rng.standard_normal((3, 6)), np.array([1, 3, 3]), 2
    _, analytic, attention = multimodal.two_stream_step(parameters, visual, text, label)
    assert attention.sum() == pytest.approx(1.0)
    for name, values in parameters.items():
        numeric = np.zeros_like(values)
        for index in np.ndindex(values.shape):
            shifted = {k: v.copy() for k, v in parameters.items()}
            shifted[name][index] += 1e-6
            up = multimodal.two_stream_step(shifted, visual, text, label)[0]
            shifted[name][index] -= 2e-6
            down = multimodal.two_stream_step(shifted, visual, text, label)[0]
            numeric[index] = (up - down) / 2e-6
        np.testing.assert_allclose(analytic[name], numeric, atol=1e-7, err_msg=name)


def test_scaling_law_exponent_matches_the_numeric_log_derivative():
    from simulations import multimodal

    law = multimodal.ScalingLaw(1.0, 2.0, 0.3, 0.1, 0.4, floor=0.05)
    n = np.logspace(1, 12, 50)
    numeric = -np.gradient(np.log(law.loss(n)), np.log(n))
    np.testing.assert_allclose(law.effective_exponent(n)[1:-1], numeric[1:-1], rtol=2e-2)
