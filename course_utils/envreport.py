"""What is this notebook running on? One call prints versions, device and widget health."""

from __future__ import annotations

import platform
import sys
from importlib import metadata
from pathlib import Path

WIDGET_EXTENSION = "@jupyter-widgets/jupyterlab-manager"


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def widget_frontend_path() -> Path | None:
    """Where JupyterLab would load the ipywidgets frontend from, or None if it is missing."""
    try:
        from jupyter_core.paths import jupyter_path
    except ImportError:
        return None
    for base in jupyter_path("labextensions"):
        candidate = Path(base) / WIDGET_EXTENSION / "package.json"
        if candidate.is_file():
            return candidate.parent
    return None


def environment_report(verbose: bool = True) -> dict:
    """Collect (and by default print) Python, torch, NumPy, JupyterLab and ipywidgets
    versions, the device ``pick_device`` would choose, and whether the widget frontend
    is installed in this environment. Returns the same facts as a dict.
    """
    from .repro import pick_device
    from .spark import spark_summary
    from .threads import ENV_VAR, thread_policy_report
    from .validation import check_bool

    verbose = check_bool("verbose", verbose, hint="verbose=False returns the facts without printing them")

    facts = {
        "python": platform.python_version(),
        "executable": sys.executable,
        "numpy": _version("numpy"),
        "torch": _version("torch"),
        "jupyterlab": _version("jupyterlab"),
        "ipywidgets": _version("ipywidgets"),
        "jupyterlab_widgets": _version("jupyterlab_widgets"),
        "device": pick_device(verbose=False).type,
        "widget_frontend": str(widget_frontend_path() or ""),
        "threads": thread_policy_report(),
        "spark": spark_summary(),  # PySpark and Java 17+ for notebook 08 (optional extra "scale")
    }
    warnings = []
    if not facts["widget_frontend"]:
        warnings.append(
            "the ipywidgets frontend (jupyterlab_widgets) is not installed next to this kernel, so sliders "
            "will show 'model not found'. Open the course with `make lab`, or run "
            "`python -m pip install jupyterlab_widgets` in this environment and restart JupyterLab."
        )
    facts["warnings"] = warnings
    if verbose:
        for key in ("python", "numpy", "torch", "jupyterlab", "ipywidgets", "jupyterlab_widgets", "device"):
            print(f"{key:>18s}: {facts[key] or 'not installed'}")
        t = facts["threads"]
        print(f"{'torch threads':>18s}: {t['torch_threads']} of {t['cpus']} CPUs ({t['source']}; set {ENV_VAR}=N before "
              "starting JupyterLab to change)")
        print(f"{'spark (nb 08)':>18s}: {facts['spark']}")
        for w in warnings:
            print(f"WARNING: {w}")
    return facts
