"""environment.yml must give conda and Binder users the same pins as pyproject.toml."""

import re
import tomllib

from hygiene import ROOT


def _normalise(spec: str) -> str:
    spec = spec.split("#")[0].strip().replace(" ", "")
    name, rest = re.match(r"([A-Za-z0-9_.\-]+)(.*)", spec).groups()
    return re.sub(r"[-_.]+", "-", name).lower() + rest


def _yaml_pip_section(text: str) -> list[str]:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(r"^\s*-\s*pip:\s*$", line))
    indent = len(lines[start + 1]) - len(lines[start + 1].lstrip())
    items = []
    for line in lines[start + 1 :]:
        if line.strip() and (len(line) - len(line.lstrip())) < indent:
            break
        m = re.match(r"^\s*-\s*[\"']?([^\"'#]+?)[\"']?\s*(#.*)?$", line)
        if m:
            items.append(m.group(1))
    return items


def test_environment_yml_repeats_pyproject_pins():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {_normalise(s) for s in project["dependencies"] + project["optional-dependencies"]["test"]}
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    pip_items = _yaml_pip_section(text)
    listed = {_normalise(s) for s in pip_items if not s.startswith("-")}
    assert listed == wanted, f"only in environment.yml: {listed - wanted}; only in pyproject.toml: {wanted - listed}"
    assert "-e ." in [s.strip() for s in pip_items], "environment.yml must install course_utils itself (-e .)"
    py_floor = re.search(r">=\s*3\.(\d+)", project["requires-python"]).group(1)
    assert re.search(rf"^\s*-\s*python\s*>=\s*3\.{py_floor}\b", text, re.M), "environment.yml's python must match requires-python"


def test_binder_environment_repeats_the_pins_and_installs_the_package():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {_normalise(s) for s in project["dependencies"] + project["optional-dependencies"]["test"]}
    text = (ROOT / ".binder" / "environment.yml").read_text(encoding="utf-8")
    listed = {_normalise(s) for s in _yaml_pip_section(text) if not s.startswith("-")}
    assert listed == wanted, f"only in .binder/environment.yml: {listed - wanted}; only in pyproject.toml: {wanted - listed}"
    assert re.search(r"^\s*-\s*python=3\.\d+", text, re.M), "repo2docker needs an exact python version"
    assert "-e ." not in _yaml_pip_section(text), "Binder cannot install the repository from environment.yml"
    post_build = (ROOT / ".binder" / "postBuild").read_text(encoding="utf-8")
    assert "pip install" in post_build and "-e ." in post_build


def test_torch_stays_pinned_to_the_local_cpu_build():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "torch==2.13.0" in [s.replace(" ", "") for s in project["dependencies"]]
