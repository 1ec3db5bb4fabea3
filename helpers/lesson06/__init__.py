"""Lesson 06 (Capstone: a tiny CNN): ``explorer`` (the slider on the trained network) and ``checks``;
the CNN itself is core, :mod:`helpers.cnn`."""
