"""The course's data, shipped in ``data/`` and verified by SHA-256 every time it is loaded.

Three real datasets, each taken byte for byte (or by a documented conversion) from a file
that a PyPI package ships; see ``data/README.md`` for sources, licences and conversions.
Nothing here touches the network.

* :func:`load_photo`  a grayscale photograph of Grace Hopper, ``(300, 256)`` in [0, 1]
* :func:`load_ecg`    5 minutes of an electrocardiogram (MIT-BIH record 208), mV at 360 Hz
* :func:`load_digits` 1797 handwritten digits, ``(N, 8, 8)`` in [0, 1], with labels 0-9
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import io
import os
from pathlib import Path

import numpy as np

from ._validate import as_real

__all__ = ["FILES", "DataIntegrityError", "data_dir", "verify", "load_photo", "load_ecg",
           "load_digits", "clear_cache", "ECG_SAMPLING_HZ"]

#: file name in data/ -> its SHA-256 (the same table is in data/README.md)
FILES = {
    "photo_grace_hopper.npz": "089c2a780e80ba767f242beea1ba147f497d5d53c2a1832bccae7fa1bd27f083",
    "ecg_mitbih_208.npz": "f20ad3365fb9b7f845d0e5c48b6fe67081377ee466c3a220b7f69f35c8958baf",
    "digits_8x8.csv.gz": "09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22",
}

ECG_SAMPLING_HZ = 360.0


class DataIntegrityError(ValueError):
    """A data file is present but its bytes are not the ones the course shipped."""


def data_dir() -> Path:
    """The folder holding the data: ``$KF_DATA_DIR`` if set, else ``data/`` of the course."""
    override = os.environ.get("KF_DATA_DIR")
    return Path(override) if override else Path(__file__).resolve().parent.parent / "data"


def _read_verified(name: str) -> bytes:
    """Read ``data/<name>`` once and return its bytes if their SHA-256 is the recorded one."""
    if name not in FILES:
        raise ValueError(f"name must be one of {sorted(FILES)}, got {name!r}.")
    path = data_dir() / name
    if not path.is_file():
        raise FileNotFoundError(
            f"data file {name} is missing (looked for {path}); restore it with "
            f"`git checkout -- data/{name}` (or download the course again).")
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != FILES[name]:
        raise DataIntegrityError(
            f"data file {name} is corrupted or was changed ({path}): SHA-256 {digest[:16]}... "
            f"instead of {FILES[name][:16]}...; restore it with `git checkout -- data/{name}`.")
    return raw


def verify(name: str) -> Path:
    """Check that ``data/<name>`` exists and has the recorded SHA-256; return its path.

    Raises FileNotFoundError if it is missing, DataIntegrityError (a ValueError) if its bytes
    differ; both messages name the file and the command that restores it.
    """
    _read_verified(name)
    return data_dir() / name


def _frozen(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


# The parsed arrays are cached, so a lesson can call a loader in every cell for free.
# Each loader still runs verify() first, and hands out a fresh copy of the cached array
# so that a caller who edits their array in place cannot change what the next call sees
# (the cached ones are read-only). A cached array always comes from bytes with the recorded
# SHA-256, so it is the same whichever folder (KF_DATA_DIR) it was first read from.

@functools.lru_cache(maxsize=None)
def _photo_uint8() -> np.ndarray:
    with np.load(io.BytesIO(_read_verified("photo_grace_hopper.npz"))) as archive:
        return _frozen(archive["image"])


@functools.lru_cache(maxsize=None)
def _ecg_mv() -> np.ndarray:
    with np.load(io.BytesIO(_read_verified("ecg_mitbih_208.npz"))) as archive:
        # SciPy's conversion of the raw ADC counts: (counts - zero level) / gain.
        return _frozen((archive["ecg"].astype(np.float64) - 1024.0) / 200.0)


@functools.lru_cache(maxsize=None)
def _digits_table() -> np.ndarray:
    text = gzip.decompress(_read_verified("digits_8x8.csv.gz"))
    return _frozen(np.loadtxt(io.BytesIO(text), delimiter=",", dtype=np.int64))


def clear_cache() -> None:
    """Forget the arrays loaded so far (the next load reads the files again)."""
    for cached in (_photo_uint8, _ecg_mv, _digits_table):
        cached.cache_clear()


def load_photo() -> np.ndarray:
    """Grayscale photo of Grace Hopper: float64 array ``(300, 256)``, 0 = black, 1 = white.

    Made from matplotlib's ``grace_hopper.jpg`` (600 x 512 RGB): luma, 2 x 2 block means,
    rounded to uint8; here divided by 255.
    """
    verify("photo_grace_hopper.npz")
    return _photo_uint8().astype(np.float64) / 255.0


def load_ecg(seconds: float | None = None) -> tuple[np.ndarray, float]:
    """An electrocardiogram: ``(signal_mV, fs_hz)`` with ``signal_mV`` float64 of shape ``(L,)``.

    Lead MLII of MIT-BIH Arrhythmia Database record 208, 5 minutes at ``fs_hz = 360.0``
    samples per second (``L = 108000``), in millivolts: ``(raw - 1024) / 200``. The heart
    beats about 100 times a minute, with many premature (extra) beats.
    ``seconds`` (0 < seconds <= 300) keeps only the first ``round(seconds * 360)`` samples.
    """
    verify("ecg_mitbih_208.npz")
    signal = _ecg_mv()
    length_s = signal.shape[0] / ECG_SAMPLING_HZ
    if seconds is not None:
        seconds = as_real(seconds, "seconds", "10", positive=True)
        if seconds > length_s:
            raise ValueError(f"seconds must be at most {length_s:g} (the recording's length), "
                             f"got {seconds!r}; try seconds={length_s:g}.")
        signal = signal[: int(round(seconds * ECG_SAMPLING_HZ))]
    return signal.copy(), ECG_SAMPLING_HZ


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """Handwritten digits: ``(images, labels)``.

    ``images`` float64 ``(1797, 8, 8)`` in [0, 1] (the original counts 0..16 divided by 16);
    ``labels`` int64 ``(1797,)`` with values 0..9. UCI "Optical Recognition of Handwritten Digits".
    """
    verify("digits_8x8.csv.gz")
    table = _digits_table()
    images = table[:, :64].reshape(-1, 8, 8) / 16.0
    labels = table[:, 64].copy()
    return images, labels
