"""Export one reveal.js slide deck per notebook, with outputs, that works with no network.

    python tools/build_slides.py              (or: make slides)   -> build/slides/NN_name.slides.html

Outputs come from the same jupyter-cache as the course site (``build/jupyter_cache``): a
notebook that ``make site`` already executed is not executed again, and one that is new or
changed is executed here and cached for the site. A cell error stops the export.

Slide boundaries come from each cell's ``slideshow.slide_type`` (written by
``tools/slide_metadata.py``). reveal.js and MathJax are copied next to the decks from the local
npm install in ``docs/vendor``; the template (``docs/slides_template/course_reveal``) loads
nothing else, and a playground shows its static picture with its "live in JupyterLab" line.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

import nbformat
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn
from jupyter_cache.executors.utils import single_nb_execution
from nbconvert import SlidesExporter
from traitlets.config import Config

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
CACHE_DIR = ROOT / "build" / "jupyter_cache"
OUT_DIR = ROOT / "build" / "slides"
VENDOR = ROOT / "docs" / "vendor" / "node_modules"
TEMPLATES = ROOT / "docs" / "slides_template"

# What a static deck can show, best first: never the live widget view (no kernel, no widget
# manager), never JavaScript; a playground's text/html fallback (picture + note) comes first.
DISPLAY_PRIORITY = ["text/html", "text/markdown", "image/svg+xml", "text/latex", "image/png",
                    "image/jpeg", "text/plain"]


def executed(path: Path, cache) -> tuple[nbformat.NotebookNode, str]:
    """The notebook at ``path`` with outputs: from the cache, or executed now and cached."""
    nb = nbformat.read(path, as_version=4)
    try:
        _, merged = cache.merge_match_into_notebook(nb)
        return merged, "cached"
    except KeyError:
        pass
    record = cache.add_nb_to_project(str(path))
    result = single_nb_execution(nb, cwd=str(path.parent), timeout=600, allow_errors=False)
    if result.err is not None:
        raise SystemExit(f"{path.name}: a cell failed, so no deck was written:\n{result.exc_string}")
    cache.cache_notebook_bundle(CacheBundleIn(nb, record.uri, data={"execution_seconds": result.time}),
                                check_validity=False, overwrite=True)
    return nb, f"executed in {result.time:.0f} s"


def copy_vendor(out_dir: Path) -> None:
    """reveal.js (dist + notes plugin) and MathJax next to the decks."""
    reveal, mathjax = VENDOR / "reveal.js", VENDOR / "mathjax" / "es5"
    if not (reveal / "dist" / "reveal.js").is_file() or not (mathjax / "tex-chtml.js").is_file():
        raise SystemExit(f"reveal.js or MathJax missing in {VENDOR}; run `make slides` "
                         "(it installs them with npm from docs/vendor/package.json)")
    for part in ("dist", "plugin"):
        shutil.copytree(reveal / part, out_dir / "reveal.js" / part, dirs_exist_ok=True)
    shutil.copytree(mathjax, out_dir / "mathjax", dirs_exist_ok=True)


def exporter() -> SlidesExporter:
    config = Config()
    config.NbConvertBase.display_data_priority = DISPLAY_PRIORITY
    config.SlidesExporter.reveal_url_prefix = "reveal.js"
    config.SlidesExporter.reveal_theme = "white"      # its fonts ship with reveal.js; "simple" fetches web fonts
    config.SlidesExporter.reveal_transition = "none"
    config.SlidesExporter.reveal_number = "c/t"
    config.SlidesExporter.reveal_width = "1280"
    config.SlidesExporter.reveal_height = "800"
    config.TemplateExporter.exclude_input_prompt = True
    config.TemplateExporter.exclude_output_prompt = True
    config.TemplateExporter.extra_template_basedirs = [str(TEMPLATES)]
    config.TemplateExporter.template_name = "course_reveal"
    return SlidesExporter(config=config)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks to export (default: all in notebooks/)")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help=f"output folder (default: {OUT_DIR.relative_to(ROOT)})")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted(NOTEBOOK_DIR.glob("*.ipynb"))
    args.out.mkdir(parents=True, exist_ok=True)
    copy_vendor(args.out)
    cache = get_cache(str(CACHE_DIR))
    deck_exporter = exporter()
    for path in paths:
        start = time.perf_counter()
        nb, how = executed(path.resolve(), cache)
        html, _ = deck_exporter.from_notebook_node(nb, resources={"metadata": {"name": path.stem}})
        target = args.out / f"{path.stem}.slides.html"
        target.write_text(html, encoding="utf-8")
        print(f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}: "
              f"outputs {how}, written in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
