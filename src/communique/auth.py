"""API tokens for the web service's writes (upload, delete, re-extract).

A token reads ``cq_<key>_<secret>``: ``key`` (12 hex digits) is public and finds
the token's row; ``secret`` (43 URL-safe characters, 256 bits) is never stored,
only its scrypt hash with a per-token salt. Checking a token hashes once and
compares with :func:`hmac.compare_digest`; an unknown key is hashed against a
dummy salt too, so that the answer takes the same time either way.

``register(app)`` adds ``communique token create|list|revoke`` to a Typer app.
Failed attempts are counted per client by :class:`FailureLimiter`.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
import time
from collections import deque
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

import typer

PREFIX = "cq"
_TOKEN = re.compile(r"^cq_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$")
# scrypt at n=2**14, r=8 costs some 50 ms and 16 MiB: negligible for a write,
# ruinous for anyone trying secrets against a stolen table.
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}
_DUMMY_SALT = b"communique-no-such-token"


@dataclass(slots=True)
class TokenInfo:
    """A token's public record (never its secret)."""

    id: int
    key: str
    name: str
    created_at: str
    last_used: str | None
    revoked_at: str | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "active": self.active}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _hash(secret: str, salt: bytes) -> bytes:
    return hashlib.scrypt(secret.encode("ascii"), salt=salt, **_SCRYPT)


_COLUMNS = "id, key, name, created_at, last_used, revoked_at"


def create_token(conn: Any, name: str = "") -> tuple[TokenInfo, str]:
    """A new token: its record and the token itself, which is shown this once."""
    name = " ".join(name.split()) or "token"
    secret = secrets.token_urlsafe(32)
    salt = secrets.token_bytes(16)
    digest = _hash(secret, salt)
    created = _now()
    for _ in range(5):
        key = secrets.token_hex(6)
        try:
            row = conn.execute(
                "INSERT INTO api_tokens (key, name, salt, hash, created_at) VALUES (?, ?, ?, ?, ?)"
                " RETURNING id",
                (key, name, salt, digest, created),
            ).fetchone()
        except Exception as exc:  # a key collision (48 random bits) is retried
            if "UNIQUE" not in str(exc).upper():
                raise
            continue
        info = TokenInfo(int(row[0]), key, name, created, None, None)
        return info, f"{PREFIX}_{key}_{secret}"
    raise RuntimeError("could not find a free token key")


def list_tokens(conn: Any) -> list[TokenInfo]:
    rows = conn.execute(f"SELECT {_COLUMNS} FROM api_tokens ORDER BY id")
    return [TokenInfo(*r) for r in rows]


def revoke_token(conn: Any, ident: str) -> TokenInfo | None:
    """Revoke a token by its id, its key or the whole token; the record, or None if none."""
    ident = ident.strip()
    m = _TOKEN.match(ident)
    key = m.group(1) if m else ident
    # An id only when it is all digits (and fits a 64-bit integer); else a key.
    number = int(ident) if ident.isdigit() and len(ident) < 19 else -1
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM api_tokens WHERE key = ? OR id = ?", (key, number)
    ).fetchone()
    if row is None:
        return None
    info = TokenInfo(*row)
    if info.revoked_at is None:
        info.revoked_at = _now()
        conn.execute(
            "UPDATE api_tokens SET revoked_at = ? WHERE id = ?", (info.revoked_at, info.id)
        )
    return info


def verify_token(conn: Any, token: str) -> TokenInfo | None:
    """The active token's record, or None; takes the same time whether the key exists or not."""
    m = _TOKEN.match(token.strip())
    key, secret = (m.group(1), m.group(2)) if m else ("", "x" * 43)
    row = None
    if m:
        row = conn.execute(
            f"SELECT {_COLUMNS}, salt, hash FROM api_tokens WHERE key = ?", (key,)
        ).fetchone()
    if row is None:
        _hash(secret if m else "x" * 43, _DUMMY_SALT)
        return None
    *fields, salt, stored = row
    if not hmac.compare_digest(_hash(secret, bytes(salt)), bytes(stored)):
        return None
    info = TokenInfo(*fields)
    if info.revoked_at is not None:
        return None
    info.last_used = _now()
    conn.execute("UPDATE api_tokens SET last_used = ? WHERE id = ?", (info.last_used, info.id))
    return info


