"""helpers.data: shapes, ranges, known facts about each dataset, and the integrity checks."""
import gzip
import hashlib
import re
import shutil
from pathlib import Path

import matplotlib
import matplotlib.image as mpimg
import numpy as np
import pytest
from scipy.signal import find_peaks

from helpers import data

ROOT = Path(__file__).resolve().parents[2]
# SHA-256 of matplotlib's mpl-data/sample_data/grace_hopper.jpg (matplotlib 3.11.2), our source
JPEG_SHA256 = "a8ca6d734765703b09728ab47fe59f473d93ae3967fc24c7c0288c3c7adb7130"


def test_hash_registry_matches_readme_and_files():
    readme = (ROOT / "data" / "README.md").read_text()
    listed = dict(re.findall(r"\| `([\w.]+)` \| `([0-9a-f]{64})` \|", readme))
    assert listed == data.FILES
    sums = (ROOT / "data" / "SHA256SUMS").read_text().split("\n")
    assert {line.split()[1]: line.split()[0] for line in sums if line} == data.FILES
    for name, digest in data.FILES.items():
        assert hashlib.sha256((ROOT / "data" / name).read_bytes()).hexdigest() == digest


def test_data_is_small():
    assert sum((ROOT / "data" / n).stat().st_size for n in data.FILES) < 5 * 2 ** 20


def test_photo():
    photo = data.load_photo()
    assert photo.shape == (300, 256) and photo.dtype == np.float64
    assert 0.0 <= photo.min() < 0.1 and photo.max() == 1.0
    assert 0.2 < photo.mean() < 0.8           # a real photo, not a blank
    photo[:] = 0                                 # callers can't damage the next load
    assert data.load_photo().max() == 1.0


def test_photo_is_the_documented_conversion_of_matplotlibs_jpeg():
    # Redo data/README.md's steps from the JPEG that the installed matplotlib ships.
    jpeg = Path(matplotlib.get_data_path()) / "sample_data" / "grace_hopper.jpg"
    if not jpeg.is_file() or hashlib.sha256(jpeg.read_bytes()).hexdigest() != JPEG_SHA256:
        pytest.skip("this matplotlib does not ship the same grace_hopper.jpg")
    rgb = mpimg.imread(jpeg).astype(np.float64)
    assert rgb.shape == (600, 512, 3)
    luma = 0.299 * rgb[..., 0] + 0.587 * rgb[..., 1] + 0.114 * rgb[..., 2]
    half = (luma[0::2, 0::2] + luma[0::2, 1::2] + luma[1::2, 0::2] + luma[1::2, 1::2]) / 4
    # rounding to uint8 costs at most half a level; allow one more for another JPEG decoder
    np.testing.assert_allclose(data.load_photo() * 255, half, atol=1.5)


def test_ecg_matches_scipys_conversion_and_documented_statistics():
    signal, fs = data.load_ecg()
    assert fs == 360.0 and signal.shape == (108000,) and signal.dtype == np.float64
    assert signal.shape[0] / fs == 300.0
    with np.load(ROOT / "data" / "ecg_mitbih_208.npz") as archive:
        raw = archive["ecg"]
    assert raw.dtype == np.uint16
    np.testing.assert_array_equal(signal, (raw.astype(int) - 1024) / 200.0)
    # the values SciPy's electrocardiogram() docstring prints for this recording
    np.testing.assert_allclose(signal[:3], [-0.245, -0.215, -0.185])
    np.testing.assert_allclose(signal[-3:], [-0.405, -0.395, -0.385])
    assert signal.mean() == pytest.approx(-0.16510875, abs=1e-8)
    assert signal.std() == pytest.approx(0.5992473991177294, rel=1e-10)


def test_ecg_heart_rate_found_by_scipy():
    signal, fs = data.load_ecg()
    # R peaks: stand out by at least 1 mV and are at least 0.3 s apart; scipy finds them.
    # Measured: 494 peaks in 5 minutes (about 99 per minute; record 208 is fast and has
    # many premature beats), 107 in the first minute.
    peaks, _ = find_peaks(signal, prominence=1.0, distance=int(0.3 * fs))
    assert 90 < len(peaks) / 5.0 < 110, len(peaks)
    first_minute, _ = find_peaks(signal[: int(60 * fs)], prominence=1.0, distance=int(0.3 * fs))
    assert 95 < len(first_minute) < 120, len(first_minute)
    gaps_s = np.diff(peaks) / fs
    assert 0.45 < np.median(gaps_s) < 0.7


