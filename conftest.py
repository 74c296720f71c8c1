"""Repository-level pytest hooks (tests/conftest.py holds the notebook output rules).

The bad-input suite (tests/test_bad_inputs.py) records its tally as a user property; this
prints it at the end of every run, also under pytest-xdist, where a worker's own prints
are not shown.
"""

_TALLIES: list[str] = []


def pytest_runtest_logreport(report):
    if report.when == "call":
        _TALLIES.extend(value for name, value in report.user_properties if name == "bad_input_tally")


def pytest_terminal_summary(terminalreporter):
    for text in _TALLIES:
        terminalreporter.write_sep("=", "bad-input tally (tests/test_bad_inputs.py)")
        for line in text.splitlines():
            terminalreporter.write_line(line)
