"""helpers.deepstack: the stack against an independent reference, the gain rescaling, the theory."""
import math

import numpy as np
import pytest
from matplotlib.figure import Figure

from helpers import gradcheck
from helpers.lesson04 import deepstack


def _reference_forward(x, weights):
    """conv ("same" padding) + ReLU per layer with np.correlate, sample by sample, channel by channel."""
    h = x
    for w in weights:
        pad = (w.shape[-1] - 1) // 2
        out = np.zeros((h.shape[0], w.shape[0], h.shape[2]))
        for n in range(h.shape[0]):
            for o in range(w.shape[0]):
                out[n, o] = sum(np.correlate(np.pad(h[n, c], pad), w[o, c], "valid") for c in range(h.shape[1]))
        h = np.maximum(out, 0.0)
    return h


def test_forward_statistics_match_a_reference(rng):
    x = rng.normal(size=(2, 3, 9))
    weights = [rng.normal(size=(3, 3, 3)) * 0.6 for _ in range(4)]
    out = deepstack.run_stack(x, weights)
    for depth in range(1, 5):
        ref = _reference_forward(x, weights[:depth])
        assert out["act_rms"][depth - 1] == pytest.approx(math.sqrt(np.mean(ref ** 2)), rel=1e-12)
        assert out["act_mean"][depth - 1] == pytest.approx(ref.mean(), rel=1e-12)
        assert out["act_std"][depth - 1] == pytest.approx(ref.std(), rel=1e-12)


def test_backward_is_the_gradient_of_sum_h_times_g(rng):
    x = rng.normal(size=(1, 2, 7))
    weights = [rng.normal(size=(2, 2, 3)) for _ in range(3)]
    g = rng.normal(size=(1, 2, 7))
    out = deepstack.run_stack(x, weights, upstream=g, depths=[3])
    numeric = gradcheck.numerical_gradient(lambda v: np.sum(_reference_forward(v, weights) * g), x)
    assert out["grad_rms"][3][0] == pytest.approx(math.sqrt(np.mean(numeric ** 2)), rel=1e-6)
    assert out["grad_rms"][3][-1] == pytest.approx(math.sqrt(np.mean(g ** 2)))


def test_gain_rescaling_is_exact():
    stats = deepstack.precompute(max_depth=12, depth_step=6, channels=4, networks=2, length=10,
                                 schemes=["glorot_uniform"])
    act, grad = deepstack.stats_at(stats, "glorot_uniform", 1.7, 12)
    # direct: the same weights (same seeds) drawn with the gain
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 4, 10))
    up = rng.normal(size=(2, 4, 10))
    wrng = np.random.default_rng(1)
    runs = [deepstack.run_stack(x, deepstack.stack_weights("glorot_uniform", 12, 4, 3, rng=wrng, gain=1.7), up, [12])
            for _ in range(2)]
    np.testing.assert_allclose(act, np.sqrt(np.mean([r["act_rms"] ** 2 for r in runs], axis=0)), rtol=1e-10)
    np.testing.assert_allclose(grad, np.sqrt(np.mean([r["grad_rms"][12] ** 2 for r in runs], axis=0)), rtol=1e-10)
    # the pooled std is the std of all networks' activations together: RMS^2 - mean^2
    pooled_mean = np.mean([r["act_mean"] for r in runs], axis=0) / 1.7 ** np.arange(1, 13)
    np.testing.assert_allclose(stats.act_mean["glorot_uniform"], pooled_mean, rtol=1e-10)


def test_zeros_scheme_is_dead_and_predicted_factors():
    stats = deepstack.precompute(max_depth=4, depth_step=2, channels=4, networks=1, length=8, schemes=["zeros"])
    assert not np.any(stats.act_rms["zeros"]) and not np.any(stats.grad_rms["zeros"][4][:-1])
    assert deepstack.predicted_factor("he_normal") == pytest.approx(1.0)
    assert deepstack.predicted_factor("glorot_uniform") == pytest.approx(math.sqrt(0.5))
    assert deepstack.predicted_factor("pytorch_default") == pytest.approx(math.sqrt(1 / 6))
    assert deepstack.predicted_factor("he_normal", gain=1.5) == pytest.approx(1.5)


def test_mean_field_prediction_holds_for_wide_shallow_stacks():
    # wide and shallow: finite-width drift is small, so the measured factor is the predicted one
    stats = deepstack.precompute(max_depth=6, depth_step=6, channels=96, networks=3, length=16,
                                 schemes=["he_normal", "glorot_uniform", "pytorch_default"])
    for name in ("he_normal", "glorot_uniform", "pytorch_default"):
        measured = deepstack.measured_factor([stats.input_rms, *stats.act_rms[name]])
        assert measured == pytest.approx(deepstack.predicted_factor(name, channels=96), rel=0.08), name


