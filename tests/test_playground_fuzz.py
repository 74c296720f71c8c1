"""Playgrounds survive any control position: a seeded random walk over every control.

Each playground gets 200 random control changes (sliders anywhere in their
range, every dropdown option, ticks on and off, typed boxes given 0, negatives, huge
numbers, NaN and inf). After each change: no exception, the readout says something,
the figure is a PNG, and no bare "nan" is shown without a label explaining it.
"""

import math
import random
import re

import ipywidgets as widgets
import numpy as np
import pytest

import course_utils.widgets.live_figure as live_figure

from course_utils.widgets import (EmbeddingExplorer, EulerStabilityExplorer, MatmulExplorer, OptimizerPlayground,
                                  ResNetDepthExplorer, SecantExplorer, TrainingPlayground)
from playground_factories import FACTORIES

TYPED_VALUES = [0.0, -1.0, 1.0, 0.5, 0.999, 1e6, -1e6, 1e-12, float("nan"), float("inf"), -float("inf"), 3.7, 0.9]
OUTPUT_WIDGETS = (widgets.HTML, widgets.Image, widgets.IntProgress, widgets.FloatProgress, widgets.Label)
BARE_NAN = re.compile(r"\bnan\b", re.I)
LABELS = ("diverged", "not run", "not trained", "cannot", "nan/inf", "needs", "must", "stopped")


def controls(widget) -> list:
    """Every control (a value widget or a button) in a widget tree, depth first."""
    found = []
    if isinstance(widget, widgets.Box):
        for child in widget.children:
            found += controls(child)
    elif isinstance(widget, widgets.Button):
        found.append(widget)
    elif isinstance(widget, widgets.ValueWidget) and not isinstance(widget, OUTPUT_WIDGETS):
        found.append(widget)
    return found


def random_change(control, rng: random.Random) -> None:
    if isinstance(control, widgets.FloatLogSlider):
        control.value = control.base ** rng.uniform(control.min, control.max)
    elif isinstance(control, (widgets.FloatSlider, widgets.IntSlider)):
        v = rng.uniform(control.min, control.max)
        control.value = round(v) if isinstance(control, widgets.IntSlider) else v
    elif isinstance(control, (widgets.SelectionSlider, widgets.Dropdown, widgets.ToggleButtons)):
        control.index = rng.randrange(len(control.options))
    elif isinstance(control, widgets.Checkbox):
        control.value = not control.value
    elif isinstance(control, (widgets.FloatText, widgets.BoundedFloatText)):
        roll = rng.random()            # mostly sensible numbers, often a nasty one
        control.value = rng.choice(TYPED_VALUES) if roll < 0.3 else (rng.gauss(0, 3) if roll < 0.4 else rng.uniform(0, 0.99))
    elif isinstance(control, widgets.IntText):
        control.value = rng.choice([0, -1, 1, 5, 10**6])
    elif isinstance(control, widgets.Button):
        pass                                     # buttons are pressed by the caller, who knows what they cost
    else:
        raise AssertionError(f"the fuzz test does not know how to move a {type(control).__name__}; teach it")


def shown_text(playground) -> str:
    titles = " ".join(ax.get_title() for ax in playground.live.axes)
    return f"{playground.readout.value} {titles}"


def assert_labelled(playground, context: str) -> None:
    text = shown_text(playground)
    assert playground.readout.value.strip(), f"{context}: the readout is empty"
    png = bytes(playground.live.image.value)
    assert png.startswith(b"\x89PNG"), f"{context}: the figure is not a PNG"
    if BARE_NAN.search(text):
        assert any(label in text.lower() for label in LABELS), f"{context}: shows 'nan' without saying why: {text[:300]}"


@pytest.fixture
def fast_figures(monkeypatch):
    """Every change still draws the whole figure with matplotlib (where drawing errors would
    surface), but at 1x pixels and without PNG compression, so 200 changes stay quick."""
    monkeypatch.setattr(live_figure, "PIXEL_RATIO", 1)
    monkeypatch.setattr(live_figure.LiveFigure, "_encode", lambda self: b"\x89PNG (encoding skipped in the fuzz test)")


@pytest.mark.parametrize("name", sorted(set(FACTORIES) - {"TrainingPlayground"}))
def test_random_control_changes_always_end_in_a_labelled_state(name, fast_figures):
    rng = random.Random(f"fuzz-{name}")
    playground = FACTORIES[name]()
    moves = [c for c in controls(playground.widget) if not isinstance(c, widgets.Button)]
    assert moves, f"{name}: no controls found"
    renders = playground.live.renders
    for step in range(200):
        control = rng.choice(moves)
        before = control.value
        random_change(control, rng)
        assert_labelled(playground, f"{name} step {step}: {control.description} {before!r} -> {control.value!r}")
    assert playground.live.renders > renders + 10, f"{name}: valid changes should redraw the figure"


def test_training_playground_random_settings_always_end_labelled(fast_figures):
    rng = random.Random("fuzz-TrainingPlayground")
    trainer = TrainingPlayground(epochs=1)
    moves = [c for c in controls(trainer.widget) if not isinstance(c, widgets.Button)]
    runs = 0
    for step in range(200):
        control = rng.choice(moves)
        random_change(control, rng)
        if control is trainer.epochs:
            trainer.epochs.value = min(trainer.epochs.value, 3)   # the training cost, not the logic, grows with epochs
        if step % 25 == 24:                                       # pressing Train is the costly move: 8 runs
            trainer.run()
            runs += 1
            assert_labelled(trainer, f"run after step {step}: {trainer._settings()}")
    assert runs == 8


