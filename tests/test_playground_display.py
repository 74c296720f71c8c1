"""The display contract: every playground shows its live controls however it is displayed.

A learner's cell may end with the playground, call ``display()`` on it, or display it a
second time; each must produce a widget view (``application/vnd.jupyter.widget-view+json``),
never ``<course_utils.widgets... object at 0x...>``, plus the static PNG fallback. The
classes are found by introspection, so a new playground cannot be left out.
"""

import base64
import re

import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.display import display
from IPython.utils.capture import capture_output

from course_utils.widgets.base import LIVE_NOTE, Playground
from playground_factories import FACTORIES, exported_playgrounds, looks_like_a_playground

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
OBJECT_REPR = re.compile(r"<[\w.<>]+ (object )?at 0x[0-9a-fA-F]+>")
PLAYGROUNDS = exported_playgrounds()


@pytest.fixture(scope="module")
def shell():
    return InteractiveShell.instance()


def test_every_exported_playground_subclasses_the_base_and_has_a_factory():
    assert len(PLAYGROUNDS) >= 7, f"expected the course's seven playgrounds, found {sorted(PLAYGROUNDS)}"
    not_based = [n for n, cls in PLAYGROUNDS.items() if not issubclass(cls, Playground)]
    assert not not_based, f"{not_based} must subclass course_utils.widgets.base.Playground (one display contract)"
    missing = sorted(set(PLAYGROUNDS) - set(FACTORIES))
    assert not missing, f"add a factory for {missing} to tests/playground_factories.py"
    hooks = [n for n, cls in PLAYGROUNDS.items() if "_ipython_display_" in vars(cls) or "_repr_mimebundle_" in vars(cls)]
    assert not hooks, f"{hooks} define their own display hook; the Playground base owns display"


def test_the_introspection_rule_catches_a_new_class_by_shape_or_name():
    class StraySlider:            # neither named like a playground nor based on one, but shaped like one
        def __init__(self):
            self.widget = None

        def update(self):
            pass

    class NewExplorer:
        pass

    assert looks_like_a_playground(StraySlider) and looks_like_a_playground(NewExplorer)
    assert not looks_like_a_playground(dict) and not looks_like_a_playground(Playground)


def _check_bundle(name, data):
    assert WIDGET_VIEW in data, f"{name}: no widget view in {sorted(data)}"
    assert data[WIDGET_VIEW]["model_id"], f"{name}: widget view without a model id"
    for mime, value in data.items():
        if isinstance(value, str):
            assert not OBJECT_REPR.search(value), f"{name}: {mime} shows an object repr: {value[:120]}"
    png = base64.b64decode(data["image/png"])
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 1000, f"{name}: static fallback PNG missing or empty"
    assert LIVE_NOTE in data["text/html"] and LIVE_NOTE in data["text/plain"]


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_cell_end_display_and_redisplay_all_show_the_widget(name, shell):
    playground = FACTORIES[name]()
    assert type(playground).__name__ == name
    # 1. the cell ends with the playground: the display hook formats it
    data, _ = shell.displayhook.compute_format_data(playground)
    _check_bundle(f"{name} at cell end", data)
    shell.user_ns["playground"] = playground
    with capture_output() as captured:
        result = shell.run_cell("playground")
    assert result.success, result.error_in_exec
    assert not OBJECT_REPR.search(captured.stdout), captured.stdout
    # 2. display(playground), and 3. a second display of the same object
    with capture_output() as captured:
        display(playground)
        display(playground)
    assert len(captured.outputs) == 2
    for i, output in enumerate(captured.outputs):
        _check_bundle(f"{name} display #{i + 1}", output.data)
    views = {o.data[WIDGET_VIEW]["model_id"] for o in captured.outputs}
    assert views == {playground.widget.model_id}, "both displays must show the same live widget"
    assert "course-playground" in playground.widget._dom_classes
    assert f"course-playground-{name}" in playground.widget._dom_classes


def test_the_contract_test_fails_for_a_plain_object_repr():
    class Broken:
        pass

    data, _ = InteractiveShell.instance().displayhook.compute_format_data(Broken())
    with pytest.raises(AssertionError, match="no widget view"):
        _check_bundle("Broken", data)
    assert OBJECT_REPR.search(data["text/plain"])
