"""helpers.lesson06.loop: the three-way split and the reference momentum step."""
import numpy as np

from helpers import data
from helpers.lesson06 import checks
from helpers.lesson06 import loop


def test_lesson_split_is_disjoint_complete_stratified_and_seeded():
    _, labels = data.load_digits()
    fit, val, test = loop.lesson_split(labels)
    assert len(fit) + len(val) + len(test) == len(labels)
    assert len(set(fit) | set(val) | set(test)) == len(labels)
    counts = np.bincount(labels)
    np.testing.assert_array_equal(np.bincount(labels[test], minlength=10), np.round(0.25 * counts).astype(int))
    rest = counts - np.round(0.25 * counts).astype(int)
    np.testing.assert_array_equal(np.bincount(labels[val], minlength=10), np.round(0.2 * rest).astype(int))
    again = loop.lesson_split(labels)
    assert all(np.array_equal(a, b) for a, b in zip((fit, val, test), again))
    other = loop.lesson_split(labels, seed=1)
    assert not np.array_equal(other[2], test)


def test_momentum_step_matches_the_written_rule_and_passes_the_check():
    rng = np.random.default_rng(0)
    p, v, g = rng.normal(size=(3, 2, 2))
    p0, v0 = p.copy(), v.copy()
    new_p, new_v = loop.momentum_step(p, v, g, 0.1, 0.9)
    np.testing.assert_allclose(new_v, 0.9 * v0 - 0.1 * g)
    np.testing.assert_allclose(new_p, p0 + 0.9 * v0 - 0.1 * g)
    np.testing.assert_array_equal(p, p0)            # inputs untouched
    assert checks.exercise_momentum_step(loop.momentum_step).passed is True


def test_momentum_step_with_a_constant_gradient_approaches_rate_over_one_minus_momentum():
    p, v = np.zeros(1), np.zeros(1)
    for _ in range(300):
        p, v = loop.momentum_step(p, v, np.ones(1), 0.1, 0.9)
    np.testing.assert_allclose(v, -0.1 / (1 - 0.9), rtol=1e-9)
