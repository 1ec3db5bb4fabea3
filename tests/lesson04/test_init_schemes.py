"""helpers.init_schemes: samples against scipy's distributions, the documented constants."""
import math

import numpy as np
import pytest
from matplotlib.figure import Figure
from scipy import stats

from helpers import init
from helpers.lesson04 import init_schemes

SHAPE = (64, 32, 3, 3)          # fan_in 288, fan_out 576


def test_truncation_factor_is_scipys_truncated_normal_std():
    assert init_schemes.TRUNCATION_STD_FACTOR == pytest.approx(stats.truncnorm(-2, 2).std(), rel=1e-12)
    assert init_schemes.TRUNCATION_STD_FACTOR == pytest.approx(0.8796, abs=1e-4)


@pytest.mark.parametrize("name,dist", [
    ("normal", stats.norm(0, 0.05)),
    ("uniform", stats.uniform(-0.05, 0.1)),
    ("truncated normal", stats.truncnorm(-2, 2, scale=0.05)),
    ("glorot_uniform", stats.uniform(-math.sqrt(6 / 864), 2 * math.sqrt(6 / 864))),
    ("pytorch_default", stats.uniform(-1 / math.sqrt(288), 2 / math.sqrt(288))),
    ("he_normal", stats.norm(0, math.sqrt(2 / 288))),
])
def test_samples_follow_the_stated_distribution(name, dist):
    w = init_schemes.sample(name, SHAPE, rng=np.random.default_rng(7))
    assert w.shape == SHAPE and w.dtype == np.float64
    assert stats.kstest(w.ravel(), dist.cdf).pvalue > 1e-3
    assert w.std() == pytest.approx(init_schemes.theoretical_std(name, SHAPE), rel=0.02)
    assert w.std() == pytest.approx(dist.std(), rel=0.02)


def test_truncated_normal_never_exceeds_two_std_and_zeros_are_zeros():
    w = init_schemes.truncated_normal((50, 40, 5, 5), rng=1)
    assert np.abs(w).max() <= 0.1
    assert np.abs(w).max() > 0.099                  # values close to the cut do occur
    assert not np.any(init_schemes.sample("zeros", SHAPE))


def test_gain_multiplies_exactly_and_seeds_repeat():
    for name in init_schemes.SCHEMES:
        a = init_schemes.sample(name, (8, 4, 3), rng=3, gain=1.0)
        b = init_schemes.sample(name, (8, 4, 3), rng=3, gain=2.5)
        np.testing.assert_allclose(b, 2.5 * a, rtol=1e-15, atol=0)
        assert init_schemes.theoretical_std(name, (8, 4, 3), 2.5) == pytest.approx(
            2.5 * init_schemes.theoretical_std(name, (8, 4, 3)))


def test_framework_constants():
    assert init_schemes.glorot_limit((32, 1, 3, 3)) == pytest.approx(math.sqrt(6 / 297))
    assert init_schemes.leaky_relu_gain(math.sqrt(5)) == pytest.approx(math.sqrt(1 / 3))
    assert init_schemes.kaiming_uniform_bound(288, math.sqrt(5)) == pytest.approx(1 / math.sqrt(288))
    assert init_schemes.kaiming_uniform_bound(288, 0.0) == pytest.approx(math.sqrt(6 / 288))
    # the sampler in helpers.init uses the same bound
    w = init.pytorch_default(SHAPE, rng=0)
    assert np.abs(w).max() <= init_schemes.kaiming_uniform_bound(288, math.sqrt(5))


def test_describe_matches_numpy(rng):
    w = rng.normal(size=(5, 4, 3))
    d = init_schemes.describe(w)
    assert d == pytest.approx({"mean": w.mean(), "std": w.std(), "min": w.min(), "max": w.max(),
                               "abs_max": np.abs(w).max()})


def test_bad_inputs():
    with pytest.raises(ValueError, match="unknown scheme"):
        init_schemes.sample("xavier", SHAPE)
    with pytest.raises(ValueError, match="gain"):
        init_schemes.sample("normal", SHAPE, gain=-1.0)
    with pytest.raises(ValueError, match="at least 2"):
        init_schemes.sample("normal", (5,))
    with pytest.raises(ValueError, match="unknown scheme"):
        init_schemes.theoretical_std("xavier", SHAPE)


def test_plot_histograms_draws_one_panel_per_scheme():
    fig = Figure(figsize=(8, 2))
    axes = [fig.add_subplot(1, 3, i + 1) for i in range(3)]
    samples = {n: init_schemes.sample(n, (8, 4, 3), rng=0) for n in ("normal", "zeros", "he_normal")}
    init_schemes.plot_histograms(axes, samples)
    assert [ax.get_title().split("\n")[0] for ax in axes] == ["normal", "zeros", "he_normal"]
    assert "std 0.0000" in axes[1].get_title()
