"""Input checks shared by the helpers modules.

Every public function of the course checks its arguments with these and fails
with a message that names the argument, says what it got and what would work.
A silent wrong answer is the worst thing a teaching library can give.
"""

from __future__ import annotations

import math
import numbers

import numpy as np


def as_float_array(value, name: str, ndim: int | tuple[int, ...] | None = None,
                   shape_hint: str = "", keep_float32: bool = False) -> np.ndarray:
    """Return ``value`` as a float64 array after checking dtype, ndim and finiteness.

    ``ndim`` may be an int or a tuple of accepted ints. ``shape_hint`` (for example
    ``"(N, C_in, L)"``) is added to the message when the number of dimensions is wrong.
    With ``keep_float32=True`` a float32 array stays float32 (everything else becomes float64).
    """
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be an array of numbers, got a {type(value).__name__}; "
                        f"pass a NumPy array such as np.array([1.0, 2.0, 3.0]).")
    try:
        arr = np.asarray(value)
    except Exception as exc:  # ragged lists and the like
        raise TypeError(f"{name} could not be turned into an array ({exc}); "
                        f"pass a rectangular NumPy array of numbers.") from None
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise TypeError(f"{name} must hold numbers, got dtype {arr.dtype}; "
                        f"convert it first, e.g. np.asarray({name}, dtype=float).")
    if np.iscomplexobj(arr):
        raise TypeError(f"{name} must be real, got complex dtype {arr.dtype}; "
                        f"pass the real part ({name}.real) if that is what you mean.")
    if ndim is not None:
        wanted = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in wanted:
            want = " or ".join(f"{d}-D" for d in wanted)
            hint = f" with shape {shape_hint}" if shape_hint else ""
            raise ValueError(f"{name} must be {want}{hint}, got a {arr.ndim}-D array "
                             f"of shape {arr.shape}.")
    if arr.size == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape}); pass at least one value "
                         f"along every axis.")
    target = np.float32 if keep_float32 and arr.dtype == np.float32 else np.float64
    arr = arr.astype(target, copy=False)
    if not np.all(np.isfinite(arr)):
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(f"{name} contains {bad} NaN or infinite value(s); every entry "
                         f"must be a finite number (check for a division by zero upstream).")
    return arr


def as_int(value, name: str, minimum: int) -> int:
    """Return ``value`` as a Python int, checking it is whole and >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a whole number >= {minimum}, got {value!r} "
                        f"({type(value).__name__}); for example {name}={max(minimum, 1)}.")
    value = int(value)
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}; "
                         f"for example {name}={max(minimum, 1)}.")
    return value


def as_pair(value, name: str, minimum: int) -> tuple[int, int]:
    """Return an int or a pair of ints as a checked ``(rows, cols)`` pair."""
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(f"{name} must be an int or a pair (rows, cols), got {value!r} "
                             f"with {len(value)} entries.")
        return (as_int(value[0], f"{name}[0]", minimum), as_int(value[1], f"{name}[1]", minimum))
    v = as_int(value, name, minimum)
    return (v, v)


def as_real(value, name: str, example: str, minimum: float | None = None, positive: bool = False) -> float:
    """Return ``value`` as a finite Python float; ``positive`` asks for ``> 0``, ``minimum`` for ``>=``.

    The message names the argument and a value that works: ``try {name}={example}``.
    """
    kind = "a positive number" if positive else (
        f"a finite number >= {minimum:g}" if minimum is not None else "a finite number")
    if (isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value)
            or (positive and value <= 0) or (minimum is not None and value < minimum)):
        raise ValueError(f"{name} must be {kind}, got {value!r}; try {name}={example}.")
    return float(value)


MODES = ("valid", "same", "full")


def check_mode(mode) -> str:
    """Check a convolution mode name (NumPy/SciPy's 'valid', 'same', 'full')."""
    if not isinstance(mode, str) or mode not in MODES:
        raise ValueError(f"mode must be one of 'valid', 'same', 'full', got {mode!r}.")
    return mode
