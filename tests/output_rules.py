"""What a learner sees under a cell must be short and meaningful. The rules, as functions
over a cell's source and outputs (nbformat output dicts, as nbval collects them):

- at most ``MAX_LINES`` lines of output (text lines; an HTML table counts its rows; a
  figure or a live widget counts as none);
- no object repr (``<module.Thing object at 0x7f...>``) and no widget printed as text
  (``VBox(children=...)``): both mean something was displayed the wrong way;
- a check cell (one that calls ``check_close``, ``check_between`` or ``check_true``) prints
  only the PASS lines of its checks. ``compare_gradients`` prints a table (a header and one
  row per gradient with its exact / close / max|diff| columns): in a check cell the table is
  allowed when every row says close = True, because the table is that check's PASS line.
  A cell that breaks a check on purpose to show it failing (it catches ``AssertionError``)
  may also show that check's FAIL line. Anything else (a stray print, a warning on stderr,
  a value returned by the last line and shown as ``Out[n]``) hides the checks.
"""

from __future__ import annotations

import io
import re
import tokenize

MAX_LINES = 40
OBJECT_REPR = re.compile(r"<[\w.<>]+ (object )?at 0x[0-9a-fA-F]+>")
WIDGET_TEXT = re.compile(r"^\s*(VBox|HBox|Box|GridBox|Tab|Accordion|Output|Image|HTML|HTMLMath|Label|Button|Checkbox|Dropdown|"
                         r"ToggleButtons?|RadioButtons|Select\w*|\w*Slider|\w*Text|\w*Progress|Play)\((children|value|layout|"
                         r"description|options|index|style|max|min|format)=", re.M)
CHECK_CALL = re.compile(r"\bcheck_(close|between|true)\s*\(")
PASS_LINE = re.compile(r"^PASS  \S")
FAIL_LINE = re.compile(r"^FAIL  \S")
CATCHES_FAILURE = re.compile(r"\bexcept\s+(\(\s*)?AssertionError\b")
GRADIENT_TABLE_CALL = re.compile(r"\bcompare_gradients\s*\(")
GRADIENT_HEADER = re.compile(r"^gradient\s+exact\s+close\s+max\|diff\|")
GRADIENT_ROW_CLOSE = re.compile(r"^\S+\s+(True|False)\s+True\s+[-+0-9.e]+\s*$")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _as_text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _screen_text(text: str) -> list[str]:
    """Lines as a terminal or JupyterLab shows them: a carriage return overwrites its line."""
    return [line.rsplit("\r", 1)[-1] for line in text.rstrip("\n").split("\n")] if text.strip() else []


def shown_parts(output) -> list[tuple[str, list[str]]]:
    """(kind, lines) for what an output shows as text: 'stdout', 'stderr', 'plain' or 'html'."""
    kind = output.get("output_type")
    if kind == "stream":
        return [(output.get("name", "stdout"), _screen_text(_as_text(output.get("text", ""))))]
    if kind in ("execute_result", "display_data"):
        data = output.get("data", {})
        if WIDGET_VIEW in data:
            return []                                      # a live widget (its text/plain is only a fallback)
        if "text/html" in data:
            html = _as_text(data["text/html"])
            rows = len(re.findall(r"<(tr|li|br|p|h[1-6])\b", html, re.I))
            return [("html", [""] * max(rows, 1))]
        if any(m.startswith("image/") for m in data) or "text/markdown" in data or "text/latex" in data:
            return []
        if "text/plain" in data:
            return [("plain", _screen_text(_as_text(data["text/plain"])))]
    return []


def ends_with_semicolon(source: str) -> bool:
    """True when the cell's last token is ``;``: IPython then shows no ``Out[n]`` in JupyterLab.

    nbval executes cells with ``store_history=False``, so IPython cannot see the cell's
    source and shows the value anyway; the rules judge what a learner sees."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return False
    skip = (tokenize.ENDMARKER, tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT)
    last = next((token for token in reversed(tokens) if token.type not in skip), None)
    return last is not None and last.type == tokenize.OP and last.string == ";"


def problems(source: str, outputs: list) -> list[str]:
    """Every broken rule, as readable messages (empty: the cell's output is fine)."""
    found = []
    if ends_with_semicolon(source):
        outputs = [output for output in outputs if output.get("output_type") != "execute_result"]
    parts = [part for output in outputs for part in shown_parts(output)]
    n_lines = sum(len(lines) for _, lines in parts)
    if n_lines > MAX_LINES:
        found.append(f"{n_lines} lines of output (at most {MAX_LINES}); print a summary, or assign the value "
                     "instead of leaving it last in the cell")
    for kind, lines in parts:
        text = "\n".join(lines)
        if OBJECT_REPR.search(text):
            found.append(f"an object repr in the output: {OBJECT_REPR.search(text).group(0)}; display the object "
                         "properly or print what it holds")
        if kind in ("plain", "stdout") and WIDGET_TEXT.search(text):
            found.append(f"a widget printed as text: {WIDGET_TEXT.search(text).group(0)}...; display the widget itself")
    if CHECK_CALL.search(source):
        table_allowed = bool(GRADIENT_TABLE_CALL.search(source))
        fail_allowed = bool(CATCHES_FAILURE.search(source))
        stray = []
        for kind, lines in parts:
            for line in lines:
                if kind == "stdout" and (PASS_LINE.match(line) or not line.strip()):
                    continue
                if kind == "stdout" and fail_allowed and FAIL_LINE.match(line):
                    continue
                if kind == "stdout" and table_allowed and (GRADIENT_HEADER.match(line) or GRADIENT_ROW_CLOSE.match(line)):
                    continue
                stray.append(f"[{kind}] {line[:100]}")
        if stray:
            found.append("a check cell must print only its checks' PASS lines; also shown: " + " | ".join(stray[:5])
                         + (f" (+{len(stray) - 5} more)" if len(stray) > 5 else ""))
    return found
