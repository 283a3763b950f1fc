"""scripts/python: the interpreter `make` creates .venv with."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "python"


def _pick(candidates: list[str] | None = None) -> str:
    env = dict(os.environ)
    if candidates is not None:
        env["COMMUNIQUE_PYTHONS"] = " ".join(candidates)
    done = subprocess.run([str(SCRIPT)], capture_output=True, text=True, env=env, check=True)
    return done.stdout.strip()


def test_the_interpreter_picked_can_make_the_venv() -> None:
    python = _pick()
    version = subprocess.run(
        [python, "-c", "import sys, venv; print(sys.version_info[:2] >= (3, 11))"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert version.stdout.strip() == "True"
    subprocess.run([python, "-m", "ensurepip", "--version"], capture_output=True, check=True)


def _fake(path: Path, body: str) -> str:
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)
    return str(path)


def test_interpreters_that_cannot_make_a_venv_are_passed_over(tmp_path: Path) -> None:
    # One too old (its version check exits 1), one without ensurepip (a Debian
    # python without its -venv package), one missing: the working one after them wins.
    old = _fake(tmp_path / "python-old", "exit 1")
    no_pip = _fake(
        tmp_path / "python-nopip",
        f'case "$*" in *ensurepip*) exit 1;; *) exec "{sys.executable}" "$@";; esac',
    )
    picked = _pick([old, no_pip, str(tmp_path / "missing"), sys.executable])
    assert picked == sys.executable


def test_with_no_usable_candidate_python3_is_the_answer(tmp_path: Path) -> None:
    old = _fake(tmp_path / "python-old", "exit 1")
    assert _pick([old]) == "python3"
