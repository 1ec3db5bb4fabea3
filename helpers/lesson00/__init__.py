"""Lesson 00 (Start here): ``setup_check`` (versions, the smoothing demo) and ``checks``."""
