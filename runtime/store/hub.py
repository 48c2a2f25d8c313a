"""Downloads from the Hugging Face hub (or any hub-compatible endpoint).

Everything goes through huggingface_hub: ``hf_hub_url`` + ``get_hf_file_metadata``
(HEAD /{repo}/resolve/{revision}/{file}: X-Repo-Commit, X-Linked-Etag = the LFS
sha256, X-Linked-Size, redirect location) and ``http_get`` (its HTTP client,
retries, Range resume and progress bar). We do not call ``hf_hub_download``:
since huggingface_hub 1.x it writes each attempt to a process-unique temporary
file and deletes it on failure, so a pull killed half-way starts from zero.
Here the partial file has a stable name (per repo, file and etag) and the next
pull sends ``Range: bytes=N-`` so only the missing bytes move.

The endpoint, token and offline flag come from Settings (config.py reads the
environment); nothing here reads os.environ.
"""
from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from typing import Callable, Iterator

from slm.store.catalog import SHA256_HEX, HubFile
from slm.config import Settings
from slm.errors import (DiskSpaceError, DownloadError, HashMismatchError, OfflineError, RemoteNotFoundError,
                        SlmError, UnverifiedModelError)

_GIT_SHA1 = re.compile(r"^[0-9a-f]{40}$")
DISK_MARGIN = 16 * 1024 * 1024  # keep some space free beyond the file itself
_CHUNK = 8 * 1024 * 1024


@dataclass(frozen=True)
class RemoteFile:
    hub: HubFile
    commit: str | None
    etag: str
    sha256: str | None  # the LFS sha256 the hub published (X-Linked-Etag), None for non-LFS files
    size: int | None
    url: str  # where the bytes are (after the hub's redirect)


@dataclass(frozen=True)
class Fetched:
    remote: RemoteFile
    part: Path  # the complete download (still under its partial name), checked as ``checked_against`` says
    sha256: str
    size: int
    resumed_from: int  # bytes that were already on disk from an earlier attempt
    downloaded: int  # bytes that moved this time
    # What the bytes were checked against: "catalog sha256", "hub sha256", "hub git sha1",
    # or None: the hub published no usable hash (a weak ETag alone), so nothing vouches for them.
    checked_against: str | None = None


def how_to_get(name: str) -> str:
    return (f"connect to the network and run: slm models pull {name} "
            f"(or on a connected machine: slm models export {name} -o PACK, then here: slm models import PACK)")


def offline_error(name: str, settings: Settings, reason: str | None = None) -> OfflineError:
    why = reason or ("offline mode is on (HF_HUB_OFFLINE)" if settings.hf_offline
                     else f"the hub at {settings.hf_endpoint} cannot be reached")
    return OfflineError(f"model {name} is not on this device and {why}", hint=how_to_get(name))


def _token(settings: Settings):
    # None lets huggingface_hub use a token saved by `hf auth login`; HF_TOKEN itself reaches us via Settings.
    return settings.hf_token or None


_DEFAULT_PORTS = {"http": 80, "https": 443}


def same_origin(url: str, endpoint: str) -> bool:
    """True when ``url`` is on the endpoint's own scheme, host and port (where the token may go).

    A text prefix is not an origin: ``https://huggingface.co.evil.tld``,
    ``https://huggingface.co@evil.tld`` and ``https://huggingface.co:444`` all start
    with ``https://huggingface.co`` and none of them is the hub.
    """
    try:
        a, b = urlsplit(url), urlsplit(endpoint)
        ports = (a.port or _DEFAULT_PORTS.get(a.scheme.lower()), b.port or _DEFAULT_PORTS.get(b.scheme.lower()))
    except ValueError:  # a port that is not a number
        return False
    return (a.scheme.lower() == b.scheme.lower() and a.hostname is not None and a.hostname == b.hostname
            and a.username is None and a.password is None and ports[0] == ports[1])


