"""helpers.metrics.accuracy against counting by hand."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import metrics


@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=1, max_size=40))
def test_accuracy_counts_the_matches(pairs):
    predicted = np.array([p for p, _ in pairs])
    labels = np.array([t for _, t in pairs])
    right = sum(p == t for p, t in pairs)
    assert metrics.accuracy(predicted, labels) == pytest.approx(right / len(pairs))
    assert metrics.accuracy(predicted == 0, labels == 0) == pytest.approx(
        sum((p == 0) == (t == 0) for p, t in pairs) / len(pairs))


def test_accuracy_refuses_mismatched_or_empty_inputs():
    with pytest.raises(ValueError, match="predicted has shape"):
        metrics.accuracy([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match="empty"):
        metrics.accuracy([], [])
