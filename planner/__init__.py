"""Influencer media planner: the domain, importable and testable without Streamlit."""

import os
import sys

__version__ = "0.1.0"

# One BLAS thread per process. The app serves many sessions on a few cores and its matrices are small (the
# incrementality estimate's 90 × 90 covariances, a few hundred per estimate): OpenBLAS's threads only spin against
# the other sessions' work. Measured: `results report` on the sample campaign 4.5–6.8 s of CPU with the default
# threads against 2.3 s with one, and the Results page's first open 13.7 s in the browser bench at a load of 3.
# The variables reach a BLAS loaded later (scipy's); one already loaded (numpy, imported before the planner by a
# page or a test) is set through threadpoolctl. A user's own setting of the variables is kept.
for _var in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):  # not OMP_NUM_THREADS: Arrow sizes its pool by it
    os.environ.setdefault(_var, "1")
if "numpy" in sys.modules and os.environ.get("OPENBLAS_NUM_THREADS") == "1":
    from threadpoolctl import threadpool_limits

    threadpool_limits(1, user_api="blas")