@contextmanager
def hub_errors(settings: Settings, name: str, hub: HubFile) -> Iterator[None]:
    """Turn huggingface_hub / HTTP failures into slm's typed errors (one clear line each)."""
    import httpx2
    from huggingface_hub import errors as hf_errors
    from huggingface_hub.utils import OfflineModeIsEnabled

    try:
        yield
    except SlmError:
        raise
    except OfflineModeIsEnabled:
        raise offline_error(name, settings, "offline mode is on (HF_HUB_OFFLINE)") from None
    except hf_errors.GatedRepoError:
        raise DownloadError(f"{hub.repo} is a gated repository",
                            hint="accept its licence on the hub and set HF_TOKEN") from None
    except hf_errors.RevisionNotFoundError:
        raise RemoteNotFoundError(f"revision {hub.revision} of {hub.repo} was not found on the hub") from None
    except hf_errors.RemoteEntryNotFoundError:
        raise RemoteNotFoundError(f"{hub.file} was not found in {hub.repo} (revision {hub.revision})") from None
    except hf_errors.RepositoryNotFoundError:
        raise RemoteNotFoundError(f"repository {hub.repo} was not found on the hub",
                                  hint="check the name; private repos need HF_TOKEN") from None
    except hf_errors.HfHubHTTPError as exc:
        status = exc.response.status_code if exc.response is not None else None
        if status == 404:
            raise RemoteNotFoundError(f"{hub.spec} was not found on the hub") from None
        if status in (401, 403):
            raise DownloadError(f"the hub refused access to {hub.spec} (HTTP {status})", hint="set HF_TOKEN") from None
        raise DownloadError(f"the hub failed while sending {hub.spec} (HTTP {status})",
                            hint=f"try again later: slm models pull {name}") from None
    except hf_errors.FileMetadataError as exc:
        raise DownloadError(f"{settings.hf_endpoint} did not answer like a model hub ({str(exc).splitlines()[0]})",
                            hint="check HF_ENDPOINT") from None
    except (httpx2.ConnectError, httpx2.TimeoutException, httpx2.NetworkError) as exc:
        raise offline_error(name, settings, f"the hub at {settings.hf_endpoint} cannot be reached ({type(exc).__name__})") from None
    except (httpx2.RemoteProtocolError, httpx2.HTTPError) as exc:
        raise DownloadError(f"download of {hub.spec} was interrupted ({exc})",
                            hint=f"run again to resume: slm models pull {name}") from None
    except OSError as exc:
        if "Consistency check failed" in str(exc):
            raise DownloadError(f"download of {hub.spec} ended early",
                                hint=f"run again to resume: slm models pull {name}") from None
        raise


@contextmanager
def _disk_faults(part: Path, name: str) -> Iterator[None]:
    """A disk that fills up (or turns read-only) mid-download: one line naming the folder and the fix.
    The partial file stays, so the next pull resumes from where this one stopped."""
    try:
        yield
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise DiskSpaceError(f"the disk filled up while pulling {name} into {part.parent}",
                                 hint=f"free some space and run again: slm models pull {name} (it resumes)") from None
        if exc.errno == errno.EROFS:
            raise DiskSpaceError(f"{part.parent} became read-only while pulling {name}",
                                 hint="point SLM_HOME at a writable folder") from None
        raise


def _no_telemetry() -> None:
    """A pull sends exactly the requests it needs: HEAD for metadata, GET for bytes.

    huggingface_hub's user-agent telemetry otherwise GETs {endpoint}/api/agent-harnesses
    (and caches it under HF_HOME, outside SLM_HOME); HF_HUB_DISABLE_TELEMETRY is its
    documented switch, read at call time.
    """
    from huggingface_hub import constants as hf_constants

    hf_constants.HF_HUB_DISABLE_TELEMETRY = True


def fetch_metadata(settings: Settings, hub: HubFile, name: str) -> RemoteFile:
    """HEAD the file on the hub: commit, etag (sha256 for LFS files), size, download URL."""
    from huggingface_hub import get_hf_file_metadata, hf_hub_url

    if settings.hf_offline:
        raise offline_error(name, settings)
    _no_telemetry()
    url = hf_hub_url(hub.repo, hub.file, revision=hub.revision, endpoint=settings.hf_endpoint)
    with hub_errors(settings, name, hub):
        meta = get_hf_file_metadata(url, token=_token(settings), endpoint=settings.hf_endpoint)
    if not meta.etag:
        raise DownloadError(f"the hub sent no ETag for {hub.spec}; its bytes could not be verified")
    if meta.size is not None and (not isinstance(meta.size, int) or meta.size < 0):
        raise DownloadError(f"the hub sent an impossible size ({meta.size!r}) for {hub.spec}; nothing was downloaded")
    etag = meta.etag.lower()
    return RemoteFile(hub=hub, commit=meta.commit_hash, etag=etag, sha256=etag if SHA256_HEX.match(etag) else None,
                      size=meta.size, url=meta.location or url)


def partial_prefix(hub: HubFile) -> str:
    return hashlib.sha256(f"{hub.repo}\0{hub.file}".encode()).hexdigest()[:24]


def partial_path(partial_dir: Path, remote: RemoteFile) -> Path:
    """Stable name for the partial download of exactly these bytes (changes if the remote file changes)."""
    etag_key = hashlib.sha256(remote.etag.encode()).hexdigest()[:16]
    return partial_dir / f"{partial_prefix(remote.hub)}.{etag_key}.part"


def drop_partials(partial_dir: Path, hub: HubFile, keep: Path | None = None) -> None:
    """Delete partial downloads of ``hub`` (e.g. of an older version of the file), except ``keep``."""
    for stale in partial_dir.glob(f"{partial_prefix(hub)}.*.part"):
        if stale != keep:
            stale.unlink(missing_ok=True)


