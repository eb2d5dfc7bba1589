"""qmdoc: the ISO 9001 customer-focus quality manual, kept as code."""

import os

# The survey figures run waves in parallel threads, each doing small dense matrix
# products. A multi-threaded BLAS inside those threads oversubscribes the cores
# (measured: 0.8 s become 4 to 20 s on a million responses on 2 cores). One BLAS
# thread per worker, unless the user asked otherwise; effective when qmdoc is
# imported before numpy, as the command line does.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
