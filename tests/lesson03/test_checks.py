"""Lesson 03's checks accept right answers, reject typical wrong ones with a useful hint,
and say "not attempted" for the student stub."""
import math

import numpy as np
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
    fb = lesson03.exercise_output_size(lambda n, k, p, s, d: None)
    assert fb.passed is False and "return" in fb.message


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
    assert fb.passed is False and "Shift the indices" in fb.message
    fb = lesson03.exercise_keras_from_post(lambda a, f: sps.correlate2d(a, f, mode="same"))
    assert fb.passed is False and "'same'" in fb.message
    fb = lesson03.exercise_keras_from_post(lambda a, f: sps.correlate2d(a, f, mode="full"))
    assert fb.passed is False and "shape" in fb.message
    fb = lesson03.exercise_keras_from_post(lambda a, f: sps.correlate2d(a, f, mode="valid") + 1.0)
    assert fb.passed is False and "expected" in fb.message


def test_keras_from_post_not_attempted():
    assert lesson03.exercise_keras_from_post(_stub).passed is None
