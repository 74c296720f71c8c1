"""Fixtures for the real-browser tests: Debian's Chromium through pytest-playwright, and
one JupyterLab server per test session (per xdist worker)."""

from __future__ import annotations

import json
import shutil

import pytest

from chromium import launch_options, skip_reason
from lab import NOTEBOOK_DIR, RESULTS, overrides_problem, start_lab, stop_lab

VIEWPORT = {"width": 1400, "height": 1000}
DEVICE_SCALE_FACTOR = 2   # a high-DPI screen: a figure drawn at 1x would be upscaled (blurry) here


def pytest_collection_modifyitems(config, items):
    reason = skip_reason()
    for item in items:
        if "tests/browser/" in item.nodeid.replace("\\", "/") or item.nodeid.startswith("browser/"):
            item.add_marker(pytest.mark.browser)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: runs in a real Chromium (tests/browser/)")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's launch arguments, pointed at the system Chromium."""
    return {**browser_type_launch_args, **launch_options()}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": VIEWPORT, "device_scale_factor": DEVICE_SCALE_FACTOR}


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    problem = overrides_problem()
    if problem:
        pytest.fail(problem)
    checkpoints = NOTEBOOK_DIR / ".ipynb_checkpoints"
    had_checkpoints = checkpoints.exists()
    server = start_lab(tmp_path_factory.mktemp("jupyterlab"))
    yield server
    stop_lab(server)
    if not had_checkpoints:                       # JupyterLab makes them on opening a notebook
        shutil.rmtree(checkpoints, ignore_errors=True)


@pytest.fixture(autouse=True)
def notebooks_left_as_they_were():
    """A browser test must never change the course's notebooks (e.g. save outputs into them)."""
    before = {p: p.read_bytes() for p in NOTEBOOK_DIR.glob("*.ipynb")}
    yield
    changed = [path for path, data in before.items() if path.read_bytes() != data]
    for path in changed:
        path.write_bytes(before[path])
    assert not changed, f"the browser test changed {[p.name for p in changed]} (restored); is autosave on?"


@pytest.fixture(scope="session")
def latency_log():
    """Per-playground latencies gathered during the session, written for `make bench`."""
    rows: list[dict] = []
    yield rows
    if rows:
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / "latency.json").write_text(json.dumps(rows, indent=1))
