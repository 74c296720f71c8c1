import numpy as np
import pytest
import torch
from matplotlib.colors import is_color_like

from course_utils import (METHOD_COLORS, check_between, check_close, check_true, color_for,
                          environment_report, loglog_slope, pick_device, seed_everything)
from course_utils import envreport


# ------------------------------------------------------------------ checks
def test_check_close_passes_and_prints_one_row(capsys):
    diff = check_close("sin(0)", np.sin(0.0), 0.0, atol=1e-12)
    out = capsys.readouterr().out
    assert diff == 0.0 and out.startswith("PASS") and "sin(0)" in out and "max|diff|" in out


def test_check_close_fails_with_the_worst_element(capsys):
    with pytest.raises(AssertionError, match=r"Worst element \(1,\)"):
        check_close("vec", [1.0, 2.5, 3.0], [1.0, 2.0, 3.0], rtol=1e-3)
    assert capsys.readouterr().out.startswith("FAIL")


def test_check_close_refuses_silent_broadcasting_and_nans():
    with pytest.raises(AssertionError, match="shape mismatch"):
        check_close("col vs row", np.ones((3, 1)), np.ones(3))
    with pytest.raises(AssertionError, match="NaN or inf"):
        check_close("nan", [np.nan], [1.0])
    with pytest.raises(ValueError, match="tolerances"):
        check_close("neg", 1.0, 1.0, rtol=-1)


def test_check_close_accepts_torch_tensors():
    check_close("tensor", torch.tensor([1.0, 2.0]), np.array([1.0, 2.0]))


def test_check_between_and_check_true():
    assert check_between("slope", 1.05, 0.8, 1.2) == pytest.approx(1.05)
    with pytest.raises(AssertionError, match="outside"):
        check_between("slope", 1.5, 0.8, 1.2)
    with pytest.raises(AssertionError, match="outside"):
        check_between("slope", float("nan"), 0.8, 1.2)
    check_true("yes", True, "it holds")
    with pytest.raises(AssertionError, match="does not hold"):
        check_true("no", False, "it does not")


# ------------------------------------------------------------------ seeding and device
def test_seed_everything_repeats_numpy_python_and_torch():
    import random

    draws = []
    for _ in range(2):
        rng = seed_everything(7)
        draws.append((rng.normal(), np.random.rand(), random.random(), torch.rand(1).item()))
    assert draws[0] == draws[1]


@pytest.mark.parametrize("bad", [-1, 1.5, "3", True])
def test_seed_everything_rejects_bad_seeds(bad):
    with pytest.raises((TypeError, ValueError)):
        seed_everything(bad)


def test_pick_device_reports_its_choice(capsys):
    device = pick_device()
    line = capsys.readouterr().out.strip()
    assert line.startswith(f"device: {device.type} (") and "\n" not in line
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="not available on this machine"):
            pick_device("cuda")
    with pytest.raises(ValueError, match="prefer must be one of"):
        pick_device("tpu")
    assert pick_device("cpu", verbose=False).type == "cpu"


# ------------------------------------------------------------------ environment report
def test_environment_report_lists_versions_and_finds_the_widget_frontend(capsys):
    facts = environment_report()
    out = capsys.readouterr().out
    for key in ("python", "numpy", "torch", "jupyterlab", "ipywidgets", "device"):
        assert facts[key], key
        assert key in out
    assert facts["widget_frontend"], "jupyterlab_widgets should be installed next to the kernel"
    assert facts["warnings"] == []


def test_environment_report_warns_when_widget_frontend_is_missing(monkeypatch, capsys):
    monkeypatch.setattr(envreport, "widget_frontend_path", lambda: None)
    facts = envreport.environment_report()
    assert "model not found" in facts["warnings"][0]
    assert "WARNING" in capsys.readouterr().out


# ------------------------------------------------------------------ plotting and slopes
def test_every_course_colour_is_a_colour():
    assert all(is_color_like(c) for c in METHOD_COLORS.values())
    assert color_for("Central") == METHOD_COLORS["central"]
    with pytest.raises(KeyError, match="known methods"):
        color_for("nonsense")


def test_loglog_slope_recovers_powers():
    h = np.logspace(-3, -1, 10)
    assert loglog_slope(h, 3 * h**2) == pytest.approx(2.0)
    assert loglog_slope(h, h**4) == pytest.approx(4.0)
    with pytest.raises(ValueError, match="> 0"):
        loglog_slope(h, np.zeros_like(h))
    with pytest.raises(ValueError, match="same length"):
        loglog_slope(h, h[:-1])
    with pytest.raises(ValueError, match="all equal"):
        loglog_slope([1.0, 1.0], [1.0, 2.0])
