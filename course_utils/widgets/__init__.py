"""Interactive playgrounds. Each is an object whose ``update()`` is a plain method, so a
notebook cell and a unit test can drive it exactly as a learner's slider does."""

from .embedding_explorer import EmbeddingExplorer
from .euler import (EulerStabilityExplorer, ResNetDepthExplorer, euler_decay, ode_flow,
                    resnet_hidden_states, resnet_vs_ode)
from .live_figure import LiveFigure
from .matmul import MatmulExplorer, matmul_cell
from .optimizer_playground import OptimizerPlayground, run_all
from .training_playground import TrainingPlayground, train_recommender
from .secant import SECANT_FUNCTIONS, SecantExplorer, secant_estimate

__all__ = [
    "EmbeddingExplorer",
    "TrainingPlayground",
    "train_recommender",
    "OptimizerPlayground",
    "run_all",
    "MatmulExplorer",
    "matmul_cell",
    "EulerStabilityExplorer",
    "ResNetDepthExplorer",
    "euler_decay",
    "resnet_vs_ode",
   "LiveFigure", "SecantExplorer", "SECANT_FUNCTIONS", "secant_estimate"]
