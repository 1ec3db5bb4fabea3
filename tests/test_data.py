"""helpers.data: shapes, ranges, known facts about each dataset, and the integrity checks."""
import gzip
import hashlib
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from scipy.signal import find_peaks

from helpers import data

ROOT = Path(__file__).resolve().parent.parent


def test_hash_registry_matches_readme_and_files():
    readme = (ROOT / "data" / "README.md").read_text()
    listed = dict(re.findall(r"\| `([\w.]+)` \| `([0-9a-f]{64})` \|", readme))
    assert listed == data.FILES
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


def test_ecg_has_heartbeats_at_a_plausible_rate():
    signal, fs = data.load_ecg()
    assert fs == 360.0 and signal.shape == (108000,)
    assert signal.shape[0] / fs == 300.0
    # R peaks: tall and at least 0.25 s apart, found by scipy, not by us.
    peaks, _ = find_peaks(signal, height=np.percentile(signal, 99) * 0.6, distance=int(0.25 * fs))
    beats_per_minute = len(peaks) / 5.0
    assert 50 < beats_per_minute < 140, beats_per_minute
    short, _ = data.load_ecg(seconds=10)
    assert short.shape == (3600,)
    np.testing.assert_array_equal(short, signal[:3600])


def test_digits_against_an_independent_read():
    images, labels = data.load_digits()
    assert images.shape == (1797, 8, 8) and labels.shape == (1797,)
    assert images.dtype == np.float64 and labels.dtype == np.int64
    assert images.min() == 0.0 and images.max() == 1.0
    rows = [line.split(",") for line in gzip.open(ROOT / "data" / "digits_8x8.csv.gz", "rt")]
    assert [int(r[-1]) for r in rows] == labels.tolist()
    assert np.bincount(labels).tolist() == [sum(int(r[-1]) == d for r in rows) for d in range(10)]
    assert np.bincount(labels)[0] == 178
    np.testing.assert_allclose(images[5].ravel() * 16, [float(v) for v in rows[5][:64]])


def test_bad_seconds():
    with pytest.raises(ValueError, match="seconds must be a positive number"):
        data.load_ecg(seconds=-1)
    with pytest.raises(ValueError, match="at most 300"):
        data.load_ecg(seconds=301)


@pytest.fixture
def copied_data(tmp_path, monkeypatch):
    for name in data.FILES:
        shutil.copy(ROOT / "data" / name, tmp_path / name)
    monkeypatch.setenv("KF_DATA_DIR", str(tmp_path))
    data._read.cache_clear()
    yield tmp_path
    data._read.cache_clear()


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


def test_unknown_name():
    with pytest.raises(ValueError, match="name must be one of"):
        data.verify("mnist.npz")
