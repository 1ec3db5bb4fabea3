"""Shared test settings."""
import os

import numpy as np
import pytest
from hypothesis import settings

settings.register_profile("course", max_examples=60, deadline=None, derandomize=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "course"))


@pytest.fixture
def rng():
    return np.random.default_rng(20261121)


# The longest units of work first, so that `make test`'s pytest-xdist workers (--dist loadscope)
# end together: the short modules fill in at the end instead of one worker running a long
# browser class alone.
LONGEST_FIRST = ("tests/test_browser.py", "notebooks/06_", "notebooks/04_", "tests/test_benchmarks.py")


def pytest_collection_modifyitems(config, items):
    def rank(item):
        nodeid = item.nodeid
        return next((i for i, prefix in enumerate(LONGEST_FIRST) if nodeid.startswith(prefix)), len(LONGEST_FIRST))
    items.sort(key=rank)          # stable: a notebook's cells keep their order
