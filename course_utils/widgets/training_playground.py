"""Notebook 06's second playground: train notebook 05's recommender with a chosen
optimizer, learning rate and weight decay, and watch train and validation RMSE per epoch."""

from __future__ import annotations

import math

import ipywidgets as widgets
import numpy as np
import torch

from ..mf_torch import TORCH_OPTIMIZERS, DotProductBias, default_y_range, fit_gd
from ..plotting import color_for
from ..ratings import split_ratings, synthetic_ratings
from .base import Playground
from .live_figure import LiveFigure


def small_ratings(seed: int = 0):
    """A small synthetic ratings set (300 users, 400 items, 20,000 ratings), split 80/20."""
    data = synthetic_ratings(n_users=300, n_items=400, n_ratings=20_000, min_per_user=20, seed=seed).data
    return data, *split_ratings(data, 0.2, seed=0)


def train_recommender(train, valid, n_users, n_items, scale, optimizer="adamw", lr=1e-2, weight_decay=0.0,
                      epochs=8, k=16, seed=0) -> dict:
    """Train ``DotProductBias`` with ``fit_gd``; returns its history (train/valid RMSE per epoch, seconds)."""
    torch.manual_seed(seed)
    model = DotProductBias(n_users, n_items, k, default_y_range(scale))
    return fit_gd(model, train, epochs=epochs, batch_size=256, lr=lr, weight_decay=weight_decay, seed=seed, valid=valid,
                  optimizer=optimizer, track_train=True, progress=False)


class TrainingPlayground(Playground):
    """Pick an optimizer, learning rate, weight decay and epochs; press Train (or call ``run()``)."""

    def __init__(self, optimizer: str = "adamw", lr: float = 1e-2, weight_decay: float = 0.0, epochs: int = 8, seed: int = 0):
        if optimizer not in TORCH_OPTIMIZERS:
            raise ValueError(f"optimizer must be one of {sorted(TORCH_OPTIMIZERS)}; got {optimizer!r}")
        self.data, self.train, self.valid = small_ratings(seed)
        self.optimizer = widgets.Dropdown(options=list(TORCH_OPTIMIZERS), value=optimizer, description="optimizer")
        self.lr = widgets.FloatLogSlider(value=lr, base=10, min=-4, max=0, step=0.1, description="learning rate")
        self.weight_decay = widgets.FloatText(value=weight_decay, description="weight decay", layout=widgets.Layout(width="200px"))
        self.epochs = widgets.IntSlider(value=epochs, min=1, max=15, description="epochs")
        self.button = widgets.Button(description="Train", button_style="primary")
        self.readout = widgets.HTML()
        self.live = LiveFigure(ncols=1, figsize=(6.5, 3.4), dpi=80)
        ax = self.live.axes[0]
        (self.train_line,) = ax.plot([], [], "o-", color=color_for("sgd"), label="train RMSE")
        (self.valid_line,) = ax.plot([], [], "s--", color=color_for("als"), label="validation RMSE")
        ax.set(xlabel="epoch", ylabel="RMSE", ylim=(0.4, 1.6))
        ax.legend(loc="upper right")
        self.button.on_click(lambda _: self.run())
        self.widget = widgets.VBox([widgets.HBox([self.optimizer, self.lr]), widgets.HBox([self.weight_decay, self.epochs, self.button]),
                                    self.readout, self.live.image])
        self.last = None

    def problems(self) -> list[str]:
        found = []
        lr, wd = self.lr.value, self.weight_decay.value
        if not (math.isfinite(lr) and lr > 0):
            found.append(f"learning rate must be positive; got {lr!r}")
        if not (math.isfinite(wd) and wd >= 0):
            found.append(f"weight decay must be >= 0; got {wd!r}")
        return found

    def run(self) -> dict | None:
        """Train with the current settings and redraw; None (and a message) for invalid settings."""
        problems = self.problems()
        if problems:
            self.readout.value = "<b style='color:#b00'>Not trained:</b> " + "; ".join(problems)
            self.last = None
            return None
        self.readout.value = "training..."
        with np.errstate(all="ignore"):
            history = train_recommender(self.train, self.valid, self.data.n_users, self.data.n_items, self.data.scale,
                                        self.optimizer.value, float(self.lr.value), float(self.weight_decay.value), int(self.epochs.value))
        epochs = np.arange(1, len(history["valid_rmse"]) + 1)
        self.train_line.set_data(epochs, history["train_rmse"])
        self.valid_line.set_data(epochs, history["valid_rmse"])
        ax = self.live.axes[0]
        ax.set_xlim(0.5, max(epochs) + 0.5)
        best = int(np.argmin(history["valid_rmse"]))
        ax.set_title(f"{self.optimizer.value}, lr {self.lr.value:.0e}, wd {self.weight_decay.value:g}: best validation "
                     f"{history['valid_rmse'][best]:.3f} at epoch {best + 1}", fontsize=10)
        self.readout.value = (f"{history['seconds']:.1f} s; final train RMSE {history['train_rmse'][-1]:.3f}, "
                              f"validation RMSE {history['valid_rmse'][-1]:.3f}")
        self.live.refresh()
        self.last = history
        return history
