"""Kernels & Filters: the small library behind the lessons.

One module per concept; lessons import only these public names:

* :mod:`helpers.conv`       1-D/2-D convolution and correlation, output sizes
* :mod:`helpers.layers`     conv / ReLU / pooling / dense layers, forward and backward
* :mod:`helpers.init`       weight initialisation schemes and fans
* :mod:`helpers.gradcheck`  finite-difference gradients and relative error
* :mod:`helpers.filters`    hand-made kernels (box, Gaussian, Sobel, Laplacian, Gabor, peak)
* :mod:`helpers.data`       the course's data, verified by SHA-256 on load
* :mod:`helpers.plots`      one figure style for the course
* :mod:`helpers.widgets`    slider panels whose callbacks are plain functions
* :mod:`helpers.checks`     feedback for the exercises
"""

__version__ = "0.1.0"
