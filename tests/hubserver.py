"""A Hugging Face hub-compatible HTTP server on 127.0.0.1 for tests.

It serves what huggingface_hub reads when it downloads a file:

* ``HEAD``/``GET /{org}/{repo}/resolve/{revision}/{path}`` with ``X-Repo-Commit``,
  ``ETag``, and for LFS files ``X-Linked-Etag`` (the sha256) and ``X-Linked-Size``;
  404s carry ``X-Error-Code`` (RepoNotFound / RevisionNotFound / EntryNotFound)
  as the real hub's do;
* with ``redirect_lfs`` (the default) LFS files answer ``302`` to a "CDN" URL on
  ``localhost`` (a different origin than ``127.0.0.1``, like the real hub's CDN),
  which serves the bytes with ``Range`` -> ``206`` for resumed downloads.

It never advertises Xet (no ``X-Xet-*`` headers), so clients use plain HTTP.

Fault injection: ``cut_after`` (close the connection after N body bytes, for the
next ``cut_times`` downloads), ``stall_after`` (send N bytes then hang until
released: a client can be killed mid-download), ``wrong_bytes`` (serve corrupted
bytes under the right hash), ``throttle_s`` (sleep per 64 KiB, so transfers
overlap), ``fail_status`` (answer every request with this HTTP status).
``requests`` records every request (method, path, Range header, status, body
bytes sent) to prove what did or did not reach the server.

In-process: ``with HubServer() as hub: hub.add_file(...); hub.url``.
As a subprocess: ``python tests/hubserver.py ORG/REPO/FILE=LOCAL_PATH ...`` prints
``READY <url>`` and serves until killed.
"""
from __future__ import annotations

import hashlib
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

_CHUNK = 64 * 1024


@dataclass
class Logged:
    method: str
    path: str
    range: str | None
    status: int = 0
    sent: int = 0  # body bytes actually written
    auth: bool = False  # an Authorization header came with it
    authorization: str | None = None  # its value, to tell the hub token from anything else


@dataclass
class _File:
    data: bytes
    lfs: bool
    sha256: str = ""
    git_sha1: str = ""

    def __post_init__(self):
        self.sha256 = hashlib.sha256(self.data).hexdigest()
        self.git_sha1 = hashlib.sha1(b"blob %d\0" % len(self.data) + self.data).hexdigest()  # noqa: S324

    @property
    def etag(self) -> str:
        return self.sha256 if self.lfs else self.git_sha1


@dataclass
class Faults:
    cut_after: int | None = None
    cut_times: int = 1
    stall_after: int | None = None
    wrong_bytes: bool = False
    throttle_s: float = 0.0
    fail_status: int | None = None
    weak_etag: bool = False  # publish only a weak ETag: no X-Linked-Etag, no git hash
    linked_size: str | None = None  # send this X-Linked-Size instead of the real one
    release: threading.Event = field(default_factory=threading.Event)


