"""course_utils: the tested helpers behind the 'Calculus to Collaborative Filtering' notebooks.

Each notebook derives an idea where the learner reads it; this package keeps the tested
version that later notebooks import. One topic per module:

- ``threads``: ``apply_thread_policy`` (one torch thread unless ``$COURSE_THREADS`` says otherwise; applied on import)
- ``repro``: ``seed_everything``, ``pick_device``
- ``checks``: ``check_close``, ``check_between``, ``check_true``
- ``envreport``: ``environment_report``
- ``plotting``: ``METHOD_COLORS``, ``color_for``, ``use_course_style``
- ``finite_diff``: ``derivative``, ``gradient``, ``jacobian``, ``hessian``, ``relative_error``
- ``convergence``: ``loglog_slope``
- ``widgets``: the interactive playgrounds (imported on demand, they need ipywidgets)
- ``exercises``: checker functions for each notebook's exercises
"""

import warnings as _warnings

from .threads import apply_thread_policy

try:  # the course's thread policy, set once for every notebook, test and playground
    apply_thread_policy()
except ValueError as _exc:
    _warnings.warn(f"{_exc}; using the course default of 1 torch thread", stacklevel=2)
    apply_thread_policy(1)

from .checks import check_between, check_close, check_true
from .convergence import loglog_slope
from .envreport import environment_report
from .finite_diff import derivative, gradient, hessian, jacobian, relative_error
from .plotting import METHOD_COLORS, color_for, use_course_style
from .repro import pick_device, seed_everything

__all__ = [
    "apply_thread_policy",
    "check_between",
    "check_close",
    "check_true",
    "color_for",
    "derivative",
    "environment_report",
    "gradient",
    "hessian",
    "jacobian",
    "loglog_slope",
    "METHOD_COLORS",
    "pick_device",
    "relative_error",
    "seed_everything",
    "use_course_style",
]
__version__ = "0.1.0"
