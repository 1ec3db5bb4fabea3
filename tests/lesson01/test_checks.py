"""The lesson 01 checks accept right answers, reject typical wrong ones with the right hint,
and report "not attempted" for the student stub."""
import functools

import pytest

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


# ---------------------------------------------------------------- hints that used to mislead
def test_make_filter_positional_partial_says_bind_by_name():
    from helpers import conv
    fb = lesson01.exercise_make_filter(lambda k: functools.partial(conv.correlate2d, k))
    assert fb.passed is False and "kernel=" in fb.message and "positional" in fb.message


def test_make_filter_swapped_arguments_in_a_lambda():
    fb = lesson01.exercise_make_filter(lambda k: (lambda img: signal_free_correlate(k, img)))
    assert fb.passed is False and "kernel=kernel" in fb.message


def signal_free_correlate(image, kernel):
    from helpers import conv
    return conv.correlate2d(image, kernel, "valid")


def test_keras_to_torch_reversed_shape_reshape_is_called_a_reshape():
    fb = lesson01.exercise_keras_to_torch(lambda k: k.reshape(k.shape[::-1]))
    assert fb.passed is False and "reshape" in fb.message and ".T" not in fb.message


# ---------------------------------------------------------------- 01.2 the conv layer with loops
def layer_loops(x, w, b, flip=False, rows=lambda h, kh: h - kh + 1, bias_times=1, channels=None,
                weight=lambda w, o, c: w[o, c], keep_channels=False):
    """A loop conv layer with one mistake switched on at a time (independent of the checker)."""
    c_in, h, wd = x.shape
    c_out, _, kh, kw = w.shape
    oh, ow = rows(h, kh), rows(wd, kw)
    out = np.zeros((c_out, c_in, oh, ow)) if keep_channels else np.zeros((c_out, oh, ow))
    for o in range(c_out):
        for c in range(c_in if channels is None else channels):
            k = weight(w, o, c)
            k = k[::-1, ::-1] if flip else k
            for i in range(oh):
                for j in range(ow):
                    s = np.sum(x[c, i:i + kh, j:j + kw] * k)
                    if keep_channels:
                        out[o, c, i, j] += s
                    else:
                        out[o, i, j] += s
            if bias_times > 1 and not keep_channels:
                out[o] += b[o]
        if bias_times == 1 and not keep_channels:
            out[o] += b[o]
    return out


def test_conv_layer_accepts_loops_and_torch_reference():
    assert lesson01.exercise_conv_layer(layer_loops).passed is True
    torch = pytest.importorskip("torch")

    def with_torch(x, w, b):
        return torch.nn.functional.conv2d(torch.tensor(x)[None], torch.tensor(w), torch.tensor(b))[0].numpy()
    assert lesson01.exercise_conv_layer(with_torch).passed is True


def test_conv_layer_flip():
    fb = lesson01.exercise_conv_layer(lambda x, w, b: layer_loops(x, w, b, flip=True))
    assert fb.passed is False and "flipped" in fb.message


def test_conv_layer_off_by_one():
    fb = lesson01.exercise_conv_layer(lambda x, w, b: layer_loops(x, w, b, rows=lambda h, k: h - k))
    assert fb.passed is False and "one row and column short" in fb.message


def test_conv_layer_same_size():
    def same(x, w, b):
        c_out, c_in, kh, kw = w.shape
        xp = np.pad(x, ((0, 0), (kh // 2, kh - 1 - kh // 2), (kw // 2, kw - 1 - kw // 2)))
        return layer_loops(xp, w, b)
    fb = lesson01.exercise_conv_layer(same)
    assert fb.passed is False and "'same'" in fb.message


def test_conv_layer_swapped_rows_and_columns():
    fb = lesson01.exercise_conv_layer(lambda x, w, b: layer_loops(x, w, b).transpose(0, 2, 1))
    assert fb.passed is False and "swapped" in fb.message


def test_conv_layer_forgot_bias():
    fb = lesson01.exercise_conv_layer(lambda x, w, b: layer_loops(x, w, np.zeros_like(b)))
    assert fb.passed is False and "forgot to add b[o]" in fb.message


def test_conv_layer_bias_per_input_channel():
    fb = lesson01.exercise_conv_layer(lambda x, w, b: layer_loops(x, w, b, bias_times=2))
    assert fb.passed is False and "once per input channel" in fb.message


def test_conv_layer_channel_axis_not_summed():
    fb = lesson01.exercise_conv_layer(lambda x, w, b: layer_loops(x, w, b, keep_channels=True))
    assert fb.passed is False and "one map per input channel" in fb.message


def test_conv_layer_only_first_channel():
    fb = lesson01.exercise_conv_layer(lambda x, w, b: layer_loops(x, w, b, channels=1))
    assert fb.passed is False and "only input channel 0" in fb.message


def test_conv_layer_weights_read_as_c_o():
    def transposed(x, w, b):
        if w.shape[0] != w.shape[1]:
            return layer_loops(x, w, b)          # the mistake only shows where C_in == C_out
        return layer_loops(x, w, b, weight=lambda w, o, c: w[c, o])
    fb = lesson01.exercise_conv_layer(transposed)
    assert fb.passed is False and "w[o, c]" in fb.message


def test_conv_layer_none_and_not_attempted():
    assert lesson01.exercise_conv_layer(lambda x, w, b: None).passed is False
    assert lesson01.exercise_conv_layer(stub).passed is None
