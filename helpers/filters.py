"""Hand-made kernels: the filters image processing used long before CNNs learned their own.

All are float64 arrays meant for **cross-correlation** (``helpers.conv.correlate2d``, the
operation CNN layers compute). Row index ``i`` grows downwards, column index ``j`` to the right.

=================  =============  ==================================================
kernel             shape          what it does
=================  =============  ==================================================
box(size)          (size, size)   average of the neighbourhood (sums to 1)
gaussian(sigma)    (s, s)         weighted average, nearer pixels count more (sums to 1)
gaussian1d(sigma)  (s,)           the 1-D Gaussian; ``outer(g, g)`` is the 2-D one
sobel("x")         (3, 3)         horizontal intensity increase (vertical edges)
sobel("y")         (3, 3)         downward intensity increase (horizontal edges)
laplacian()        (3, 3)         second derivative: spots and edges, sums to 0
gabor(...)         (s, s)         a striped blob: stripes at one orientation and scale
peak_kernel()      (3,)           ``[-1, 1, -1]``: the 1-D peak detector of lesson 02
=================  =============  ==================================================
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from ._validate import as_real

__all__ = ["box", "gaussian", "gaussian1d", "sobel", "laplacian", "gabor", "peak_kernel"]


def _odd_size(size, name: str = "size") -> int:
    if isinstance(size, bool) or not isinstance(size, numbers.Integral):
        raise TypeError(f"{name} must be a whole number, got {size!r}; try {name}=3.")
    if size <= 0 or size % 2 == 0:
        raise ValueError(f"{name} must be a positive odd number so the kernel has a centre, "
                         f"got {size}; try {name}={max(1, size + 1 if size > 0 else 3)}.")
    return int(size)


def _default_size(radius_sigma: float) -> int:
    return 2 * math.ceil(3 * radius_sigma) + 1


def box(size: int = 3) -> np.ndarray:
    """``(size, size)`` array of ``1 / size**2``: the mean over a square window."""
    size = _odd_size(size)
    return np.full((size, size), 1.0 / size ** 2)


def gaussian1d(sigma: float, size: int | None = None) -> np.ndarray:
    """``(size,)`` samples of ``exp(-x**2 / (2 sigma**2))`` at ``x = -r..r``, normalised to sum 1.

    Default ``size = 2 * ceil(3 * sigma) + 1`` (three standard deviations each side).
    """
    sigma = as_real(sigma, "sigma", "1.0", positive=True)
    size = _default_size(sigma) if size is None else _odd_size(size)
    x = np.arange(size) - size // 2
    g = np.exp(-x ** 2 / (2 * sigma ** 2))
    return g / g.sum()


def gaussian(sigma: float, size: int | None = None) -> np.ndarray:
    """``(size, size)`` Gaussian, ``exp(-(x**2 + y**2) / (2 sigma**2))`` normalised to sum 1.

    Separable: equal to ``np.outer(gaussian1d(sigma, size), gaussian1d(sigma, size))``.
    """
    g = gaussian1d(sigma, size)
    return np.outer(g, g)


def sobel(direction: str = "x") -> np.ndarray:
    """The 3x3 Sobel kernel for cross-correlation.

    ``"x"``: ``[[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]``, positive where intensity increases to
    the right; ``"y"``: its transpose, positive where intensity increases downwards.
    """
    kx = np.array([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])
    if direction == "x":
        return kx
    if direction == "y":
        return kx.T.copy()
    raise ValueError(f"direction must be 'x' or 'y', got {direction!r}; try direction='x' for "
                     f"vertical edges or direction='y' for horizontal ones.")


def laplacian(diagonals: bool = False) -> np.ndarray:
    """The 3x3 discrete Laplacian (sums to 0).

    ``[[0, 1, 0], [1, -4, 1], [0, 1, 0]]``; with ``diagonals=True`` the 8-neighbour version
    ``[[1, 1, 1], [1, -8, 1], [1, 1, 1]]``.
    """
    if not isinstance(diagonals, (bool, np.bool_)):
        raise TypeError(f"diagonals must be True or False, got {diagonals!r}; try diagonals=True "
                        f"for the 8-neighbour version.")
    if diagonals:
        k = np.ones((3, 3))
        k[1, 1] = -8.0
        return k
    return np.array([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]])


def gabor(sigma: float, theta: float, wavelength: float, phase: float = 0.0,
          gamma: float = 0.5, size: int | None = None) -> np.ndarray:
    """Real Gabor kernel ``(size, size)``: a Gaussian envelope times a cosine grating.

    ``g(x, y) = exp(-(u**2 + gamma**2 v**2) / (2 sigma**2)) * cos(2 pi u / wavelength + phase)``
    with ``u = x cos(theta) + y sin(theta)``, ``v = -x sin(theta) + y cos(theta)``; ``x`` is
    the column offset from the centre, ``y`` the row offset, ``theta`` in radians. The
    stripes run perpendicular to the direction ``theta`` (``theta = 0``: vertical stripes,
    varying along x). Not normalised and not forced to zero mean (with ``phase = 0`` the
    mean is slightly positive). Default ``size = 2 * ceil(3 * sigma / min(gamma, 1)) + 1``.
    """
    sigma = as_real(sigma, "sigma", "2.0", positive=True)
    theta = as_real(theta, "theta", "0.0")
    wavelength = as_real(wavelength, "wavelength", "4.0", positive=True)
    phase = as_real(phase, "phase", "0.0")
    gamma = as_real(gamma, "gamma", "0.5", positive=True)
    size = _default_size(sigma / min(gamma, 1.0)) if size is None else _odd_size(size)
    r = size // 2
    y, x = np.mgrid[-r:r + 1, -r:r + 1].astype(np.float64)
    u = x * math.cos(theta) + y * math.sin(theta)
    v = -x * math.sin(theta) + y * math.cos(theta)
    envelope = np.exp(-(u ** 2 + gamma ** 2 * v ** 2) / (2 * sigma ** 2))
    return envelope * np.cos(2 * math.pi * u / wavelength + phase)


def peak_kernel() -> np.ndarray:
    """``array([-1., 1., -1.])``: responds most where a sample rises above both neighbours."""
    return np.array([-1.0, 1.0, -1.0])
