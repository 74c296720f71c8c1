"""Fixtures for the built site and slide decks, opened in Debian's Chromium with the network cut.

The site and decks are built by ``make site slides`` (cached: it rebuilds only what changed, and
reuses executed notebooks from build/jupyter_cache), once per test session, under a file lock so
parallel pytest workers build once. Pages are served from ``build/`` on 127.0.0.1, and every
request to any other address is aborted and recorded: a page that needs the network fails.
"""

from __future__ import annotations

import fcntl
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from pagecheck import BUILD, CHROMIUM, CHROMIUM_ARGS, ROOT, SITE, SLIDES, OfflinePage


@pytest.fixture(scope="session")
def chromium_executable() -> Path:
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: install it with `apt-get install -y chromium` (never `playwright install`)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("playwright is not installed: run `make setup` (it installs the test extra)")
    return CHROMIUM


@pytest.fixture(scope="session")
def built_site(chromium_executable) -> Path:
    """Build the site and the decks (cached) once per session; return the build folder."""
    if shutil.which("npm") is None and not (ROOT / "docs" / "vendor" / "node_modules" / ".installed").exists():
        pytest.skip("make site needs npm once (MathJax and reveal.js): install it with `apt-get install -y npm`")
    BUILD.mkdir(exist_ok=True)
    with open(BUILD / ".site-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)           # one pytest worker builds, the other waits
        venv_bin = Path(sys.executable).parent
        result = subprocess.run(["make", "-s", "site", "slides", f"BIN={venv_bin}"], cwd=ROOT,
                                capture_output=True, text=True)
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-40:])
        pytest.fail(f"`make site slides` failed (exit {result.returncode}):\n{tail}", pytrace=False)
    assert (SITE / "index.html").is_file() and any(SLIDES.glob("*.slides.html"))
    return BUILD


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def server_url(built_site) -> str:
    """``http://127.0.0.1:PORT`` serving ``build/``."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def site_browser(chromium_executable, playwright):
    """A Chromium of our own, started from pytest-playwright's one Playwright per session (a
    second ``sync_playwright()`` in the same worker breaks the browser suite's fixtures)."""
    browser = playwright.chromium.launch(executable_path=str(chromium_executable), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def offline_page(site_browser):
    page = OfflinePage(site_browser)
    yield page
    page.close()
