"""Ratings data for notebooks 05-07: a validated container, a seeded synthetic generator
shaped like MovieLens-100k with known ground truth, and a seeded train/test split."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .validation import (check_array, check_count, check_fraction, check_ids, check_instance, check_nonnegative,
                         check_number, check_pair, check_seed, check_text)


def _index_array(name: str, value) -> np.ndarray:
    """A 1-D array of indices as given (dtype kept, so float indices are refused below, not rounded)."""
    if value is None or isinstance(value, (str, bytes, dict, set)):
        raise TypeError(f"{name} must be a 1-D array of whole-number indices (got {type(value).__name__})")
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a 1-D array of whole-number indices (got a ragged list)") from None
    if arr.dtype == object:
        raise TypeError(f"{name} must be a 1-D array of whole-number indices (got objects of type "
                        f"{type(arr.flat[0]).__name__ if arr.size else 'unknown'})")
    return arr


def _integer_codes(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``numpy.unique(ids, return_inverse=True)`` for integer ids, faster: MovieLens ids are small
    non-negative numbers, so a presence table (one bincount) maps them in linear time; ids that are
    large or negative fall back to hashing (``pandas.factorize``). Same sorted ids, same codes."""
    if ids.size and ids.min() >= 0 and ids.max() < 8 * ids.size + 1024:
        present = np.bincount(ids) > 0
        code_of = np.cumsum(present) - 1
        return np.flatnonzero(present).astype(ids.dtype), code_of[ids].astype(np.int64)
    codes, uniques = pd.factorize(ids, sort=True)
    return np.asarray(uniques), codes.astype(np.int64)


