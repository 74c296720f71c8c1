"""One small, fast instance of every playground class, for the display-contract and the
randomized tests. A new playground class must get an entry here: the tests fail, naming
it, when ``course_utils.widgets`` exports a playground that this table does not cover."""

from __future__ import annotations

import inspect

import numpy as np
import torch

import course_utils.widgets as widgets_module
from course_utils.widgets.base import Playground


def _resnet_depth():
    from course_utils.odenets import MLPDynamics

    torch.manual_seed(0)
    return widgets_module.ResNetDepthExplorer(MLPDynamics(2, 8).double(), torch.randn(6, 2, dtype=torch.float64))


def _embedding_explorer():
    from course_utils.embedding_analysis import pca

    factors = np.random.default_rng(0).normal(size=(60, 5))
    return widgets_module.EmbeddingExplorer(factors, pca(factors)["scores"], [f"item {i}" for i in range(60)], choices=range(0, 60, 6))


FACTORIES = {
    "SecantExplorer": lambda: widgets_module.SecantExplorer(),
    "EulerStabilityExplorer": lambda: widgets_module.EulerStabilityExplorer(),
    "ResNetDepthExplorer": _resnet_depth,
    "MatmulExplorer": lambda: widgets_module.MatmulExplorer(np.arange(6).reshape(2, 3), np.arange(12).reshape(3, 4)),
    "OptimizerPlayground": lambda: widgets_module.OptimizerPlayground(n_steps=40),
    "TrainingPlayground": lambda: widgets_module.TrainingPlayground(epochs=2),
    "EmbeddingExplorer": _embedding_explorer,
}


def looks_like_a_playground(cls) -> bool:
    """The introspection rule: a Playground subclass, a name ending in Explorer or
    Playground, or a class with an ``update`` method and a ``widget`` attribute."""
    if not inspect.isclass(cls) or cls is Playground:
        return False
    if issubclass(cls, Playground):
        return True
    if cls.__name__.endswith(("Explorer", "Playground")):
        return True
    if not callable(getattr(cls, "update", None)):
        return False
    if "widget" in dir(cls):
        return True
    try:                                  # a widget set only in __init__ is not a class attribute
        return "self.widget" in inspect.getsource(cls)
    except (OSError, TypeError):
        return False


def exported_playgrounds() -> dict:
    """name -> class for every playground-like class ``course_utils.widgets`` exports."""
    names = getattr(widgets_module, "__all__", None) or [n for n in dir(widgets_module) if not n.startswith("_")]
    found = {}
    for name in set(names) | {n for n in dir(widgets_module) if not n.startswith("_")}:
        obj = getattr(widgets_module, name, None)
        if looks_like_a_playground(obj):
            found[obj.__name__] = obj
    return found
