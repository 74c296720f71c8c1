import numpy as np
import pytest

from course_utils.widgets import SecantExplorer, secant_estimate


def test_secant_estimate_closes_in_on_the_tangent():
    errors = [secant_estimate(np.sin, np.cos, 1.0, h, "forward")["abs_error"] for h in (1e-1, 1e-2, 1e-3)]
    assert errors[0] > errors[1] > errors[2]
    est = secant_estimate(np.sin, np.cos, 1.0, 0.1, "central")
    assert (est["x_left"], est["x_right"]) == pytest.approx((0.9, 1.1))


def test_moving_the_h_slider_redraws_the_secant_and_the_readout():
    explorer = SecantExplorer()
    before_secant = explorer.secant.get_ydata().copy()
    before_png, before_text = explorer.live.image.value, explorer.readout.value
    explorer.log10_h.value = -3.0  # what a learner's drag does
    assert not np.allclose(explorer.secant.get_ydata(), before_secant)
    assert explorer.live.image.value != before_png and explorer.readout.value != before_text
    assert explorer.last["abs_error"] < 1e-3
    assert explorer.error_marker.get_xdata()[0] == pytest.approx(1e-3)


def test_method_and_function_controls_take_effect():
    explorer = SecantExplorer()
    explorer.log10_h.value = -2.0
    forward_error = explorer.last["abs_error"]
    explorer.method.value = "central"
    assert explorer.last["abs_error"] < forward_error / 10
    explorer.function.value = "exp(x)"
    assert explorer.last["exact"] == pytest.approx(np.exp(explorer.x0.value))


def test_own_function_and_bad_input():
    explorer = SecantExplorer(functions={"x^2": (lambda x: x**2, lambda x: 2 * x)}, method="central")
    assert explorer.last["abs_error"] < 1e-12  # central differences are exact for quadratics
    with pytest.raises(ValueError, match="pair \\(f, dfdx\\)"):
        SecantExplorer(functions={"bad": np.sin})
    with pytest.raises(ValueError, match="method must be one of"):
        SecantExplorer(method="sideways")


def test_a_function_that_cannot_be_evaluated_is_reported_in_the_widget():
    explorer = SecantExplorer(functions={"sqrt": (np.sqrt, lambda x: 0.5 / np.sqrt(x))})
    with np.errstate(invalid="ignore", divide="ignore"):
        explorer.x0.value = -1.0  # sqrt is NaN there: a message, not a traceback
        assert explorer.update() is None
    assert "Cannot evaluate" in explorer.readout.value
