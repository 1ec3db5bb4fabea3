"""helpers.init's registry of schemes: the plain Keras schemes, the gain, sampling by name."""
import math

import numpy as np
import pytest
from scipy import stats

from helpers import init

SHAPE = (64, 32, 3, 3)          # fan_in 288, fan_out 576


def test_truncation_factor_is_scipys_truncated_normal_std():
    assert init.TRUNCATION_STD_FACTOR == pytest.approx(stats.truncnorm(-2, 2).std(), rel=1e-12)
    assert init.TRUNCATION_STD_FACTOR == pytest.approx(0.8796, abs=1e-4)

def test_truncated_normal_never_exceeds_two_std_and_zeros_are_zeros():
    w = init.truncated_normal((50, 40, 5, 5), rng=1)
    assert np.abs(w).max() <= 0.1
    assert np.abs(w).max() > 0.099                  # values close to the cut do occur
    assert not np.any(init.sample("zeros", SHAPE))

def test_glorot_limit_is_the_bound_of_glorot_uniform():
    assert init.glorot_limit((32, 1, 3, 3)) == pytest.approx(math.sqrt(6 / 297))
    w = init.glorot_uniform(SHAPE, rng=0)
    assert np.abs(w).max() <= init.glorot_limit(SHAPE) and np.abs(w).max() > 0.99 * init.glorot_limit(SHAPE)

def test_the_registry_draws_what_the_samplers_draw():
    np.testing.assert_array_equal(init.sample("he_normal", SHAPE, rng=4), init.he_normal(SHAPE, rng=4))
    np.testing.assert_array_equal(init.sample("glorot_uniform", SHAPE, rng=4), init.glorot_uniform(SHAPE, rng=4))
    np.testing.assert_array_equal(init.sample("normal", SHAPE, rng=4),
                                  np.random.default_rng(4).normal(0.0, 0.05, size=SHAPE))
    assert stats.kstest(init.sample("uniform", SHAPE, rng=5).ravel(), stats.uniform(-0.05, 0.1).cdf).pvalue > 1e-3

def test_bad_inputs():
    with pytest.raises(ValueError, match="unknown scheme"):
        init.sample("xavier", SHAPE)
    with pytest.raises(ValueError, match="gain"):
        init.sample("normal", SHAPE, gain=-1.0)
    with pytest.raises(ValueError, match="at least 2"):
        init.sample("normal", (5,))
