"""Lesson 03 (Index math): ``indexing`` (which inputs feed which outputs), ``receptive`` (receptive fields of stacked layers) and ``checks``."""
