"""Template matching maps, checked against brute force with numpy's corrcoef and scipy."""
import numpy as np
import pytest
from scipy import signal

from helpers.lesson01 import template_match as tm

rng = np.random.default_rng(3)
IMAGE = rng.random((14, 17))
PATCH = IMAGE[4:9, 6:10].copy()


def test_raw_and_zero_mean_are_valid_correlations():
    assert np.allclose(tm.raw_scores(IMAGE, PATCH), signal.correlate2d(IMAGE, PATCH, mode="valid"))
    zm = tm.zero_mean_scores(IMAGE, PATCH)
    assert np.allclose(zm, signal.correlate2d(IMAGE, PATCH - PATCH.mean(), mode="valid"))
    assert np.allclose(tm.zero_mean_scores(np.full((8, 8), 0.7), PATCH[:3, :3]), 0)


def test_ncc_is_the_correlation_coefficient_of_each_window():
    got = tm.ncc_scores(IMAGE, PATCH)
    kh, kw = PATCH.shape
    want = np.array([[np.corrcoef(IMAGE[i:i + kh, j:j + kw].ravel(), PATCH.ravel())[0, 1]
                      for j in range(IMAGE.shape[1] - kw + 1)] for i in range(IMAGE.shape[0] - kh + 1)])
    assert got.shape == want.shape and np.allclose(got, want)
    assert tm.peak(got) == (4, 6) and got[4, 6] == pytest.approx(1.0)


def test_ncc_ignores_brightness_and_contrast_raw_does_not():
    image = IMAGE.copy()
    image[:, 12:] = 3 * image[:, 12:] + 2                    # a bright, high-contrast strip
    image[2:7, 12:16] = PATCH                                # a second copy of the patch, unchanged
    raw, ncc = tm.raw_scores(image, PATCH), tm.ncc_scores(image, PATCH)
    assert tm.peak(raw)[1] >= 12 - PATCH.shape[1] + 1       # raw: the bright strip wins
    assert ncc[4, 6] == pytest.approx(1.0) and ncc[2, 12] == pytest.approx(1.0)
    bright = 5 * PATCH + 1
    assert tm.ncc_scores(bright, PATCH)[0, 0] == pytest.approx(1.0)


def test_window_means_and_flat_cases():
    means = tm.window_means(IMAGE, (3, 4))
    assert np.allclose(means, signal.correlate2d(IMAGE, np.full((3, 4), 1 / 12), mode="valid"))
    flat = np.full((6, 6), 0.4)
    assert np.allclose(tm.ncc_scores(flat, PATCH[:3, :3]), 0)       # flat windows score 0
    with pytest.raises(ValueError, match="flat"):
        tm.ncc_scores(IMAGE, np.ones((3, 3)))


def test_cut_patch_and_bad_inputs():
    assert np.array_equal(tm.cut_patch(IMAGE, 4, 6, 3), IMAGE[4:7, 6:9])
    with pytest.raises(ValueError, match="outside"):
        tm.cut_patch(IMAGE, 12, 0, 5)
    with pytest.raises(ValueError, match="does not fit"):
        tm.raw_scores(PATCH, IMAGE)
