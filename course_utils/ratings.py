"""Ratings data for notebooks 05-07: a validated container, a seeded synthetic generator
shaped like MovieLens-100k with known ground truth, and a seeded train/test split."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


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
        self.users = np.asarray(self.users)
        self.items = np.asarray(self.items)
        self.ratings = np.asarray(self.ratings, dtype=np.float64)
        n = self.ratings.size
        if n == 0:
            raise ValueError("empty data: there are no ratings. Check the file you loaded, or the filter you applied")
        for name, arr in (("users", self.users), ("items", self.items), ("ratings", self.ratings)):
            if arr.ndim != 1 or arr.size != n:
                raise ValueError(f"users, items and ratings must be 1-D arrays of one length; {name} has shape {arr.shape}, ratings {n}")
        for name, arr, limit in (("user", self.users, self.n_users), ("item", self.items, self.n_items)):
            if not np.issubdtype(arr.dtype, np.integer):
                raise ValueError(f"{name} indices must be integers; got dtype {arr.dtype}")
            if int(limit) < 1:
                raise ValueError(f"n_{name}s must be >= 1; got {limit}")
            if arr.min() < 0 or arr.max() >= limit:
                bad = arr.min() if arr.min() < 0 else arr.max()
                raise ValueError(
                    f"{name} index {bad} is out of range [0, {limit}): indices must be 0-based and below n_{name}s. "
                    f"For raw ids from a file use Ratings.from_ids(...), which maps them to 0..n-1"
                )
        self.users, self.items = self.users.astype(np.int64), self.items.astype(np.int64)
        lo, hi = float(self.scale[0]), float(self.scale[1])
        if not np.all(np.isfinite(self.ratings)):
            raise ValueError("ratings contain NaN or inf; drop or fix those rows first")
        if self.ratings.min() < lo or self.ratings.max() > hi:
            raise ValueError(
                f"ratings must be in [{lo:g}, {hi:g}]; got min {self.ratings.min():g}, max {self.ratings.max():g}"
                + (" - did you forget to shift 0-based ratings?" if self.ratings.min() == lo - 1 else "")
            )
        self.scale = (lo, hi)

    @classmethod
    def from_ids(cls, raw_users, raw_items, ratings, **kwargs) -> "Ratings":
        """Build from arbitrary ids (e.g. MovieLens userId/movieId): ids become 0..n-1 in sorted order."""
        user_ids, users = np.unique(np.asarray(raw_users), return_inverse=True)
        item_ids, items = np.unique(np.asarray(raw_items), return_inverse=True)
        return cls(users, items, ratings, len(user_ids), len(item_ids), user_ids=user_ids, item_ids=item_ids, **kwargs)

    def __len__(self) -> int:
        return int(self.ratings.size)

    def subset(self, index) -> "Ratings":
        """The same users, items and metadata, keeping only the ratings at ``index``."""
        index = np.asarray(index)
        return Ratings(self.users[index], self.items[index], self.ratings[index], self.n_users, self.n_items, self.scale,
                       self.user_ids, self.item_ids, self.item_titles, self.item_genres, self.source)

    def density(self) -> float:
        """Fraction of the n_users x n_items matrix that is observed."""
        return len(self) / (self.n_users * self.n_items)


def split_ratings(data: Ratings, test_fraction: float = 0.2, seed: int = 0) -> tuple[Ratings, Ratings]:
    """Random split of the rating rows: ``np.random.default_rng(seed).permutation``, the first
    ``test_fraction`` of it as test. The same protocol as the peer numbers in notebook 05."""
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be between 0 and 1; got {test_fraction}")
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
    seen_users = np.zeros(train.n_users, bool)
    seen_users[train.users] = True
    seen_items = np.zeros(train.n_items, bool)
    seen_items[train.items] = True
    cold_user, cold_item = ~seen_users[test.users], ~seen_items[test.items]
    return {"test_ratings": len(test), "cold_user_ratings": int(cold_user.sum()), "cold_item_ratings": int(cold_item.sum()),
            "cold_users": int(np.unique(test.users[cold_user]).size), "cold_items": int(np.unique(test.items[cold_item]).size)}


GENRES = ("action", "comedy", "drama", "romance", "sci-fi")


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

    def planted_scores(self, users, items) -> np.ndarray:
        """The planted model's prediction for (user, item) pairs, clipped to the rating scale."""
        users, items = np.asarray(users), np.asarray(items)
        s = self.mu + self.user_bias[users] + self.item_bias[items] + np.einsum("nk,nk->n", self.user_factors[users], self.item_factors[items])
        return np.clip(s, *self.data.scale)


def synthetic_ratings(n_users: int = 943, n_items: int = 1682, n_ratings: int = 100_000, noise_std: float = 0.7,
                      min_per_user: int = 20, seed: int = 0) -> SyntheticRatings:
    """Integer ratings 1-5 shaped like MovieLens-100k, with known truth.

    Long tails: user activity is log-normal (every user rates at least ``min_per_user`` items),
    item popularity follows a Zipf-like law, and popular items get slightly higher biases.
    Tastes are low-rank: 5 named genres (``GENRES``). Everything flows from ``seed``.
    """
    if min(n_users, n_items) < 2 or n_ratings < n_users * min_per_user or n_ratings > 0.5 * n_users * n_items:
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

    cap = int(0.6 * n_items)
    activity = rng.lognormal(0.0, 1.0, size=n_users)
    counts = np.full(n_users, min_per_user)
    while (deficit := n_ratings - counts.sum()) > 0:
        open_users = counts < cap
        extra = rng.multinomial(deficit, activity * open_users / (activity * open_users).sum())
        counts = np.minimum(counts + extra, cap)
    users = np.repeat(np.arange(n_users), counts)
    items = np.concatenate([rng.choice(n_items, size=c, replace=False, p=popularity) for c in counts])
    scores = mu + user_bias[users] + item_bias[items] + np.einsum("nk,nk->n", user_factors[users], item_factors[items])
    ratings = np.clip(np.rint(scores + rng.normal(0, noise_std, size=scores.size)), 1, 5)
    order = rng.permutation(users.size)                              # no meaning in row order
    titles = [f"{GENRES[g]} #{i}" for i, g in enumerate(item_genre)]
    data = Ratings(users[order], items[order], ratings[order], n_users, n_items, (1.0, 5.0),
                   item_titles=titles, item_genres=[[GENRES[g]] for g in item_genre], source=f"synthetic (seed {seed})")
    return SyntheticRatings(data, user_factors, item_factors, user_bias, item_bias, mu, noise_std, GENRES, item_genre)
