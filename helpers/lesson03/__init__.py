"""Lesson 03 (Index math): ``indexing`` (which inputs feed which outputs) and ``checks``."""
