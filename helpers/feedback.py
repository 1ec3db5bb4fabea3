"""Instant, specific feedback for the exercises.

Each lesson has a module (``helpers.lesson00.checks`` ...) with one function per
exercise. A check takes what the learner wrote (usually a function), tries it on cases
where the right answer is known, and returns a :class:`Feedback`: a pass, a specific
hint about what is wrong, or "not attempted yet" when the exercise still raises
``NotImplementedError`` (as it does in the student edition).

Checks compare numbers with tolerances, never with float ``==``, and compare arrays
element by element, never by an order-blind checksum.

Graded runs. nbgrader scores a test cell by whether it raises, so when the course is being
graded a check that does not pass raises :class:`ExerciseNotPassed` instead of returning:
its message is the same hint (or "not attempted yet"), and its traceback is that one line,
so nbgrader's feedback shows the learner what to fix, not a wall of frames. A check knows
it is graded when :func:`grading` says so: the kernel was started with
``--KernelsFilters.grading=True`` (the course's ``nbgrader_config.py`` passes it to the
autograding kernels only, via ``c.Execute.extra_arguments``), or the environment has
``KF_GRADING=1`` (any other runner). Everywhere else, in JupyterLab and in the tests,
checks return their :class:`Feedback` and never raise, so *Run All* goes on past a wrong
answer.
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass
from typing import Callable

import numpy as np

__all__ = ["Feedback", "ExerciseNotPassed", "grading", "run_check", "compare_arrays",
           "compare_number"]

GRADING_ENV = "KF_GRADING"


@dataclass(frozen=True)
class Feedback:
    """The verdict of one check: ``passed`` is True, False, or None (not attempted yet)."""

    exercise: str
    passed: bool | None
    message: str

    def __bool__(self) -> bool:
        return self.passed is True

    @property
    def status(self) -> str:
        return {True: "correct", False: "not yet", None: "not attempted yet"}[self.passed]

    def __repr__(self) -> str:
        mark = {True: "[ok]", False: "[x]", None: "[ ]"}[self.passed]
        return f"{mark} {self.exercise}: {self.status}. {self.message}"

    def _repr_html_(self) -> str:
        colour = {True: "#009E73", False: "#D55E00", None: "#0072B2"}[self.passed]
        icon = {True: "&#10004;", False: "&#10008;", None: "&#9711;"}[self.passed]
        return (f"<div style='border-left:4px solid {colour};padding:4px 8px'>"
                f"<b style='color:{colour}'>{icon} {html.escape(self.exercise)}: {self.status}.</b> "
                f"{html.escape(self.message)}</div>")


class ExerciseNotPassed(AssertionError):
    """A graded check that did not pass; ``feedback`` is its verdict, the message its hint."""

    def __init__(self, feedback: Feedback):
        super().__init__(f"{feedback.exercise}: {feedback.status}. {feedback.message}")
        self.feedback = feedback

    def _render_traceback_(self) -> list[str]:
        # IPython's documented hook for a custom traceback: one line instead of the checker's frames.
        return [f"{type(self).__name__}: {self}"]


def grading() -> bool:
    """True when checks run for a grade (see the module docstring): then they raise, not return."""
    if os.environ.get(GRADING_ENV, "").strip() not in ("", "0"):
        return True
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None or "KernelsFilters" not in shell.config:
        return False
    return str(shell.config.KernelsFilters.get("grading", "")).strip().lower() in ("true", "1")


def run_check(exercise: str, grade: Callable[[], str | None]) -> Feedback | None:
    """Run ``grade()``; it returns None when the answer is right or a hint when it is wrong.

    A ``NotImplementedError`` raised anywhere inside (the student stub) becomes
    "not attempted yet"; any other exception becomes a one-line description of it,
    so a learner never sees a wall of traceback from the checker. When :func:`grading`,
    a verdict other than a pass is raised as :class:`ExerciseNotPassed` (same message), and a
    pass is displayed and None returned: nbgrader reads a cell's returned value as a partial
    score, so a graded cell must return nothing.
    """
    try:
        hint = grade()
    except ExerciseNotPassed:      # a check inside a check, graded: already the verdict
        raise
    except NotImplementedError:
        feedback = Feedback(exercise, None, "Replace the `raise NotImplementedError` line in the "
                                            "exercise cell with your code, run that cell, then run this one.")
    except Exception as exc:  # the learner's code failed: say how, briefly
        feedback = Feedback(exercise, False, f"Your code raised {type(exc).__name__}: {exc}")
    else:
        feedback = Feedback(exercise, False, hint) if hint else Feedback(exercise, True, "Well done.")
    if not grading():
        return feedback
    if feedback.passed is not True:
        raise ExerciseNotPassed(feedback)
    _show(feedback)     # graded and passed: shown, not returned (a returned value is a score to nbgrader)
    return None


def _show(feedback: Feedback) -> None:
    try:
        from IPython.display import display
    except ImportError:
        print(repr(feedback))
    else:
        display(feedback)


def compare_number(got, want: float, name: str, rtol: float = 1e-6, atol: float = 1e-9) -> str | None:
    """None if ``got`` is a number close to ``want``, else a hint naming ``name``."""
    try:
        value = float(got)
    except (TypeError, ValueError):
        return f"{name} should be a number, got {type(got).__name__}."
    if not np.isfinite(value):
        return f"{name} is {value}; expected a finite number."
    if abs(value - want) > atol + rtol * abs(want):
        return f"{name} is {value:.6g}, expected {want:.6g}."
    return None


def compare_arrays(got, want, name: str, rtol: float = 1e-6, atol: float = 1e-9) -> str | None:
    """None if ``got`` matches ``want`` entry by entry, else the most useful hint.

    Checks, in order: that it is numeric, the shape, then values, naming the first
    index that differs, and noticing a reversed or sign-flipped answer.
    """
    try:
        arr = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return f"{name} should be an array of numbers, got {type(got).__name__}."
    want = np.asarray(want, dtype=float)
    if arr.shape != want.shape:
        return f"{name} has shape {arr.shape}, expected {want.shape}."
    close = np.isclose(arr, want, rtol=rtol, atol=atol)
    if close.all():
        return None
    if want.ndim >= 1 and np.allclose(arr, np.flip(want), rtol=rtol, atol=atol):
        return f"{name} is reversed: check the direction of your index (flip vs no flip)."
    if np.allclose(arr, -want, rtol=rtol, atol=atol):
        return f"{name} has the wrong sign everywhere."
    first = tuple(int(i) for i in np.argwhere(~close)[0])
    where = first[0] if len(first) == 1 else first
    return (f"{name}[{where}] is {arr[first]:.6g}, expected {want[first]:.6g} "
            f"({int((~close).sum())} of {close.size} entries differ).")
