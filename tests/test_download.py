"""download_movielens never loses or corrupts anything: limits, atomic extraction, no
overwriting, checked names, and one clear message (with nothing left behind) for a corrupt
archive, an HTTP error, a timeout and a checksum mismatch. A localhost HTTP server serves
tiny archives made in the test; nothing is downloaded from the internet."""

import hashlib
import http.server
import io
import os
import struct
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

from course_utils import movielens
from course_utils.movielens import DownloadError, download_movielens, find_movielens, load_movielens

FIXTURE = Path(__file__).parent / "fixtures" / "ml-latest-tiny"
NAME = "ml-latest-small"


def zip_bytes(members: dict, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as z:
        for name, content in members.items():
            z.writestr(name, content)
    return buffer.getvalue()


def good_archive(top: str = NAME) -> bytes:
    return zip_bytes({f"{top}/{f.name}": f.read_bytes() for f in sorted(FIXTURE.iterdir())})


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Handler(http.server.BaseHTTPRequestHandler):
    files: dict = {}

    def log_message(self, *args):
        pass

    def do_GET(self):
        route, _, name = self.path.lstrip("/").partition("/")
        if route == "missing":
            self.send_error(404, "Not Found")
            return
        if route == "slow":
            time.sleep(3)
        body = self.files[name]
        if route == "trickle":                 # every read succeeds in time, but it never ends soon
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                for start in range(0, len(body), 64):
                    self.wfile.write(body[start : start + 64])
                    self.wfile.flush()
                    time.sleep(0.2)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        self.send_response(200)
        if route != "nolength":
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.fixture
def server():
    """(files dict to fill, base url) of a server on 127.0.0.1; routes /file/NAME, /nolength/NAME, /slow/NAME, /missing/."""
    Handler.files = {}
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield Handler.files, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def serve(server, payload: bytes, route: str = "file") -> tuple[str, str]:
    files, base = server
    files["a.zip"] = payload
    return f"{base}/{route}/a.zip", sha(payload)


def leftovers(dest: Path) -> list[str]:
    return sorted(p.name for p in dest.iterdir()) if dest.exists() else []


# ------------------------------------------------------------------ the good path
def test_download_extracts_into_dest_name_and_loads(server, tmp_path):
    url, digest = serve(server, good_archive())
    folder = download_movielens(NAME, dest=tmp_path, url=url, sha256=digest)
    assert folder == tmp_path / NAME and leftovers(tmp_path) == [NAME]            # no archive, no temporary files
    assert len(load_movielens(folder)) == 5 and find_movielens(folder) == folder


def test_second_download_over_identical_files_changes_nothing(server, tmp_path):
    url, digest = serve(server, good_archive())
    folder = download_movielens(NAME, dest=tmp_path, url=url, sha256=digest)
    (folder / "my_notes.txt").write_text("mine")                                   # a learner's own extra file
    stamp = (folder / "ratings.csv").stat().st_mtime_ns
    assert download_movielens(NAME, dest=tmp_path, url=url, sha256=digest) == folder
    assert (folder / "ratings.csv").stat().st_mtime_ns == stamp and (folder / "my_notes.txt").read_text() == "mine"
    assert leftovers(tmp_path) == [NAME]


# ------------------------------------------------------------------ a learner's files are never overwritten
def test_differing_folder_is_refused_and_left_untouched(server, tmp_path):
    url, digest = serve(server, good_archive())
    folder = download_movielens(NAME, dest=tmp_path, url=url, sha256=digest)
    (folder / "ratings.csv").write_text("userId,movieId,rating,timestamp\n1,10,5.0,1\n")   # the learner edited it
    with pytest.raises(FileExistsError, match=r"already exists and differs from the archive \(ratings.csv\); nothing was changed"):
        download_movielens(NAME, dest=tmp_path, url=url, sha256=digest)
    assert (folder / "ratings.csv").read_text().endswith("1,10,5.0,1\n") and leftovers(tmp_path) == [NAME]


def test_existing_backup_keeps_the_learners_folder_under_a_named_backup(server, tmp_path):
    url, digest = serve(server, good_archive())
    folder = download_movielens(NAME, dest=tmp_path, url=url, sha256=digest)
    (folder / "ratings.csv").write_text("edited\n")
    with pytest.warns(UserWarning, match=r"your folder was kept as .*ml-latest-small\.backup-\d{8}-\d{6}") as record:
        download_movielens(NAME, dest=tmp_path, url=url, sha256=digest, existing="backup")
    backup = Path(str(record[0].message).rsplit(" kept as ", 1)[1])
    assert backup.is_dir() and backup.parent == tmp_path
    assert (backup / "ratings.csv").read_text() == "edited\n"
    assert (folder / "ratings.csv").read_bytes() == (FIXTURE / "ratings.csv").read_bytes()


# ------------------------------------------------------------------ names
@pytest.mark.parametrize("name", ["../../x", "ml-../../x", "/tmp/ml-x", "ml-x/../../y", "ML 100K", ""])
def test_names_that_could_escape_are_refused_before_anything_is_written(server, tmp_path, name):
    url, digest = serve(server, good_archive())
    with pytest.raises(ValueError, match="name must be"):
        download_movielens(name, dest=tmp_path / "data", url=url, sha256=digest)
    assert not (tmp_path / "data").exists() and sorted(p.name for p in tmp_path.iterdir()) == []


def test_unknown_name_without_url_is_refused(tmp_path):
    with pytest.raises(ValueError, match=r"name must be one of \['ml-100k', 'ml-latest-small'\]"):
        download_movielens("ml-1m", dest=tmp_path)


# ------------------------------------------------------------------ network and archive failures leave nothing behind
def test_http_error(server, tmp_path):
    _, base = server
    with pytest.raises(DownloadError, match="the server answered HTTP 404") as info:
        download_movielens(NAME, dest=tmp_path, url=f"{base}/missing/a.zip", sha256="0" * 64)
    assert isinstance(info.value, ConnectionError) and "download it by hand" in str(info.value)
    assert leftovers(tmp_path) == []


def test_timeout(server, tmp_path):
    url, digest = serve(server, good_archive(), route="slow")
    with pytest.raises(DownloadError, match=r"no answer within 0.5 s.*larger timeout="):
        download_movielens(NAME, dest=tmp_path, url=url, sha256=digest, timeout=0.5)
    assert leftovers(tmp_path) == []


def test_a_trickling_download_still_ends(server, tmp_path, monkeypatch):
    monkeypatch.setattr(movielens, "DOWNLOAD_DEADLINE_TIMEOUTS", 2)
    url, digest = serve(server, good_archive(), route="trickle")
    start = time.monotonic()
    with pytest.raises(DownloadError, match=r"still unfinished after 1 s .*stalling"):
        download_movielens(NAME, dest=tmp_path, url=url, sha256=digest, timeout=0.5)
    assert time.monotonic() - start < 20 and leftovers(tmp_path) == []


def test_no_connection(tmp_path):
    with pytest.raises(DownloadError, match="download it by hand"):
        download_movielens(NAME, dest=tmp_path, url="http://127.0.0.1:9/nothing.zip", sha256="0" * 64, timeout=2)
    assert leftovers(tmp_path) == []


def test_checksum_mismatch(server, tmp_path):
    url, _ = serve(server, good_archive())
    with pytest.raises(ValueError, match="checksum mismatch.*nothing was extracted"):
        download_movielens(NAME, dest=tmp_path, url=url, sha256="0" * 64)
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("payload", [b"this is not a zip file", good_archive()[:-40]])
def test_corrupt_archive(server, tmp_path, payload):
    url, digest = serve(server, payload)
    with pytest.raises(ValueError, match="is corrupt"):
        download_movielens(NAME, dest=tmp_path, url=url, sha256=digest)
    assert leftovers(tmp_path) == []


def test_archive_without_ratings_file(server, tmp_path):
    url, digest = serve(server, zip_bytes({f"{NAME}/README.txt": "hello"}))
    with pytest.raises(ValueError, match="holds no MovieLens ratings file"):
        download_movielens(NAME, dest=tmp_path, url=url, sha256=digest)
    assert leftovers(tmp_path) == []


# ------------------------------------------------------------------ limits
def test_download_size_limit_from_the_header_and_while_streaming(server, tmp_path):
    payload = good_archive()
    for route in ("file", "nolength"):                       # declared by Content-Length, or only counted
        url, digest = serve(server, payload, route=route)
        with pytest.raises(ValueError, match=r"limit of .* MiB \(max_download_bytes\)"):
            download_movielens(NAME, dest=tmp_path, url=url, sha256=digest, max_download_bytes=100)
        assert leftovers(tmp_path) == []


def test_twenty_thousand_entries_are_refused_before_extraction(server, tmp_path):
    members = {f"{NAME}/ratings.csv": "userId,movieId,rating\n1,1,4\n"}
    members.update({f"{NAME}/junk/{i}.txt": "" for i in range(20_000)})
    url, digest = serve(server, zip_bytes(members, zipfile.ZIP_STORED))
    with pytest.raises(ValueError, match=r"holds 20,001 entries, more than the limit of 1,000"):
        download_movielens(NAME, dest=tmp_path, url=url, sha256=digest)
    assert leftovers(tmp_path) == []


def _declare_size(payload: bytes, size: int) -> bytes:
    """Rewrite the uncompressed size a zip declares for its members (local headers and central directory)."""
    data = bytearray(payload)
    pos = 0
    while (pos := data.find(b"PK\x03\x04", pos)) >= 0:           # local file header: size at offset 22
        data[pos + 22 : pos + 26] = struct.pack("<I", size)
        pos += 4
    pos = 0
    while (pos := data.find(b"PK\x01\x02", pos)) >= 0:           # central directory entry: size at offset 24
        data[pos + 24 : pos + 28] = struct.pack("<I", size)
        pos += 4
    return bytes(data)


def test_a_small_zip_that_declares_gigabytes_is_refused_before_writing(server, tmp_path):
    payload = _declare_size(zip_bytes({f"{NAME}/ratings.csv": b"0" * 100_000}), 3 * 2**30)
    assert len(payload) < 2000
    url, digest = serve(server, payload)
    with pytest.raises(ValueError, match=r"would expand to 3,072 MiB, more than the limit of 1,024 MiB.*zip bomb"):
        download_movielens(NAME, dest=tmp_path, url=url, sha256=digest)
    assert leftovers(tmp_path) == []


def test_a_real_bomb_is_stopped_by_the_extracted_size_limit(server, tmp_path):
    payload = zip_bytes({f"{NAME}/ratings.csv": b"0" * (20 * 2**20)})          # 20 MiB of zeros in ~20 KB
    assert len(payload) < 100_000
    url, digest = serve(server, payload)
    with pytest.raises(ValueError, match=r"would expand to 20 MiB, more than the limit of 5 MiB"):
        download_movielens(NAME, dest=tmp_path, url=url, sha256=digest, max_extracted_bytes=5 * 2**20)
    assert leftovers(tmp_path) == []


def test_a_header_that_understates_the_size_fails_its_crc_and_leaves_nothing(server, tmp_path):
    payload = _declare_size(zip_bytes({f"{NAME}/ratings.csv": b"userId,movieId,rating\n" + b"1,1,4\n" * 5000}), 100)
    url, digest = serve(server, payload)
    with pytest.raises(ValueError, match="is corrupt"):
        download_movielens(NAME, dest=tmp_path, url=url, sha256=digest)
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("member", ["../evil.txt", "/abs/evil.txt", f"{NAME}/../../evil.txt", "C:/evil.txt"])
def test_members_that_escape_are_refused(server, tmp_path, member):
    url, digest = serve(server, zip_bytes({f"{NAME}/ratings.csv": "userId,movieId,rating\n1,1,4\n", member: "gotcha"}))
    with pytest.raises(ValueError, match="outside the data folder"):
        download_movielens(NAME, dest=tmp_path / "data", url=url, sha256=digest)
    assert leftovers(tmp_path / "data") == [] and not (tmp_path / "evil.txt").exists()


def test_symbolic_links_are_refused(server, tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(f"{NAME}/ratings.csv", "userId,movieId,rating\n1,1,4\n")
        link = zipfile.ZipInfo(f"{NAME}/link")
        link.external_attr = (0o120777 << 16)
        z.writestr(link, "/etc/passwd")
    url, digest = serve(server, buffer.getvalue())
    with pytest.raises(ValueError, match="symbolic links"):
        download_movielens(NAME, dest=tmp_path, url=url, sha256=digest)
    assert leftovers(tmp_path) == []


# ------------------------------------------------------------------ atomic: interrupted extractions
def test_a_failure_injected_mid_extraction_leaves_nothing(server, tmp_path, monkeypatch):
    url, digest = serve(server, good_archive())
    real_open = zipfile.ZipFile.open
    calls = []

    def open_then_fail(self, member, *args, **kwargs):
        calls.append(member)
        if len(calls) == 2:                    # the first file is written, then the "disk" fails
            raise OSError(28, "No space left on device")
        return real_open(self, member, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", open_then_fail)
    with pytest.raises(OSError, match="No space left"):
        download_movielens(NAME, dest=tmp_path, url=url, sha256=digest)
    assert leftovers(tmp_path) == []


def test_interrupt_mid_extraction_keeps_an_existing_good_folder(server, tmp_path, monkeypatch):
    url, digest = serve(server, good_archive())
    folder = download_movielens(NAME, dest=tmp_path, url=url, sha256=digest, existing="refuse")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    monkeypatch.setattr(movielens, "_extract", lambda *a: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        download_movielens(NAME, dest=tmp_path, url=url, sha256=digest)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before and leftovers(tmp_path) == [NAME]


KILLED_CHILD = r"""
import os, sys, zipfile
from course_utils import movielens
real_open = zipfile.ZipFile.open
def open_then_die(self, member, *args, **kwargs):
    if getattr(member, "filename", member).endswith("ratings.csv"):
        os._exit(9)                         # like kill -9 in the middle of writing the files
    return real_open(self, member, *args, **kwargs)
zipfile.ZipFile.open = open_then_die
movielens.download_movielens(sys.argv[1], dest=sys.argv[2], url=sys.argv[3], sha256=sys.argv[4])
"""


def test_a_process_killed_mid_extraction_leaves_nothing_a_loader_can_see(server, tmp_path):
    url, digest = serve(server, good_archive())
    dest = tmp_path / "data"
    done = subprocess.run([sys.executable, "-c", KILLED_CHILD, NAME, str(dest), url, digest], timeout=120,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    assert done.returncode == 9
    assert not (dest / NAME).exists()                                          # no half-written data set
    assert all(name.startswith(".") for name in leftovers(dest))              # only the hidden staging folder
    with pytest.raises(movielens.MovieLensNotFound):
        find_movielens(dest / NAME)
    folder = download_movielens(NAME, dest=dest, url=url, sha256=digest)      # the next try cleans up and works
    assert leftovers(dest) == [NAME] and len(load_movielens(folder)) == 5


# ------------------------------------------------------------------ arguments
@pytest.mark.parametrize("kwargs, match", [
    ({"url": "ftp://example.invalid/x.zip"}, "url must be an http:// or https:// address"),
    ({"sha256": "abc"}, "sha256 must be 64 hexadecimal digits"),
    ({"timeout": 0}, "timeout must be > 0"),
    ({"existing": "overwrite"}, "existing must be one of"),
    ({"max_entries": 0}, "max_entries must be a whole number >= 1"),
    ({"dest": 3}, "dest must be a path"),
])
def test_bad_arguments_are_refused_before_anything_happens(tmp_path, kwargs, match):
    args = {"name": NAME, "dest": tmp_path / "d", "url": "http://127.0.0.1:9/x.zip", "sha256": "0" * 64, **kwargs}
    with pytest.raises((TypeError, ValueError), match=match):
        download_movielens(**args)
    assert not (tmp_path / "d").exists()
