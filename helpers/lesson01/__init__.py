"""Lesson 01 (Kernel vs filter): ``filtering`` (a filter as a partially applied kernel) and ``checks``."""