@dataclass
class Ratings:
    """Explicit ratings as three aligned 1-D arrays (one entry per rating).

    ``users`` and ``items`` are 0-based contiguous indices (< ``n_users``, < ``n_items``);
    ``ratings`` lie in ``scale`` = (lowest, highest). ``user_ids``/``item_ids`` map indices
    back to the ids in the source files; ``item_titles``/``item_genres`` are per item.
    """

    users: np.ndarray
    items: np.ndarray
    ratings: np.ndarray
    n_users: int
    n_items: int
    scale: tuple = (1.0, 5.0)
    user_ids: np.ndarray | None = None
    item_ids: np.ndarray | None = None
    item_titles: list | None = None
    item_genres: list | None = None
    source: str = "unknown"

    def __post_init__(self):
        self.users = _index_array("users", self.users)
        self.items = _index_array("items", self.items)
        self.ratings = check_array("ratings", self.ratings, finite=False, allow_empty=True,
                                   hint="one rating per (user, item) row")
        self.n_users = check_count("n_users", self.n_users, hint="the number of users, at least 1")
        self.n_items = check_count("n_items", self.n_items, hint="the number of items, at least 1")
        lo, hi = check_pair("scale", self.scale, hint="the lowest and highest rating, e.g. (1, 5)")
        check_text("source", self.source, allow_empty=True)
        n = self.ratings.size
        if n == 0:
            raise ValueError("empty data: there are no ratings. Check the file you loaded, or the filter you applied")
        for name, arr in (("users", self.users), ("items", self.items), ("ratings", self.ratings)):
            if arr.ndim != 1 or arr.size != n:
                raise ValueError(f"users, items and ratings must be 1-D arrays of one length; {name} has shape {arr.shape}, ratings {n}")
        for name, arr, limit in (("user", self.users, self.n_users), ("item", self.items, self.n_items)):
            if not np.issubdtype(arr.dtype, np.integer):
                raise ValueError(f"{name} indices must be integers; got dtype {arr.dtype} in {name}s")
            if arr.min() < 0 or arr.max() >= limit:
                bad = arr.min() if arr.min() < 0 else arr.max()
                raise ValueError(
                    f"{name} index {bad} is out of range [0, {limit}): indices must be 0-based and below n_{name}s. "
                    f"For raw ids from a file use Ratings.from_ids(...), which maps them to 0..n-1"
                )
        self.users, self.items = self.users.astype(np.int64), self.items.astype(np.int64)
        if not np.all(np.isfinite(self.ratings)):
            raise ValueError("ratings contain NaN or inf; drop or fix those rows first")
        if self.ratings.min() < lo or self.ratings.max() > hi:
            raise ValueError(
                f"ratings must be in [{lo:g}, {hi:g}]; got min {self.ratings.min():g}, max {self.ratings.max():g}"
                + (" - did you forget to shift 0-based ratings?" if self.ratings.min() == lo - 1 else "")
            )
        self.scale = (lo, hi)
        for name, ids, n_expected in (("user_ids", self.user_ids, self.n_users), ("item_ids", self.item_ids, self.n_items)):
            if ids is not None:
                try:
                    ids = np.asarray(ids) if not isinstance(ids, (str, bytes)) else None
                except (TypeError, ValueError):
                    ids = None
                if ids is None or ids.ndim != 1 or ids.size != n_expected:
                    raise ValueError(f"{name} must be None or one id per {name[:4]} ({n_expected} of them); "
                                     f"got {type(getattr(self, name)).__name__} of shape {getattr(ids, 'shape', '?')}")
                setattr(self, name, ids)
        for name in ("item_titles", "item_genres"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, (str, bytes)) or not hasattr(value, "__len__")
                                      or len(value) != self.n_items):
                raise (TypeError if isinstance(value, (str, bytes)) or not hasattr(value, "__len__") else ValueError)(
                    f"{name} must be None or a list with one entry per item ({self.n_items}); got {type(value).__name__}"
                    + (f" of length {len(value)}" if hasattr(value, "__len__") else ""))

    @classmethod
    def from_ids(cls, raw_users, raw_items, ratings, **kwargs) -> "Ratings":
        """Build from arbitrary ids (e.g. MovieLens userId/movieId): ids become 0..n-1 in sorted order.

        Integer ids are mapped by hashing (``pandas.factorize``, fast for millions of rows);
        other ids (strings) by sorting (``numpy.unique``). Either way the result is the same:
        ``user_ids[users[k]] == raw_users[k]`` with ``user_ids`` sorted."""
        maps = []
        for name, raw in (("raw_users", raw_users), ("raw_items", raw_items)):
            arr = _index_array(name, raw)
            if arr.ndim != 1:
                raise ValueError(f"{name} must be 1-D (one id per rating); got shape {arr.shape}")
            if arr.dtype.kind == "f" and (not np.all(np.isfinite(arr)) or np.any(arr != np.round(arr))):
                raise ValueError(f"{name} must be whole-number ids (no NaN, no fractions); "
                                 "a fractional id usually means two columns were swapped")
            if arr.dtype.kind in "iu":
                maps.append(_integer_codes(arr))
            elif arr.dtype.kind in "fUS":
                maps.append(np.unique(arr, return_inverse=True))
            else:
                raise TypeError(f"{name} must be whole numbers or strings; got dtype {arr.dtype}")
        (user_ids, users), (item_ids, items) = maps
        ratings = check_array("ratings", ratings, finite=False, allow_empty=True)
        n_ratings = ratings.size
        if not len(users) == len(items) == n_ratings:
            raise ValueError(f"raw_users, raw_items and ratings must have one entry per rating; got {len(users)}, "
                             f"{len(items)} and {n_ratings}")
        return cls(users, items, ratings, len(user_ids), len(item_ids), user_ids=user_ids, item_ids=item_ids, **kwargs)

    def __len__(self) -> int:
        return int(self.ratings.size)

    def subset(self, index) -> "Ratings":
        """The same users, items and metadata, keeping only the ratings at ``index`` (row numbers in
        ``[0, len(self))``, or a boolean mask of length ``len(self)``)."""
        arr = _index_array("index", index)
        if arr.dtype == np.bool_:
            if arr.shape != (len(self),):
                raise ValueError(f"index as a boolean mask must have one entry per rating ({len(self)}); got shape {arr.shape}")
            index = arr
        else:
            index = check_ids("index", arr, len(self), what="row", hint=f"rows are numbered 0..{len(self) - 1}")
        return Ratings(self.users[index], self.items[index], self.ratings[index], self.n_users, self.n_items, self.scale,
                       self.user_ids, self.item_ids, self.item_titles, self.item_genres, self.source)

    def density(self) -> float:
        """Fraction of the n_users x n_items matrix that is observed."""
        return len(self) / (self.n_users * self.n_items)


