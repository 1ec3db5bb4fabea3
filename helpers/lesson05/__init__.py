"""Lesson 05 (Backprop through conv + ReLU): ``backprop``, ``learn_kernel`` and ``checks``."""