def test_nesterov_with_momentum_zero_is_explained_not_raised():
    playground = OptimizerPlayground(optimizers=("gd", "nesterov"), n_steps=30)
    playground.momentum.value = 0.0
    assert "Nesterov: not run, it needs momentum &gt; 0" in playground.readout.value
    assert set(playground.last) == {"gd"} and len(playground.path_lines["nesterov"].get_xdata()) == 0
    playground.ticks["gd"].value = False                       # only the invalid one ticked
    assert playground.last == {} and "needs momentum" in playground.readout.value
    playground.momentum.value = 0.9
    assert "nesterov" in playground.last


def test_training_says_diverged_and_rescales_its_axis():
    trainer = TrainingPlayground(epochs=2)
    trainer.weight_decay.value = 1e9
    history = trainer.run()
    assert history["diverged_at"] == 1
    assert "Diverged at epoch 1" in trainer.readout.value and "diverged" in trainer.live.axes[0].get_title()
    assert "best validation nan" not in shown_text(trainer).lower()
    trainer.weight_decay.value = 0.0
    trainer.lr.value = 1.0                                      # a large step: RMSE far above the old fixed 0.4-1.6 axis
    history = trainer.run()
    low, high = trainer.live.axes[0].get_ylim()
    values = np.concatenate([history["train_rmse"], history["valid_rmse"]])
    assert low <= values.min() and values.max() <= high, (low, high, values)
    assert high - low < 2 * (values.max() - values.min()) + 0.2, "the axis should hug the data"


def test_training_shows_progress_per_epoch_and_can_be_stopped():
    trainer = TrainingPlayground(epochs=15)
    renders, seen = trainer.live.renders, []
    trainer.progress.observe(lambda change: seen.append(change["new"]), names="value")
    thread = trainer.start()                                    # what the Train button does
    assert thread is not None and trainer.start() is None, "a second press while training must not start another run"
    assert trainer.button.disabled and not trainer.stop_button.disabled
    assert trainer.readout.value.startswith("training")         # shown at once, before the first epoch ends
    deadline = 120
    while not seen and thread.is_alive() and deadline > 0:      # wait for the first epoch's redraw
        thread.join(0.05)
        deadline -= 0.05
    trainer.stop_button.click()
    history = trainer.wait(timeout=120)
    assert not thread.is_alive()
    assert history["stopped"] and len(history["valid_rmse"]) < 15, "Stop must end the run after the current epoch"
    assert "Stopped" in trainer.readout.value
    assert trainer.live.renders - renders >= len(history["valid_rmse"]), "one redraw per epoch"
    assert seen[: len(history["valid_rmse"])] == list(range(1, len(history["valid_rmse"]) + 1))
    assert not trainer.button.disabled and trainer.stop_button.disabled


@pytest.mark.parametrize("make,message", [
    (lambda: SecantExplorer(x0=5.0), r"x0 must be in \[-2, 2\] \(got 5.0\)"),
    (lambda: SecantExplorer(log10_h=1.0), r"log10_h must be in \[-15, 0\]"),
    (lambda: EulerStabilityExplorer(lam=9.0), r"lam must be in \[0.5, 5\]"),
    (lambda: EulerStabilityExplorer(dt=0.0), r"dt must be in \[0.02, 1.5\]"),
    (lambda: ResNetDepthExplorer(lambda t, h: h, np.zeros((2, 2)), n_blocks=4), r"h0 must be a tensor"),
    (lambda: MatmulExplorer(np.ones((2, 3)), np.ones((3, 4)), i=2), r"i must be a whole number in \[0, 1\]"),
    (lambda: MatmulExplorer(np.ones((2, 3)), np.ones((2, 4))), r"A's columns must match B's rows"),
    (lambda: OptimizerPlayground(lr=50.0), r"lr must be in \[0.0001, 10\]"),
    (lambda: OptimizerPlayground(momentum=1.0), r"momentum must be in \[0, 1\)"),
    (lambda: OptimizerPlayground(n_steps=0), r"n_steps must be a whole number in \[1, 500\]"),
    (lambda: OptimizerPlayground(kappa=0.5), r"kappa must be in \[1, 1000\]"),
    (lambda: TrainingPlayground(lr=2.0), r"lr must be in \[0.0001, 1\]"),
    (lambda: TrainingPlayground(epochs=40), r"epochs must be a whole number in \[1, 15\]"),
    (lambda: TrainingPlayground(weight_decay=-1.0), r"weight_decay must be >= 0"),
    (lambda: EmbeddingExplorer(np.ones((4, 2)), np.ones((4, 2)), list("abcd"), [0, 9]), r"choices must be item ids in \[0, 3\]"),
    (lambda: EmbeddingExplorer(np.ones((4, 2)), np.ones((4, 2)), list("abcd"), [0], n_neighbors=30), r"n_neighbors must be a whole number in \[1, 20\]"),
])
def test_constructor_arguments_out_of_range_are_refused_not_clamped(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_in_range_constructor_values_are_kept_exactly():
    playground = OptimizerPlayground(lr=10.0, momentum=0.0, n_steps=500, kappa=1000.0)
    assert (playground.lr.value, playground.n_steps.value) == (10.0, 500)
    assert math.isclose(playground.kappa.value, 1000.0)