def split_ratings(data: Ratings, test_fraction: float = 0.2, seed: int = 0) -> tuple[Ratings, Ratings]:
    """Random split of the rating rows: ``np.random.default_rng(seed).permutation``, the first
    ``test_fraction`` of it as test. The same protocol as the peer numbers in notebook 05."""
    check_instance("data", data, Ratings, what="a Ratings object (e.g. from synthetic_ratings or load_movielens)")
    test_fraction = check_fraction("test_fraction", test_fraction, hint="between 0 and 1, e.g. 0.2")
    seed = check_seed("seed", seed)
    order = np.random.default_rng(seed).permutation(len(data))
    n_test = int(test_fraction * len(data))
    if n_test == 0 or n_test == len(data):
        raise ValueError(f"{len(data)} ratings are too few to split with test_fraction={test_fraction}")
    return data.subset(order[n_test:]), data.subset(order[:n_test])


def cold_start_report(train: Ratings, test: Ratings) -> dict:
    """How many test ratings involve a user or an item that has no training rating at all.

    Such users/items are 'cold': a factor model knows nothing about them but the biases it
    can still estimate, so it predicts roughly the global mean (plus the other side's bias).
    """
    check_instance("train", train, Ratings, what="a Ratings object")
    check_instance("test", test, Ratings, what="a Ratings object")
    if (test.n_users, test.n_items) != (train.n_users, train.n_items):
        raise ValueError(f"train and test must index the same users and items; train has {train.n_users} users and "
                         f"{train.n_items} items, test {test.n_users} and {test.n_items}. Split one Ratings with split_ratings")
    seen_users = np.zeros(train.n_users, bool)
    seen_users[train.users] = True
    seen_items = np.zeros(train.n_items, bool)
    seen_items[train.items] = True
    cold_user, cold_item = ~seen_users[test.users], ~seen_items[test.items]
    return {"test_ratings": len(test), "cold_user_ratings": int(cold_user.sum()), "cold_item_ratings": int(cold_item.sum()),
            "cold_users": int(np.unique(test.users[cold_user]).size), "cold_items": int(np.unique(test.items[cold_item]).size)}


GENRES = ("action", "comedy", "drama", "romance", "sci-fi")
MAX_FILL_ROUNDS = 1000      # synthetic_ratings: a bound on its fill loop (it needs a handful of rounds)


@dataclass
class SyntheticRatings:
    """A synthetic data set and the model that generated it (the 'planted' truth).

    rating = clip(round(mu + user_bias[u] + item_bias[i] + user_factors[u] . item_factors[i] + noise), 1, 5),
    noise ~ N(0, noise_std^2). Item factors are one-hot in the item's genre plus a little noise,
    so each planted factor *is* a genre; a user's factors are their taste for each genre.
    """

    data: Ratings
    user_factors: np.ndarray      # (n_users, k)
    item_factors: np.ndarray      # (n_items, k)
    user_bias: np.ndarray         # (n_users,)
    item_bias: np.ndarray         # (n_items,)
    mu: float
    noise_std: float
    genres: tuple = GENRES
    item_genre: np.ndarray = field(default=None)  # (n_items,) index into genres

    def __post_init__(self):
        check_instance("data", self.data, Ratings, what="a Ratings object")
        n_users, n_items = self.data.n_users, self.data.n_items
        self.user_factors = check_array("user_factors", self.user_factors, ndim=2)
        k = self.user_factors.shape[1]
        self.user_factors = check_array("user_factors", self.user_factors, shape=(n_users, k))
        self.item_factors = check_array("item_factors", self.item_factors, shape=(n_items, k),
                                        hint="one row of k factors per item, k as in user_factors")
        self.user_bias = check_array("user_bias", self.user_bias, shape=(n_users,))
        self.item_bias = check_array("item_bias", self.item_bias, shape=(n_items,))
        self.mu = check_number("mu", self.mu, hint="the global mean rating")
        self.noise_std = check_nonnegative("noise_std", self.noise_std)
        if not isinstance(self.genres, (tuple, list)) or not all(isinstance(g, str) for g in self.genres):
            raise TypeError(f"genres must be a tuple of genre names (got {self.genres!r:.60})")
        if self.item_genre is not None:
            self.item_genre = check_ids("item_genre", self.item_genre, len(self.genres), what="genre")
            if self.item_genre.shape != (n_items,):
                raise ValueError(f"item_genre must hold one genre index per item ({n_items}); got {self.item_genre.size}")

    def planted_scores(self, users, items) -> np.ndarray:
        """The planted model's prediction for (user, item) pairs, clipped to the rating scale."""
        users = check_ids("users", users, self.data.n_users, what="user")
        items = check_ids("items", items, self.data.n_items, what="item")
        if users.shape != items.shape:
            raise ValueError(f"users and items must have the same length; got {users.size} and {items.size}")
        s = self.mu + self.user_bias[users] + self.item_bias[items] + np.einsum("nk,nk->n", self.user_factors[users], self.item_factors[items])
        return np.clip(s, *self.data.scale)


