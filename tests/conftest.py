"""Shared fixtures: where the shared seeds are, a store with the five seeds
ingested (built once per session), an empty store per test, and a builder of
processed documents from text written in the tests themselves."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pytest

from communique.records import (
    Commitment,
    Extraction,
    Instrument,
    Mention,
    Person,
    ProcessedDocument,
    RawDocument,
)

if TYPE_CHECKING:
    from communique.store import Store

REPO = Path(__file__).resolve().parents[1]

# The suite runs twice under `make test`: on SQLite files, then with
# COMMUNIQUE_TEST_DB set to a PostgreSQL database it may fill with schemas
# (scripts/test-postgres starts one). Every store a test makes comes from
# new_db(), so the same tests exercise both; a test of something only SQLite
# has (its file, WAL, PRAGMAs, the tantivy index beside it) is marked sqlite_only.
TEST_DB = os.environ.get("COMMUNIQUE_TEST_DB", "")
POSTGRES = TEST_DB.startswith(("postgresql://", "postgres://"))


def new_db(folder: Path, name: str = "test.db") -> Any:
    """Where a test keeps a store: ``folder / name`` on SQLite; on PostgreSQL the URL
    of a schema of its own (the same one for the same folder and name), created empty."""
    if not POSTGRES:
        return folder / name
    import psycopg

    schema = "t_" + hashlib.sha1(str(folder / name).encode()).hexdigest()[:20]
    with psycopg.connect(TEST_DB, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    sep = "&" if "?" in TEST_DB else "?"
    return f"{TEST_DB}{sep}options=-csearch_path%3D{schema}"


def _schema_of(url: str) -> str:
    return url.rsplit("search_path%3D", 1)[1]


def copy_store(src: Any, dst: Any) -> Any:
    """Copy the store at ``src`` to ``dst`` (both from new_db) and return ``dst``: the file
    on SQLite; on PostgreSQL every table's rows, schema to schema in one database."""
    if not POSTGRES:
        import shutil

        shutil.copy(src, dst)
        return dst
    from communique.store import Store

    Store.open(dst).close()  # the tables, at the latest version
    a, b = _schema_of(str(src)), _schema_of(str(dst))
    conn = raw_connect(dst)
    try:
        conn.execute("BEGIN")
        # Tables go in whatever order: foreign keys are not checked (the rows come from
        # a store that kept them), as in a replica.
        conn.execute("SET LOCAL session_replication_role = replica")
        for (table,) in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = ? AND tablename != 'schema_version'",
            (b,),
        ).fetchall():
            conn.execute(f"INSERT INTO {b}.{table} SELECT * FROM {a}.{table}")
            has_identity = conn.execute(
                "SELECT 1 FROM information_schema.columns WHERE table_schema = ?"
                " AND table_name = ? AND column_name = 'id' AND is_identity = 'YES'",
                (b, table),
            ).fetchone()
            if has_identity:
                conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{b}.{table}', 'id'),"
                    f" coalesce((SELECT max(id) FROM {b}.{table}), 0) + 1, false)"
                )
        conn.execute("COMMIT")
    finally:
        conn.close()
    return dst


def raw_connect(db: Any) -> Any:
    """A connection to a store's database under the store's feet: sqlite3 for a file,
    communique's own PostgreSQL connection (same execute/fetch interface) for a URL."""
    if POSTGRES and str(db).startswith(("postgresql://", "postgres://")):
        from communique.store.postgres import PgConnection

        return PgConnection(str(db))
    import sqlite3

    return sqlite3.connect(db)


def table_names(conn: Any, kind: str = "table") -> set[str]:
    """Names of the tables (``kind="index"``: indexes) of a store's database."""
    if getattr(conn, "dialect", "sqlite") == "postgresql":
        if kind == "index":
            sql = "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
        else:
            sql = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        return {r[0] for r in conn.execute(sql)}
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = ?", (kind,))}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only: tests what only the SQLite store has (skipped on PostgreSQL)"
    )
    config.addinivalue_line("markers", "postgres_only: runs only against PostgreSQL")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if POSTGRES and item.get_closest_marker("sqlite_only"):
            item.add_marker(pytest.mark.skip(reason="SQLite only"))
        if not POSTGRES and item.get_closest_marker("postgres_only"):
            item.add_marker(pytest.mark.skip(reason="needs COMMUNIQUE_TEST_DB (PostgreSQL)"))


def pytest_report_header(config: pytest.Config) -> str:
    return f"store: {'PostgreSQL' if POSTGRES else 'SQLite'}"


SHARED = (REPO / ".." / "shared").resolve()
SCORER = SHARED / "eval" / "score.py"


