"""helpers.lesson04.init_schemes: each scheme's designed std against samples and scipy, the constants."""
import math

import numpy as np
import pytest
from matplotlib.figure import Figure
from scipy import stats

from helpers import init
from helpers.lesson04 import init_schemes

SHAPE = (64, 32, 3, 3)          # fan_in 288, fan_out 576


@pytest.mark.parametrize("name,dist", [
    ("normal", stats.norm(0, 0.05)),
    ("uniform", stats.uniform(-0.05, 0.1)),
    ("truncated normal", stats.truncnorm(-2, 2, scale=0.05)),
    ("glorot_uniform", stats.uniform(-math.sqrt(6 / 864), 2 * math.sqrt(6 / 864))),
    ("pytorch_default", stats.uniform(-1 / math.sqrt(288), 2 / math.sqrt(288))),
    ("he_normal", stats.norm(0, math.sqrt(2 / 288))),
])
def test_samples_follow_the_stated_distribution(name, dist):
    w = init.sample(name, SHAPE, rng=np.random.default_rng(7))
    assert w.shape == SHAPE and w.dtype == np.float64
    assert stats.kstest(w.ravel(), dist.cdf).pvalue > 1e-3
    assert w.std() == pytest.approx(init_schemes.theoretical_std(name, SHAPE), rel=0.02)
    assert w.std() == pytest.approx(dist.std(), rel=0.02)


def test_gain_multiplies_exactly_and_seeds_repeat():
    for name in init.SCHEMES:
        a = init.sample(name, (8, 4, 3), rng=3, gain=1.0)
        b = init.sample(name, (8, 4, 3), rng=3, gain=2.5)
        np.testing.assert_allclose(b, 2.5 * a, rtol=1e-15, atol=0)
        assert init_schemes.theoretical_std(name, (8, 4, 3), 2.5) == pytest.approx(
            2.5 * init_schemes.theoretical_std(name, (8, 4, 3)))


def test_framework_constants():
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
        init_schemes.theoretical_std("xavier", SHAPE)


def test_plot_histograms_draws_one_panel_per_scheme():
    fig = Figure(figsize=(8, 2))
    axes = [fig.add_subplot(1, 3, i + 1) for i in range(3)]
    samples = {n: init.sample(n, (8, 4, 3), rng=0) for n in ("normal", "zeros", "he_normal")}
    init_schemes.plot_histograms(axes, samples)
    assert [ax.get_title().split("\n")[0] for ax in axes] == ["normal", "zeros", "he_normal"]
    assert "std 0.0000" in axes[1].get_title()
