# Two commands do everything on a fresh machine:
#   make lab    create .venv if needed, install the course, open JupyterLab in notebooks/
#   make test   same environment, then unit tests and every notebook under nbval
# A second run skips the install: it only reruns when pyproject.toml changes.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.course-installed
PORT   ?= 8888
# JupyterLab refuses to start as root (common in containers and CI) without this flag.
LAB_FLAGS ?= $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: lab test test-browser bench setup strip clean site slides

setup: $(STAMP)

# JupyterLab settings for everyone who starts it from this environment (no news popup on first start).
LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json

$(STAMP): pyproject.toml lab-settings/overrides.json
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
	  { echo "This course needs Python 3.11 or newer; '$(PYTHON)' is $$($(PYTHON) --version 2>&1)." \
	         "Run again with PYTHON=python3.11 (or newer)."; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
	@if $(BIN)/python -m pip list 2>/dev/null | grep -qi '^nvidia-'; then \
	  echo "note: CUDA packages were installed alongside torch (expected only on a machine with an NVIDIA GPU)"; fi
	@mkdir -p $(dir $(LAB_OVERRIDES)) && cp lab-settings/overrides.json $(LAB_OVERRIDES)
	@touch $(STAMP)
	@echo "Environment ready in $(VENV)."

lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks --port=$(PORT) $(LAB_FLAGS)

test: $(STAMP)
	$(BIN)/python -m pytest

# Only the real-browser suite (JupyterLab in Chromium); screenshots land in build/screenshots/.
test-browser: $(STAMP)
	$(BIN)/python -m pytest tests/browser -n 0

# Speed is measured here, never in tests: notebooks (seconds, peak memory, slowest cell),
# notebooks quiet vs one core busy, matrix factorization (notebook 05), each playground's
# response in Python, then in real JupyterLab in Chromium (median and worst per playground),
# the MovieLens loader, and the course's ALS against Spark's (notebook 08; skipped without the "scale" extra).
bench: $(STAMP)
	$(BIN)/python tools/bench.py
	$(BIN)/python tools/bench_busy.py
	$(BIN)/python tools/bench_mf.py
	$(BIN)/python tools/bench_widgets.py
	$(BIN)/python tools/bench_loader.py
	$(BIN)/python tools/bench_spark.py
	$(BIN)/python tools/bench_browser.py

# Remove outputs and execution counts from every notebook before committing.
strip: $(STAMP)
	$(BIN)/python tools/strip_notebooks.py notebooks

# The course site and the slide decks (teaching; see README "Teaching with this course").
# MathJax and reveal.js come from npm into docs/vendor (once), so neither the build nor the
# pages need a network afterwards. Notebook outputs are cached in build/jupyter_cache.
VENDOR := docs/vendor/node_modules/.installed

$(VENDOR): docs/vendor/package.json docs/vendor/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "make site / make slides need npm (Node.js) once, to install MathJax and reveal.js into docs/vendor: apt-get install npm (Debian/Ubuntu) or brew install node (macOS)"; exit 1; }
	cd docs/vendor && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Notebooks are executed once (cached in build/jupyter_cache); a cell error fails the build.
# Both targets rebuild only when a source changed. Output: build/site/html/index.html
SITE_SOURCES := README.md $(wildcard notebooks/*.ipynb docs/*.md docs/*.py docs/_ext/*.py docs/_static/* docs/_templates/autosummary/*) $(shell find course_utils -name '*.py')
SITE_STAMP   := build/site/html/.built
SLIDES_STAMP := build/slides/.built

site: $(SITE_STAMP)
	@echo "Site: build/site/html/index.html"

$(SITE_STAMP): $(STAMP) $(VENDOR) $(SITE_SOURCES)
	$(BIN)/python -m sphinx -b html -q docs build/site/html
	@touch $@

# One reveal.js deck per notebook, from the same cached outputs. Output: build/slides/*.slides.html
slides: $(SLIDES_STAMP)
	@echo "Slides: build/slides/*.slides.html"

$(SLIDES_STAMP): $(STAMP) $(VENDOR) tools/build_slides.py $(wildcard notebooks/*.ipynb docs/slides_template/*/*) $(shell find course_utils -name '*.py')
	$(BIN)/python tools/build_slides.py
	@touch $@

clean:
	rm -rf $(VENV) build .pytest_cache docs/api docs/vendor/node_modules
