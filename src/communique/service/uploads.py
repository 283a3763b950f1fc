"""Writes: the token check, uploads (size and type limits, one result per file),
delete and re-extract.

Uploaded files are kept under the upload folder (one sub-folder per SHA-256),
because a stored document names its source file and re-extraction reads it
again. A file that is not stored (a duplicate, a failure) is not kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import HTTPException, Request
from starlette.datastructures import UploadFile
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from communique.auth import FailureLimiter, TokenInfo, verify_token
from communique.store.postgres import is_url

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_FILES = 50
# what a whole upload request may carry: the files and the form around them
MAX_REQUEST_BYTES = 200 * 1024 * 1024
_CHUNK = 1 << 16


@dataclass(slots=True)
class UploadSettings:
    folder: Path
    max_file_bytes: int = MAX_FILE_BYTES
    max_files: int = MAX_FILES
    max_request_bytes: int = MAX_REQUEST_BYTES


def default_upload_folder(db: str | Path) -> Path:
    if str(db) == ":memory:":
        return Path(tempfile.mkdtemp(prefix="communique-uploads-"))
    if is_url(str(db)):
        # A server database has no folder of its own: one per database, in the
        # user's data directory, named by a hash of the URL (it may hold a password).
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
        digest = hashlib.sha256(str(db).encode()).hexdigest()[:16]
        return base / "communique" / "uploads" / digest
    p = Path(db)
    return p.with_name(p.name + ".uploads")


# ------------------------------------------------------------------------ auth


def client_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def check_token(request: Request, token: str | None) -> TokenInfo:
    """The token's record, or HTTPException 401 (missing or invalid) / 429 (too many failures).

    Only a token that was given and is wrong counts as a failure: a guesser
    always gives one; a client that forgot the header is told so.
    """
    limiter: FailureLimiter = request.app.state.auth_limiter
    client = client_of(request)
    wait = limiter.retry_after(client)
    if wait:
        raise HTTPException(
            429,
            f"too many failed token attempts from this address; try again in {wait} s",
            headers={"Retry-After": str(wait)},
        )
    challenge = {"WWW-Authenticate": 'Bearer realm="communique"'}
    if not token:
        raise HTTPException(
            401, "this needs an API token: Authorization: Bearer <token>", headers=challenge
        )
    store = request.app.state.stores.get()
    info = verify_token(store.conn, token)
    if info is None:
        limiter.fail(client)
        raise HTTPException(401, "invalid or revoked API token", headers=challenge)
    return info


def bearer(request: Request) -> str | None:
    header = request.headers.get("authorization") or ""
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


# ------------------------------------------------------------------------ size limit


class BodyLimit:
    """Refuses an upload request bigger than its limit before it fills a disk.

    A declared Content-Length over the limit is answered at once; a body that
    turns out longer (chunked, or lying) is cut where it passes the limit.
    """

    def __init__(self, app: ASGIApp, paths: tuple[str, ...], limit: int) -> None:
        self.app = app
        self.paths = paths
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "POST":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        if not any(path == p or (p.endswith("/") and path.startswith(p)) for p in self.paths):
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = 0
                if declared > self.limit:
                    await self._refuse(scope, receive, send)
                    return
        seen = 0
        limit = self.limit

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise HTTPException(413, _too_big(limit, "upload"))
            return message

        await self.app(scope, counted, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        from fastapi.responses import JSONResponse

        response = JSONResponse({"error": _too_big(self.limit, "upload")}, status_code=413)
        await response(scope, receive, send)


def _too_big(limit: int, what: str) -> str:
    return f"{what} too large (limit {limit / 1024 / 1024:.0f} MiB)"


# ------------------------------------------------------------------------ uploads


@dataclass(slots=True)
class Incoming:
    name: str
    size: int
    path: Path | None  # None: refused before ingest
    status: str = ""
    reason: str | None = None
    code: int = 0  # 413 / 415 for a refused file
    document_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.name,
            "status": self.status,
            "document_id": self.document_id,
            "reason": self.reason,
            "size": self.size,
        }


_UNSAFE = re.compile(r"[^\w.\- ()\[\]+,]+", re.UNICODE)


def safe_name(filename: str | None) -> str:
    """A file name fit to write: the last path part, no control characters, not too long."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = unicodedata.normalize("NFC", name)
    name = "".join(c for c in name if c.isprintable())
    name = _UNSAFE.sub("_", name).strip(" .")
    if not name:
        return "upload"
    stem, dot, suffix = name.rpartition(".")
    if dot and len(name) > 120:
        name = stem[: 119 - len(suffix)] + "." + suffix
    return name[:120]


