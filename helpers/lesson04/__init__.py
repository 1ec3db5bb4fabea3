"""Lesson 04 (Initialization): ``init_schemes``, ``deepstack``, ``init_training`` and ``checks``."""
