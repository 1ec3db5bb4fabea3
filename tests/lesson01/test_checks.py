"""The lesson 01 checks accept right answers, reject typical wrong ones with the right hint,
and report "not attempted" for the student stub."""
import functools

import numpy as np
from scipy import signal

from helpers.lesson01 import checks as lesson01


def stub(*args, **kwargs):
    raise NotImplementedError("Exercise: write your code here, then run the check below.")


# ---------------------------------------------------------------- 01.1 parameter count
def test_param_count_accepts_solution():
    fb = lesson01.exercise_param_count(lambda c_in, c_out, kh, kw: c_out * (c_in * kh * kw + 1))
    assert fb.passed is True


def test_param_count_rejects_missing_bias():
    fb = lesson01.exercise_param_count(lambda c_in, c_out, kh, kw: c_out * c_in * kh * kw)
    assert fb.passed is False and "biases" in fb.message


def test_param_count_rejects_missing_input_channels():
    fb = lesson01.exercise_param_count(lambda c_in, c_out, kh, kw: c_out * kh * kw + c_out)
    assert fb.passed is False and "per input channel" in fb.message


def test_param_count_rejects_bias_per_kernel():
    fb = lesson01.exercise_param_count(lambda c_in, c_out, kh, kw: c_out * c_in * (kh * kw + 1))
    assert fb.passed is False and "one bias" in fb.message


def test_param_count_not_attempted():
    assert lesson01.exercise_param_count(stub).passed is None


# ---------------------------------------------------------------- 01.2 make_filter
def correlate_valid(image, kernel):
    return signal.correlate2d(image, kernel, mode="valid")


def test_make_filter_accepts_partial_and_closure():
    assert lesson01.exercise_make_filter(lambda k: functools.partial(correlate_valid, kernel=k)).passed is True
    assert lesson01.exercise_make_filter(lambda k: (lambda img: correlate_valid(img, k))).passed is True


def test_make_filter_rejects_an_array():
    fb = lesson01.exercise_make_filter(lambda k: correlate_valid(np.ones((9, 11)), k))
    assert fb.passed is False and "function" in fb.message


def test_make_filter_rejects_same_mode():
    fb = lesson01.exercise_make_filter(lambda k: (lambda img: signal.correlate2d(img, k, mode="same")))
    assert fb.passed is False and "mode='same'" in fb.message


def test_make_filter_rejects_flipped_kernel():
    fb = lesson01.exercise_make_filter(lambda k: (lambda img: signal.convolve2d(img, k, mode="valid")))
    assert fb.passed is False and "flips" in fb.message


def test_make_filter_not_attempted():
    assert lesson01.exercise_make_filter(stub).passed is None


# ---------------------------------------------------------------- 01.3 layouts
def test_keras_to_torch_accepts_solution():
    def moveaxes(k):
        return np.moveaxis(k, [0, 1, 2, 3], [2, 3, 1, 0])
    assert lesson01.exercise_keras_to_torch(moveaxes).passed is True


def test_keras_to_torch_rejects_reshape():
    fb = lesson01.exercise_keras_to_torch(lambda k: k.reshape(k.shape[3], k.shape[2], k.shape[0], k.shape[1]))
    assert fb.passed is False and "transpose" in fb.message


def test_keras_to_torch_rejects_full_transpose():
    fb = lesson01.exercise_keras_to_torch(lambda k: k.T)
    assert fb.passed is False and "swaps KH and KW" in fb.message


def test_keras_to_torch_not_attempted():
    assert lesson01.exercise_keras_to_torch(stub).passed is None


# ---------------------------------------------------------------- 01.4 design
def test_design_accepts_sobel_and_prewitt():
    sobel = np.array([[-1.0, 0, 1], [-2, 0, 2], [-1, 0, 1]])
    assert lesson01.exercise_design_edge_kernel(lambda: sobel).passed is True
    assert lesson01.exercise_design_edge_kernel(lambda: np.tile([-1.0, 0, 1], (3, 1))).passed is True


def test_design_rejects_sign_flip():
    fb = lesson01.exercise_design_edge_kernel(lambda: np.tile([1.0, 0, -1], (3, 1)))
    assert fb.passed is False and "wrong way round" in fb.message


def test_design_rejects_nonzero_sum():
    fb = lesson01.exercise_design_edge_kernel(lambda: np.array([[0, 0, 0], [0, 1.0, 1], [0, 0, 0]]))
    assert fb.passed is False and "sum to 0" in fb.message


def test_design_rejects_horizontal_edge_detector():
    fb = lesson01.exercise_design_edge_kernel(lambda: np.array([[-1.0, -1, 0], [-1, 0, 1], [0, 1, 1]]))
    assert fb.passed is False and "horizontal edge" in fb.message


def test_design_rejects_second_derivative():
    fb = lesson01.exercise_design_edge_kernel(lambda: np.tile([1.0, -2, 1], (3, 1)))
    assert fb.passed is False and "opposite edge" in fb.message


def test_design_not_attempted():
    assert lesson01.exercise_design_edge_kernel(stub).passed is None
