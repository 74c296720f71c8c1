"""What every built page and deck must satisfy, shared by the site and slide tests."""

from __future__ import annotations

import html
import importlib.util
import os
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlparse

import nbformat

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build"
SITE = BUILD / "site" / "html"
SLIDES = BUILD / "slides"
SCREENSHOTS = BUILD / "screenshots" / "site"
CHROMIUM = Path(os.environ.get("COURSE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}



class OfflinePage:
    """A page whose requests to anything but localhost are aborted; records what went wrong."""

    def __init__(self, browser, viewport=(1280, 900)):
        self.context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
        self.page = self.context.new_page()
        self.blocked: list[str] = []
        self.failed: list[str] = []
        self.console_errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page.on("console", lambda msg: msg.type == "error" and self.console_errors.append(f"{msg.text} ({msg.location.get('url', '')})"))
        self.page.on("pageerror", lambda exc: self.console_errors.append(f"uncaught: {exc}"))
        self.page.on("requestfailed", self._failed)

    def _route(self, route):
        url = route.request.url
        if url.startswith(("data:", "blob:", "about:")) or urlparse(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def _failed(self, request):
        if request.url not in self.blocked:
            self.failed.append(f"{request.url}: {request.failure}")

    def problems(self) -> list[str]:
        return ([f"needed the network: {u}" for u in self.blocked] + [f"request failed: {f}" for f in self.failed]
                + [f"console error: {e}" for e in self.console_errors])

    def close(self):
        self.context.close()



WAIT_FOR_MATHJAX = """async () => {
  if (!(window.MathJax && MathJax.startup && MathJax.startup.promise)) return false;
  await MathJax.startup.promise;
  return true;
}"""

BROKEN_IMAGES = """() => Array.from(document.images)
  .filter(i => !(i.complete && i.naturalWidth > 0))
  .map(i => (i.getAttribute('src') || '').slice(0, 120))"""

# Text that still looks like TeX outside code: unrendered $...$, \( \), \[ \] or \begin{...}.
RAW_MATH = r"""() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const bad = [];
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!el || el.closest('pre, code, script, style, textarea, mjx-container, .highlight, aside.notes')) continue;
    const text = node.textContent;
    if (/\$[^$\s][^$]*\$/.test(text) || /\\\(|\\\)|\\\[|\\\]|\\begin\{/.test(text)) bad.push(text.trim().slice(0, 120));
  }
  return bad;
}"""

# MathJax errors, and undefined macros (MathJax shows those in red instead of failing).
MATH_ERRORS = """() => Array.from(document.querySelectorAll('mjx-merror, mjx-container [style*="color: red"], mjx-container [style*="color:red"]'))
  .map(e => (e.textContent + ' in: ' + (e.closest('p, li, td, dd, div') || e).textContent).slice(0, 160))"""

LINKS = "() => Array.from(document.querySelectorAll('a[href]')).map(a => a.href)"

WIDGET_TEXT = re.compile(r"\b(VBox|HBox|Output|Image|FloatSlider|IntSlider)\(|Loading widget|Error displaying widget")


def load_tool(name: str):
    """Import ``tools/<name>.py`` (tools/ is not a package)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def expected_playgrounds(notebook: Path) -> int:
    """How many cells of ``notebook`` build a playground (the slide tool's own rule)."""
    tool = load_tool("slide_metadata")
    nb = nbformat.read(notebook, as_version=4)
    classes = tool._playground_classes(nb)
    return sum(1 for c in nb.cells if c.cell_type == "code" and tool._builds_playground(c.source, classes))


def playground_classes_built(notebook: Path) -> set[str]:
    """The playground classes ``notebook`` constructs (the slide tool's own rule), e.g. {"SecantExplorer"}."""
    tool = load_tool("slide_metadata")
    nb = nbformat.read(notebook, as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    return {name for name in tool._playground_classes(nb) if any(tool._builds_playground(src, {name}) for src in code)}


def site_extension():
    """``docs/_ext/course_site.py``, the site's own reader of notebooks (exercises, times)."""
    spec = importlib.util.spec_from_file_location("course_site_for_tests", ROOT / "docs" / "_ext" / "course_site.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def page_problems(page, label: str) -> list[str]:
    """Everything wrong with the loaded page: network, console, images, math."""
    problems = [f"{label}: {p}" for p in page.problems()]
    page.page.evaluate(WAIT_FOR_MATHJAX)
    problems += [f"{label}: image did not load: {src}" for src in page.page.evaluate(BROKEN_IMAGES)]
    problems += [f"{label}: MathJax error: {e}" for e in page.page.evaluate(MATH_ERRORS)]
    problems += [f"{label}: raw TeX left on the page: {t!r}" for t in page.page.evaluate(RAW_MATH)]
    return problems


@lru_cache(maxsize=None)
def _ids(path: Path) -> frozenset[str]:
    text = path.read_text(encoding="utf-8", errors="replace")
    found = re.findall(r"""\bid="([^"]*)"|\bid='([^']*)'""", text)
    return frozenset(html.unescape(double or single) for double, single in found)


def unresolved_links(urls: list[str], server_url: str, build: Path, label: str) -> list[str]:
    """Internal links (to this server) whose file or anchor does not exist under ``build``."""
    problems = []
    for url in urls:
        if not url.startswith(server_url):
            continue                    # external: not followed (and never fetched: the network is cut)
        parsed = urlparse(url)
        path = build / unquote(parsed.path).lstrip("/")
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            problems.append(f"{label}: broken link {url}")
            continue
        fragment = parsed.fragment       # browsers match an id as written, then percent-decoded
        if fragment and not fragment.startswith("/") and path.suffix == ".html" and not {fragment, unquote(fragment)} & _ids(path):
            problems.append(f"{label}: link to a missing anchor {url}")
    return problems
