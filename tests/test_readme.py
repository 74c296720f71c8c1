import re
from urllib.parse import unquote

from hygiene import ROOT, course_notebooks

README = (ROOT / "README.md").read_text(encoding="utf-8")
TABLE_ROW = re.compile(r"^\|\s*(\d\d)\s*\|\s*\[([^\]]+)\]\(([^)]+)\)\s*\|", re.M)


def test_readme_shows_the_two_commands_first():
    code_blocks = re.findall(r"```(?:bash|sh)?\n(.*?)```", README, re.S)
    assert code_blocks, "README needs the two commands in a code block"
    first = code_blocks[0]
    assert "make lab" in first and "make test" in first


def test_readme_table_lists_every_notebook_in_order_with_working_links():
    rows = TABLE_ROW.findall(README)
    listed = [(num, unquote(link)) for num, _title, link in rows]
    expected = [(p.name[:2], f"notebooks/{p.name}") for p in course_notebooks()]
    assert listed == expected, f"README table {listed} should be {expected}"
    for _num, link in listed:
        assert (ROOT / link).is_file(), f"README link {link} does not resolve"


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, re.M)
