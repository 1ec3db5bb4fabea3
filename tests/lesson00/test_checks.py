"""Lesson 00's checks accept the right answers, explain typical wrong ones, and spot missing ones."""
import numpy as np

from helpers.feedback import Feedback, compare_arrays
from helpers.lesson00 import checks as lesson00


def _stub(*args):
    raise NotImplementedError


def test_valid_length():
    assert lesson00.exercise_valid_length(lambda n, k: n - k + 1).passed is True
    wrong = lesson00.exercise_valid_length(lambda n, k: n - k)
    assert wrong.passed is False and "one too few" in wrong.message
    full = lesson00.exercise_valid_length(lambda n, k: n + k - 1)
    assert full.passed is False and "'full'" in full.message
    assert lesson00.exercise_valid_length(lambda n, k: None).passed is False
    assert lesson00.exercise_valid_length(_stub).passed is None


def test_moving_average():
    def right(x, k):
        return np.array([np.mean(x[i:i + k]) for i in range(len(x) - k + 1)])

    assert lesson00.exercise_moving_average(right).passed is True
    sums = lesson00.exercise_moving_average(lambda x, k: np.convolve(x, np.ones(k), "valid"))
    assert sums.passed is False and "divide by k" in sums.message
    same = lesson00.exercise_moving_average(lambda x, k: np.convolve(x, np.ones(k) / k, "same"))
    assert same.passed is False and "mode='same'" in same.message
    crash = lesson00.exercise_moving_average(lambda x, k: x[100])
    assert crash.passed is False and "IndexError" in crash.message
    assert lesson00.exercise_moving_average(_stub).passed is None


def test_feedback_renders_status():
    fb = Feedback("Exercise 9", None, "hint")
    assert "not attempted yet" in repr(fb) and "not attempted yet" in fb._repr_html_()
    assert not fb and Feedback("E", True, "ok")


def test_compare_arrays_hints():
    assert compare_arrays([1, 2, 3], [1, 2, 3], "y") is None
    assert "reversed" in compare_arrays([3, 2, 1], [1, 2, 3], "y")
    assert "wrong sign" in compare_arrays([-1, -2, -3], [1, 2, 3], "y")
    assert "shape (2,)" in compare_arrays([1, 2], [1, 2, 3], "y")
    assert "y[1] is 5" in compare_arrays([1, 5, 3], [1, 2, 3], "y")
