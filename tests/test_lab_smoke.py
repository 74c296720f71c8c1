"""The lab command really serves: start JupyterLab headless exactly as `make lab` does
(plus a token and no browser), fetch /lab and the kernelspecs API, then stop it."""

import json
import re
import secrets
import shlex
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from hygiene import ROOT


def _lab_command(port: int) -> list[str]:
    """The exact command `make lab` runs, with this environment's bin dir and our port."""
    bin_dir = str(Path(sys.executable).parent)
    dry = subprocess.run(["make", "-n", "-s", "lab", f"BIN={bin_dir}", f"PORT={port}", "STAMP="],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    lines = [line for line in dry.splitlines() if " lab " in line]
    assert len(lines) == 1, f"expected one jupyter lab command from `make -n lab`, got:\n{dry}"
    return shlex.split(lines[0])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 10.0) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read().decode("utf-8")


def test_make_lab_opens_jupyterlab_in_notebooks():
    argv = _lab_command(8888)
    assert argv[0] == str(Path(sys.executable).parent / "jupyter") and argv[1] == "lab"
    assert "--notebook-dir=notebooks" in argv and "--port=8888" in argv


@pytest.mark.timeout(180)
def test_lab_serves_the_python_kernel_and_the_widget_frontend(tmp_path):
    port, token = _free_port(), secrets.token_hex(16)
    bin_dir = str(Path(sys.executable).parent)
    argv = _lab_command(port)
    argv += ["--no-browser", "--ip=127.0.0.1", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}"]
    log = open(tmp_path / "lab.log", "w")
    env = {"JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"), "PATH": bin_dir + ":/usr/bin:/bin", "HOME": str(tmp_path)}
    server = subprocess.Popen(argv, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                _get(f"{base}/api/status?token={token}", timeout=2)
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("JupyterLab did not start:\n" + (tmp_path / "lab.log").read_text())
                time.sleep(0.5)
        page = _get(f"{base}/lab?token={token}")
        config = json.loads(re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', page, re.S).group(1))
        extensions = [e["name"] for e in config.get("federated_extensions", [])]
        assert "@jupyter-widgets/jupyterlab-manager" in extensions, f"widget frontend missing; served: {extensions}"
        specs = json.loads(_get(f"{base}/api/kernelspecs?token={token}"))
        assert "python3" in specs["kernelspecs"], specs
        assert Path(specs["kernelspecs"]["python3"]["spec"]["argv"][0]).name.startswith("python")
        contents = json.loads(_get(f"{base}/api/contents?token={token}"))
        assert any(item["name"].startswith("01_") for item in contents["content"]), "lab should open in notebooks/"
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