async def receive(request: Request, settings: UploadSettings) -> tuple[list[Incoming], str | None]:
    """The files of a multipart upload, spooled to a staging folder; and the form's token."""
    from communique.readers import SUPPORTED_SUFFIXES

    staging = Path(tempfile.mkdtemp(prefix="upload-", dir=_ensure(settings.folder)))
    out: list[Incoming] = []
    try:
        async with request.form(max_files=settings.max_files, max_fields=20) as form:
            token = form.get("token")
            files = [f for f in form.getlist("files") + form.getlist("file") if _is_file(f)]
            if not files:
                raise HTTPException(422, "no file in the upload (form field 'files')")
            too_big = _too_big(settings.max_file_bytes, "file")
            for k, f in enumerate(files):
                name = safe_name(f.filename)
                suffix = Path(name).suffix.lower()
                size = f.size if f.size is not None else 0
                if suffix not in SUPPORTED_SUFFIXES:
                    allowed = ", ".join(sorted(SUPPORTED_SUFFIXES))
                    what = f"'{suffix}'" if suffix else "(no suffix)"
                    out.append(_refused(name, size, f"type {what} not accepted: {allowed}", 415))
                    continue
                if size > settings.max_file_bytes:
                    out.append(_refused(name, size, too_big, 413))
                    continue
                target = staging / f"{k:03d}" / name
                target.parent.mkdir()
                written = await _copy(f, target, settings.max_file_bytes)
                # the declared size may be absent or false: the copy is what counts
                out.append(
                    _refused(name, size, too_big, 413)
                    if written < 0
                    else Incoming(name, written, target)
                )
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return out, token if isinstance(token, str) else None


def _refused(name: str, size: int, reason: str, code: int) -> Incoming:
    return Incoming(name, size, None, "failed", reason, code)


def _is_file(value: Any) -> bool:
    return isinstance(value, UploadFile)


def _ensure(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder


async def _copy(f: UploadFile, target: Path, limit: int) -> int:
    """Bytes written, or -1 when the file passed ``limit`` (nothing is left behind)."""
    n = 0
    with target.open("wb") as fh:
        while chunk := await f.read(_CHUNK):
            n += len(chunk)
            if n > limit:
                break
            fh.write(chunk)
    if n > limit:
        target.unlink(missing_ok=True)
        return -1
    return n


def ingest(store: Any, incoming: list[Incoming], settings: UploadSettings) -> list[Incoming]:
    """Ingest the accepted files; stored ones move to the upload folder, the rest go.

    Each file is moved before ingest to the place it will keep (its bytes'
    SHA-256 names the folder), so that the stored document names a file that
    stays.
    """
    accepted = [i for i in incoming if i.path is not None and not i.status]
    staged: list[Path] = []
    moved: dict[Path, Incoming] = {}
    for item in accepted:
        assert item.path is not None
        staged.append(item.path.parent.parent)
        sha = _sha256(item.path)
        final_dir = settings.folder / sha[:16]
        final = final_dir / item.name
        if final.exists() and _sha256(final) == sha:
            item.path.unlink()
        else:
            final_dir.mkdir(parents=True, exist_ok=True)
            shutil.move(str(item.path), final)
        item.path = final
        moved[final] = item
    try:
        if moved:
            report = store.ingest(list(moved))
            for result in report.results:
                item = moved.get(Path(result.path))
                if item is None:
                    continue
                item.status = result.status
                item.document_id = result.document_id
                item.reason = result.reason
    finally:
        for folder in {p for p in staged}:
            shutil.rmtree(folder, ignore_errors=True)
    for path, item in moved.items():
        if not item.status:
            item.status, item.reason = "failed", "not processed"
        if item.status != "stored" and not _stored_elsewhere(store, path):
            _remove(path)
    return incoming


def _stored_elsewhere(store: Any, path: Path) -> bool:
    row = store.conn.execute("SELECT 1 FROM documents WHERE path = ?", (str(path),)).fetchone()
    return row is not None


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)
    # a folder still holding another upload of the same bytes stays
    with contextlib.suppress(OSError):
        path.parent.rmdir()


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def status_of(results: list[Incoming]) -> int:
    """200 when any file got through to the store; else the refusal (413 before 415)."""
    if any(not r.code for r in results):
        return 200
    codes = {r.code for r in results}
    return 413 if 413 in codes else 415


def counts(results: list[Incoming]) -> dict[str, int]:
    out = {"stored": 0, "unchanged": 0, "failed": 0}
    for r in results:
        out[r.status] = out.get(r.status, 0) + 1
    return out


# ------------------------------------------------------------------------ delete / re-extract


def delete(store: Any, doc_id: int, settings: UploadSettings) -> bool:
    row = store.conn.execute("SELECT path FROM documents WHERE id = ?", (doc_id,)).fetchone()
    if row is None or not store.delete(doc_id):
        return False
    path = Path(row[0])
    # only a copy this service made is removed; files ingested from elsewhere are the user's
    if _inside(path, settings.folder) and not _stored_elsewhere(store, path):
        _remove(path)
    return True


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except (ValueError, OSError):
        return False
    return True


def reextract(store: Any, doc_id: int) -> int:
    """Read the document's source file again and store the new extraction; the new id.

    Raises LookupError (no such document) or ValueError (the source is gone or
    changed, or cannot be processed now).
    """
    from communique.pipeline import process

    row = store.conn.execute(
        "SELECT path, sha256 FROM documents WHERE id = ?", (doc_id,)
    ).fetchone()
    if row is None:
        raise LookupError(doc_id)
    path, sha = Path(row[0]), row[1]
    if not path.is_file():
        raise ValueError(f"the source file is no longer at {path.name}; upload it again")
    if _sha256(path) != sha:
        raise ValueError(f"the source file {path.name} has changed since it was stored")
    try:
        processed = process(path)
    except Exception as exc:
        raise ValueError(f"cannot process {path.name}: {exc}") from exc
    # the new extraction is ready before the old one goes, so a failure above loses nothing
    store.delete(doc_id)
    new_id, _created = store.add(processed)
    return int(new_id)
