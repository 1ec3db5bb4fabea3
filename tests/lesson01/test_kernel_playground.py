"""The kernel playground's plain functions and its editor, without a browser."""
import numpy as np
import pytest
from matplotlib.figure import Figure
from scipy import signal

from helpers import data, widgets
from helpers.lesson01 import kernel_playground as kp

PHOTO = np.asarray(data.load_photo(), dtype=float)


def test_presets_are_the_classic_kernels():
    assert np.array_equal(kp.preset_kernel("Sobel x"), [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
    assert np.array_equal(kp.preset_kernel("Sobel y"), [[-1, -2, -1], [0, 0, 0], [1, 2, 1]])
    # neighbours minus centre: -4 at the centre
    assert np.array_equal(kp.preset_kernel("Laplacian"), [[0, 1, 0], [1, -4, 1], [0, 1, 0]])
    assert np.array_equal(kp.preset_kernel("sharpen"), [[0, -1, 0], [-1, 5, -1], [0, -1, 0]])
    assert np.array_equal(kp.preset_kernel("emboss"), [[-2, -1, 0], [-1, 1, 1], [0, 1, 2]])
    assert np.allclose(kp.preset_kernel("box blur", 5), 0.04)
    for name in kp.PRESETS:
        for size in (3, 5):
            k = kp.preset_kernel(name, size)
            assert k.shape == (size, size)
            assert np.array_equal(k, np.round(k, 3))              # what the boxes show
    sums = {name: kp.preset_kernel(name).sum() for name in kp.PRESETS}
    for name in ("identity", "box blur", "Gaussian", "sharpen", "emboss"):
        assert abs(sums[name] - 1) < 2e-3, name
    for name in ("Sobel x", "Sobel y", "Laplacian"):
        assert sums[name] == 0, name
    g5 = kp.preset_kernel("Gaussian", 5)
    assert g5[2, 2] == g5.max() and np.allclose(g5, g5.T) and np.allclose(g5, g5[::-1])


def test_3x3_presets_sit_in_the_middle_of_5x5():
    k5 = kp.preset_kernel("Sobel x", 5)
    assert np.array_equal(k5[1:4, 1:4], kp.preset_kernel("Sobel x", 3))
    assert not k5[0].any() and not k5[-1].any() and not k5[:, 0].any() and not k5[:, -1].any()


def test_patch_preset_is_cut_from_the_photo():
    r, c = kp.PATCH_CENTRE
    assert np.allclose(kp.preset_kernel("patch from the photo", 5), PHOTO[r - 2:r + 3, c - 2:c + 3], atol=5e-4)


def test_bad_inputs_are_named():
    with pytest.raises(ValueError, match="unknown preset"):
        kp.preset_kernel("blurry")
    with pytest.raises(ValueError, match="3 or 5"):
        kp.preset_kernel("box blur", 4)
    with pytest.raises(ValueError, match="3x3 or 5x5"):
        kp.filtered_photo(np.ones((4, 4)))


def test_filtered_photo_is_a_valid_correlation():
    k = np.array([[0.0, 1, 2], [-1, 0.5, 0], [3, 0, -2]])
    assert np.allclose(kp.filtered_photo(k), signal.correlate2d(PHOTO, k, mode="valid"))
    assert np.allclose(kp.filtered_photo(kp.preset_kernel("identity")), PHOTO[1:-1, 1:-1])


def test_facts():
    sobel = kp.kernel_facts(kp.preset_kernel("Sobel x"))
    assert sobel["zero_sum"] and "flat region comes out as 0" in sobel["text"]
    patch = kp.kernel_facts(kp.preset_kernel("patch from the photo"))
    assert not patch["zero_sum"] and patch["sum"] > 3
    assert patch["flat_out"] == pytest.approx(0.5 * patch["sum"])
    # away from the borders, a kernel summing to s scales the mean by about s
    assert patch["output_mean"] == pytest.approx(patch["sum"] * PHOTO.mean(), rel=0.1)
    assert f"{patch['sum']:.3f}" in patch["text"]


def test_draw_builds_then_updates_in_place():
    fig = Figure(figsize=(8, 3.6))
    state = kp.draw_playground(fig, kernel=kp.preset_kernel("box blur"))
    axes = list(fig.axes)
    assert len(axes) == 3                                   # kernel, output, colour bar
    out = state["out"]
    assert out.get_cmap().name == "gray"
    kp.draw_playground.update(state, kernel=kp.preset_kernel("Laplacian"))
    assert fig.axes == axes                                 # nothing rebuilt
    assert np.allclose(out.get_array(), signal.correlate2d(PHOTO, kp.preset_kernel("Laplacian"), mode="valid"))
    assert out.get_cmap().name == "RdBu_r"                  # signed output: diverging map centred on 0
    lo, hi = out.get_clim()
    assert lo == -hi > -np.abs(out.get_array()).max()
    assert state["fact"].get_text() == "taps sum to 0: flat regions become 0"
    kp.draw_playground.update(state, kernel=kp.preset_kernel("Sobel x", 5))
    assert len(state["numbers"]) == 25
    assert out.get_array().shape == (296, 252)
    assert out.get_extent() == [1.5, 253.5, 297.5, 1.5]     # output (i, j) sits on photo pixel (i + 2, j + 2)
    assert fig.axes[1].get_xlim() == (-0.5, 255.5)           # the axes never change
    with pytest.raises(ValueError, match="3x3 or 5x5"):
        kp.draw_playground.update(state, kernel=np.ones((2, 2)))
    assert len(state["numbers"]) == 25                      # a refused kernel changes nothing


def test_editor_value_follows_boxes_presets_and_size():
    ed = kp.KernelEditor(preset="identity")
    seen = []
    ed.observe(lambda change: seen.append(change["new"]), names="value")
    ed.preset.value = "Sobel x"
    assert len(seen) == 1 and np.array_equal(ed.kernel(), kp.preset_kernel("Sobel x"))
    ed.boxes[1][1].value = 2.5                               # the top-left tap of the 3x3 (inside the ring)
    assert len(seen) == 2 and ed.kernel()[0, 0] == 2.5
    ed.size.value = 5
    assert len(seen) == 3 and ed.kernel().shape == (5, 5)
    assert np.array_equal(ed.kernel(), kp.preset_kernel("Sobel x", 5))
    assert all(b.layout.display is None for row in ed.boxes for b in row)
    ed.set_kernel(np.eye(3))
    assert ed.size.value == 3 and np.array_equal(ed.kernel(), np.eye(3))
    assert ed.boxes[0][0].layout.display == "none"


def test_panel_redraws_when_a_number_changes():
    ed = kp.KernelEditor(preset="box blur")
    panel = widgets.SliderPanel(kp.draw_playground, {"kernel": ed}, figsize=(8, 3.6))
    before = panel.image.value
    ed.boxes[2][2].value = 1.0
    assert panel.image.value != before and panel.message.value == ""
    ed.set_kernel(np.full((5, 5), 0.04))
    assert len(panel.state["numbers"]) == 25
