"""Presenter mode: one call makes figures, their text and widget controls projector-sized, and undoes it."""

import matplotlib as mpl
import pytest

from course_utils import use_course_style
from course_utils.presenter import FONT_BOOST, figure_scale, presenter_mode, widget_css
from course_utils.widgets.live_figure import LiveFigure


@pytest.fixture(autouse=True)
def course_style():
    use_course_style()
    yield
    presenter_mode(False, display=False)
    use_course_style()


def test_presenter_mode_scales_figures_text_and_restores_them():
    before = {k: mpl.rcParams[k] for k in ("figure.dpi", "font.size", "axes.titlesize", "lines.linewidth")}
    style = presenter_mode(scale=1.6, display=False)
    assert mpl.rcParams["figure.dpi"] == pytest.approx(before["figure.dpi"] * 1.6)
    assert mpl.rcParams["font.size"] == pytest.approx(before["font.size"] * FONT_BOOST)
    assert mpl.rcParams["axes.titlesize"] == pytest.approx(before["axes.titlesize"] * FONT_BOOST)
    assert mpl.rcParams["lines.linewidth"] > before["lines.linewidth"]
    assert figure_scale() == 1.6
    assert "x1.6" in repr(style) and "--jp-widgets-slider-handle-size: 26px" in style._repr_html_()
    presenter_mode(False, display=False)
    assert {k: mpl.rcParams[k] for k in before} == before
    assert figure_scale() == 1.0


def test_calling_it_twice_replaces_instead_of_compounding():
    base_dpi = mpl.rcParams["figure.dpi"]
    presenter_mode(scale=2.0, display=False)
    presenter_mode(scale=1.5, display=False)
    assert mpl.rcParams["figure.dpi"] == pytest.approx(base_dpi * 1.5)


def test_named_font_sizes_become_points():
    mpl.rcParams["legend.fontsize"] = "large"
    presenter_mode(display=False)
    assert mpl.rcParams["legend.fontsize"] == pytest.approx(1.2 * mpl.rcParams["font.size"])


def test_playground_figures_are_drawn_larger_with_larger_text():
    normal = LiveFigure()
    normal_size = normal.figure.get_size_inches() * normal.figure.dpi
    presenter_mode(scale=1.5, display=False)
    big = LiveFigure()
    big_size = big.figure.get_size_inches() * big.figure.dpi
    assert big_size == pytest.approx(normal_size * 1.5)                      # drawn larger, not stretched
    assert big.axes[0].xaxis.label.get_size() == pytest.approx(normal.axes[0].xaxis.label.get_size() * FONT_BOOST)


def test_widget_css_scales_the_controls_and_one_restores_the_defaults():
    assert "--jp-widgets-font-size: 20px" in widget_css(1.5)
    assert "--jp-widgets-inline-height: 42px" in widget_css(1.5)
    assert "--jp-widgets-slider-handle-size: 16px" in widget_css(1.0)


@pytest.mark.parametrize("bad, kind", [(0.5, ValueError), (5, ValueError), ("big", TypeError), (float("nan"), ValueError)])
def test_bad_scale_is_refused_at_the_boundary_with_the_fix(bad, kind):
    with pytest.raises(kind, match="scale"):
        presenter_mode(scale=bad, display=False)
    assert figure_scale() == 1.0


def test_on_must_be_a_bool():
    with pytest.raises(TypeError, match="on"):
        presenter_mode("yes", display=False)