def _progress_class(progress: bool):
    from huggingface_hub.utils import tqdm as hf_tqdm

    class Bar(hf_tqdm):  # huggingface_hub's bar (honours HF_HUB_DISABLE_PROGRESS_BARS), shown on request
        def __init__(self, *args, **kwargs):
            kwargs["disable"] = not progress
            kwargs.setdefault("file", sys.stderr)
            kwargs.setdefault("dynamic_ncols", True)
            super().__init__(*args, **kwargs)

    return Bar


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _git_blob_sha1(path: Path) -> str:
    digest = hashlib.sha1()  # noqa: S324 - git's object id, not a security hash
    digest.update(f"blob {path.stat().st_size}\0".encode())
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def check_disk(target_dir: Path, needed: int, disk_free: Callable[[Path], int] | None = None) -> None:
    """DiskSpaceError unless ``needed`` bytes (plus a margin) fit in ``target_dir``'s file system."""
    free = (disk_free or (lambda p: shutil.disk_usage(p).free))(target_dir)
    if needed + DISK_MARGIN > free:
        raise DiskSpaceError(f"not enough free disk space in {target_dir}: need {_mb(needed + DISK_MARGIN)}, "
                             f"{_mb(free)} free", hint="free some space or set SLM_HOME to a bigger disk")


def _mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


def fetch(settings: Settings, remote: RemoteFile, partial_dir: Path, *, name: str, expected_sha256: str | None,
          progress: bool = True, disk_free: Callable[[Path], int] | None = None) -> Fetched:
    """Download ``remote`` into its partial file (resuming), then verify it.

    Verified against ``expected_sha256`` (the catalog's) and the hub's LFS sha256;
    when the hub and the catalog disagree nothing is downloaded. On a hash
    mismatch the bytes are deleted (a resume must not keep bad bytes).
    The caller holds the model's file lock.
    """
    from huggingface_hub import constants as hf_constants
    from huggingface_hub.file_download import http_get
    from huggingface_hub.utils import build_hf_headers

    hub = remote.hub
    if expected_sha256 and remote.sha256 and expected_sha256 != remote.sha256:
        raise HashMismatchError(f"the hub's {hub.spec} (sha256 {remote.sha256[:12]}…) is not the file the catalog "
                                f"lists (sha256 {expected_sha256[:12]}…)", hint="nothing was downloaded")
    partial_dir.mkdir(parents=True, exist_ok=True)
    part = partial_path(partial_dir, remote)
    drop_partials(partial_dir, hub, keep=part)  # bytes of another version of the file are no use
    have = part.stat().st_size if part.exists() else 0
    if remote.size is not None and have > remote.size:  # not ours to trust: start again
        part.unlink()
        have = 0
    if remote.size is not None:
        check_disk(partial_dir, remote.size - have, disk_free)
    if remote.size is not None and remote.size > hf_constants.MAX_HTTP_DOWNLOAD_SIZE:
        raise DownloadError(f"{hub.spec} is too large for a plain HTTP download")
    headers = build_hf_headers(token=_token(settings))
    if not same_origin(remote.url, settings.hf_endpoint):
        headers.pop("authorization", None)  # the bytes live on a CDN: the token stays with the hub
    with hub_errors(settings, name, hub), _disk_faults(part, name):
        with open(part, "ab") as fh:
            if remote.size is None or have < remote.size:
                http_get(remote.url, fh, resume_size=have, headers=headers, expected_size=remote.size,
                         displayed_filename=Path(hub.file).name, tqdm_class=_progress_class(progress))
            fh.flush()
            os.fsync(fh.fileno())
    size = part.stat().st_size
    if remote.size is not None and size != remote.size:
        raise DownloadError(f"download of {hub.spec} ended early ({size} of {remote.size} bytes)",
                            hint=f"run again to resume: slm models pull {name}")
    sha256 = file_sha256(part)
    want = expected_sha256 or remote.sha256
    if want is not None and sha256 != want:
        part.unlink(missing_ok=True)
        raise HashMismatchError(f"{hub.spec} failed verification: sha256 {sha256[:12]}… is not the published "
                                f"{want[:12]}…", hint="the download was discarded; run the pull again")
    checked: str | None = ("catalog sha256" if expected_sha256 else "hub sha256") if want is not None else None
    if want is None and _GIT_SHA1.match(remote.etag):
        if _git_blob_sha1(part) != remote.etag:
            part.unlink(missing_ok=True)
            raise HashMismatchError(f"{hub.spec} failed verification against the hub's git hash",
                                    hint="the download was discarded; run the pull again")
        checked = "hub git sha1"
    if checked is None and settings.require_verified:
        part.unlink(missing_ok=True)
        raise UnverifiedModelError(f"{hub.spec}: the hub published no hash to check it against (only a weak ETag), "
                                   "and SLM_REQUIRE_VERIFIED is on", hint="the download was discarded; pull it from "
                                   "a hub that publishes X-Linked-Etag, or pin its sha256 in a catalog entry")
    return Fetched(remote=remote, part=part, sha256=sha256, size=size, resumed_from=have, downloaded=size - have,
                   checked_against=checked)
