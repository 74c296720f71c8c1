"""Notebook 06's second playground: train notebook 05's recommender with a chosen
optimizer, learning rate and weight decay, and watch train and validation RMSE per epoch.

Pressing Train starts training in a background thread, so the kernel stays free: a progress
bar and the figure update after every epoch, and Stop ends the run after the current epoch.
``run()`` trains in the foreground (what a notebook cell or a test calls).
"""

from __future__ import annotations

import math
import threading

import ipywidgets as widgets
import numpy as np
import torch
from matplotlib.ticker import FormatStrFormatter

from ..mf_torch import TORCH_OPTIMIZERS, DotProductBias, default_y_range, fit_gd
from ..plotting import color_for
from ..ratings import Ratings, split_ratings, synthetic_ratings
from ..validation import (check_array, check_callable, check_choice, check_count, check_instance, check_nonnegative, check_number,
                          check_pair, check_positive, check_seed)
from .base import WIDE_LABELS as WIDE
from .base import Playground
from .live_figure import LiveFigure

LR_RANGE = (1e-4, 1.0)        # the learning-rate slider's range
EPOCH_RANGE = (1, 15)         # the epochs slider's range


def small_ratings(seed: int = 0):
    """A small synthetic ratings set (300 users, 400 items, 20,000 ratings), split 80/20."""
    data = synthetic_ratings(n_users=300, n_items=400, n_ratings=20_000, min_per_user=20, seed=seed).data
    return data, *split_ratings(data, 0.2, seed=0)


def train_recommender(train, valid, n_users, n_items, scale, optimizer="adamw", lr=1e-2, weight_decay=0.0,
                      epochs=8, k=16, seed=0, on_epoch=None) -> dict:
    """Train ``DotProductBias`` with ``fit_gd``; returns its history (train/valid RMSE per epoch, seconds).

    ``on_epoch(epoch, history)`` is called after each epoch; a true return value stops early.
    """
    check_instance("train", train, Ratings, hint="the training ratings, e.g. from small_ratings()")
    check_instance("valid", valid, Ratings, hint="the validation ratings, e.g. from small_ratings()")
    n_users = check_count("n_users", n_users, hint="the data's n_users")
    n_items = check_count("n_items", n_items, hint="the data's n_items")
    for name, data in (("train", train), ("valid", valid)):
        if data.n_users > n_users or data.n_items > n_items:
            raise ValueError(f"n_users and n_items must cover {name}'s ids ({name} has {data.n_users} users and {data.n_items} "
                             f"items; got n_users={n_users}, n_items={n_items}): pass the data's n_users and n_items")
    scale = check_pair("scale", scale, hint="the rating scale (low, high), e.g. (0.5, 5.0)")
    check_choice("optimizer", optimizer, sorted(TORCH_OPTIMIZERS))
    lr = check_positive("lr", lr, hint="the learning rate, e.g. 1e-2")
    weight_decay = check_nonnegative("weight_decay", weight_decay, hint="0 means no decay")
    epochs = check_count("epochs", epochs, hint="passes over the data, e.g. 8")
    k = check_count("k", k, hint="factors per user and item, e.g. 16")
    seed = check_seed("seed", seed)
    if on_epoch is not None:
        check_callable("on_epoch", on_epoch, hint="on_epoch(epoch, history), or None")
    torch.manual_seed(seed)
    model = DotProductBias(n_users, n_items, k, default_y_range(scale))
    return fit_gd(model, train, epochs=epochs, batch_size=256, lr=lr, weight_decay=weight_decay, seed=seed, valid=valid,
                  optimizer=optimizer, track_train=True, progress=False, on_epoch=on_epoch)


def diverged_at(history: dict) -> int | None:
    """The first epoch (1-based) whose training loss or RMSE is NaN or infinite, else None."""
    check_instance("history", history, dict, what="a dict like fit_gd returns", hint="e.g. {'valid_rmse': [0.9, 0.8]}")
    for key in ("train_mse", "train_rmse", "valid_rmse"):
        if key in history:
            check_array(f"history[{key!r}]", history[key], ndim=1, finite=False, allow_empty=True,
                        hint="one number per epoch")
        for epoch, value in enumerate(history.get(key, []), start=1):
            if not math.isfinite(value):
                return epoch
    return None


