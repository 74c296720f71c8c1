"""Sphinx configuration for the course site (``make site``).

Sphinx + MyST-NB + the book theme: every notebook in ``notebooks/`` becomes a page with its
executed outputs; execution is cached by jupyter-cache in ``build/jupyter_cache`` (a rebuild
after a prose change reuses the outputs); a cell error fails the build. MathJax and every other
asset are served from the built site itself, so the site needs no network to build or to read.
"""

import hashlib
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(DOCS / "_ext"))

project = "Calculus to Collaborative Filtering"
author = "the course's authors"
copyright = "the course's authors"
language = "en"

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "course_site",                      # docs/_ext/course_site.py: tables, answers, links, MathJax copy
]
# Sphinx does not notice an edited extension; this hash makes it reread every page when one is.
course_site_source_hash = hashlib.sha256((DOCS / "_ext" / "course_site.py").read_bytes()).hexdigest()

exclude_patterns = ["_build", "vendor", "**.ipynb_checkpoints", "README.md"]
templates_path = ["_templates"]
html_static_path = ["_static"]
html_css_files = ["course.css"]

# ---------------------------------------------------------------- notebooks (MyST-NB)
nb_execution_mode = "cache"
nb_execution_cache_path = str(ROOT / "build" / "jupyter_cache")
nb_execution_timeout = 600              # per cell; the slowest cell takes well under a minute
nb_execution_raise_on_error = True      # a cell error fails the build
nb_execution_show_tb = True
nb_merge_streams = True
# A playground's display bundle holds the live widget view plus a static picture (text/html
# with a PNG and a "live in JupyterLab" line). No widget manager runs on a static page, so
# drop the widget view and let the fallback show, and load no widget JavaScript from a CDN.
nb_mime_priority_overrides = [("*", "application/vnd.jupyter.widget-view+json", None)]
nb_ipywidgets_js = {}
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
myst_heading_anchors = 3

# ---------------------------------------------------------------- API pages from docstrings
autosummary_generate = True
autodoc_default_options = {"members": True, "show-inheritance": True}
autodoc_member_order = "bysource"
autodoc_typehints = "description"
add_module_names = False

# ---------------------------------------------------------------- math, offline
# A local copy of MathJax 3 (docs/vendor, installed from npm by `make site`) is copied into
# _static/mathjax by course_site; Sphinx's default would load MathJax from a CDN.
mathjax_path = "mathjax/tex-chtml.js"
# Some lessons write h^\* (escaping the star from Markdown); LaTeX's \* is a discretionary
# times sign that MathJax does not know (it shows a red "\*"). Read it as the star meant.
mathjax3_config = {"tex": {"macros": {"*": "\\ast"}}}

# ---------------------------------------------------------------- theme
html_theme = "sphinx_book_theme"
html_title = "Calculus to Collaborative Filtering"
html_last_updated_fmt = None
html_show_sourcelink = False
html_copy_source = True           # the download button offers each notebook (stored without outputs)
html_context = {"default_mode": "light"}   # light on a projector; also gives the theme a valid mode
html_theme_options = {
    "home_page_in_toc": True,
    "show_toc_level": 2,
    "use_download_button": True,
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "use_issues_button": False,
    "use_edit_page_button": False,
    "launch_buttons": {},
    "navigation_with_keys": False,
}
