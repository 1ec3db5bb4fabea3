"""helpers.lesson06.edges: the upsampling matches SciPy, the templates are what they claim, the
measure matches a plain loop over cosines, and the figure shares one colour scale."""
import math

import numpy as np
import pytest
from scipy import ndimage

from helpers import filters
from helpers.lesson06 import edges


def test_upsample_matches_scipy_bilinear_zoom():
    rng = np.random.default_rng(0)
    images = rng.random((3, 5, 7))
    for factor in (1, 2, 3):
        want = np.array([ndimage.zoom(im, factor, order=1, grid_mode=True, mode="nearest") for im in images])
        got = edges.upsample(images, factor)
        assert got.shape == (3, 5 * factor, 7 * factor)
        np.testing.assert_allclose(got, want, atol=1e-12)


def test_upsample_keeps_the_range_and_a_constant_image():
    flat = np.full((1, 4, 4), 0.3)
    np.testing.assert_allclose(edges.upsample(flat, 3), 0.3)
    rng = np.random.default_rng(1)
    images = rng.random((2, 8, 8))
    big = edges.upsample(images, 2)
    assert big.min() >= images.min() and big.max() <= images.max()


def test_upsample_rejects_bad_input():
    with pytest.raises(ValueError, match="images"):
        edges.upsample(np.zeros((8, 8)), 2)
    with pytest.raises(ValueError, match="factor"):
        edges.upsample(np.zeros((1, 8, 8)), 0)


@pytest.mark.parametrize("size", [3, 5, 7])
@pytest.mark.parametrize("kind", ["edge", "bar"])
def test_templates_are_zero_mean_unit_length_and_of_their_symmetry(size, kind):
    family = edges.template_family(size, kind)
    assert family.shape == (3 * 8, size, size)
    np.testing.assert_allclose(family.sum(axis=(1, 2)), 0, atol=1e-12)
    np.testing.assert_allclose(np.linalg.norm(family.reshape(len(family), -1), axis=1), 1, atol=1e-12)
    turned = family[:, ::-1, ::-1]                  # rotated 180 degrees about the centre
    sign = -1 if kind == "edge" else 1              # an edge changes sign, a bar does not
    np.testing.assert_allclose(turned, sign * family, atol=1e-12)


def test_edge_family_contains_sobel_and_bar_family_the_laplacian_like_ridge():
    sobel = np.stack([filters.sobel("x"), filters.sobel("y")])
    assert np.all(edges.best_match(sobel, edges.template_family(3, "edge")) > 0.99)
    assert np.all(edges.best_match(sobel, edges.template_family(3, "bar")) < 1e-9)      # odd vs even: orthogonal
    lap = filters.laplacian()[None]
    assert edges.best_match(lap, edges.template_family(3, "edge"))[0] < 1e-9
    assert edges.best_match(lap, edges.template_family(3, "bar"))[0] > 0.9


def test_edge_templates_point_across_their_orientation():
    family = edges.template_family(7, "edge", orientations=4)
    horizontal_step = family[0]                      # theta = 0: changes along x (columns)
    assert horizontal_step[:, -1].sum() > 0 > horizontal_step[:, 0].sum()
    np.testing.assert_allclose(family[2], family[0].T, atol=1e-12)        # 90 degrees: along y (rows)


def test_best_match_equals_a_loop_over_cosines():
    rng = np.random.default_rng(2)
    bank = rng.normal(size=(6, 5, 5))
    family = edges.template_family(5, "edge")
    want = [max(abs(float(np.sum(f * g) / (np.linalg.norm(f) * np.linalg.norm(g)))) for g in family) for f in bank]
    np.testing.assert_allclose(edges.best_match(bank, family), want, atol=1e-12)
    np.testing.assert_allclose(edges.best_match(-3 * bank, family), want, atol=1e-12)   # sign and scale free
    assert edges.best_match(np.zeros((1, 5, 5)), family)[0] == 0


def test_best_match_random_baseline_shrinks_with_kernel_size():
    rng = np.random.default_rng(3)
    small = edges.best_match(rng.normal(size=(500, 3, 3)), edges.template_family(3)).mean()
    large = edges.best_match(rng.normal(size=(500, 7, 7)), edges.template_family(7)).mean()
    assert small > 0.4 and large < 0.3           # more room: a random filter finds a good match less easily


def test_best_match_rejects_mismatched_sizes():
    with pytest.raises(ValueError, match="same size"):
        edges.best_match(np.zeros((2, 3, 3)), edges.template_family(5))


def test_plot_before_after_uses_one_colour_scale_with_a_colour_bar():
    rng = np.random.default_rng(4)
    before, after = rng.normal(size=(4, 5, 5)), 3 * rng.normal(size=(4, 5, 5))
    fig = edges.plot_before_after(before, after, "test")
    images = [im for ax in fig.axes for im in ax.get_images()]
    assert len(images) == 8
    lim = max(np.abs(before).max(), np.abs(after).max())
    assert all(im.get_clim() == pytest.approx((-lim, lim)) for im in images)
    assert len(fig.axes) == 9                     # 8 tiles + the colour bar
    with pytest.raises(ValueError, match="same shape"):
        edges.plot_before_after(before, after[:2], "x")
    import matplotlib.pyplot as plt
    plt.close(fig)
