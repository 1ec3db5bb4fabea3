"""Lesson 06 (Capstone: a tiny CNN): ``checks``; the CNN itself is core, :mod:`helpers.cnn`."""
