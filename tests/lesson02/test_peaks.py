"""helpers.peaks against references we did not write: NumPy, SciPy, finite differences."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from matplotlib.figure import Figure
from scipy.signal import find_peaks

from helpers import gradcheck
from helpers.lesson02 import peaks

finite = st.floats(-10, 10, allow_nan=False, allow_infinity=False)


def test_post_example_recomputed_with_numpy():
    # MATLAB conv(u, v, 'valid') is np.convolve(u, v, 'valid'); for a symmetric v also correlation.
    want = np.convolve(peaks.POST_U, peaks.POST_KERNEL, mode="valid")
    got = peaks.response(peaks.POST_U, peaks.POST_KERNEL)
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)
    np.testing.assert_allclose(got, [-0.6784, -0.3401, -1.3515, 0.5152, -1.6167, 0.4355, -1.0744, 0.0623],
                               atol=1e-12)
    # and the printed y of the post is not it
    assert np.max(np.abs(got - peaks.POST_Y)) > 1.0
    # the post's peaks 5, 7, 9 (1-based) are 4, 6, 8 (0-based)
    np.testing.assert_array_equal(peaks.local_peaks(peaks.POST_U), [4, 6, 8])
    np.testing.assert_array_equal(peaks.detect(peaks.POST_U, peaks.POST_KERNEL, 0.0), [4, 6, 8])


@given(arrays(float, st.integers(3, 40), elements=finite))
def test_local_peaks_match_scipy_when_no_ties(x):
    if np.unique(x).size != x.size:        # scipy also reports flat-topped peaks
        return
    ref, _ = find_peaks(x)
    np.testing.assert_array_equal(peaks.local_peaks(x), ref)


def test_peak_labels_plateau_is_not_a_strict_peak():
    x = np.array([0.0, 1.0, 1.0, 0.0, 2.0, 0.0])
    np.testing.assert_array_equal(peaks.peak_labels(x), [False, False, False, True])
    assert peaks.peak_labels(np.vstack([x, -x])).shape == (2, 4)


@given(arrays(float, st.integers(3, 30), elements=finite),
       arrays(float, 3, elements=st.floats(-3, 3)), st.floats(-2, 2))
def test_response_matches_numpy_correlate_plus_bias(x, k, bias):
    want = np.correlate(x, k, mode="valid") + bias
    np.testing.assert_allclose(peaks.response(x, k, bias), want, rtol=1e-12, atol=1e-9)


def test_output_centre_offset():
    assert peaks.output_centre(0, 3) == 1
    assert peaks.output_centre(4, 5) == 6
    assert peaks.output_centre(2, 1) == 2
    np.testing.assert_array_equal(peaks.output_centre(np.arange(3), 3), [1, 2, 3])
    with pytest.raises(ValueError, match="odd"):
        peaks.output_centre(0, 4)


def test_max_pool1d_against_reshape():
    y = np.array([3.0, -1.0, 5.0, 2.0, 2.5, 9.0, 0.0])
    values, arg = peaks.max_pool1d(y, 2)          # windows [3,-1] [5,2] [2.5,9]; the 0.0 is dropped
    np.testing.assert_array_equal(values, y[:6].reshape(3, 2).max(axis=1))
    np.testing.assert_array_equal(arg, [0, 2, 5])
    values, arg = peaks.max_pool1d(y)
    assert values.tolist() == [9.0] and arg.tolist() == [5]
    values, arg = peaks.max_pool1d(y, 3, stride=2)   # windows start at 0, 2, 4
    np.testing.assert_array_equal(arg, [2, 2, 5])
    with pytest.raises(ValueError, match="global"):
        peaks.max_pool1d(y, 8)


def test_beats_one_detection_per_bump():
    x = np.zeros(200)
    spikes = [20, 70, 71, 150]                    # 70/71: one wide bump
    for s in spikes:
        x[s] = 1.0
    x[71] = 0.9
    found = peaks.beats(x, [-1.0, 2.0, -1.0], threshold=0.5, half_window=10)
    np.testing.assert_array_equal(found, [20, 70, 150])


def test_random_signals_shape_range_and_baseline():
    x = peaks.random_signals(50, 12, baseline=0.0, rng=0)
    assert x.shape == (50, 12) and x.min() >= 0 and x.max() < 1
    y = peaks.random_signals(2000, 12, baseline=3.0, rng=0)
    offsets = y.min(axis=1)
    assert offsets.min() < -2.5 and offsets.max() > 2.5
    # a constant per signal: the spread within a row stays below 1
    assert np.all(np.ptp(y, axis=1) < 1)


def test_scores_match_response_row_by_row(rng):
    x = rng.normal(size=(4, 15))
    k = np.array([0.5, -1.0, 2.0])
    s = peaks.scores(x, k, 0.3)
    for row, out in zip(x, s):
        np.testing.assert_allclose(out, np.correlate(row, k, "valid") + 0.3, atol=1e-12)


def test_logistic_loss_value_and_gradient(rng):
    z = rng.normal(scale=3, size=(2, 1, 7))
    t = (rng.random((2, 1, 7)) > 0.5).astype(float)
    loss, dz = peaks.logistic_loss(z, t)
    p = 1 / (1 + np.exp(-z))
    assert loss == pytest.approx(np.mean(-t * np.log(p) - (1 - t) * np.log(1 - p)), rel=1e-12)
    num = gradcheck.numerical_gradient(lambda zz: peaks.logistic_loss(zz, t)[0], z)
    assert gradcheck.rel_error(dz, num) < 1e-7
    # no overflow for huge scores
    big, dbig = peaks.logistic_loss(np.array([1000.0, -1000.0]), np.array([0.0, 1.0]))
    assert big == pytest.approx(1000.0) and np.allclose(dbig, [0.5, -0.5])


def test_training_gradient_is_the_true_gradient(rng):
    # one step of train_peak_kernel moves along -grad of the loss as a function of (k, b)
    x = peaks.random_signals(20, 10, rng=rng)
    labels = peaks.peak_labels(x).astype(float)

    def loss(params):
        return peaks.logistic_loss(peaks.scores(x, params[:3], params[3]), labels)[0]

    r1 = peaks.train_peak_kernel(x, steps=1, lr=1e-3, rng=5)
    start = np.append(r1.init_kernel, r1.init_bias)
    step = np.append(r1.kernel, r1.bias) - start
    grad = gradcheck.numerical_gradient(loss, start)
    assert gradcheck.rel_error(step, -1e-3 * grad) < 1e-6
    assert r1.losses[0] == pytest.approx(loss(start))


def test_training_learns_a_zero_sum_peak_kernel_when_baselines_vary():
    x = peaks.random_signals(300, 40, baseline=1.0, rng=1)
    r = peaks.train_peak_kernel(x, rng=2)
    assert r.losses[-1] < 0.5 * r.losses[0]
    k, _ = peaks.normalise_kernel(r.kernel, r.bias)
    np.testing.assert_allclose(k, [-1.0, 2.0, -1.0], atol=0.1)


def test_normalise_kernel_scale_and_refusal():
    k, b = peaks.normalise_kernel([-3.0, 6.0, -3.0], 1.5)
    np.testing.assert_allclose(k, [-1, 2, -1])
    assert b == pytest.approx(0.5)
    with pytest.raises(ValueError, match="outer taps"):
        peaks.normalise_kernel([1.0, -2.0, 1.0])


def _f1_reference(pred, labels):
    tp = sum(p and t for p, t in zip(pred, labels))
    fp = sum(p and not t for p, t in zip(pred, labels))
    fn = sum(t and not p for p, t in zip(pred, labels))
    return 2 * tp / (2 * tp + fp + fn)


@given(st.lists(st.tuples(st.booleans(), st.booleans()), min_size=1, max_size=40))
def test_f1_against_counting(pairs):
    pred = np.array([p for p, _ in pairs])
    labels = np.array([t for _, t in pairs])
    if not (pred.any() or labels.any()):
        assert peaks.f1_score(pred, labels) == 1.0
    else:
        assert peaks.f1_score(pred, labels) == pytest.approx(_f1_reference(pred, labels))


@given(arrays(float, st.integers(2, 30), elements=st.floats(-5, 5)), st.data())
def test_best_threshold_is_best_among_all_cuts(s, data):
    labels = np.array(data.draw(st.lists(st.booleans(), min_size=s.size, max_size=s.size)))
    if not labels.any():
        return
    t, f1 = peaks.best_threshold(s, labels)
    assert peaks.f1_score(s > t, labels) == pytest.approx(f1)
    brute = max(peaks.f1_score(s > c, labels) for c in np.append(s, s.min() - 1))
    assert f1 == pytest.approx(brute)


def test_detection_summary_counts():
    x = np.array([0.0, 1.0, 0.0, 0.5, 0.4, 0.3, 2.0, 0.0])
    s = peaks.detection_summary(x, [-1.0, 2.0, -1.0], 0.7)      # responses 2, -1.1, 0.6, -0.1, -1.4, 3.7
    np.testing.assert_array_equal(s["peaks"], [1, 3, 6])
    np.testing.assert_array_equal(s["found"], [1, 6])
    assert (s["hits"], s["misses"], s["false_alarms"]) == (2, 1, 0)
    # [-1, 1, -1] sums to -1: lower the baseline by 5 and every position fires
    s = peaks.detection_summary(x - 5.0, peaks.POST_KERNEL, 0.0)
    np.testing.assert_array_equal(s["found"], np.arange(1, 7))
    assert (s["hits"], s["misses"], s["false_alarms"]) == (3, 0, 3)


def test_draw_taps_draws_two_axes_with_counts():
    fig = Figure(figsize=(8, 5))
    peaks.draw_taps(fig, -1.0, 2.0, -1.0, 0.3)
    ax1, ax2 = fig.axes
    s = peaks.detection_summary(peaks.demo_signal(), [-1.0, 2.0, -1.0], 0.3)
    assert f"{s['hits']} of {s['peaks'].size} peaks found" in ax1.get_title()
    assert ax2.get_xlabel() == "input index i (0-based)"


def test_bad_inputs_are_explained():
    with pytest.raises(ValueError, match="at least 3 samples"):
        peaks.peak_labels([1.0, 2.0])
    with pytest.raises(TypeError, match="boolean"):
        peaks.f1_score(np.array([1, 0]), np.array([True, False]))
    with pytest.raises(ValueError, match="lr"):
        peaks.train_peak_kernel(np.ones((2, 5)), lr=-1.0)
    with pytest.raises(ValueError, match="kernel_size must be 3"):
        peaks.train_peak_kernel(np.ones((2, 5)), kernel_size=5)
