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


# ---------------------------------------------------------------- 06.3 momentum update
def right_momentum(param, velocity, grad, rate, momentum):
    new_velocity = [momentum * v - rate * g for v, g in zip(velocity.ravel(), grad.ravel())]
    new_velocity = np.array(new_velocity).reshape(velocity.shape)
    return param + new_velocity, new_velocity


def right_momentum_in_place(param, velocity, grad, rate, momentum):
    velocity *= momentum
    velocity -= rate * grad
    param += velocity
    return param, velocity


def test_momentum_accepts_right_answers():
    assert lesson06.exercise_momentum_step(right_momentum).passed is True
    assert lesson06.exercise_momentum_step(right_momentum_in_place).passed is True


def _momentum_hint(fn):
    fb = lesson06.exercise_momentum_step(fn)
    assert fb.passed is False
    return fb.message


def test_momentum_rejects_typical_mistakes():
    # no momentum: plain SGD
    assert "plain SGD" in _momentum_hint(lambda p, v, g, r, m: (p - r * g, -r * g))
    # the gradient added: uphill
    assert "uphill" in _momentum_hint(lambda p, v, g, r, m: (p + (m * v + r * g), m * v + r * g))
    # the opposite sign convention: velocity holds +rate * grad and is subtracted
    assert "opposite sign" in _momentum_hint(lambda p, v, g, r, m: (p - (m * v + r * g), m * v + r * g))
    # PyTorch's form with the velocity as a gradient sum
    assert "PyTorch's form" in _momentum_hint(lambda p, v, g, r, m: (p - r * (m * v + g), m * v + g))
    # dampening (1 - momentum)
    assert "dampening" in _momentum_hint(
        lambda p, v, g, r, m: (p + m * v - (1 - m) * r * g, m * v - (1 - m) * r * g))
    # the parameter moved by the old velocity
    assert "old* velocity" in _momentum_hint(lambda p, v, g, r, m: (p + v, m * v - r * g))
    # the velocity computed but the parameter moved by the gradient only
    assert "never used" in _momentum_hint(lambda p, v, g, r, m: (p - r * g, m * v - r * g))
    # the velocity subtracted
    assert "subtracted" in _momentum_hint(lambda p, v, g, r, m: (p - (m * v - r * g), m * v - r * g))
    # the two results swapped
    assert "(velocity, param)" in _momentum_hint(lambda p, v, g, r, m: (m * v - r * g, p + m * v - r * g))
    # in place, no return
    def in_place_no_return(p, v, g, r, m):
        v *= m
        v -= r * g
        p += v
    assert "in place" in _momentum_hint(in_place_no_return)
    assert "return" in _momentum_hint(lambda p, v, g, r, m: None)
    assert "two things" in _momentum_hint(lambda p, v, g, r, m: p + m * v - r * g)


def test_momentum_not_attempted():
    assert lesson06.exercise_momentum_step(_stub).passed is None


# ---------------------------------------------------------------- 06.4 He initialisation
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

    def w2_first(f, rng):                    # another drawing order is just as right
        w2 = rng.standard_normal((10, 16 * f)) * np.sqrt(2 / (16 * f))
        return {"w1": rng.standard_normal((f, 1, 3, 3)) * np.sqrt(2 / 9), "b1": np.zeros(f), "w2": w2,
                "b2": np.zeros(10)}
    assert lesson06.exercise_he_init(w2_first).passed is True


def _with(w1_std, w2_std):
    def fn(f, rng):
        return {"w1": rng.normal(0, w1_std(f), size=(f, 1, 3, 3)), "b1": np.zeros(f),
                "w2": rng.normal(0, w2_std(f), size=(10, 16 * f)), "b2": np.zeros(10)}
    return fn


def test_he_init_rejects_typical_mistakes():
    fb = lesson06.exercise_he_init(_with(lambda f: 2 / 9, lambda f: np.sqrt(2 / (16 * f))))
    assert fb.passed is False and "variance" in fb.message
    fb = lesson06.exercise_he_init(_with(lambda f: np.sqrt(2 / (9 + 9 * f)), lambda f: np.sqrt(2 / (16 * f + 10))))
    assert fb.passed is False and "Glorot" in fb.message and "sqrt(2 / 153)" in fb.message
    fb = lesson06.exercise_he_init(_with(lambda f: np.sqrt(2 / (9 * f)), lambda f: np.sqrt(2 / (16 * f))))
    assert fb.passed is False and "fan_out = 144" in fb.message
    fb = lesson06.exercise_he_init(_with(lambda f: np.sqrt(1 / 9), lambda f: np.sqrt(1 / (16 * f))))
    assert fb.passed is False and "LeCun" in fb.message
    fb = lesson06.exercise_he_init(_with(lambda f: np.sqrt(2 / 9), lambda f: np.sqrt(2 / 9)))
    assert fb.passed is False and "w2" in fb.message and "fan_in = 256" in fb.message   # the lesson's 16 filters
    fb = lesson06.exercise_he_init(lambda f, rng: {"w1": np.full((f, 1, 3, 3), 0.1), "b1": np.zeros(f),
                                                   "w2": rng.normal(size=(10, 16 * f)), "b2": np.zeros(10)})
    assert fb.passed is False and "identical" in fb.message
    fb = lesson06.exercise_he_init(lambda f, rng: right_he(f, np.random.default_rng(0)))
    assert fb.passed is False and "rng you are given" in fb.message
    fb = lesson06.exercise_he_init(lambda f, rng: {"w1": right_he(f, rng)["w1"], "b1": np.zeros(f)})
    assert fb.passed is False and "four keys" in fb.message
    fb = lesson06.exercise_he_init(lambda f, rng: {**right_he(f, rng), "w2": rng.normal(size=(16 * f, 10))})
    assert fb.passed is False and "(10, 256)" in fb.message
    fb = lesson06.exercise_he_init(lambda f, rng: {**right_he(f, rng), "b1": np.full(f, 0.1)})
    assert fb.passed is False and "biases at 0" in fb.message