def test_ecg_seconds_and_copies():
    signal, _ = data.load_ecg()
    short, fs = data.load_ecg(seconds=10)
    assert short.shape == (3600,) and fs == 360.0
    np.testing.assert_array_equal(short, signal[:3600])
    assert data.load_ecg(seconds=2.5)[0].shape == (900,)
    assert data.load_ecg(seconds=300)[0].shape == (108000,)
    short[:] = 99.0                              # callers can't damage the next load
    assert data.load_ecg(seconds=10)[0].max() < 5.0


def test_digits_against_an_independent_read():
    images, labels = data.load_digits()
    assert images.shape == (1797, 8, 8) and labels.shape == (1797,)
    assert images.dtype == np.float64 and labels.dtype == np.int64
    assert images.min() == 0.0 and images.max() == 1.0
    rows = [line.split(",") for line in gzip.open(ROOT / "data" / "digits_8x8.csv.gz", "rt")]
    assert [int(r[-1]) for r in rows] == labels.tolist()
    assert np.bincount(labels).tolist() == [sum(int(r[-1]) == d for r in rows) for d in range(10)]
    # UCI's published class counts for the optdigits test set (optdigits.tes, 1797 rows)
    assert np.bincount(labels).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    np.testing.assert_allclose(images[5].ravel() * 16, [float(v) for v in rows[5][:64]])
    images[:] = -1.0
    labels[:] = -1                               # callers can't damage the next load
    again_images, again_labels = data.load_digits()
    assert again_images.min() == 0.0 and again_labels.min() == 0


@pytest.mark.parametrize("seconds", [-1, 0, float("nan"), float("inf"), "10", True])
def test_bad_seconds(seconds):
    with pytest.raises(ValueError, match=r"seconds must be a positive number.*try seconds="):
        data.load_ecg(seconds=seconds)


def test_too_many_seconds():
    with pytest.raises(ValueError, match=r"seconds must be at most 300 .*try seconds=300"):
        data.load_ecg(seconds=301)


@pytest.fixture
def copied_data(tmp_path, monkeypatch):
    for name in data.FILES:
        shutil.copy(ROOT / "data" / name, tmp_path / name)
    monkeypatch.setenv("KF_DATA_DIR", str(tmp_path))
    data.clear_cache()
    yield tmp_path
    data.clear_cache()


def test_corrupted_file_is_refused(copied_data):
    path = copied_data / "digits_8x8.csv.gz"
    raw = bytearray(path.read_bytes())
    raw[100] ^= 0xFF
    path.write_bytes(bytes(raw))
    with pytest.raises(data.DataIntegrityError, match=r"digits_8x8\.csv\.gz.*git checkout -- data/digits_8x8\.csv\.gz"):
        data.load_digits()
    assert data.load_photo().shape == (300, 256)     # the others still load


def test_missing_file_is_named(copied_data):
    (copied_data / "ecg_mitbih_208.npz").unlink()
    with pytest.raises(FileNotFoundError, match=r"ecg_mitbih_208\.npz.*git checkout"):
        data.load_ecg()


def test_corrupted_file_is_refused_even_when_cached(copied_data):
    assert data.load_ecg()[0].shape == (108000,)  # now the arrays are cached
    (copied_data / "ecg_mitbih_208.npz").write_bytes(b"not an ECG")
    with pytest.raises(data.DataIntegrityError, match=r"ecg_mitbih_208\.npz"):
        data.load_ecg()
    with pytest.raises(ValueError):               # DataIntegrityError is a ValueError
        data.verify("ecg_mitbih_208.npz")


def test_verify_returns_the_path(copied_data):
    assert data.verify("digits_8x8.csv.gz") == copied_data / "digits_8x8.csv.gz"


def test_unknown_name():
    with pytest.raises(ValueError, match="name must be one of"):
        data.verify("mnist.npz")
