"""Sphinx glue for the course site: what the site reads from the notebooks and the README.

- ``{course-notebooks}``: the table of notebooks (title, what you'll learn, run time), read from
  the README's table so the two never disagree, each title linking to its page.
- ``{exercise-answers} NN``: notebook NN's exercises, each question with its solution, read from
  the notebook's ``<details>`` blocks (the teacher's page stays right when a lesson changes).
- ``{notebook-time} NN``: the notebook's own *Time* line.
- Links: prose that says "notebook 05" links to that notebook's page; inline code naming a
  ``course_utils`` function, class or module (``check_close``, ``ALS``, ``mlp_numpy.forward``,
  ``course_utils.als``) links to its API page.
- MathJax: the local copy installed by ``make site`` (``docs/vendor``) is copied into the
  built site's ``_static/mathjax``, so pages render math with no network.
"""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import re
import shutil
from pathlib import Path

import nbformat
from docutils import nodes
from docutils.statemachine import StringList
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

DOCS = Path(__file__).resolve().parents[1]
ROOT = DOCS.parent
NOTEBOOK_DIR = ROOT / "notebooks"
MATHJAX_SOURCE = DOCS / "vendor" / "node_modules" / "mathjax" / "es5"
README = ROOT / "README.md"

OPEN_QUESTION = ("The notebook gives no written answer: an open question for the room to measure "
                 "or discuss.")
_TABLE_ROW = re.compile(r"^\|\s*(\d\d)\s*\|\s*\[([^\]]+)\]\(([^)]+\.ipynb)\)\s*\|(.*)\|(.*)\|\s*$")
_NOTEBOOK_MENTION = re.compile(r"\b([Nn]otebook)\s+(0\d|1\d)\b")


# ---------------------------------------------------------------- notebooks and their parts
def notebook_path(number: str) -> Path:
    matches = sorted(NOTEBOOK_DIR.glob(f"{number}_*.ipynb"))
    if not matches:
        raise ValueError(f"no notebook numbered {number!r} in {NOTEBOOK_DIR}")
    return matches[0]


def notebook_docname(number: str) -> str:
    return f"notebooks/{notebook_path(number).stem}"


def readme_rows() -> list[dict]:
    """The README's notebook table: number, title, what you'll learn, run time."""
    rows = []
    for line in README.read_text(encoding="utf-8").splitlines():
        match = _TABLE_ROW.match(line.strip())
        if match:
            number, title, _, learn, time = (g.strip() for g in match.groups())
            rows.append({"number": number, "title": title, "learn": learn, "time": time})
    return rows


def notebook_time(number: str) -> str:
    """The *Time* line of notebook ``number``'s title cell, without its label."""
    first = nbformat.read(notebook_path(number), as_version=4).cells[0].source
    for line in first.splitlines():
        if line.startswith("**Time**"):
            return re.sub(r"^\*\*Time\*\*\s*:?\s*", "", line).strip()
    raise ValueError(f"notebook {number} has no '**Time**' line in its title cell")


_DETAILS = re.compile(r"<details>\s*<summary>[^<]*</summary>(.*?)</details>", re.S)
_QUESTION = re.compile(r"^\*\*(\d+)\.\s*(.*?)\*\*", re.M)


def exercises(number: str) -> list[dict]:
    """Notebook ``number``'s exercises: ``number``, ``title``, ``question`` and ``solution`` (markdown).

    Reads the markdown after the ``## Exercises`` heading: a paragraph that starts with
    ``**N. Title.**`` opens exercise N, and the next ``<details>`` block is its solution.
    """
    nb = nbformat.read(notebook_path(number), as_version=4)
    text, started = [], False
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        source = cell.source
        if not started:
            at = source.find("## Exercises")
            if at < 0:
                continue
            started, source = True, source[at + len("## Exercises"):]
        text.append(source)
    body = "\n\n".join(text)
    body = body.split("## Further reading")[0]
    found: list[dict] = []
    position = 0
    for question in _QUESTION.finditer(body):
        if question.start() < position:
            continue
        details = _DETAILS.search(body, question.end())
        next_question = _QUESTION.search(body, question.end())
        end = details.start() if details else len(body)
        if next_question and next_question.start() < end:
            end = next_question.start()
        solution = details.group(1).strip() if details and (not next_question or details.start() < next_question.start()) else ""
        found.append({
            "number": question.group(1),
            "title": question.group(2).strip().rstrip("."),
            "question": body[question.end():end].strip(),
            "solution": solution,
        })
        position = details.end() if solution else end
    return found


# ---------------------------------------------------------------- directives
def _doc_link(docname: str, text: str) -> addnodes.pending_xref:
    ref = addnodes.pending_xref("", refdomain="std", reftype="doc", reftarget=f"/{docname}",
                                refexplicit=True, refwarn=True)
    ref += nodes.inline(text, text)
    return ref


