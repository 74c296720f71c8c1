import numpy as np

from course_utils.exercises import finite_differences as ex
from course_utils import gradient, relative_error


def test_backward_difference_checker(capsys):
    assert ex.check_backward_difference(lambda f, x, h: (f(x) - f(x - h)) / h)
    assert not ex.check_backward_difference(lambda f, x, h: (f(x + h) - f(x)) / h)
    assert "forward difference" in capsys.readouterr().out
    assert not ex.check_backward_difference(lambda f, x, h: (f(x - h) - f(x)) / h)
    assert "sign is flipped" in capsys.readouterr().out


def test_unfinished_and_broken_answers_get_feedback_not_tracebacks(capsys):
    def todo(f, x, h):
        raise NotImplementedError

    assert not ex.check_backward_difference(todo)
    assert "not attempted yet" in capsys.readouterr().out
    assert not ex.check_backward_difference(lambda f, x, h: None)
    assert "forget `return`" in capsys.readouterr().out
    assert not ex.check_backward_difference(lambda f, x, h: 1 / 0)
    assert "ZeroDivisionError" in capsys.readouterr().out


def test_five_point_checker_measures_the_order(capsys):
    good = lambda f, x, h: (-f(x + 2 * h) + 8 * f(x + h) - 8 * f(x - h) + f(x - 2 * h)) / (12 * h)
    central = lambda f, x, h: (f(x + h) - f(x - h)) / (2 * h)
    assert ex.check_five_point_stencil(good)
    assert not ex.check_five_point_stencil(central)
    assert "like central differences" in capsys.readouterr().out.splitlines()[-1]


def test_best_step_checker_float16_theory_and_measurement_agree(capsys):
    theory = float(np.finfo(np.float16).eps) ** (1 / 3)
    assert 0.5 < ex.measured_best_step_float16() / theory < 2      # the checker's measurement backs the theory
    assert ex.check_best_step_float16(0.1)
    assert not ex.check_best_step_float16(6e-6)
    assert "float64 answer" in capsys.readouterr().out
    assert not ex.check_best_step_float16(5e-3)
    assert "float32 answer" in capsys.readouterr().out
    assert not ex.check_best_step_float16(1e-12)
    assert not ex.check_best_step_float16(0.9)
    assert not ex.check_best_step_float16("small")


def test_wrong_coordinate_is_the_one_finite_differences_flag():
    f, grad_f, x = ex.buggy_gradient_problem()
    fd = gradient(f, x)
    per_coordinate = [relative_error(grad_f(x)[i : i + 1], fd[i : i + 1]) for i in range(x.size)]
    assert int(np.argmax(per_coordinate)) == 2 and sorted(per_coordinate)[-2] < 1e-8
    assert ex.check_wrong_coordinate(2)
    assert not ex.check_wrong_coordinate(3)
    assert not ex.check_wrong_coordinate("2")