def test_measured_factor():
    assert deepstack.measured_factor(0.5 ** np.arange(10)) == pytest.approx(0.5)
    assert deepstack.measured_factor(np.zeros(5)) == 0.0


def test_stats_at_refuses_what_was_not_computed():
    stats = deepstack.precompute(max_depth=4, depth_step=2, channels=2, networks=1, length=6, schemes=["he_normal"])
    with pytest.raises(ValueError, match="multiple of 2"):
        deepstack.stats_at(stats, "he_normal", 1.0, 3)
    with pytest.raises(ValueError, match="unknown scheme"):
        deepstack.stats_at(stats, "normal", 1.0, 2)
    with pytest.raises(ValueError, match="gain"):
        deepstack.stats_at(stats, "he_normal", 0.0, 2)
    with pytest.raises(ValueError, match="depths"):
        deepstack.run_stack(np.ones((1, 2, 4)), [np.ones((2, 2, 3))], depths=[2])


def test_draw_stack_plots_every_living_scheme():
    stats = deepstack.precompute(max_depth=10, depth_step=5, channels=4, networks=1, length=8,
                                 schemes=["zeros", "he_normal", "glorot_uniform"])
    fig = Figure(figsize=(8, 3))
    deepstack.draw_stack(fig, gain=1.2, depth=10, stats=stats)
    ax_f, ax_b = fig.axes
    drawn = [line for line in ax_f.lines if line.get_label() in ("he_normal", "glorot_uniform")]
    assert len(drawn) == 2 and len(drawn[0].get_xdata()) == 10
    labels = [t.get_text() for t in ax_f.get_legend().get_texts()]
    assert "zeros: 0 at every layer" in labels and "gain 1.20" in ax_f.get_title()
    np.testing.assert_allclose(drawn[0].get_ydata(), deepstack.stats_at(stats, "he_normal", 1.2, 10)[0])


def test_draw_stack_log_ticks_are_plain_text_powers_of_ten():
    assert deepstack._power_of_ten_label(1e-8) == "10\u207b\u2078"
    assert deepstack._power_of_ten_label(1.0) == "10\u2070" and deepstack._power_of_ten_label(1e16) == "10\u00b9\u2076"
    assert deepstack._power_of_ten_label(0.5) == "0.5" and deepstack._power_of_ten_label(0.0) == ""
    stats = deepstack.precompute(max_depth=10, depth_step=5, channels=4, networks=1, length=8,
                                 schemes=["he_normal", "glorot_uniform"])
    fig = Figure(figsize=(8, 3))
    deepstack.draw_stack(fig, gain=3.0, depth=10, stats=stats)
    fig.canvas.draw()
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels() if t.get_text()]
    assert labels and all(label.startswith("10") and "$" not in label for label in labels)


def test_draw_stack_keeps_its_axes_still_while_the_gain_moves():
    """Fixed axes: the lines tilt with the gain, the y range (10^-30 to 10^20) never moves."""
    stats = deepstack.precompute(max_depth=10, depth_step=5, channels=4, networks=1, length=8,
                                 schemes=["he_normal", "glorot_uniform"])
    limits = set()
    for gain in (0.25, 1.0, 3.0):
        fig = Figure(figsize=(8, 3))
        deepstack.draw_stack(fig, gain=gain, depth=10, stats=stats)
        limits |= {(ax.get_xlim(), ax.get_ylim()) for ax in fig.axes}
    assert limits == {((0.0, 10.0), (1e-30, 1e20))}
    assert deepstack.Y_RANGE == (1e-30, 1e20)


def test_relu_output_std_is_smaller_than_rms_by_the_mean():
    # one wide He layer on a Gaussian input: z is close to Gaussian, so the ReLU output has
    # mean = RMS * sqrt(1/pi) and std = RMS * sqrt(1 - 1/pi), computed here by integration
    z = np.linspace(0, 40, 400_001)
    phi = np.exp(-z ** 2 / 2) / math.sqrt(2 * math.pi)
    trapezoid = getattr(np, "trapezoid", None) or np.trapz     # numpy < 2.0 (pyproject allows 1.26)
    mean, second = trapezoid(z * phi, z), trapezoid(z ** 2 * phi, z)
    stats = deepstack.precompute(max_depth=1, depth_step=1, channels=96, networks=3, length=32,
                                 schemes=["he_normal"])
    rms = stats.act_rms["he_normal"][0]
    assert stats.act_mean["he_normal"][0] / rms == pytest.approx(mean / math.sqrt(second), rel=0.03)
    assert stats.act_std["he_normal"][0] / rms == pytest.approx(math.sqrt(1 - mean ** 2 / second), rel=0.03)
