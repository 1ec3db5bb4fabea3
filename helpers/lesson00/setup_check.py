"""Lesson 00's setup check: are the right packages here, and does a slider move a plot?"""

from __future__ import annotations

import sys
from importlib import metadata

import numpy as np

from .. import plots
from ..conv import correlate1d
from ..widgets import Drawing

__all__ = ["REQUIREMENTS", "installed_versions", "problems", "report",
           "noisy_steps", "smooth", "draw_smoothing"]

#: package -> lowest version the course is tested with
REQUIREMENTS = {"numpy": "1.26", "matplotlib": "3.8", "ipywidgets": "8.1", "jupyterlab": "4.2"}


def _as_tuple(version: str) -> tuple[int, ...]:
    parts = []
    for piece in version.split(".")[:3]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


def installed_versions() -> dict[str, str | None]:
    """``{package: version or None}`` for Python and every required package."""
    found = {"python": sys.version.split()[0]}
    for name in REQUIREMENTS:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


def problems(found: dict | None = None) -> list[str]:
    """What is missing or too old, in words a learner can act on (empty when all is well)."""
    found = installed_versions() if found is None else found
    out = []
    if _as_tuple(found["python"]) < (3, 10):
        out.append(f"Python {found['python']} is too old: the course needs 3.10 or newer.")
    for name, lowest in REQUIREMENTS.items():
        have = found.get(name)
        if have is None:
            out.append(f"{name} is not installed: run `make lab` from the course folder "
                       f"(or `%pip install -e ..` in a notebook).")
        elif _as_tuple(have) < _as_tuple(lowest):
            out.append(f"{name} {have} is older than {lowest}: run `make lab` to update the course's environment.")
    return out


def report() -> str:
    """A table of versions followed by a verdict line."""
    found = installed_versions()
    lines = [f"{name:<11} {version or 'missing'}" for name, version in found.items()]
    issues = problems(found)
    lines.append("")
    lines.extend(issues or ["All required packages are present and recent enough."])
    return "\n".join(lines)


def noisy_steps(n: int = 80, noise: float = 0.35, seed: int = 0) -> np.ndarray:
    """A step signal (0, then 2, then 1) plus Gaussian noise, shape ``(n,)``: the demo input."""
    rng = np.random.default_rng(seed)
    clean = np.zeros(n)
    clean[n // 4:n // 2] = 2.0
    clean[n // 2:3 * n // 4] = 1.0
    return clean + noise * rng.normal(size=n)


def smooth(signal, width: int) -> np.ndarray:
    """Moving average over ``width`` samples, 'same' length: correlation with a box kernel."""
    if not isinstance(width, (int, np.integer)) or width < 1:
        raise ValueError(f"width must be a whole number >= 1, got {width!r}.")
    signal = np.asarray(signal, dtype=float)
    if width > signal.shape[0]:
        raise ValueError(f"width {width} is longer than the signal ({signal.shape[0]} samples); "
                         f"choose a width of at most {signal.shape[0]}.")
    return correlate1d(signal, np.full(width, 1.0 / width), mode="same")


def _build_smoothing(fig, width: int = 5, signal=None) -> dict:
    """The axes, the two lines (data set by the update) and the legend."""
    ax = fig.add_subplot(1, 1, 1)
    (noisy,) = ax.plot([], [], ".", color="#56B4E9", label="noisy signal")
    (average,) = ax.plot([], [], "-", color="#D55E00", linewidth=2, label="moving average")
    ax.set_xlabel("sample index i (0-based)")
    ax.set_ylabel("value")
    legend = ax.legend(loc="upper right")
    return {"ax": ax, "noisy": noisy, "average": average, "label": legend.get_texts()[1]}


def _update_smoothing(state: dict, width: int = 5, signal=None) -> None:
    """The noisy signal and its moving average of ``width`` samples."""
    signal = noisy_steps() if signal is None else np.asarray(signal, dtype=float)
    smoothed = smooth(signal, width)          # raises ValueError before anything is drawn
    samples = np.arange(signal.shape[0])
    state["noisy"].set_data(samples, signal)
    state["average"].set_data(samples, smoothed)
    state["average"].set_label(f"moving average, width {width}")
    state["label"].set_text(f"moving average, width {width}")
    state["ax"].set_title(f"A box kernel of {width} taps smooths the noise (and blurs the steps)")
    state["ax"].set_xlim(-2, signal.shape[0] + 1)
    plots.follow_data(state["ax"], x=False)


#: Slider figure: the noisy signal and its moving average of ``width`` samples
#: (``draw_smoothing(fig, width=5, signal=None)``; a panel builds it once, then updates).
draw_smoothing = Drawing(_build_smoothing, _update_smoothing)