def test_he_init_rejects_the_global_generator_and_leaves_it_alone():
    def global_random(f, rng):               # the prompt says rng; this ignores it
        return {"w1": np.random.normal(0, np.sqrt(2 / 9), size=(f, 1, 3, 3)), "b1": np.zeros(f),
                "w2": np.random.normal(0, np.sqrt(2 / (16 * f)), size=(10, 16 * f)), "b2": np.zeros(10)}
    np.random.seed(5)
    before = np.random.get_state()
    fb = lesson06.exercise_he_init(global_random)
    assert fb.passed is False and "global generator" in fb.message and "rng.normal" in fb.message
    after = np.random.get_state()
    assert np.array_equal(before[1], after[1]) and before[2] == after[2]

    def seeded_global(f, rng):               # reseeding the global generator does not help
        np.random.seed(0)
        return global_random(f, rng)
    fb = lesson06.exercise_he_init(seeded_global)
    assert fb.passed is False and "global generator" in fb.message


def test_he_init_rejects_a_hard_coded_filter_count():
    def sixteen(f, rng):
        return right_he(16, rng) if f == 16 else right_he(16, rng)
    fb = lesson06.exercise_he_init(sixteen)
    assert fb.passed is False and "n_filters, not the number 16" in fb.message


def test_he_init_not_attempted():
    assert lesson06.exercise_he_init(_stub).passed is None


# ---------------------------------------------------------------- 06.5 hand-made bank
@pytest.fixture(scope="module")
def digits():
    from helpers import data
    return data.load_digits()


SOBEL_X = np.array([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]])


def test_hand_made_bank_accepts_edge_kernels_of_both_signs(digits):
    bank = lambda: np.stack([SOBEL_X, -SOBEL_X, SOBEL_X.T, -SOBEL_X.T])
    assert lesson06.exercise_hand_made_bank(bank, *digits).passed is True


def test_hand_made_bank_says_redundant_for_repeated_kernels(digits):
    fb = lesson06.exercise_hand_made_bank(lambda: np.stack([SOBEL_X] * 4), *digits)
    assert fb.passed is False and "same pattern" in fb.message and "ReLU keeps" not in fb.message
    assert "negative" not in fb.message
    fb = lesson06.exercise_hand_made_bank(lambda: np.stack([SOBEL_X, 2 * SOBEL_X, SOBEL_X.T, -SOBEL_X.T]), *digits)
    assert fb.passed is False and "kernels 0 and 1" in fb.message
    fb = lesson06.exercise_hand_made_bank(lambda: np.stack([SOBEL_X, np.zeros((3, 3))]), *digits)
    assert fb.passed is False and "all zeros" in fb.message


def test_hand_made_bank_hints_for_weak_banks(digits):
    fb = lesson06.exercise_hand_made_bank(lambda: np.stack([SOBEL_X, SOBEL_X.T]), *digits)
    assert fb.passed is False and "validation accuracy" in fb.message and "negative" in fb.message
    fb = lesson06.exercise_hand_made_bank(lambda: np.stack([SOBEL_X, -SOBEL_X]), *digits)
    assert fb.passed is False and "up to 4" in fb.message and "negative" not in fb.message


def test_hand_made_bank_rejects_malformed_banks(digits):
    fb = lesson06.exercise_hand_made_bank(lambda: SOBEL_X, *digits)
    assert fb.passed is False and "one 3x3 kernel" in fb.message
    fb = lesson06.exercise_hand_made_bank(lambda: np.zeros((6, 3, 3)), *digits)
    assert fb.passed is False and "at most 4" in fb.message
    fb = lesson06.exercise_hand_made_bank(lambda: np.zeros((2, 5, 5)), *digits)
    assert fb.passed is False and "(F, 3, 3)" in fb.message


def test_hand_made_bank_never_looks_at_the_test_images(digits):
    images, labels = digits
    from helpers.lesson06 import loop
    fit_idx, val_idx, test_idx = loop.lesson_split(labels)
    assert len(set(fit_idx) | set(val_idx) | set(test_idx)) == len(labels)
    assert not set(test_idx) & (set(fit_idx) | set(val_idx)) and not set(fit_idx) & set(val_idx)
    spoiled = images.copy()
    spoiled[test_idx] = np.nan                  # the check must not touch these
    bank = lambda: np.stack([SOBEL_X, -SOBEL_X, SOBEL_X.T, -SOBEL_X.T])
    assert lesson06.exercise_hand_made_bank(bank, spoiled, labels).passed is True


def test_hand_made_bank_not_attempted():
    assert lesson06.exercise_hand_made_bank(_stub).passed is None