def score_extract(records: Sequence[dict[str, Any]], gold: Path, folder: Path) -> dict[str, Any]:
    """The shared scorer's JSON verdict on ``records`` against the gold records in ``gold``,
    run as its README runs it (a JSON Lines file of predictions)."""
    pred = folder / "pred.jsonl"
    pred.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    command = [sys.executable, str(SCORER), "extract", "--gold", str(gold), "--pred", str(pred)]
    out = subprocess.run([*command, "--json"], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def bench_corpus() -> ModuleType:
    """bench/corpus.py (not a package) as a module."""
    if "bench_corpus" in sys.modules:
        return sys.modules["bench_corpus"]
    spec = importlib.util.spec_from_file_location("bench_corpus", REPO / "bench" / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # Registered first: its dataclasses look their module up while being defined.
    sys.modules["bench_corpus"] = module
    spec.loader.exec_module(module)
    return module


def linked_store(folder: Path, seeds: Path, documents: int, seed: int) -> Any:
    """A store (its caller closes it) of the seeds and ``documents`` generated ones
    (bench/corpus.py, ``seed``), ingested and linked, under ``folder``."""
    from communique.link import ensure_built
    from communique.store import Store

    bench_corpus().generate(folder / "generated", documents, seed=seed)
    store = Store(new_db(folder, "linked.db"))
    assert store.ingest([seeds, folder / "generated"]).ok
    ensure_built(store)
    return store


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not present")
    return SHARED


@pytest.fixture(scope="session")
def seeds_dir(shared_dir: Path) -> Path:
    seeds = shared_dir / "corpus" / "seeds"
    if not sorted(seeds.glob("*.txt")):
        pytest.skip("../shared/corpus/seeds is not present")
    return seeds


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Any:
    """A database file with the five seeds ingested through the real pipeline."""
    from communique.store import Store

    db = new_db(tmp_path_factory.mktemp("seeded"), "seeds.db")
    with Store.open(db) as store:
        report = store.ingest([seeds_dir])
    assert [r.reason for r in report.failed] == []
    assert len(report.stored) == 5
    return db


@pytest.fixture
def seeded_copy(seeded_db: Any, tmp_path: Path) -> Any:
    """A store of the five seeds that a test may write: a copy of the seeded file, or on
    PostgreSQL a schema of its own with the seeds ingested again."""

    return copy_store(seeded_db, new_db(tmp_path, "copy.db"))


@pytest.fixture(scope="session")
def seeded_store(seeded_db: Any) -> Iterator[Store]:
    """A store (read it, do not write it) with the five seeds."""
    from communique.store import Store

    store = Store.open(seeded_db)
    yield store
    store.close()


@pytest.fixture
def tmp_store(tmp_path: Path) -> Iterator[Store]:
    from communique.store import Store

    store = Store.open(new_db(tmp_path))
    yield store
    store.close()


# A value to mark in a hand-built document: (kind, value, surface) or with a
# fourth item, the occurrence of the surface to use (0-based).
Spec = tuple[str, str, str] | tuple[str, str, str, int]
Build = Callable[..., ProcessedDocument]


def _find(text: str, surface: str, nth: int = 0) -> int:
    at = -1
    for _ in range(nth + 1):
        at = text.find(surface, at + 1)
        if at < 0:
            raise AssertionError(f"{surface!r} not in the test text")
    return at


def build_processed(
    text: str,
    name: str,
    *,
    mentions: Sequence[Spec] = (),
    persons: Sequence[tuple[str, str | None, str | None]] = (),
    instruments: Sequence[tuple[str, str | None]] = (),
    commitments: Sequence[tuple[str, str | None, str]] = (),
    path: str | None = None,
    **meta: str | None,
) -> ProcessedDocument:
    """A processed document: the real normalize and segment stages over ``text``,
    and an extraction built by hand from ``mentions`` found in the text.

    This is how store and search are tested independently of the extractor's
    accuracy: the values are known, so their storage can be checked exactly.
    """
    from communique.normalize import normalize
    from communique.segment import segment

    data = text.encode("utf-8")
    raw = RawDocument(
        path=path or f"/test/{name}",
        name=name,
        format="txt",
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        encoding="utf-8",
    )
    seg = segment(normalize(raw))
    body = seg.text
    ext = Extraction(file=name, language=seg.language, **meta)

    def sentence(at: int) -> int:
        s = seg.sentence_at(at)
        assert s is not None
        return s.index

    for spec in mentions:
        kind, value, surface = spec[0], spec[1], spec[2]
        at = _find(body, surface, spec[3] if len(spec) == 4 else 0)  # type: ignore[misc]
        ext.mentions.append(Mention(kind, value, at, at + len(surface), surface, sentence(at)))
        if kind == "state":
            ext.states.append(value)
        elif kind == "organization":
            ext.organizations.append(value)
        elif kind == "date":
            ext.dates.append(value)
    for name_, role, country in persons:
        at = _find(body, name_)
        p = Person(name_, role, country, None, at, at + len(name_), sentence(at))
        ext.persons.append(p)
        ext.meeting.participants.append(p)
    for iname, kind in instruments:
        at = _find(body, iname)
        ext.instruments.append(
            Instrument(iname, kind, None, None, at, at + len(iname), sentence(at))
        )
    for words, deadline, deadline_text in commitments:
        at = _find(body, words)
        s = seg.sentences[sentence(at)]
        d_at = _find(body, deadline_text)
        ext.commitments.append(
            Commitment(
                s.text,
                deadline,
                deadline_text,
                None,
                s.start,
                s.end,
                s.index,
                d_at,
                d_at + len(deadline_text),
            )
        )
    return ProcessedDocument(segmented=seg, extraction=ext)


@pytest.fixture
def build() -> Build:
    return build_processed


# Documents of the genre written for these tests (not taken from any corpus).
EN_COMMUNIQUE = """JOINT COMMUNIQUE OF THE MEETING OF THE COUNCIL OF FOREIGN MINISTERS

The Council of Foreign Ministers of the Member States held its regular meeting on 12 March 2011 in Astana. The meeting was attended by Minister of Foreign Affairs of the Republic of Kazakhstan Y. Kazykhanov and Minister of Foreign Affairs of the Russian Federation S. Lavrov.

The ministers discussed the situation in Afghanistan and supported the efforts of the United Nations to bring peace to the Afghan people.

The Member States will complete the draft Agreement on Cooperation in Emergency Relief before the end of 2012.
"""

ZH_PRESS = """成员国外交部长理事会会议新闻公报

成员国外交部长理事会例行会议于2011年3月12日在阿斯塔纳举行。

外长们讨论了阿富汗局势，支持联合国为阿富汗和平作出的努力。

成员国将在2012年底前完成紧急救灾合作协定草案。
"""

RU_DECLARATION = """ДЕКЛАРАЦИЯ ГЛАВ ГОСУДАРСТВ-ЧЛЕНОВ

Главы государств-членов провели заседание 15 июня 2016 года в Ташкенте.

Стороны обсудили положение в Афганистане и поддержали усилия Организации Объединенных Наций.

Государства-члены завершат подготовку соглашения о сотрудничестве в области чрезвычайных ситуаций до конца 2017 года.
"""


@pytest.fixture
def genre_docs() -> list[ProcessedDocument]:
    """Three documents of different language, type, organization and date."""
    return [
        build_processed(
            EN_COMMUNIQUE,
            "en_communique.txt",
            type="communique",
            title="Joint Communique of the Meeting of the Council of Foreign Ministers",
            date="2011-03-12",
            place="Astana",
            organization="SCO",
            body="CMFA",
            mentions=[
                ("date", "2011-03-12", "12 March 2011"),
                ("place", "Astana", "Astana"),
                ("state", "KZ", "Republic of Kazakhstan"),
                ("state", "RU", "Russian Federation"),
                ("state", "AF", "Afghanistan"),
                ("state", "AF", "Afghan"),
                ("organization", "UN", "United Nations"),
                ("date", "2012", "2012"),
            ],
            persons=[
                ("Y. Kazykhanov", "Minister of Foreign Affairs", "KZ"),
                ("S. Lavrov", "Minister of Foreign Affairs", "RU"),
            ],
            instruments=[("Agreement on Cooperation in Emergency Relief", "agreement")],
            commitments=[("will complete the draft", "2012-12-31", "before the end of 2012")],
        ),
        build_processed(
            ZH_PRESS,
            "zh_press.txt",
            type="press_release",
            title="成员国外交部长理事会会议新闻公报",
            date="2011-03-12",
            place="Astana",
            organization="SCO",
            body="CMFA",
            mentions=[
                ("date", "2011-03-12", "2011年3月12日"),
                ("state", "AF", "阿富汗"),
                ("state", "AF", "阿富汗", 1),
                ("organization", "UN", "联合国"),
            ],
            commitments=[("完成紧急救灾合作协定草案", "2012-12-31", "2012年底前")],
        ),
        build_processed(
            RU_DECLARATION,
            "ru_declaration.txt",
            type="declaration",
            title="Декларация глав государств-членов",
            date="2016-06-15",
            place="Tashkent",
            organization="CICA",
            body="CHS",
            mentions=[
                ("date", "2016-06-15", "15 июня 2016 года"),
                ("state", "AF", "Афганистане"),
                ("organization", "UN", "Организации Объединенных Наций"),
            ],
            commitments=[("завершат подготовку", "2017-12-31", "до конца 2017 года")],
        ),
    ]


@pytest.fixture
def genre_store(tmp_store: Store, genre_docs: list[ProcessedDocument]) -> Store:
    for doc in genre_docs:
        tmp_store.add(doc)
    return tmp_store