class TrainingPlayground(Playground):
    """Pick an optimizer, learning rate, weight decay and epochs; press Train (or call ``run()``).

    ``optimizer``: one of ``TORCH_OPTIMIZERS``; ``lr`` in [1e-4, 1]; ``weight_decay`` >= 0;
    ``epochs`` a whole number in [1, 15]. Out-of-range values raise ValueError (the sliders
    would otherwise clamp them without a word).
    """

    def __init__(self, optimizer: str = "adamw", lr: float = 1e-2, weight_decay: float = 0.0, epochs: int = 8, seed: int = 0):
        check_choice("optimizer", optimizer, sorted(TORCH_OPTIMIZERS))
        lr = check_number("lr", lr, low=LR_RANGE[0], high=LR_RANGE[1], hint="the learning-rate slider spans 1e-4 to 1")
        weight_decay = check_number("weight_decay", weight_decay, low=0.0, hint="0 means no decay")
        epochs = check_count("epochs", epochs, minimum=EPOCH_RANGE[0], maximum=EPOCH_RANGE[1])
        seed = check_seed("seed", seed)
        self.data, self.train, self.valid = small_ratings(seed)
        self.optimizer = widgets.Dropdown(options=list(TORCH_OPTIMIZERS), value=optimizer, description="optimizer", style=WIDE)
        self.lr = widgets.FloatLogSlider(value=lr, base=10, min=math.log10(LR_RANGE[0]), max=math.log10(LR_RANGE[1]), step=0.1,
                                         description="learning rate", style=WIDE, readout_format=".1e",
                                         layout=widgets.Layout(width="380px"))
        self.weight_decay = widgets.FloatText(value=weight_decay, description="weight decay", style=WIDE,
                                              layout=widgets.Layout(width="200px"))
        self.epochs = widgets.IntSlider(value=epochs, min=EPOCH_RANGE[0], max=EPOCH_RANGE[1], description="epochs", style=WIDE)
        self.button = widgets.Button(description="Train", button_style="primary", icon="play")
        self.stop_button = widgets.Button(description="Stop", button_style="warning", icon="stop", disabled=True)
        self.progress = widgets.IntProgress(value=0, min=0, max=epochs, description="epoch 0", style=WIDE,
                                            layout=widgets.Layout(width="320px"))
        self.readout = widgets.HTML("Press <b>Train</b> to train with these settings.")
        self.live = LiveFigure(ncols=1, figsize=(6.5, 3.4), dpi=80)
        ax = self.live.axes[0]
        (self.train_line,) = ax.plot([], [], "o-", color=color_for("sgd"), label="train RMSE")
        (self.valid_line,) = ax.plot([], [], "s--", color=color_for("als"), label="validation RMSE")
        ax.set(xlabel="epoch", ylabel="RMSE", xlim=(0.5, epochs + 0.5), ylim=(0.4, 1.6), title="not trained yet")
        # tick labels of one width whatever the range (RMSE stays below 10), so the layout fixed
        # at the first draw keeps room for them and for the axis label
        ax.yaxis.set_major_formatter(FormatStrFormatter("%.2f"))
        ax.legend(loc="upper right")
        self.live.refresh()
        self._stop = threading.Event()
        self.thread: threading.Thread | None = None
        self.button.on_click(lambda _: self.start())
        self.stop_button.on_click(lambda _: self.stop())
        self.widget = widgets.VBox([widgets.HBox([self.optimizer, self.lr]),
                                    widgets.HBox([self.weight_decay, self.epochs]),
                                    widgets.HBox([self.button, self.stop_button, self.progress]),
                                    self.readout, self.live.image])
        self.last = None

    def problems(self) -> list[str]:
        found = []
        lr, wd = self.lr.value, self.weight_decay.value
        if not (math.isfinite(lr) and lr > 0):
            found.append(f"learning rate must be positive; got {lr!r}")
        if not (math.isfinite(wd) and wd >= 0):
            found.append(f"weight decay must be a finite number >= 0; got {wd!r}")
        return found

    # -- drawing
    def _draw(self, history: dict, epochs: int, settings: str, finished: bool) -> None:
        train, valid = np.asarray(history["train_rmse"], float), np.asarray(history["valid_rmse"], float)
        done = len(valid)
        x = np.arange(1, done + 1)
        self.train_line.set_data(x, train)
        self.valid_line.set_data(x, valid)
        ax = self.live.axes[0]
        ax.set_xlim(0.5, epochs + 0.5)
        shown = np.concatenate([train, valid])
        shown = shown[np.isfinite(shown)]
        if shown.size:                                   # the y-axis follows the data
            low, high = float(shown.min()), float(shown.max())
            pad = max(0.05 * (high - low), 0.02)
            ax.set_ylim(low - pad, high + pad)
        bad = diverged_at(history)
        if bad is not None:
            title = f"{settings}: diverged at epoch {bad} (loss became NaN/inf)"
            self.readout.value = (f"<b style='color:#b00'>Diverged at epoch {bad}:</b> the loss became NaN or infinite. "
                                  "Lower the learning rate or the weight decay.")
        elif done:
            best = int(np.argmin(valid))
            title = f"{settings}: best validation {valid[best]:.3f} at epoch {best + 1}"
            state = "done" if finished else f"epoch {done} of {epochs}"
            self.readout.value = (f"{state}: train RMSE {train[-1]:.3f}, validation RMSE {valid[-1]:.3f}"
                                  + (f" ({history['seconds']:.1f} s)" if finished and "seconds" in history else ""))
        else:
            title = f"{settings}: training..."
        ax.set_title(title, fontsize=10)
        self.progress.value = done
        self.progress.description = f"epoch {done}/{epochs}"
        self.live.refresh()

    # -- training
    def _settings(self) -> tuple:
        return (self.optimizer.value, float(self.lr.value), float(self.weight_decay.value), int(self.epochs.value))

    def run(self) -> dict | None:
        """Train with the current settings in the foreground, redrawing after each epoch.

        Returns the history (``train_rmse``, ``valid_rmse`` per epoch, ``diverged_at``,
        ``stopped``), or None (and a message in the widget) for invalid settings."""
        problems = self.problems()
        if problems:
            self.readout.value = "<b style='color:#b00'>Not trained:</b> " + "; ".join(problems)
            self.last = None
            return None
        optimizer, lr, wd, epochs = self._settings()
        label = f"{optimizer}, lr {lr:.0e}, wd {wd:g}"
        self._stop.clear()
        self.progress.max, self.progress.value = epochs, 0
        self.progress.description = f"epoch 0/{epochs}"
        self.readout.value = f"training: epoch 1 of {epochs}..."

        def on_epoch(epoch, history):
            self._draw(history, epochs, label, finished=False)
            return self._stop.is_set() or diverged_at(history) is not None

        with np.errstate(all="ignore"):
            history = train_recommender(self.train, self.valid, self.data.n_users, self.data.n_items, self.data.scale,
                                        optimizer, lr, wd, epochs, on_epoch=on_epoch)
        history["diverged_at"] = diverged_at(history)
        history["stopped"] = self._stop.is_set() and len(history["valid_rmse"]) < epochs
        self._draw(history, epochs, label, finished=True)
        if history["stopped"] and history["diverged_at"] is None:
            self.readout.value = f"<b>Stopped</b> after epoch {len(history['valid_rmse'])} of {epochs}. " + self.readout.value
        self.last = history
        return history

    def start(self) -> threading.Thread | None:
        """What the Train button does: ``run()`` in a background thread, so the kernel stays
        free to show progress and to hear Stop. Returns the thread (None if one is running)."""
        if self.thread is not None and self.thread.is_alive():
            return None
        self.readout.value = "training: starting..."
        self.button.disabled, self.stop_button.disabled = True, False
        self.thread = threading.Thread(target=self._run_in_background, name="TrainingPlayground", daemon=True)
        self.thread.start()
        return self.thread

    def _run_in_background(self) -> None:
        try:
            self.run()
        except Exception as exc:  # shown to the learner; a thread's traceback would go nowhere
            self.readout.value = f"<b style='color:#b00'>Training failed:</b> {type(exc).__name__}: {exc}"
            self.last = None
        finally:
            self.button.disabled, self.stop_button.disabled = False, True

    def stop(self) -> None:
        """Ask a running training to stop after the current epoch."""
        self._stop.set()

    def wait(self, timeout: float | None = None) -> dict | None:
        """Wait for a background run to finish (at most ``timeout`` seconds; None waits as long as it
        takes); returns its history."""
        if timeout is not None:
            timeout = check_nonnegative("timeout", timeout, hint="seconds to wait, or None to wait until it ends")
        if self.thread is not None:
            self.thread.join(timeout)
        return self.last
