"""Lesson 05's checks accept right answers, reject typical wrong ones with a useful hint,
and say "not attempted" for the student stub. The right answers here are written
independently of the checker (NumPy/SciPy and plain loops)."""
import numpy as np
import scipy.signal as sps

from helpers.lesson05 import checks as lesson05


def _stub(*args, **kwargs):
    raise NotImplementedError("Exercise: write your code here, then run the check below.")


# ---------------------------------------------------------------- 05.1 ReLU gate
def test_relu_gate_accepts_right_answers():
    assert lesson05.exercise_relu_gate(lambda dh, z: dh * (z > 0)).passed is True
    assert lesson05.exercise_relu_gate(lambda dh, z: np.where(z > 0, dh, 0.0)).passed is True


def test_relu_gate_rejects_typical_mistakes():
    fb = lesson05.exercise_relu_gate(lambda dh, z: dh * (z >= 0))
    assert fb.passed is False and "z > 0, not z >= 0" in fb.message
    fb = lesson05.exercise_relu_gate(lambda dh, z: dh * np.maximum(z, 0))
    assert fb.passed is False and "derivative" in fb.message
    fb = lesson05.exercise_relu_gate(lambda dh, z: np.maximum(dh, 0))
    assert fb.passed is False and "sign of the gradient" in fb.message
    fb = lesson05.exercise_relu_gate(lambda dh, z: dh)
    assert fb.passed is False and "unchanged" in fb.message
    fb = lesson05.exercise_relu_gate(lambda dh, z: None)
    assert fb.passed is False and "return" in fb.message


def test_relu_gate_not_attempted():
    assert lesson05.exercise_relu_gate(_stub).passed is None


# ---------------------------------------------------------------- 05.2 kernel and bias gradient
def right_kernel_grad(x, dz):
    kh, kw = x.shape[0] - dz.shape[0] + 1, x.shape[1] - dz.shape[1] + 1
    dk = np.zeros((kh, kw))
    for m in range(kh):
        for n in range(kw):
            dk[m, n] = np.sum(dz * x[m:m + dz.shape[0], n:n + dz.shape[1]])
    return dk, np.sum(dz)


def test_kernel_grad_accepts_right_answer():
    assert lesson05.exercise_kernel_grad(right_kernel_grad).passed is True
    fb = lesson05.exercise_kernel_grad(lambda x, dz: (sps.correlate2d(x, dz, "valid"), dz.sum()))
    assert fb.passed is True


def test_kernel_grad_rejects_typical_mistakes():
    fb = lesson05.exercise_kernel_grad(lambda x, dz: (sps.convolve2d(x, dz, "valid"), dz.sum()))
    assert fb.passed is False and "rotated by 180" in fb.message
    fb = lesson05.exercise_kernel_grad(lambda x, dz: (sps.correlate2d(x, dz, "full"), dz.sum()))
    assert fb.passed is False and "mode='valid'" in fb.message
    fb = lesson05.exercise_kernel_grad(lambda x, dz: (sps.correlate2d(x, dz, "valid"), dz.mean()))
    assert fb.passed is False and "the sum" in fb.message
    fb = lesson05.exercise_kernel_grad(lambda x, dz: (sps.correlate2d(x, dz, "valid"), dz.sum(axis=0)))
    assert fb.passed is False and "single number" in fb.message
    fb = lesson05.exercise_kernel_grad(lambda x, dz: sps.correlate2d(x, dz, "valid"))
    assert fb.passed is False and "pair" in fb.message


def test_kernel_grad_not_attempted():
    assert lesson05.exercise_kernel_grad(_stub).passed is None


# ---------------------------------------------------------------- 05.3 strided input gradient
def right_strided_input_grad(dz, k, stride, n):
    # every output i read x[i*stride + m] with weight k[m]: send dz[i] * k[m] back there
    dx = np.zeros(n)
    for i, g in enumerate(dz):
        for m, w in enumerate(k):
            dx[i * stride + m] += g * w
    return dx


def test_strided_input_grad_accepts_right_answer():
    assert lesson05.exercise_strided_input_grad(right_strided_input_grad).passed is True


def test_strided_input_grad_rejects_typical_mistakes():
    fb = lesson05.exercise_strided_input_grad(lambda dz, k, s, n: np.convolve(dz, k, "full"))
    assert fb.passed is False and "zeros between the entries" in fb.message

    def no_tail(dz, k, s, n):
        d = np.zeros((len(dz) - 1) * s + 1)
        d[::s] = dz
        return np.convolve(d, k, "full")
    fb = lesson05.exercise_strided_input_grad(no_tail)
    assert fb.passed is False and "never read" in fb.message

    def no_flip(dz, k, s, n):
        d = np.zeros((len(dz) - 1) * s + 1)
        d[::s] = dz
        out = np.zeros(n)
        full = np.correlate(d, k, "full")
        out[:full.size] = full
        return out
    fb = lesson05.exercise_strided_input_grad(no_flip)
    assert fb.passed is False and "without flipping" in fb.message


def test_strided_input_grad_not_attempted():
    assert lesson05.exercise_strided_input_grad(_stub).passed is None


# ---------------------------------------------------------------- 05.4 composite kernel
def right_composite(k1, b1, k2, b2):
    # probe the stack with impulses: the response to an impulse is the composite kernel
    K = len(k1) + len(k2) - 1
    def stack(x):
        return np.correlate(np.correlate(x, k1, "valid") + b1, k2, "valid") + b2
    b = stack(np.zeros(K))[0]
    k = np.array([stack(np.eye(K)[p])[0] - b for p in range(K)])
    return k, b


def test_composite_accepts_right_answer():
    assert lesson05.exercise_composite_kernel(right_composite).passed is True


def test_composite_rejects_typical_mistakes():
    fb = lesson05.exercise_composite_kernel(lambda k1, b1, k2, b2: (np.convolve(k1, k2), b1 + b2))
    assert fb.passed is False and "sum(k2)" in fb.message
    fb = lesson05.exercise_composite_kernel(lambda k1, b1, k2, b2: (np.correlate(k1, k2, "full"), b1 * k2.sum() + b2))
    assert fb.passed is False and "convolution" in fb.message
    fb = lesson05.exercise_composite_kernel(lambda k1, b1, k2, b2: (k1 * k2[:3], b1 * k2.sum() + b2))
    assert fb.passed is False and "6 taps" in fb.message
    fb = lesson05.exercise_composite_kernel(lambda k1, b1, k2, b2: np.convolve(k1, k2))
    assert fb.passed is False and "pair" in fb.message


def test_composite_not_attempted():
    assert lesson05.exercise_composite_kernel(_stub).passed is None
