"""Lesson 06's checks accept right answers, reject typical wrong ones with a useful hint,
and say "not attempted" for the student stub. Right answers are written independently."""
import numpy as np
import pytest

from helpers.lesson06 import checks as lesson06


def _stub(*args, **kwargs):
    raise NotImplementedError("Exercise: write your code here, then run the check below.")


# ---------------------------------------------------------------- 06.1 accuracy
def right_accuracy(logits, labels):
    correct = 0
    for row, label in zip(logits, labels):
        correct += int(max(range(len(row)), key=lambda c: row[c]) == label)
    return correct / len(labels)


def test_accuracy_accepts_right_answers():
    assert lesson06.exercise_accuracy(right_accuracy).passed is True
    assert lesson06.exercise_accuracy(lambda s, y: np.mean(np.argmax(s, axis=1) == y)).passed is True


def test_accuracy_rejects_typical_mistakes():
    fb = lesson06.exercise_accuracy(lambda s, y: np.mean(np.argmax(s, axis=0) == y))
    assert fb.passed is False and "axis 1" in fb.message
    fb = lesson06.exercise_accuracy(lambda s, y: np.sum(np.argmax(s, axis=1) == y))
    assert fb.passed is False and "number of correct" in fb.message
    fb = lesson06.exercise_accuracy(lambda s, y: 100 * np.mean(np.argmax(s, axis=1) == y))
    assert fb.passed is False and "percentage" in fb.message
    fb = lesson06.exercise_accuracy(lambda s, y: np.argmax(s, axis=1) == y)
    assert fb.passed is False and "one number" in fb.message
    fb = lesson06.exercise_accuracy(lambda s, y: None)
    assert fb.passed is False and "return" in fb.message


def test_accuracy_not_attempted():
    assert lesson06.exercise_accuracy(_stub).passed is None


# ---------------------------------------------------------------- 06.2 parameter count
def right_count(n_filters, n_classes):
    from helpers import cnn as tiny_cnn
    return tiny_cnn.parameter_count(tiny_cnn.init_params(n_filters, "zeros", n_classes=n_classes))["total"]


def test_parameter_count_accepts_right_answer():
    assert lesson06.exercise_parameter_count(right_count).passed is True


def test_parameter_count_rejects_typical_mistakes():
    fb = lesson06.exercise_parameter_count(lambda f, c: f * 9 + c * f * 16)
    assert fb.passed is False and "biases" in fb.message
    fb = lesson06.exercise_parameter_count(lambda f, c: f * 10 + c * f * 64 + c)
    assert fb.passed is False and "pooled" in fb.message
    fb = lesson06.exercise_parameter_count(lambda f, c: f * 10 + c * f * 9 + c)
    assert fb.passed is False and "padding 1" in fb.message
    fb = lesson06.exercise_parameter_count(lambda f, c: f * 10)
    assert fb.passed is False and "dense layer" in fb.message


def test_parameter_count_not_attempted():
    assert lesson06.exercise_parameter_count(_stub).passed is None


# ---------------------------------------------------------------- 06.3 He initialisation
def right_he(n_filters, rng):
    return {"w1": rng.normal(0.0, np.sqrt(2 / 9), size=(n_filters, 1, 3, 3)),
            "b1": np.zeros(n_filters),
            "w2": rng.normal(0.0, np.sqrt(2 / (16 * n_filters)), size=(10, 16 * n_filters)),
            "b2": np.zeros(10)}


def test_he_init_accepts_right_answers():
    from helpers import init
    assert lesson06.exercise_he_init(right_he).passed is True
    fb = lesson06.exercise_he_init(lambda f, rng: {"w1": init.he_normal((f, 1, 3, 3), rng), "b1": np.zeros(f),
                                                   "w2": init.he_normal((10, 16 * f), rng), "b2": np.zeros(10)})
    assert fb.passed is True


def _with(w1_std, w2_std, f_shape=True):
    def fn(f, rng):
        return {"w1": rng.normal(0, w1_std(f), size=(f, 1, 3, 3)), "b1": np.zeros(f),
                "w2": rng.normal(0, w2_std(f), size=(10, 16 * f)), "b2": np.zeros(10)}
    return fn


def test_he_init_rejects_typical_mistakes():
    fb = lesson06.exercise_he_init(_with(lambda f: 2 / 9, lambda f: np.sqrt(2 / (16 * f))))
    assert fb.passed is False and "variance" in fb.message
    fb = lesson06.exercise_he_init(_with(lambda f: np.sqrt(2 / (9 + 9 * f)), lambda f: np.sqrt(2 / (16 * f + 10))))
    assert fb.passed is False and "Glorot" in fb.message
    fb = lesson06.exercise_he_init(_with(lambda f: np.sqrt(2 / 9), lambda f: np.sqrt(2 / 9)))
    assert fb.passed is False and "w2" in fb.message and "fan_in = 1024" in fb.message
    fb = lesson06.exercise_he_init(lambda f, rng: {"w1": np.full((f, 1, 3, 3), 0.1), "b1": np.zeros(f),
                                                   "w2": rng.normal(size=(10, 16 * f)), "b2": np.zeros(10)})
    assert fb.passed is False and "identical" in fb.message
    fb = lesson06.exercise_he_init(lambda f, rng: right_he(f, np.random.default_rng(0)))
    assert fb.passed is False and "rng you are given" in fb.message
    fb = lesson06.exercise_he_init(lambda f, rng: {"w1": right_he(f, rng)["w1"], "b1": np.zeros(f)})
    assert fb.passed is False and "four keys" in fb.message
    fb = lesson06.exercise_he_init(lambda f, rng: {**right_he(f, rng), "w2": rng.normal(size=(16 * f, 10))})
    assert fb.passed is False and "(10, 1024)" in fb.message


def test_he_init_not_attempted():
    assert lesson06.exercise_he_init(_stub).passed is None


# ---------------------------------------------------------------- 06.4 hand-made bank
@pytest.fixture(scope="module")
def digits():
    from helpers import data
    return data.load_digits()


def test_hand_made_bank_accepts_edge_kernels_of_both_signs(digits):
    sobel_x = np.array([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]])
    bank = lambda: np.stack([sobel_x, -sobel_x, sobel_x.T, -sobel_x.T])
    assert lesson06.exercise_hand_made_bank(bank, *digits).passed is True


def test_hand_made_bank_rejects_weak_or_malformed_banks(digits):
    sobel_x = np.array([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]])
    fb = lesson06.exercise_hand_made_bank(lambda: np.stack([sobel_x, sobel_x.T]), *digits)
    assert fb.passed is False and "test accuracy" in fb.message and "negative" in fb.message
    fb = lesson06.exercise_hand_made_bank(lambda: sobel_x, *digits)
    assert fb.passed is False and "one 3x3 kernel" in fb.message
    fb = lesson06.exercise_hand_made_bank(lambda: np.zeros((6, 3, 3)), *digits)
    assert fb.passed is False and "at most 4" in fb.message
    fb = lesson06.exercise_hand_made_bank(lambda: np.zeros((2, 5, 5)), *digits)
    assert fb.passed is False and "(F, 3, 3)" in fb.message


def test_hand_made_bank_not_attempted():
    assert lesson06.exercise_hand_made_bank(_stub).passed is None