def synthetic_ratings(n_users: int = 943, n_items: int = 1682, n_ratings: int = 100_000, noise_std: float = 0.7,
                      min_per_user: int = 20, seed: int = 0) -> SyntheticRatings:
    """Integer ratings 1-5 shaped like MovieLens-100k, with known truth.

    Long tails: user activity is log-normal (every user rates at least ``min_per_user`` items),
    item popularity follows a Zipf-like law, and popular items get slightly higher biases.
    Tastes are low-rank: 5 named genres (``GENRES``). Everything flows from ``seed``.
    """
    n_users = check_count("n_users", n_users, minimum=2)
    n_items = check_count("n_items", n_items, minimum=2)
    n_ratings = check_count("n_ratings", n_ratings, hint="a whole number of ratings, e.g. 100_000")
    min_per_user = check_count("min_per_user", min_per_user, minimum=0)
    noise_std = check_nonnegative("noise_std", noise_std, hint="the rating noise, e.g. 0.7")
    seed = check_seed("seed", seed)
    cap = int(0.6 * n_items)                                         # most items one user rates
    if min_per_user > cap:
        raise ValueError(f"min_per_user must be <= 0.6 * n_items = {cap} (got {min_per_user}): no user rates more "
                         "than 60 % of the items. Lower min_per_user or raise n_items")
    if n_ratings < n_users * min_per_user or n_ratings > 0.5 * n_users * n_items:
        raise ValueError(
            f"need n_users, n_items >= 2 and n_users * min_per_user <= n_ratings <= half the matrix; "
            f"got {n_users} users, {n_items} items, {n_ratings} ratings, min_per_user {min_per_user}"
        )
    rng = np.random.default_rng(seed)
    k = len(GENRES)
    item_genre = rng.choice(k, size=n_items, p=[0.3, 0.25, 0.2, 0.15, 0.1])
    item_factors = np.eye(k)[item_genre] + rng.normal(0, 0.15, size=(n_items, k))
    user_factors = rng.normal(0, 0.75, size=(n_users, k))
    popularity = 1.0 / (rng.permutation(n_items) + 20.0) ** 1.3      # Zipf-like, random order
    popularity /= popularity.sum()
    log_pop = np.log(popularity)
    item_bias = 0.4 * rng.normal(size=n_items) + 0.15 * (log_pop - log_pop.mean()) / log_pop.std()
    user_bias = 0.4 * rng.normal(size=n_users)
    mu = 3.45

    activity = rng.lognormal(0.0, 1.0, size=n_users)
    counts = np.full(n_users, min_per_user)
    for _ in range(MAX_FILL_ROUNDS):          # each round places the deficit; only users at the cap overflow
        deficit = n_ratings - int(counts.sum())
        if deficit <= 0:
            break
        open_users = counts < cap
        extra = rng.multinomial(deficit, activity * open_users / (activity * open_users).sum())
        counts = np.minimum(counts + extra, cap)
    else:
        raise ValueError(f"n_ratings: could not place {n_ratings} ratings in {MAX_FILL_ROUNDS} rounds with at most "
                         f"{cap} per user; lower n_ratings or raise n_items")
    users = np.repeat(np.arange(n_users), counts)
    items = np.concatenate([rng.choice(n_items, size=c, replace=False, p=popularity) for c in counts])
    scores = mu + user_bias[users] + item_bias[items] + np.einsum("nk,nk->n", user_factors[users], item_factors[items])
    ratings = np.clip(np.rint(scores + rng.normal(0, noise_std, size=scores.size)), 1, 5)
    order = rng.permutation(users.size)                              # no meaning in row order
    titles = [f"{GENRES[g]} #{i}" for i, g in enumerate(item_genre)]
    data = Ratings(users[order], items[order], ratings[order], n_users, n_items, (1.0, 5.0),
                   item_titles=titles, item_genres=[[GENRES[g]] for g in item_genre], source=f"synthetic (seed {seed})")
    return SyntheticRatings(data, user_factors, item_factors, user_bias, item_bias, mu, noise_std, GENRES, item_genre)
