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
