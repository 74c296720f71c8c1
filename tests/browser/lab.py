"""Start JupyterLab for the browser tests exactly as a learner's `make lab` would, plus a
free localhost port, a random token and no browser of its own.

The learner-facing settings (no news popup) come from the environment's
``share/jupyter/lab/settings/overrides.json``, which `make setup` installs from
``lab-settings/overrides.json``; the test checks that it is there instead of adding it.
User settings, workspaces and runtime files go to a temporary folder, so a developer's own
JupyterLab settings cannot change what the test sees.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = ROOT / "notebooks"
OVERRIDES = ROOT / "lab-settings" / "overrides.json"
SCREENSHOTS = ROOT / "build" / "screenshots"   # git-ignored: every playground, before and after a control change
RESULTS = ROOT / "build" / "browser"           # git-ignored: latency.json, read by `make bench`


def installed_overrides() -> Path:
    return Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"


def overrides_problem() -> str | None:
    """None when the environment carries the course's JupyterLab overrides, else the fix."""
    target = installed_overrides()
    if not target.is_file() or json.loads(target.read_text()) != json.loads(OVERRIDES.read_text()):
        return f"{target} is missing or differs from lab-settings/overrides.json; run `make setup`"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Lab:
    url: str
    token: str
    process: subprocess.Popen
    log_path: Path

    def notebook_url(self, path: str) -> str:
        """``path``: relative to the repository root, e.g. ``notebooks/01_finite_differences.ipynb``."""
        return f"{self.url}/lab/tree/{path}?reset&token={self.token}"

    def api(self, method: str, endpoint: str):
        request = urllib.request.Request(f"{self.url}/api/{endpoint}?token={self.token}", method=method)
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shut_down_kernels(self) -> None:
        """End every kernel, so notebooks opened one after another do not pile up kernels."""
        for session in self.api("GET", "sessions"):
            self.api("DELETE", f"sessions/{session['id']}")

    def log_tail(self, n: int = 40) -> str:
        lines = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(lines[-n:])


def start_lab(workdir: Path, start_timeout: float = 180.0) -> Lab:
    """JupyterLab serving the repository on a free port (notebooks open from notebooks/, their
    kernels start there, as with `make lab`); raises RuntimeError with its log if it does not answer."""
    port, token = free_port(), secrets.token_hex(16)
    bin_dir = Path(sys.executable).parent
    argv = [str(bin_dir / "jupyter"), "lab", f"--notebook-dir={ROOT}", f"--port={port}", "--no-browser",
            "--ip=127.0.0.1", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}"]
    if os.geteuid() == 0:
        argv.append("--allow-root")
    env = dict(os.environ)
    env.update({
        "PATH": f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
        "JUPYTER_RUNTIME_DIR": str(workdir / "runtime"),
        "JUPYTER_CONFIG_DIR": str(workdir / "config"),
        "JUPYTERLAB_SETTINGS_DIR": str(workdir / "user-settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(workdir / "workspaces"),
    })
    # Test-only user settings. Attach every cell to the page (JupyterLab's default attaches cells
    # as they scroll into view), so the test can read every prompt and output; and never save:
    # an autosave would write the run's outputs into the repository's notebooks.
    for plugin, values in {("notebook-extension", "tracker"): {"windowingMode": "none"},
                           ("docmanager-extension", "plugin"): {"autosave": False}}.items():
        path = workdir / "user-settings" / "@jupyterlab" / plugin[0] / f"{plugin[1]}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    log_path = workdir / "jupyterlab.log"
    log = open(log_path, "w")
    process = subprocess.Popen(argv, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
    lab = Lab(f"http://127.0.0.1:{port}", token, process, log_path)
    deadline = time.monotonic() + start_timeout
    while True:
        try:
            with urllib.request.urlopen(f"{lab.url}/api/status?token={token}", timeout=5) as response:
                response.read()
            return lab
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if process.poll() is not None or time.monotonic() > deadline:
                stop_lab(lab)
                raise RuntimeError(f"JupyterLab did not answer within {start_timeout:.0f} s:\n{lab.log_tail()}")
            time.sleep(0.5)


def stop_lab(lab: Lab) -> None:
    lab.process.terminate()
    try:
        lab.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        lab.process.kill()
        lab.process.wait(timeout=10)
