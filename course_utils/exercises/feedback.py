"""The shared voice of every exercise checker."""

from __future__ import annotations

import math
from typing import Callable

from ..validation import check_callable, check_text


def correct(message: str) -> bool:
    check_text("message", message)
    print(f"Correct. {message}")
    return True


def not_yet(message: str) -> bool:
    check_text("message", message)
    print(f"Not yet: {message}")
    return False


def read_setting(check: Callable, name: str, value, **options):
    """A setting the notebook passes to a checker (not the learner's answer), checked with a
    ``course_utils.validation`` check such as ``check_count``. Returns ``(True, value)`` or
    ``(False, message)``: a checker reports a bad setting as feedback instead of raising, so
    the learner's cell still runs."""
    check_callable("check", check, hint="a check from course_utils.validation, e.g. check_count")
    check_text("name", name, hint="the setting's name, e.g. 'kappa'")
    try:
        return True, check(name, value, **options)
    except (TypeError, ValueError) as exc:
        return False, f"the exercise's setting is wrong: {exc}"


def call_learner(fn: Callable, *args):
    """Call the learner's function; turn 'not written yet' and crashes into feedback.

    Returns ``(ok, value_or_message)``.
    """
    if not callable(fn):
        return False, f"pass your function itself (no parentheses); got {type(fn).__name__}"
    try:
        value = fn(*args)
    except NotImplementedError:
        return False, "this exercise is not attempted yet: replace the `raise NotImplementedError` with your code"
    except Exception as exc:  # the learner's code may fail in any way; report it, do not crash
        return False, f"your function raised {type(exc).__name__}: {exc}"
    if value is None:
        return False, "your function returned None: did you forget `return`?"
    return True, value


def read_number(answer, kind=float):
    """Turn a learner's answer into a number: ``(True, value)``, or ``(False, message)``.
    ``...`` and ``None`` (the placeholders in exercise cells) mean "not attempted yet"."""
    if answer is None or answer is Ellipsis:
        return False, "this exercise is not attempted yet: put your answer in place of the ..."
    try:
        value = kind(answer)
    except (TypeError, ValueError):
        return False, f"give {'a whole number' if kind is int else 'a number'}; got {answer!r}"
    if kind is float and not math.isfinite(value):
        return False, f"give a finite number; got {answer!r}"
    return True, value
