"""Kernels & Filters: the small library behind the lessons.

One module per concept; lessons import only these public names.

The core, used everywhere:

* :mod:`helpers.conv`       1-D/2-D convolution and correlation (loop and fast), output sizes
* :mod:`helpers.layers`     conv / ReLU / max-pool / flatten / dense / softmax, forward and backward
* :mod:`helpers.init`       weight initialisation schemes and fans
* :mod:`helpers.gradcheck`  finite-difference gradients and relative error
* :mod:`helpers.filters`    hand-made kernels (box, Gaussian, Sobel, Laplacian, Gabor, peak)
* :mod:`helpers.data`       the course's data, verified by SHA-256 on load
* :mod:`helpers.plots`      one figure style for the course
* :mod:`helpers.widgets`    slider panels whose callbacks are plain functions
* :mod:`helpers.checks`     feedback for the exercises (one module per lesson)

One concept per lesson, with the plain functions its sliders call:

* :mod:`helpers.setup_check`  (00) versions and the smoothing demo
* :mod:`helpers.filtering`    (01) a filter as a partially applied kernel; filter banks
* :mod:`helpers.peaks`        (02) the ``[-1, 1, -1]`` detector and a trained 3-tap kernel
* :mod:`helpers.indexing`     (03) which inputs feed which outputs; framework conventions
* :mod:`helpers.receptive`    (03) receptive fields of stacked layers, measured by the gradient
* :mod:`helpers.init_schemes`, :mod:`helpers.deepstack`, :mod:`helpers.init_training`  (04)
* :mod:`helpers.backprop`, :mod:`helpers.learn_kernel`  (05) gradients of conv + ReLU
* :mod:`helpers.tiny_cnn`     (06) a small CNN trained on the digits
"""

__version__ = "0.1.0"
