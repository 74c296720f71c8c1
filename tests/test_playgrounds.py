import numpy as np
import pytest

from course_utils.widgets import OptimizerPlayground, TrainingPlayground


@pytest.fixture
def playground():
    return OptimizerPlayground(surface="quadratic", optimizers=("gd", "momentum"), lr=0.5, n_steps=50, kappa=10)


def test_moving_a_slider_changes_the_plotted_paths(playground):
    before = playground.path_lines["gd"].get_xydata().copy()
    png = playground.live.image.value
    playground.lr.value = 0.1                                   # what a learner's drag does
    after = playground.path_lines["gd"].get_xydata()
    assert after.shape == (51, 2) and not np.allclose(after, before)
    assert playground.live.image.value != png
    playground.ticks["adam"].value = True
    assert "adam" in playground.last and len(playground.loss_lines["adam"].get_xdata()) == 51
    playground.ticks["gd"].value = False
    assert len(playground.path_lines["gd"].get_xdata()) == 0


def test_legend_swaps_without_piling_up(playground):
    for lr in (0.1, 0.2, 3.0):
        playground.lr.value = lr
    legends = [a for a in playground.live.dynamic if a is playground.legend]
    assert len(legends) == 1 and len(playground.ax_path.findobj(type(playground.legend))) == 1
    assert "diverged" in playground.legend.get_texts()[0].get_text()


def test_divergence_is_reported_not_plotted_as_nan(playground, recwarn):
    playground.lr.value = 3.0
    assert playground.last["gd"]["diverged_at"] is not None
    assert "diverged at step" in playground.readout.value
    assert np.all(np.isfinite(playground.path_lines["gd"].get_xydata()))
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


@pytest.mark.parametrize("widget,value,message", [("momentum", 1.2, "momentum must be in [0, 1)"), ("beta1", -0.1, "beta1 must be in [0, 1)"),
                                                  ("beta2", 1.0, "beta2 must be in [0, 1)"), ("weight_decay", -1.0, "weight decay must be >= 0"),
                                                  ("x0", float("nan"), "start point")])
def test_invalid_settings_are_refused_in_the_widget(playground, widget, value, message):
    getattr(playground, widget).value = value
    assert playground.last is None and message in playground.readout.value


def test_negative_learning_rate_is_refused(playground):
    assert playground.update(settings={**playground.settings(), "lr": -0.1}) is None
    assert "learning rate must be a positive number" in playground.readout.value


def test_surface_change_resets_the_start_and_redraws(playground):
    playground.surface_name.value = "rosenbrock"
    assert (playground.x0.value, playground.y0.value) == (-1.5, 2.0)
    assert playground.ax_path.get_title() == "Rosenbrock"
    playground.surface_name.value = "quadratic"
    playground.x0.value = -2.0
    playground.kappa.value = 100                                # a new kappa keeps the learner's start point
    assert "100" in playground.ax_path.get_title() and playground.x0.value == -2.0
    assert playground.last["gd"]["path"][0, 0] == -2.0
    with pytest.raises(ValueError, match="surface must be one of"):
        OptimizerPlayground(surface="bowl")


def test_training_playground_runs_and_refuses_bad_settings():
    trainer = TrainingPlayground(epochs=2)
    history = trainer.run()
    assert len(history["valid_rmse"]) == 2 and len(trainer.valid_line.get_xdata()) == 2
    trainer.optimizer.value = "sgd"
    trainer.button.click()                                      # the Train button: a background thread
    assert trainer.wait(timeout=120) is not None and not trainer.thread.is_alive()
    assert trainer.last["valid_rmse"] != history["valid_rmse"]
    trainer.weight_decay.value = -0.5
    assert trainer.run() is None and "weight decay must be a finite number >= 0" in trainer.readout.value
    with pytest.raises(ValueError, match="optimizer must be one of"):
        TrainingPlayground(optimizer="lion")
