"""helpers.init by sampling against the stated distributions; helpers.gradcheck on known derivatives."""
import math

import numpy as np
import pytest
from scipy import stats

from helpers import gradcheck, init


def test_fans_of_conv_and_dense_shapes():
    assert init.fans((32, 1, 3, 3)) == (9, 288)      # Keras Conv2D(32, 3) on 1 channel
    assert init.fans((20, 3, 5, 5)) == (75, 500)
    assert init.fans((10, 64)) == (64, 10)            # dense (out, in)
    assert init.fans((8, 4, 7)) == (28, 56)           # 1-D kernel


SHAPE = (64, 32, 3, 3)      # fan_in 288, fan_out 576


@pytest.mark.parametrize("sampler,dist", [
    (init.glorot_uniform, stats.uniform(-math.sqrt(6 / 864), 2 * math.sqrt(6 / 864))),
    (init.he_uniform, stats.uniform(-math.sqrt(6 / 288), 2 * math.sqrt(6 / 288))),
    (init.pytorch_default, stats.uniform(-1 / math.sqrt(288), 2 / math.sqrt(288))),
    (init.glorot_normal, stats.norm(0, math.sqrt(2 / 864))),
    (init.he_normal, stats.norm(0, math.sqrt(2 / 288))),
])
def test_samples_follow_the_documented_distribution(sampler, dist):
    w = sampler(SHAPE, rng=np.random.default_rng(1))
    assert w.shape == SHAPE and w.dtype == np.float64
    # Kolmogorov-Smirnov against scipy's distribution: a wrong limit or variance fails.
    assert stats.kstest(w.ravel(), dist.cdf).pvalue > 1e-3
    assert np.var(w) == pytest.approx(dist.var(), rel=0.05)


def test_pytorch_default_is_six_times_smaller_in_variance_than_he():
    a = init.pytorch_default(SHAPE, rng=0)
    b = init.he_uniform(SHAPE, rng=0)
    assert np.var(b) / np.var(a) == pytest.approx(6.0, rel=0.05)


def test_pytorch_default_bias_shape_and_bound():
    b = init.pytorch_default_bias((16, 8, 3, 3), rng=3)
    assert b.shape == (16,) and np.all(np.abs(b) <= 1 / math.sqrt(72))


def test_seeding_repeats():
    np.testing.assert_array_equal(init.glorot_uniform((3, 2, 2), rng=5), init.glorot_uniform((3, 2, 2), rng=5))


def test_numerical_gradient_of_known_functions():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    np.testing.assert_allclose(gradcheck.numerical_gradient(lambda v: np.sum(v ** 3), x), 3 * x ** 2, rtol=1e-8)
    np.testing.assert_allclose(gradcheck.numerical_gradient(lambda v: np.sin(v).sum(), x), np.cos(x), rtol=1e-8)
    assert x[0, 0] == 1.0           # the input was not modified


def test_rel_error_scale():
    a = np.array([1.0, 2.0, 3.0])
    assert gradcheck.rel_error(a, a) == 0.0
    assert gradcheck.rel_error(a, -a) == pytest.approx(1.0)
    assert gradcheck.rel_error(a, a * (1 + 1e-6)) == pytest.approx(5e-7, rel=1e-3)
    assert gradcheck.rel_error(np.zeros(3), np.zeros(3)) == 0.0
