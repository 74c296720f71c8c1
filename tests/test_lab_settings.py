"""JupyterLab starts clean for a learner: the course's settings overrides turn off the news
popup and the kernel dialog, and `make setup` (and Binder's postBuild) install them."""

import json

from hygiene import ROOT

OVERRIDES = ROOT / "lab-settings" / "overrides.json"


def test_overrides_turn_off_news_and_the_kernel_dialog():
    settings = json.loads(OVERRIDES.read_text())
    notification = settings["@jupyterlab/apputils-extension:notification"]
    assert notification["fetchNews"] == "false" and notification["checkForUpdates"] is False
    assert settings["@jupyterlab/notebook-extension:tracker"]["autoStartDefaultKernel"] is True


def test_setup_and_binder_install_the_overrides_where_jupyterlab_reads_them():
    makefile = (ROOT / "Makefile").read_text()
    assert "lab-settings/overrides.json" in makefile and "share/jupyter/lab/settings/overrides.json" in makefile
    assert "cp lab-settings/overrides.json" in (ROOT / ".binder" / "postBuild").read_text()