class CourseNotebooks(SphinxDirective):
    """The notebook table from the README, with links to the notebook pages."""

    has_content = False

    def run(self):
        self.env.note_dependency(str(README))
        rows = readme_rows()
        if not rows:
            raise self.error(f"no notebook table found in {README}")
        table = nodes.table(classes=["course-notebooks"])
        group = nodes.tgroup(cols=4)
        table += group
        for width in (5, 30, 50, 15):
            group += nodes.colspec(colwidth=width)
        head = nodes.thead()
        group += head
        header = nodes.row()
        for label in ("#", "notebook", "what you'll learn", "run time (2-core CPU)"):
            header += nodes.entry("", nodes.paragraph(text=label))
        head += header
        body = nodes.tbody()
        group += body
        for row in rows:
            line = nodes.row()
            line += nodes.entry("", nodes.paragraph(text=row["number"]))
            title = nodes.paragraph()
            title += _doc_link(notebook_docname(row["number"]), row["title"])
            line += nodes.entry("", title)
            learn = nodes.paragraph()
            learn += self.parse_inline(row["learn"], lineno=self.lineno)[0]
            line += nodes.entry("", learn)
            line += nodes.entry("", nodes.paragraph(text=row["time"]))
            body += line
        return [table]


class ExerciseAnswers(SphinxDirective):
    """Each exercise of one notebook with its solution, read from the notebook."""

    required_arguments = 1

    def run(self):
        number = self.arguments[0]
        path = notebook_path(number)
        self.env.note_dependency(str(path))
        found = exercises(number)
        if not found:
            raise self.error(f"notebook {number} ({path.name}) has no exercises after '## Exercises'")
        lines: list[str] = []
        for item in found:
            lines += [f"**Exercise {item['number']}. {item['title']}.** {item['question']}", ""]
            lines += ["*Answer.*", "", item["solution"] or OPEN_QUESTION, ""]
        container = nodes.container(classes=["exercise-answers"])
        self.state.nested_parse(StringList("\n".join(lines).splitlines(), source=str(path)), self.content_offset, container)
        return [container]


class NotebookTime(SphinxDirective):
    """The notebook's own *Time* line, as a paragraph."""

    required_arguments = 1

    def run(self):
        path = notebook_path(self.arguments[0])
        self.env.note_dependency(str(path))
        paragraph = nodes.paragraph()
        paragraph += nodes.strong(text="Self-study time (from the notebook): ")
        paragraph += self.parse_inline(notebook_time(self.arguments[0]), lineno=self.lineno)[0]
        return [paragraph]


# ---------------------------------------------------------------- links in prose and code
def api_names() -> dict[str, str]:
    """Short and dotted names of every public ``course_utils`` object -> its full name (unique only)."""
    import course_utils

    full: dict[str, set[str]] = {}

    def add(key: str, target: str) -> None:
        full.setdefault(key, set()).add(target)

    modules = [course_utils] + [importlib.import_module(m.name) for m in
                                pkgutil.walk_packages(course_utils.__path__, "course_utils.")]
    for module in modules:
        name = module.__name__
        add(name, name)
        add(name.removeprefix("course_utils."), name)
        for attr, value in vars(module).items():
            if attr.startswith("_") or not (inspect.isfunction(value) or inspect.isclass(value)):
                continue
            if getattr(value, "__module__", None) != name:
                continue
            target = f"{name}.{attr}"
            add(attr, target)
            add(f"{name.rsplit('.', 1)[-1]}.{attr}", target)
            add(target, target)
            if inspect.isclass(value):
                for method, member in vars(value).items():
                    if not method.startswith("_") and callable(member):
                        add(f"{attr}.{method}", f"{target}.{method}")
    return {key: next(iter(targets)) for key, targets in full.items() if len(targets) == 1}


def _link_notebook_mentions(app, doctree, docname) -> None:
    for text in list(doctree.findall(nodes.Text)):
        parent = text.parent
        if parent is None or isinstance(parent, (nodes.literal, nodes.reference, nodes.title, nodes.literal_block,
                                                 addnodes.pending_xref, nodes.raw)):
            continue
        if any(isinstance(a, (nodes.reference, addnodes.pending_xref, nodes.title, nodes.literal_block))
               for a in _ancestors(parent)):
            continue
        source = str(text)
        pieces, last = [], 0
        for match in _NOTEBOOK_MENTION.finditer(source):
            try:
                target = notebook_docname(match.group(2))
            except ValueError:
                continue
            if target == docname:
                continue
            pieces.append(nodes.Text(source[last:match.start()]))
            pieces.append(_doc_link(target, match.group(0)))
            last = match.end()
        if pieces:
            pieces.append(nodes.Text(source[last:]))
            parent.replace(text, pieces)


def _ancestors(node):
    while node is not None:
        yield node
        node = node.parent


def _link_api_names(app, doctree, docname) -> None:
    names = app.env.course_api_names
    for literal in list(doctree.findall(nodes.literal)):
        if any(isinstance(a, (nodes.reference, addnodes.pending_xref, addnodes.desc_signature))
               for a in _ancestors(literal.parent)):
            continue
        key = literal.astext().strip()
        key = key[:-2] if key.endswith("()") else key
        target = names.get(key)
        if target is None:
            continue
        ref = addnodes.pending_xref("", refdomain="py", reftype="obj", reftarget=target,
                                    refexplicit=True, refwarn=False, refdoc=docname)
        literal.parent.replace(literal, ref)
        ref += literal