class HubServer:
    # Where LFS files redirect to; {port} and {sha} are filled in. The default is another
    # origin (localhost, not 127.0.0.1), as the hub's CDN is.
    CDN_LOCATION = "http://localhost:{port}/_cdn/{sha}"

    def __init__(self, *, redirect_lfs: bool = True, cdn_location: str = CDN_LOCATION, port: int = 0):
        self.redirect_lfs = redirect_lfs
        self.cdn_location = cdn_location
        self._port = port  # 0: any free port
        self.repos: dict[str, dict[str, dict[str, _File]]] = {}  # repo -> revision -> path -> file
        self.commits: dict[str, str] = {}
        self.faults = Faults()
        self.requests: list[Logged] = []
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- content -------------------------------------------------------------
    def add_file(self, repo: str, path: str, data: bytes, *, revision: str = "main", lfs: bool = True) -> str:
        """Serve ``data`` as ``repo``/``path``; returns its sha256."""
        f = _File(data, lfs)
        self.repos.setdefault(repo, {}).setdefault(revision, {})[path] = f
        self.commits.setdefault(repo, hashlib.sha1(repo.encode()).hexdigest())  # noqa: S324
        return f.sha256

    def sha256(self, repo: str, path: str, revision: str = "main") -> str:
        return self.repos[repo][revision][path].sha256

    # --- lifecycle -----------------------------------------------------------------
    @property
    def port(self) -> int:
        assert self._httpd is not None
        return self._httpd.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "HubServer":
        server = self

        class Handler(_Handler):
            hub = server

        self._httpd = ThreadingHTTPServer(("127.0.0.1", self._port), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="hubserver", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.faults.release.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> "HubServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # --- inspection ------------------------------------------------------------------
    def log(self, method: str | None = None, contains: str = "") -> list[Logged]:
        with self._lock:
            return [r for r in self.requests if (method is None or r.method == method) and contains in r.path]

    def downloads(self) -> list[Logged]:
        """GET requests that carried file bytes (resolve or CDN)."""
        return [r for r in self.log("GET") if r.status in (200, 206)]

    def reset_log(self) -> None:
        with self._lock:
            self.requests.clear()


class _Handler(BaseHTTPRequestHandler):
    hub: HubServer
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet
        pass

    def do_HEAD(self):
        self._serve(head=True)

    def do_GET(self):
        self._serve(head=False)

    # --- routing ---------------------------------------------------------------------
    def _serve(self, head: bool) -> None:
        entry = Logged(self.command, self.path, self.headers.get("Range"), auth="Authorization" in self.headers,
                       authorization=self.headers.get("Authorization"))
        with self.hub._lock:
            self.hub.requests.append(entry)
        faults = self.hub.faults
        if faults.fail_status:
            return self._empty(entry, faults.fail_status)
        path = unquote(urlsplit(self.path).path)
        if path.startswith("/_cdn/"):
            f = self._by_sha(path[len("/_cdn/"):])
            if f is None:
                return self._empty(entry, 404)
            return self._bytes(entry, f, head, extra={"ETag": f'"{f.sha256}"'})
        parts = path.lstrip("/").split("/")
        if len(parts) < 5 or parts[2] != "resolve":
            return self._empty(entry, 404, {"X-Error-Code": "RepoNotFound"})
        repo, revision, filename = f"{parts[0]}/{parts[1]}", parts[3], "/".join(parts[4:])
        revisions = self.hub.repos.get(repo)
        if revisions is None:
            return self._empty(entry, 404, {"X-Error-Code": "RepoNotFound", "X-Error-Message": "Repository not found"})
        files = revisions.get(revision)
        if files is None:
            return self._empty(entry, 404, {"X-Error-Code": "RevisionNotFound"})
        commit = self.hub.commits[repo]
        f = files.get(filename)
        if f is None:
            return self._empty(entry, 404, {"X-Error-Code": "EntryNotFound", "X-Repo-Commit": commit})
        meta = {"X-Repo-Commit": commit, "ETag": f'"{f.etag}"', "Accept-Ranges": "bytes"}
        if self.hub.faults.weak_etag:
            meta["ETag"] = 'W/"v1-weak-etag"'
            return self._bytes(entry, f, head, extra=meta)
        if f.lfs:
            meta.update({"X-Linked-Etag": f'"{f.sha256}"',
                         "X-Linked-Size": self.hub.faults.linked_size or str(len(f.data))})
            if self.hub.redirect_lfs:
                meta["Location"] = self.hub.cdn_location.format(port=self.hub.port, sha=f.sha256)
                return self._empty(entry, 302, meta)
        return self._bytes(entry, f, head, extra=meta)

    def _by_sha(self, sha: str) -> _File | None:
        for revisions in self.hub.repos.values():
            for files in revisions.values():
                for f in files.values():
                    if f.sha256 == sha:
                        return f
        return None

    # --- responses ---------------------------------------------------------------------
    def _empty(self, entry: Logged, status: int, headers: dict | None = None) -> None:
        entry.status = status
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _bytes(self, entry: Logged, f: _File, head: bool, extra: dict) -> None:
        data = f.data
        faults = self.hub.faults
        if faults.wrong_bytes and data:
            data = bytes([data[0] ^ 0xFF]) + data[1:-1] + bytes([data[-1] ^ 0xFF])
        total, start, end = len(data), 0, len(data) - 1
        status = 200
        rng = self.headers.get("Range")
        if rng and rng.startswith("bytes="):
            first, _, last = rng[len("bytes="):].partition("-")
            start = int(first) if first else 0
            end = int(last) if last else total - 1
            if start >= total:
                return self._empty(entry, 416, {"Content-Range": f"bytes */{total}"})
            status = 206
        body = data[start:end + 1]
        entry.status = status
        self.send_response(status)
        for k, v in extra.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{end}/{total}")
        self.end_headers()
        if head:
            return
        limit = None
        stall = False
        with self.hub._lock:
            if faults.cut_after is not None and faults.cut_times > 0:
                faults.cut_times -= 1
                limit = faults.cut_after
            elif faults.stall_after is not None:
                limit, stall = faults.stall_after, True
        sent = 0
        try:
            while sent < len(body):
                if limit is not None and sent >= limit:
                    break
                n = _CHUNK if limit is None else min(_CHUNK, limit - sent)
                piece = body[sent:sent + n]
                self.wfile.write(piece)
                self.wfile.flush()
                sent += len(piece)
                entry.sent = sent
                if faults.throttle_s:
                    time.sleep(faults.throttle_s)
            if stall:
                faults.release.wait(30)
        except (BrokenPipeError, ConnectionResetError):
            pass
        if sent < len(body):  # cut: drop the connection mid-body
            self.close_connection = True
            try:
                self.connection.shutdown(2)
            except OSError:
                pass


def main(argv: list[str]) -> int:
    """Serve ORG/REPO/FILE=LOCAL_PATH arguments until killed; prints READY <url>."""
    from pathlib import Path

    hub = HubServer()
    for arg in argv:
        spec, _, local = arg.partition("=")
        org, repo, filename = spec.split("/", 2)
        hub.add_file(f"{org}/{repo}", filename, Path(local).read_bytes())
    hub.start()
    print(f"READY {hub.url}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    hub.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