class FailureLimiter:
    """Failed attempts per client in a sliding window; past ``limit`` the client waits.

    Kept in memory: one server process is one window, which is what stops a
    guesser; the counts need not survive a restart.
    """

    def __init__(self, limit: int = 10, window: float = 60.0) -> None:
        self.limit = limit
        self.window = window
        self._fails: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> deque[float]:
        q = self._fails.get(client)
        if q is None:
            return deque()
        while q and q[0] <= now - self.window:
            q.popleft()
        if not q:
            del self._fails[client]
        return q

    def retry_after(self, client: str) -> int:
        """Seconds until ``client`` may try again; 0 when it may now."""
        now = time.monotonic()
        with self._lock:
            q = self._recent(client, now)
            if len(q) < self.limit:
                return 0
            return max(1, int(q[-self.limit] + self.window - now + 0.999))

    def fail(self, client: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._recent(client, now)
            self._fails.setdefault(client, deque()).append(now)
            # a client past the limit keeps only what decides its wait
            q = self._fails[client]
            while len(q) > self.limit:
                q.popleft()


# ------------------------------------------------------------------------ CLI

token_app = typer.Typer(
    name="token",
    help="API tokens for the web service's writes (upload, delete, re-extract).",
    no_args_is_help=True,
)

DbOpt = Annotated[
    str,
    typer.Option(
        "--db",
        envvar="COMMUNIQUE_DB",
        help="SQLite database file or postgresql:// URL.",
        show_default=True,
    ),
]


def _open(db: str) -> Any:
    # Looked up when a command runs: communique.cli imports this module at its end.
    from communique.cli import open_store

    return open_store(db)


@token_app.command("create")
def create_cmd(
    db: DbOpt = "communique.db",
    name: Annotated[str, typer.Option("--name", help="What the token is for.")] = "",
) -> None:
    """Create a token and print it; it is shown only this once."""
    with _open(db) as store:
        info, token = create_token(store.conn, name)
    typer.echo(token)
    typer.echo(
        f"token {info.id} ({info.name}) created; store it now, it cannot be shown again",
        err=True,
    )


@token_app.command("list")
def list_cmd(
    db: DbOpt = "communique.db",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List tokens (never their secrets)."""
    from communique.cli import echo_json

    with _open(db) as store:
        tokens = list_tokens(store.conn)
    if as_json:
        echo_json([t.to_dict() for t in tokens])
        return
    if not tokens:
        typer.echo("no tokens", err=True)
    for t in tokens:
        state = "active" if t.active else f"revoked {t.revoked_at}"
        used = t.last_used or "never used"
        typer.echo(f"{t.id}\tcq_{t.key}_…\t{t.name}\tcreated {t.created_at}\t{used}\t{state}")


@token_app.command("revoke")
def revoke_cmd(
    ident: Annotated[str, typer.Argument(metavar="ID", help="Token id, key or the token.")],
    db: DbOpt = "communique.db",
) -> None:
    """Revoke a token: it stops working at once."""
    with _open(db) as store:
        info = revoke_token(store.conn, ident)
    if info is None:
        typer.echo(f"error: no token {ident!r}", err=True)
        raise typer.Exit(1)
    typer.echo(f"token {info.id} ({info.name}) revoked")


def register(app: typer.Typer) -> None:
    """Add the ``token`` command group to ``app``."""
    app.add_typer(token_app, name="token")


__all__ = [
    "FailureLimiter",
    "TokenInfo",
    "create_token",
    "list_tokens",
    "register",
    "revoke_token",
    "verify_token",
]
