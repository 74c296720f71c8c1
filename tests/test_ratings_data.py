import http.server
import io
import threading
import zipfile
from pathlib import Path

import numpy as np
import pytest

from course_utils import movielens
from course_utils.movielens import MovieLensNotFound, download_movielens, find_movielens, load_movielens
from course_utils.ratings import Ratings, cold_start_report, split_ratings, synthetic_ratings

FIXTURES = Path(__file__).parent / "fixtures"


# ------------------------------------------------------------------ container and validation
def test_ratings_validation_names_the_problem():
    with pytest.raises(ValueError, match="empty data"):
        Ratings([], [], [], 1, 1)
    with pytest.raises(ValueError, match=r"ratings must be in \[1, 5\]; got min 0, max 4 - did you forget to shift 0-based"):
        Ratings([0, 1], [0, 1], [0, 4], 2, 2)
    with pytest.raises(ValueError, match=r"user index 5 is out of range \[0, 2\).*from_ids"):
        Ratings([0, 5], [0, 1], [3, 4], 2, 2)
    with pytest.raises(ValueError, match="item index -1"):
        Ratings([0, 1], [0, -1], [3, 4], 2, 2)
    with pytest.raises(ValueError, match="NaN"):
        Ratings([0], [0], [np.nan], 1, 1)
    with pytest.raises(ValueError, match="one length"):
        Ratings([0, 1], [0], [3, 4], 2, 2)
    with pytest.raises(ValueError, match="integers"):
        Ratings([0.5], [0], [3], 2, 2)


def test_from_ids_maps_raw_ids_and_subset_keeps_metadata():
    d = Ratings.from_ids([10, 30, 10], [7, 7, 9], [1, 2, 3], scale=(1, 5), item_titles=None)
    assert (d.n_users, d.n_items) == (2, 2) and d.users.tolist() == [0, 1, 0] and d.user_ids.tolist() == [10, 30]
    sub = d.subset([2])
    assert len(sub) == 1 and sub.n_items == 2 and sub.item_ids.tolist() == [7, 9]


def test_split_is_seeded_and_matches_the_peer_protocol():
    d = synthetic_ratings(n_users=50, n_items=60, n_ratings=1200, min_per_user=5, seed=3).data
    train, test = split_ratings(d, 0.2, seed=0)
    order = np.random.default_rng(0).permutation(len(d))
    assert len(test) == 240 and np.array_equal(test.ratings, d.ratings[order[:240]])
    again = split_ratings(d, 0.2, seed=0)[1]
    assert np.array_equal(again.users, test.users)
    report = cold_start_report(train, test)
    assert report["test_ratings"] == 240 and report["cold_user_ratings"] >= 0
    with pytest.raises(ValueError, match="test_fraction"):
        split_ratings(d, 1.5)


def test_cold_start_report_counts_unseen_items():
    train = Ratings([0, 1], [0, 0], [3, 4], 2, 3)
    test = Ratings([0, 1, 1], [1, 2, 0], [5, 2, 1], 2, 3)
    assert cold_start_report(train, test) == {"test_ratings": 3, "cold_user_ratings": 0, "cold_item_ratings": 2,
                                              "cold_users": 0, "cold_items": 2}


# ------------------------------------------------------------------ synthetic generator
def test_synthetic_data_is_movielens_shaped_deterministic_and_knows_its_truth():
    s = synthetic_ratings(seed=0)
    d = s.data
    assert (len(d), d.n_users, d.n_items) == (100_000, 943, 1682)
    assert set(np.unique(d.ratings)) <= {1.0, 2.0, 3.0, 4.0, 5.0}
    per_user = np.bincount(d.users)
    assert per_user.min() >= 20 and per_user.max() > 10 * np.median(per_user) / 2   # long tail
    pairs = d.users * d.n_items + d.items
    assert np.unique(pairs).size == len(d)                                           # one rating per pair
    assert np.array_equal(synthetic_ratings(seed=0).data.ratings, d.ratings)
    assert not np.array_equal(synthetic_ratings(seed=1).data.ratings, d.ratings)
    planted = np.sqrt(np.mean((s.planted_scores(d.users, d.items) - d.ratings) ** 2))
    assert 0.6 < planted < 0.8                                    # noise 0.7 plus rounding, clipped
    assert s.item_factors.shape == (1682, 5) and len(s.genres) == 5


def test_synthetic_refuses_impossible_sizes():
    with pytest.raises(ValueError, match="min_per_user"):
        synthetic_ratings(n_users=10, n_items=10, n_ratings=20)


# ------------------------------------------------------------------ loaders
def test_load_ml100k_fixture_with_latin1_titles():
    d = load_movielens(FIXTURES / "ml-100k-tiny")
    assert (len(d), d.n_users, d.n_items, d.scale) == (10, 5, 3, (1.0, 5.0))
    assert d.item_titles[1] == "Misérables, Les (1995)" and d.item_titles[2] == "Café au lait (1993)"
    assert d.item_genres[0] == ["Action", "Adventure"] and d.item_genres[1] == ["Romance"]


def test_load_ml_latest_fixture_with_quoted_titles_and_half_stars():
    d = load_movielens(FIXTURES / "ml-latest-tiny")
    assert (len(d), d.n_users, d.n_items, d.scale) == (5, 3, 3, (0.5, 5.0))
    assert d.item_titles[0] == "American President, The (1995)" and d.item_titles[1] == "Amélie (2001)"
    assert d.item_genres[2] == [] and 0.5 in d.ratings


