"""A live server over the five seeds and a headless Chromium to drive it.

The server is ``communique serve``'s application run by uvicorn in a thread, on
127.0.0.1 and a free port, over a fresh store. The browser is Debian's
chromium (``/usr/bin/chromium``, or ``$COMMUNIQUE_CHROMIUM``) driven by
Playwright; Playwright's own browser downloads are never used. Without either,
the tests skip and say why.

Screenshots of each page go to ``$COMMUNIQUE_SCREENSHOTS`` when it is set
(``docs/screenshots`` for the README).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from conftest import new_db

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / ".." / "shared" / "corpus" / "seeds"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass(slots=True)
class Server:
    url: str
    db: Path
    token: str
    folder: Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def chromium() -> str:
    path = os.environ.get("COMMUNIQUE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).is_file():
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return path


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    seeds = sorted(SEEDS.glob("*.txt"))
    if not seeds:
        pytest.skip("../shared/corpus/seeds is not present")
    import uvicorn

    from communique.auth import create_token
    from communique.service import create_app
    from communique.store import Store

    folder = tmp_path_factory.mktemp("browser")
    db = new_db(folder, "seeds.db")
    with Store.open(db) as store:
        report = store.ingest(seeds)
        assert not report.failed, [r.reason for r in report.failed]
        _, token = create_token(store.conn, "browser tests")
    port = _free_port()
    config = uvicorn.Config(
        create_app(db), host="127.0.0.1", port=port, log_level="warning", lifespan="on"
    )
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the server did not start")
        time.sleep(0.05)
    try:
        yield Server(f"http://127.0.0.1:{port}", db, token, folder)
    finally:
        srv.should_exit = True
        thread.join(10)


@pytest.fixture(scope="session")
def browser(chromium: str) -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install playwright)")
    with sync_playwright() as p:
        try:
            b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        except Exception as exc:  # a chromium that cannot start here is a skip, not a failure
            pytest.skip(f"chromium does not start: {exc}")
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1360, "height": 900}, locale="en-US")
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg
    context.close()
    assert errors == [], f"script errors in the page: {errors}"


@pytest.fixture(scope="session")
def snap() -> Callable[..., None]:
    """``snap(page, name, full=False)``: a screenshot, when ``$COMMUNIQUE_SCREENSHOTS`` says where."""
    target = os.environ.get("COMMUNIQUE_SCREENSHOTS")
    folder = Path(target) if target else None
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)

    def take(page: Any, name: str, full: bool = False) -> None:
        if folder is not None:
            page.screenshot(path=str(folder / f"{name}.png"), full_page=full)

    return take
