"""Lesson 02 (Peak detection): ``peaks`` (the ``[-1, 1, -1]`` detector, a trained 3-tap kernel) and ``checks``."""
