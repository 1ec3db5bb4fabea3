"""Lesson 03's checks accept right answers, reject typical wrong ones with a useful hint,
and say "not attempted" for the student stub."""
import math

import numpy as np
import pytest
import scipy.signal as sps

from helpers.lesson03 import checks as lesson03


def _stub(*args, **kwargs):
    raise NotImplementedError("Exercise: write your code here, then run the check below.")


# ---------------------------------------------------------------- 03.1 output size
def right_output_size(n, k, padding, stride, dilation):
    # counted, not computed by formula: every start position whose dilated window fits
    return len(range(0, n + 2 * padding - dilation * (k - 1), stride))


def test_output_size_accepts_right_answer():
    assert lesson03.exercise_output_size(right_output_size).passed is True


def test_output_size_rejects_typical_mistakes():
    fb = lesson03.exercise_output_size(lambda n, k, p, s, d: (n + 2 * p - d * (k - 1) - 1) / s + 1)
    assert fb.passed is False and "floor" in fb.message
    fb = lesson03.exercise_output_size(lambda n, k, p, s, d: (n + 2 * p - k) // s + 1)
    assert fb.passed is False and "dilation" in fb.message
    fb = lesson03.exercise_output_size(lambda n, k, p, s, d: (n + p - d * (k - 1) - 1) // s + 1)
    assert fb.passed is False and "both sides" in fb.message
    fb = lesson03.exercise_output_size(lambda n, k, p, s, d: math.ceil((n + 2 * p - d * (k - 1) - 1) / s) + 1)
    assert fb.passed is False and "rounded up" in fb.message
    fb = lesson03.exercise_output_size(lambda n, k, p, s, d: (n + 2 * p - d * (k - 1) - 1) // s)
    assert fb.passed is False and "+ 1" in fb.message
    fb = lesson03.exercise_output_size(lambda n, k, p, s, d: n - k + 1)
    assert fb.passed is False and "N - K + 1" in fb.message
    fb = lesson03.exercise_output_size(lambda n, k, p, s, d: n + 2 * p - d * (k - 1))
    assert fb.passed is False and "ignored the stride" in fb.message
    fb = lesson03.exercise_output_size(lambda n, k, p, s, d: None)
    assert fb.passed is False and "return" in fb.message


def test_output_size_span_as_d_times_k_is_named_not_called_one_too_few():
    # d*k as the span: the old hint "one too few: count the first position (+ 1)" led to
    # another wrong answer; the hint must name the span
    fb = lesson03.exercise_output_size(lambda n, k, p, s, d: (n + 2 * p - d * k) // s + 1)
    assert fb.passed is False and "dilation * k" in fb.message and "one too few" not in fb.message
    fb = lesson03.exercise_output_size(lambda n, k, p, s, d: (n + 2 * p - d * k) // s + 2)
    assert fb.passed is False and "one too few" not in fb.message
    # span without its + 1
    fb = lesson03.exercise_output_size(lambda n, k, p, s, d: (n + 2 * p - d * (k - 1)) // s + 1)
    assert fb.passed is False and "first tap" in fb.message


def test_output_size_not_attempted():
    assert lesson03.exercise_output_size(_stub).passed is None


# ---------------------------------------------------------------- 03.2 inputs read
def right_inputs_read(i, k, padding, stride, dilation):
    # via an impulse response: the inputs whose impulse reaches output i
    n = i * stride + dilation * (k - 1) + 1
    hits = []
    for t in range(-padding, n):
        x = np.zeros(n + 2 * padding)
        x[t + padding] = 1.0
        dil = np.zeros(dilation * (k - 1) + 1)
        dil[::dilation] = 1.0
        if np.correlate(x, dil, "valid")[::stride][i] != 0:
            hits.append(t)
    return hits


def test_inputs_read_accepts_right_answer():
    assert lesson03.exercise_inputs_read(right_inputs_read).passed is True


def test_inputs_read_rejects_typical_mistakes():
    fb = lesson03.exercise_inputs_read(lambda i, k, p, s, d: [i * s + m * d for m in range(k)])
    assert fb.passed is False and "padded" in fb.message
    fb = lesson03.exercise_inputs_read(lambda i, k, p, s, d: [i - p + m * d for m in range(k)])
    assert fb.passed is False and "i * stride" in fb.message
    fb = lesson03.exercise_inputs_read(lambda i, k, p, s, d: [i * s - p + m for m in range(k)])
    assert fb.passed is False and "dilation" in fb.message
    fb = lesson03.exercise_inputs_read(lambda i, k, p, s, d: [i * s - p + m * d for m in range(k + 1)])
    assert fb.passed is False and "exactly" in fb.message
    fb = lesson03.exercise_inputs_read(lambda i, k, p, s, d: [i * s - p - m * d for m in range(k)])
    assert fb.passed is False and "backwards" in fb.message


def test_inputs_read_not_attempted():
    assert lesson03.exercise_inputs_read(_stub).passed is None


# ---------------------------------------------------------------- 03.3 TF SAME
def right_tf_same(n, k, stride):
    # search: the least total padding that gives ceil(n / stride) outputs, extra zero after
    out = -(-n // stride)
    total = 0
    while (n + total - k) // stride + 1 < out:
        total += 1
    return out, total // 2, total - total // 2


def test_tf_same_accepts_right_answer():
    assert lesson03.exercise_tf_same(right_tf_same).passed is True


def test_tf_same_rejects_typical_mistakes():
    def extra_before(n, k, s):
        out, b, a = right_tf_same(n, k, s)
        return out, a, b
    fb = lesson03.exercise_tf_same(extra_before)
    assert fb.passed is False and "after" in fb.message
    fb = lesson03.exercise_tf_same(lambda n, k, s: (n, (k - 1) // 2, k - 1 - (k - 1) // 2))
    assert fb.passed is False and "ceil" in fb.message
    fb = lesson03.exercise_tf_same(lambda n, k, s: (-(-n // s), (k - 1) // 2, k - 1 - (k - 1) // 2))
    assert fb.passed is False and "fewer zeros" in fb.message
    fb = lesson03.exercise_tf_same(lambda n, k, s: (n // s,) + right_tf_same(n, k, s)[1:])
    assert fb.passed is False and "round up" in fb.message


def test_tf_same_not_attempted():
    assert lesson03.exercise_tf_same(_stub).passed is None


# ---------------------------------------------------------------- 03.4 Keras from the post
def right_keras_output(a, f):
    return sps.correlate2d(a, f, mode="valid")


def test_keras_from_post_accepts_right_answer():
    assert lesson03.exercise_keras_from_post(right_keras_output).passed is True


def test_keras_from_post_rejects_typical_mistakes():
    fb = lesson03.exercise_keras_from_post(lambda a, f: sps.convolve2d(a, f, mode="valid"))
    assert fb.passed is False and "180" in fb.message
    def unshifted(a, f):
        out = sps.convolve2d(a, f, mode="full")           # the post's B(i, j) for i, j >= 0
        return out[:a.shape[0] - f.shape[0] + 1, :a.shape[1] - f.shape[1] + 1]
    fb = lesson03.exercise_keras_from_post(unshifted)
    assert fb.passed is False and "coverage map" in fb.message
    fb = lesson03.exercise_keras_from_post(lambda a, f: sps.correlate2d(a, f, mode="same"))
    assert fb.passed is False and "'same'" in fb.message
    fb = lesson03.exercise_keras_from_post(lambda a, f: sps.correlate2d(a, f, mode="full"))
    assert fb.passed is False and "shape" in fb.message
    fb = lesson03.exercise_keras_from_post(lambda a, f: sps.correlate2d(a, f, mode="valid") + 1.0)
    assert fb.passed is False and "expected" in fb.message


def test_keras_from_post_not_attempted():
    assert lesson03.exercise_keras_from_post(_stub).passed is None


# ---------------------------------------------------------------- 03.4 strided, dilated correlation
def right_strided(x, kernel, stride, dilation):
    # SciPy on the dilated kernel (zeros between the taps), then every stride-th output
    dilated = np.zeros(dilation * (len(kernel) - 1) + 1)
    dilated[::dilation] = kernel
    return sps.correlate(x, dilated, mode="valid")[::stride]


def _loops(first, step, flip=False, count=None):
    def f(x, kernel, s, d):
        k = kernel[::-1] if flip else kernel
        n_out = count(len(x), len(kernel), s, d) if count else (len(x) - d * (len(kernel) - 1) - 1) // s + 1
        return [sum(k[m] * x[first(i, s, d) + m * step(s, d)] for m in range(len(k))) for i in range(n_out)]
    return f


def test_strided_accepts_right_answers():
    assert lesson03.exercise_strided_correlation(right_strided).passed is True
    assert lesson03.exercise_strided_correlation(_loops(lambda i, s, d: i * s, lambda s, d: d)).passed is True


def test_strided_matches_pytorch_when_available(rng):
    torch = pytest.importorskip("torch")
    x, k = rng.normal(size=13), rng.normal(size=3)
    want = torch.nn.functional.conv1d(torch.tensor(x)[None, None], torch.tensor(k)[None, None],
                                      stride=3, dilation=2)[0, 0].numpy()
    np.testing.assert_allclose(right_strided(x, k, 3, 2), want, atol=1e-12)


def test_strided_names_the_flip():
    fb = lesson03.exercise_strided_correlation(_loops(lambda i, s, d: i * s, lambda s, d: d, flip=True))
    assert fb.passed is False and "convolution" in fb.message and "flipped" in fb.message


def test_strided_names_stride_dilation_confusion():
    fb = lesson03.exercise_strided_correlation(
        _loops(lambda i, s, d: i * d, lambda s, d: s, count=lambda n, k, s, d: (n - d * (k - 1) - 1) // s + 1))
    assert fb.passed is False and "swapped stride and dilation" in fb.message


def test_strided_names_ignored_dilation_and_gap_count():
    fb = lesson03.exercise_strided_correlation(_loops(lambda i, s, d: i * s, lambda s, d: 1))
    assert fb.passed is False and "ignored the dilation" in fb.message
    fb = lesson03.exercise_strided_correlation(
        _loops(lambda i, s, d: i * s, lambda s, d: d + 1, count=lambda n, k, s, d: (n - (d + 1) * (k - 1) - 1) // s + 1))
    assert fb.passed is False and "dilation 1 is an ordinary kernel" in fb.message


def test_strided_names_wrong_output_sizes():
    # N - K + 1 outputs (the valid rule without stride or dilation), guarded against IndexError
    def valid_count(x, kernel, s, d):
        out = []
        for i in range(len(x) - len(kernel) + 1):
            idx = [i * s + m * d for m in range(len(kernel))]
            out.append(sum(kernel[m] * x[t] for m, t in enumerate(idx) if t < len(x)))
        return out
    fb = lesson03.exercise_strided_correlation(valid_count)
    assert fb.passed is False and "N - K + 1" in fb.message
    # one output per position (stride ignored in the count, windows still strided) -> IndexError
    fb = lesson03.exercise_strided_correlation(
        _loops(lambda i, s, d: i * s, lambda s, d: d, count=lambda n, k, s, d: n - d * (k - 1)))
    assert fb.passed is False and "IndexError" in fb.message and "past the end" in fb.message
    # one too few (range(n_out - 1)) and one too many (a zero after the end)
    fb = lesson03.exercise_strided_correlation(
        _loops(lambda i, s, d: i * s, lambda s, d: d, count=lambda n, k, s, d: (n - d * (k - 1) - 1) // s))
    assert fb.passed is False and "one too few" in fb.message

    def one_too_many(x, kernel, s, d):
        return list(right_strided(x, kernel, s, d)) + [0.0]
    fb = lesson03.exercise_strided_correlation(one_too_many)
    assert fb.passed is False and "one too many" in fb.message


def test_strided_wrong_values_and_stub():
    fb = lesson03.exercise_strided_correlation(lambda x, k, s, d: right_strided(x, k, s, d) * 2)
    assert fb.passed is False and "differ" in fb.message
    assert lesson03.exercise_strided_correlation(lambda x, k, s, d: None).passed is False
    assert lesson03.exercise_strided_correlation(_stub).passed is None