def _add_links(app, doctree) -> None:
    docname = app.env.docname
    if docname.startswith("notebooks/") or docname in {"teaching", "index"}:
        _link_notebook_mentions(app, doctree, docname)
        _link_api_names(app, doctree, docname)


API_STAMP = DOCS / "api" / ".package-signature"


def package_signature() -> str:
    """Changes whenever a file of course_utils changes (name, size or modification time)."""
    package = ROOT / "course_utils"
    return ";".join(f"{p.relative_to(package)}:{p.stat().st_size}:{p.stat().st_mtime_ns}"
                    for p in sorted(package.rglob("*.py")))


def _collect_api_names(app) -> None:
    """Names to link, cached beside the doctrees: importing every module (torch included)
    would otherwise cost a few seconds on every rebuild, even after a one-word prose edit."""
    cache = Path(app.doctreedir) / "course_api_names.json"
    signature = package_signature()
    if cache.is_file():
        stored = json.loads(cache.read_text(encoding="utf-8"))
        if stored.get("signature") == signature:
            app.env.course_api_names = stored["names"]
            return
    app.env.course_api_names = api_names()
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps({"signature": signature, "names": app.env.course_api_names}), encoding="utf-8")


# ---------------------------------------------------------------- docstrings
_ABSOLUTE_VALUE = re.compile(r"(?<![|\\])\|([^|`\s][^|`]*?)\|(?![|_])")


def _escape_absolute_values(app, what, name, obj, options, lines) -> None:
    """The package's docstrings write absolute values as ``|x|``; reST would read a substitution.

    Escape the bars outside inline literals and literal blocks, so ``|f| / h`` shows as written.
    """
    literal_indent = None
    for index, line in enumerate(lines):
        indent = len(line) - len(line.lstrip())
        if literal_indent is not None:
            if not line.strip() or indent > literal_indent:
                continue
            literal_indent = None
        if line.rstrip().endswith("::"):
            literal_indent = indent
        parts = line.split("``")
        parts[::2] = [_ABSOLUTE_VALUE.sub(r"\\|\1\\|", part) for part in parts[::2]]
        lines[index] = "``".join(parts)


# ---------------------------------------------------------------- MathJax, offline
def _copy_mathjax(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    if not (MATHJAX_SOURCE / "tex-chtml.js").is_file():
        raise RuntimeError(f"MathJax is not installed in {MATHJAX_SOURCE}; run `make site` "
                           "(it installs docs/vendor with npm) instead of calling sphinx-build directly")
    target = Path(app.outdir) / "_static" / "mathjax"
    stamp = target / ".copied-from"
    if stamp.is_file() and stamp.read_text() == str((MATHJAX_SOURCE / "tex-chtml.js").stat().st_mtime):
        return
    shutil.copytree(MATHJAX_SOURCE, target, dirs_exist_ok=True)
    stamp.write_text(str((MATHJAX_SOURCE / "tex-chtml.js").stat().st_mtime))


def _generate_api_stubs(app) -> None:
    """The autosummary stubs of docs/api/, regenerated only when course_utils changed.

    Sphinx's own ``autosummary_generate`` imports every module (torch included) on every
    build, even after a one-word prose edit; conf.py turns it off and this does the same work
    only when the package's files changed since the stubs were written.
    """
    if API_STAMP.is_file() and API_STAMP.read_text(encoding="utf-8") == package_signature():
        return
    from sphinx.ext.autosummary.generate import generate_autosummary_docs

    generate_autosummary_docs([str(DOCS / "api.md")], suffix=".rst", base_path=app.srcdir, app=app,
                              overwrite=True, encoding="utf-8")


def _stamp_api_pages(app, exception) -> None:
    """Remember which package the API stubs were generated from."""
    if exception is None and API_STAMP.parent.is_dir():
        API_STAMP.write_text(package_signature(), encoding="utf-8")


def _check_mathjax(app) -> None:
    if app.builder.format == "html" and not (MATHJAX_SOURCE / "tex-chtml.js").is_file():
        raise RuntimeError(f"MathJax is not installed in {MATHJAX_SOURCE}; run `make site` "
                           "(it installs docs/vendor with npm) instead of calling sphinx-build directly")


def setup(app):
    # conf.py sets this to a hash of this file, so that editing it rereads every page.
    app.add_config_value("course_site_source_hash", "", "env")
    app.add_directive("course-notebooks", CourseNotebooks)
    app.add_directive("exercise-answers", ExerciseAnswers)
    app.add_directive("notebook-time", NotebookTime)
    app.connect("builder-inited", _check_mathjax)
    app.connect("builder-inited", _collect_api_names)
    app.connect("builder-inited", _generate_api_stubs)
    app.connect("doctree-read", _add_links)
    app.connect("autodoc-process-docstring", _escape_absolute_values)
    app.connect("build-finished", _copy_mathjax)
    app.connect("build-finished", _stamp_api_pages)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
