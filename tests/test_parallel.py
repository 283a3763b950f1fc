"""Aligned versions read side by side: ``communique align``, ``show --parallel``, real white papers."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from communique.align import versions
from communique.cli import app
from communique.store import Store
from conftest import new_db

runner = CliRunner()
SEED_EN = "000_ac53f3c11b13c664.txt"
SEED_ZH = "003_2682b7114b5ceaaa.txt"


def _score(shared: Path, pred: Path) -> str:
    seeds = shared / "corpus" / "seeds"
    gold = shared / "gold" / "align-000-003.json"
    scorer = shared / "eval" / "score.py"
    if not gold.exists() or not scorer.exists():
        pytest.skip("shared evaluation data not present")
    done = subprocess.run(
        [sys.executable, str(scorer), "align", "--gold", str(gold), "--pred", str(pred),
         "--source-text", str(seeds / SEED_EN), "--target-text", str(seeds / SEED_ZH)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout


def _strict_f1(report: str) -> float:
    for line in report.splitlines():
        if "strict" in line.lower() and "f1" in line.lower():
            return float(line.replace("=", " ").split()[-1])
    raise AssertionError(report)


def test_align_command_on_the_seed_pair_scores_strict_f1_at_least_097(
    shared_dir: Path, tmp_path: Path
) -> None:
    seeds = shared_dir / "corpus" / "seeds"
    result = runner.invoke(app, ["align", str(seeds / SEED_EN), str(seeds / SEED_ZH), "--json"])
    assert result.exit_code == 0, result.output
    pred = tmp_path / "a.json"
    pred.write_text(result.stdout, encoding="utf-8")
    assert _strict_f1(_score(shared_dir, pred)) >= 0.97


def test_stored_alignment_of_the_seed_group_scores_like_the_command(
    shared_dir: Path, seeded_store: Store, tmp_path: Path
) -> None:
    ids = {d.name: d.id for d in seeded_store.documents()}
    en, zh = seeded_store.document(ids[SEED_EN]), seeded_store.document(ids[SEED_ZH])
    links = seeded_store.alignment(en.info.id, zh.info.id)
    pred = tmp_path / "stored.json"
    pred.write_text(
        json.dumps(
            {
                "source": SEED_EN,
                "target": SEED_ZH,
                "source_sentences": [s.text for s in en.sentences],
                "target_sentences": [s.text for s in zh.sentences],
                "links": [[s, t] for s, t in links],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    assert _strict_f1(_score(shared_dir, pred)) >= 0.97


def test_show_parallel_json_and_table(seeded_db: Path) -> None:
    with Store.open(seeded_db) as store:
        ids = {d.name: d.id for d in store.documents()}
        n_en = store.document(ids[SEED_EN]).info.sentences
        n_zh = store.document(ids[SEED_ZH]).info.sentences
    result = runner.invoke(
        app, ["show", str(ids[SEED_EN]), "--parallel", "zh", "--db", str(seeded_db), "--json"]
    )
    assert result.exit_code == 0, result.output
    view = json.loads(result.stdout)
    assert (view["document_id"], view["other_id"]) == (ids[SEED_EN], ids[SEED_ZH])
    assert (view["language"], view["other_language"]) == ("en", "zh")
    rows = view["rows"]
    assert [i for r in rows for i in r["source"]] == list(range(n_en))
    assert [j for r in rows for j in r["target"]] == list(range(n_zh))
    iraq = [r for r in rows if "Resolution 1441 on Iraq" in r["source_text"]]
    assert (
        len(iraq) == 1 and "伊拉克" in iraq[0]["target_text"] and "1441" in iraq[0]["target_text"]
    )
    # From the Chinese side, the same links mirrored.
    back = runner.invoke(
        app, ["show", str(ids[SEED_ZH]), "--parallel", "en", "--db", str(seeded_db), "--json"]
    )
    assert [[r["target"], r["source"]] for r in json.loads(back.stdout)["rows"]] == [
        [r["source"], r["target"]] for r in rows
    ]
    table = runner.invoke(
        app, ["show", str(ids[SEED_EN]), "--parallel", "zh", "--db", str(seeded_db)]
    )
    assert table.exit_code == 0 and "莫斯科" in table.stdout and "Moscow" in table.stdout


def test_show_parallel_without_such_version_fails(seeded_db: Path) -> None:
    with Store.open(seeded_db) as store:
        declaration = next(d for d in store.documents() if d.type == "declaration")
    for args in (
        ["show", str(declaration.id), "--parallel", "zh"],
        ["show", "999999", "--parallel", "zh"],
    ):
        result = runner.invoke(app, [*args, "--db", str(seeded_db)])
        assert result.exit_code == 1
        assert result.stdout == ""


def test_real_white_papers_are_grouped_and_aligned(shared_dir: Path, tmp_path: Path) -> None:
    docs = shared_dir / "data" / "docs"
    papers = sorted(docs.glob("2021_prc-scio_*_*.txt"))
    if len(papers) < 4:
        pytest.skip("white papers not present")
    with Store.open(new_db(tmp_path, "w.db")) as store:
        started = time.perf_counter()
        report = store.ingest(papers)
        seconds = time.perf_counter() - started
        assert report.ok and len(report.stored) == 4
        names = {d.id: d.name for d in store.documents()}
        groups = sorted(sorted(names[i] for i in g) for g in versions.groups(store.conn))
        topics = sorted({p.name.rsplit("_", 1)[0] for p in papers})
        assert groups == [[f"{t}_en.txt", f"{t}_zh.txt"] for t in topics]
        for g in versions.groups(store.conn):
            stats = versions.pair_stats(store.conn, g[0], g[1])
            assert stats is not None and stats["accepted"]
            # Most links 1-1, nearly every sentence linked, anchors agreeing.
            assert stats["one_one"] >= 0.6
            assert stats["coverage"] >= 0.9
            assert stats["anchor_agreement"] >= 0.9 and stats["anchored_links"] >= 50
            assert stats["mean_score"] >= 0.5
    # Processing, storing and aligning four documents of 36-83 KB.
    assert seconds < 30
