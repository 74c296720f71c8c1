"""Where the system Chromium is and how to launch it: the one place for it.

Playwright cannot download its own browser builds on the course's machines (and never
needs to): it drives Debian's ``chromium`` package. Other test folders (the site tests)
import this module or copy it. ``COURSE_CHROMIUM`` points at another binary.
"""

from __future__ import annotations

import os
import shutil

CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/snap/bin/chromium")
INSTALL_COMMAND = "sudo apt-get update && sudo apt-get install -y chromium"
# --no-sandbox: CI and containers run as root; --disable-dev-shm-usage: small /dev/shm in containers
LAUNCH_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]


def chromium_path() -> str | None:
    """The Chromium binary to drive, or None when there is none."""
    override = os.environ.get("COURSE_CHROMIUM", "").strip()
    if override:
        return override if os.access(override, os.X_OK) else None
    for candidate in CANDIDATES:
        if os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("chromium")


def skip_reason() -> str | None:
    """One line naming the install command when the browser tests cannot run, else None."""
    if chromium_path() is None:
        return f"Chromium not found; install it with: {INSTALL_COMMAND}"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "playwright is not installed; run: make setup"
    return None


def launch_options() -> dict:
    """Keyword arguments for ``playwright.chromium.launch`` (and pytest-playwright's
    ``browser_type_launch_args`` fixture)."""
    return {"executable_path": chromium_path(), "args": list(LAUNCH_FLAGS), "headless": True}
