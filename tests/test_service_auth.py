"""API tokens: created once, stored hashed, checked in constant time, revoked; the CLI group;
the failure limiter."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from communique import auth
from communique.auth import FailureLimiter, create_token, list_tokens, revoke_token, verify_token
from communique.store import Store
from conftest import new_db


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(new_db(tmp_path, "t.db"))
    yield s
    s.close()


def test_token_is_shown_once_and_stored_hashed(store: Store) -> None:
    info, token = create_token(store.conn, "  ingest   bot ")
    assert re.fullmatch(r"cq_[0-9a-f]{12}_[A-Za-z0-9_-]{43}", token)
    assert info.name == "ingest bot" and info.active
    secret = token.split("_", 2)[2]
    key, salt, digest = store.conn.execute("SELECT key, salt, hash FROM api_tokens").fetchone()
    assert token.startswith(f"cq_{key}_")
    # neither the token nor its plain SHA-256 is in the table
    dump = "\n".join(map(repr, store.conn.execute("SELECT * FROM api_tokens").fetchall()))
    assert secret not in dump and hashlib.sha256(secret.encode()).hexdigest() not in dump
    assert len(salt) == 16 and len(digest) == 32
    two = create_token(store.conn, "other")[1]
    assert two != token


def test_verify_accepts_only_the_exact_active_token(store: Store) -> None:
    info, token = create_token(store.conn, "t")
    checked = verify_token(store.conn, token)
    assert checked is not None and checked.id == info.id and checked.last_used
    assert verify_token(store.conn, f"  {token}\n") is not None
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    for wrong in (flipped, token[:-1], "cq_" + "0" * 12 + "_" + token.split("_", 2)[2], "", "x"):
        assert verify_token(store.conn, wrong) is None, wrong
    assert revoke_token(store.conn, str(info.id)) is not None
    assert verify_token(store.conn, token) is None
    (listed,) = list_tokens(store.conn)
    assert not listed.active and listed.revoked_at
    assert revoke_token(store.conn, "999") is None


def test_revoke_by_key_or_whole_token(store: Store) -> None:
    a, _ = create_token(store.conn, "a")
    b, tb = create_token(store.conn, "b")
    assert revoke_token(store.conn, a.key).id == a.id
    assert revoke_token(store.conn, tb).id == b.id
    assert all(not t.active for t in list_tokens(store.conn))


def test_limiter_counts_failures_in_a_window(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(auth.time, "monotonic", lambda: now[0])
    lim = FailureLimiter(limit=3, window=60)
    for _ in range(2):
        lim.fail("1.2.3.4")
    assert lim.retry_after("1.2.3.4") == 0
    lim.fail("1.2.3.4")
    assert lim.retry_after("1.2.3.4") == 60
    assert lim.retry_after("5.6.7.8") == 0  # per client
    now[0] += 30
    assert lim.retry_after("1.2.3.4") == 30
    now[0] += 31
    assert lim.retry_after("1.2.3.4") == 0


def test_token_commands(tmp_path: Path) -> None:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """communique"""

    auth.register(app)
    runner = CliRunner()
    db = str(new_db(tmp_path, "cli.db"))
    made = runner.invoke(app, ["token", "create", "--db", db, "--name", "uploader"])
    assert made.exit_code == 0, made.output
    token = made.stdout.strip().splitlines()[0]
    assert token.startswith("cq_")
    listed = runner.invoke(app, ["token", "list", "--db", db, "--json"])
    rows = json.loads(listed.stdout)
    assert [r["name"] for r in rows] == ["uploader"] and rows[0]["active"]
    assert token not in listed.stdout and token.split("_", 2)[2] not in listed.stdout
    gone = runner.invoke(app, ["token", "revoke", token.split("_")[1], "--db", db])
    assert gone.exit_code == 0 and "revoked" in gone.stdout
    with Store.open(db) as s:
        assert verify_token(s.conn, token) is None
    missing = runner.invoke(app, ["token", "revoke", "nope", "--db", db])
    assert missing.exit_code == 1
