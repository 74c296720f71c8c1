"""The course's thread policy: one torch thread unless $COURSE_THREADS says otherwise."""

import subprocess
import sys

import pytest
import torch

from course_utils.threads import ENV_VAR, apply_thread_policy, requested_threads


def test_import_applies_one_thread_by_default():
    code = "import course_utils, torch; print(torch.get_num_threads())"
    env = {k: v for k, v in __import__("os").environ.items() if k != ENV_VAR}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "1"


@pytest.mark.parametrize("value,expected", [("1", 1), ("3", 3), (" 2 ", 2), (2, 2)])
def test_requested_threads_reads_whole_numbers(value, expected):
    assert requested_threads(value) == expected


@pytest.mark.parametrize("value", ["0", "-1", "1.5", "many", 0, True, 2.0])
def test_bad_thread_counts_are_refused_with_the_fix(value):
    with pytest.raises(ValueError, match=f"whole number >= 1 or 'all'.*{ENV_VAR}=1"):
        requested_threads(value)


def test_apply_sets_torch_and_all_means_every_cpu():
    try:
        assert apply_thread_policy(2) == 2 and torch.get_num_threads() == 2
        assert apply_thread_policy("all") >= 1
    finally:
        apply_thread_policy(1)
    assert torch.get_num_threads() == 1