def test_corrupt_and_missing_files_give_clear_errors(tmp_path):
    bad = tmp_path / "ml-100k"
    bad.mkdir()
    (bad / "u.data").write_text("1\t1\t5\t0\n2\tX\t3\t0\n")
    (bad / "u.item").write_bytes((FIXTURES / "ml-100k-tiny" / "u.item").read_bytes())
    with pytest.raises(ValueError, match="row 2 has a missing or non-numeric 'item'"):
        load_movielens(bad)
    (bad / "u.data").write_text("1\t1\t9\t0\n")
    with pytest.raises(ValueError, match=r"ratings must be in \[1, 5\]"):
        load_movielens(bad)
    (bad / "u.item").unlink()
    (bad / "u.data").write_text("1\t1\t5\t0\n")
    with pytest.raises(MovieLensNotFound, match="u.item is missing"):
        load_movielens(bad)


def test_search_order_and_the_offline_message(tmp_path, monkeypatch):
    monkeypatch.setattr(movielens, "DATA_DIR", tmp_path / "data")
    monkeypatch.delenv(movielens.ENV_VAR, raising=False)
    with pytest.raises(MovieLensNotFound, match="Unzip ml-100k or ml-latest-small"):
        find_movielens()
    with pytest.raises(MovieLensNotFound, match="holds no MovieLens files"):
        find_movielens(tmp_path)
    monkeypatch.setenv(movielens.ENV_VAR, str(FIXTURES / "ml-latest-tiny"))
    assert find_movielens() == FIXTURES / "ml-latest-tiny"
    assert find_movielens(FIXTURES / "ml-100k-tiny") == FIXTURES / "ml-100k-tiny"   # explicit path wins


# ------------------------------------------------------------------ downloader, against a localhost server
def _zip_bytes(members: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, content in members.items():
            z.writestr(name, content)
    return buffer.getvalue()


@pytest.fixture
def serve(tmp_path):
    """Serve files from a temporary folder on 127.0.0.1; yields (folder, base_url)."""
    root = tmp_path / "served"
    root.mkdir()
    handler = lambda *a, **k: http.server.SimpleHTTPRequestHandler(*a, directory=str(root), **k)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    handler_class = server.RequestHandlerClass
    server.RequestHandlerClass = lambda *a, **k: handler_class(*a, **k)
    http.server.SimpleHTTPRequestHandler.log_message = lambda *a: None
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def test_download_good_zip_extracts_and_loads(serve, tmp_path):
    root, base = serve
    fixture = FIXTURES / "ml-latest-tiny"
    payload = _zip_bytes({f"ml-latest-tiny/{f.name}": f.read_bytes() for f in fixture.iterdir()})
    (root / "good.zip").write_bytes(payload)
    folder = download_movielens("ml-latest-tiny", dest=tmp_path / "data", url=f"{base}/good.zip", sha256=_sha256(payload))
    assert folder == tmp_path / "data" / "ml-latest-tiny" and len(load_movielens(folder)) == 5


def test_download_with_wrong_checksum_extracts_nothing(serve, tmp_path):
    root, base = serve
    (root / "good.zip").write_bytes(_zip_bytes({"ml-x/ratings.csv": "userId,movieId,rating\n1,1,4\n"}))
    with pytest.raises(ValueError, match="checksum mismatch"):
        download_movielens("ml-x", dest=tmp_path / "data", url=f"{base}/good.zip", sha256="0" * 64)
    assert list((tmp_path / "data").iterdir()) == []


def test_download_refuses_paths_that_escape(serve, tmp_path):
    root, base = serve
    payload = _zip_bytes({"ml-x/ratings.csv": "userId,movieId,rating\n1,1,4\n", "../evil.txt": "gotcha"})
    (root / "evil.zip").write_bytes(payload)
    with pytest.raises(ValueError, match="outside"):
        download_movielens("ml-x", dest=tmp_path / "data", url=f"{base}/evil.zip", sha256=_sha256(payload))
    assert not (tmp_path / "evil.txt").exists()


def test_download_offline_says_what_to_do(tmp_path):
    with pytest.raises(ConnectionError, match="download it by hand"):
        download_movielens("ml-x", dest=tmp_path, url="http://127.0.0.1:9/nothing.zip", sha256="0" * 64, timeout=2)
    with pytest.raises(ValueError, match="unknown archive"):
        download_movielens("ml-nonexistent", dest=tmp_path)


def test_official_archives_are_pinned():
    for name, (url, size, sha) in movielens.KNOWN_ARCHIVES.items():
        assert url.endswith(f"/{name}.zip") and size > 0 and len(sha) == 64


def test_from_ids_maps_like_numpy_unique_for_every_kind_of_id():
    rng = np.random.default_rng(0)
    for raw in (rng.integers(1, 50, 300), rng.integers(0, 10**12, 300), rng.integers(-40, 40, 300),
                rng.integers(1, 50, 300).astype(np.uint32), np.array([f"u{k}" for k in rng.integers(0, 30, 300)])):
        d = Ratings.from_ids(raw, raw, np.full(300, 3.0))
        ids, codes = np.unique(raw, return_inverse=True)
        assert np.array_equal(d.user_ids, ids) and np.array_equal(d.users, codes) and d.user_ids.dtype == ids.dtype
