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

    def no_dilation_padded(dz, k, s, n):      # the stride-1 answer, padded with zeros to length n
        out = np.zeros(n)
        full = np.convolve(dz, k, "full")
        out[:full.size] = full
        return out
    fb = lesson05.exercise_strided_input_grad(no_dilation_padded)
    assert fb.passed is False and "dilate dz" in fb.message and "stride-1 answer" in fb.message


def test_strided_input_grad_not_attempted():
    assert lesson05.exercise_strided_input_grad(_stub).passed is None


# ---------------------------------------------------------------- 05.4 a conv layer's backward pass
def loop_conv_backward(dz, x, w, stride, padding, flip=False, stride_one=False, crop="centre",
                       accumulate_batch=True, accumulate_filters=True, db_axes=(0, 2, 3)):
    """A plain-loop backward pass written for these tests; the switches make the classic mistakes."""
    n_b, c_out, oh, ow = dz.shape
    kh, kw = w.shape[2:]
    p = padding
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    wk = w[:, :, ::-1, ::-1] if flip else w
    step = 1 if stride_one else stride
    dxp = np.zeros_like(xp)
    dw = np.zeros_like(w)
    for n in range(n_b):
        dw_n = np.zeros_like(w)
        for o in range(c_out):
            dxp_o = np.zeros_like(xp[n])
            for i in range(oh):
                for j in range(ow):
                    r, c = i * step, j * step
                    dxp_o[:, r:r + kh, c:c + kw] += dz[n, o, i, j] * wk[o]
                    dw_n[o] += dz[n, o, i, j] * xp[n, :, r:r + kh, c:c + kw]
            if accumulate_filters:
                dxp[n] += dxp_o
            else:
                dxp[n] = dxp_o
        if accumulate_batch:
            dw += dw_n
        else:
            dw = dw_n
    if flip:
        dw = dw[:, :, ::-1, ::-1]
    h, wd = x.shape[2:]
    if crop == "centre":
        dx = dxp[:, :, p:p + h, p:p + wd]
    elif crop == "corner":
        dx = dxp[:, :, :h, :wd]
    else:
        dx = dxp
    return dx, dw, dz.sum(axis=db_axes)


def test_loop_reference_matches_finite_differences():
    # the test's own loop version against the definition of a derivative (not against helpers)
    from helpers import gradcheck, layers
    rng = np.random.default_rng(0)
    x, w, b = rng.normal(size=(2, 2, 6, 5)), rng.normal(size=(3, 2, 3, 2)), rng.normal(size=3)
    z = layers.conv2d_forward(x, w, b, stride=2, padding=1)[0]
    g = rng.normal(size=z.shape)
    loss = lambda x_, w_, b_: float(np.sum(g * layers.conv2d_forward(x_, w_, b_, stride=2, padding=1)[0]))
    dx, dw, db = loop_conv_backward(g, x, w, 2, 1)
    assert gradcheck.rel_error(dx, gradcheck.numerical_gradient(lambda v: loss(v, w, b), x)) < 1e-8
    assert gradcheck.rel_error(dw, gradcheck.numerical_gradient(lambda v: loss(x, v, b), w)) < 1e-8
    assert gradcheck.rel_error(db, gradcheck.numerical_gradient(lambda v: loss(x, w, v), b)) < 1e-8


def test_conv_backward_accepts_right_answers():
    assert lesson05.exercise_conv_backward(loop_conv_backward).passed is True

    def with_torch(dz, x, w, stride, padding):
        import torch
        xt = torch.tensor(x, requires_grad=True)
        wt = torch.tensor(w, requires_grad=True)
        bt = torch.zeros(w.shape[0], dtype=torch.float64, requires_grad=True)
        torch.nn.functional.conv2d(xt, wt, bt, stride=stride, padding=padding).backward(torch.tensor(dz))
        return xt.grad.numpy(), wt.grad.numpy(), bt.grad.numpy()
    try:
        import torch  # noqa: F401
    except ImportError:
        return
    assert lesson05.exercise_conv_backward(with_torch).passed is True


def test_conv_backward_rejects_classic_mistakes():
    check = lesson05.exercise_conv_backward
    fb = check(lambda *a: loop_conv_backward(*a, flip=True))            # rotated kernel (no flip / double flip)
    assert fb.passed is False and "rotated by 180" in fb.message
    fb = check(lambda *a: (loop_conv_backward(*a, flip=True)[0],) + loop_conv_backward(*a)[1:])   # dx only
    assert fb.passed is False and "dx uses the kernel rotated by 180" in fb.message
    fb = check(lambda *a: loop_conv_backward(*a, crop="none"))          # forgot the padding crop
    assert fb.passed is False and "crop them" in fb.message
    fb = check(lambda *a: loop_conv_backward(*a, crop="corner"))        # cropped the wrong side
    assert fb.passed is False and "each* side" in fb.message
    fb = check(lambda *a: loop_conv_backward(*a, stride_one=True))      # stride not dilated
    assert fb.passed is False and "dilated" in fb.message and "stride 2" in fb.message
    fb = check(lambda *a: loop_conv_backward(*a, db_axes=(2, 3)))       # db summed over the wrong axes
    assert fb.passed is False and "positions only" in fb.message
    fb = check(lambda *a: loop_conv_backward(*a, db_axes=(1, 2, 3)))
    assert fb.passed is False and "filters and positions" in fb.message
    fb = check(lambda *a: loop_conv_backward(*a, accumulate_batch=False))   # dw = instead of +=
    assert fb.passed is False and "last image" in fb.message
    fb = check(lambda *a: loop_conv_backward(*a, accumulate_filters=False))  # dx from one filter only
    assert fb.passed is False and "last filter" in fb.message

    def dw_per_image(dz, x, w, s, p):
        dx, _, db = loop_conv_backward(dz, x, w, s, p)
        per = np.stack([loop_conv_backward(dz[n:n + 1], x[n:n + 1], w, s, p)[1] for n in range(len(x))])
        return dx, per, db
    fb = check(dw_per_image)
    assert fb.passed is False and "sum over the batch" in fb.message

    def no_padding(dz, x, w, s, p):          # windows taken from x itself: fine until padding > 0
        return loop_conv_backward(dz, x, w, s, 0)
    fb = check(no_padding)
    assert fb.passed is False and "pad x first" in fb.message
    fb = check(lambda *a: loop_conv_backward(*a)[:2])
    assert fb.passed is False and "three arrays" in fb.message
    fb = check(lambda *a: None)
    assert fb.passed is False and "return" in fb.message


def test_conv_backward_not_attempted():
    assert lesson05.exercise_conv_backward(_stub).passed is None


# ---------------------------------------------------------------- 05.5 composite kernel
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
    fb = lesson05.exercise_composite_kernel(lambda k1, b1, k2, b2: (np.zeros(4), b1 * k2.sum() + b2))
    assert fb.passed is False and "6 taps" in fb.message
    fb = lesson05.exercise_composite_kernel(lambda k1, b1, k2, b2: (k1 * k2, b1 + b2))   # 3 and 4 taps
    assert fb.passed is False and "entry by entry" in fb.message and "k1[m] * k2[n]" in fb.message
    fb = lesson05.exercise_composite_kernel(lambda k1, b1, k2, b2: (k1 * k2[:3], b1 * k2.sum() + b2))
    assert fb.passed is False and "tap by tap" in fb.message
    fb = lesson05.exercise_composite_kernel(lambda k1, b1, k2, b2: np.convolve(k1, k2))
    assert fb.passed is False and "pair" in fb.message


def test_composite_not_attempted():
    assert lesson05.exercise_composite_kernel(_stub).passed is None
