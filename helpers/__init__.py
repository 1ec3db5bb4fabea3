"""Kernels & Filters: the small library behind the lessons.

One module per concept; lessons import only these public names. Three layers, and an
import rule a test enforces (tests/test_architecture.py): core imports only core;
presentation imports core and presentation; a lesson imports core and presentation, never
another lesson.

Core, used everywhere:

* :mod:`helpers.conv`       1-D/2-D convolution and correlation (loop and fast), output sizes
* :mod:`helpers.layers`     conv / ReLU / max-pool / flatten / dense / softmax, forward and backward
* :mod:`helpers.init`       weight initialisation schemes (one registry, ``init.SCHEMES``) and fans
* :mod:`helpers.gradcheck`  finite-difference gradients and relative error
* :mod:`helpers.filters`    hand-made kernels (box, Gaussian, Sobel, Laplacian, Gabor, peak)
* :mod:`helpers.data`       the course's data, verified by SHA-256 on load
* :mod:`helpers.metrics`    accuracy
* :mod:`helpers.cnn`        the small CNN that lessons 04 and 06 share, and its one training loop

Presentation:

* :mod:`helpers.plots`      one figure style for the course
* :mod:`helpers.widgets`    slider panels whose callbacks are plain functions
* :mod:`helpers.feedback`   the Feedback the exercise checks return

One package per lesson, each with its concept module(s) and ``checks``:

* :mod:`helpers.lesson00`  ``setup_check``: versions and the smoothing demo
* :mod:`helpers.lesson01`  ``filtering``: a filter as a partially applied kernel; filter banks
* :mod:`helpers.lesson02`  ``peaks``: the ``[-1, 1, -1]`` detector and a trained 3-tap kernel
* :mod:`helpers.lesson03`  ``indexing``: which inputs feed which outputs; framework conventions
* :mod:`helpers.lesson04`  ``init_schemes``, ``deepstack``, ``init_training``
* :mod:`helpers.lesson05`  ``backprop``, ``learn_kernel``: gradients of conv + ReLU
* :mod:`helpers.lesson06`  ``explorer``: the slider on the trained network (the CNN is :mod:`helpers.cnn`)
"""

__version__ = "0.1.0"
