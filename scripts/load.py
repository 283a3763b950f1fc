"""Load test of ``communique serve`` over loopback: mixed requests, many clients.

Starts ``communique serve`` on a temporary store holding the seed documents
(and generated documents of the genre), or targets ``--url`` (loopback only),
sends ``--requests`` mixed requests from ``--clients`` concurrent clients, stops
by itself, and prints the count of each status and latency percentiles.
Exits 1 when any response is a 5xx or a request fails outright.

    .venv/bin/python scripts/load.py                # 10,000 requests, 32 clients
    .venv/bin/python scripts/load.py --requests 2000 --url http://127.0.0.1:8000
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlsplit

import httpx

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / ".." / "shared" / "corpus" / "seeds"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}

TERMS = [
    "terrorism",
    "cooperation",
    "security",
    "ministers",
    "Afghanistan",
    "Shanghai",
    "RATS",
    "declaration",
    "economic",
    "2002",
    "外交部长",
    "合作",
    "安全",
    "上海合作组织",
    "阿富汗",
    "министры",
    "сотрудничество",
    "безопасности",
    "ШОС",
    "терроризмом",
    '"regional security"',
    "minist*",
    "NEAR(",
    "a OR",
    "qwertyuiop",
]
FILTERS = [
    {},
    {"lang": "en"},
    {"lang": "zh"},
    {"lang": "ru"},
    {"from": "2002", "to": "2010"},
    {"type": "declaration"},
    {"org": "SCO"},
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO / "src"), env.get("PYTHONPATH")]))
    return env


def _prepare_store(db: Path, extra_docs: int) -> None:
    sys.path.insert(0, str(REPO / "tests"))
    from genre import write_batch

    paths: list[Path] = []
    if SEEDS.is_dir():
        paths.append(SEEDS)
    if extra_docs:
        folder = db.parent / "generated"
        write_batch(folder, extra_docs, seed=11)
        paths.append(folder)
    cmd = [sys.executable, "-m", "communique.cli", "ingest", *map(str, paths), "--db", str(db)]
    subprocess.run(cmd, check=True, env=_env(), stdout=subprocess.DEVNULL)


def _start_server(db: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "communique.cli", "serve", "--db", str(db), "--port", str(port)]
    cmd += ["--host", "127.0.0.1"]
    # The server's log goes to a file: a pipe nobody reads would stall it once full.
    with log.open("wb") as out:
        return subprocess.Popen(cmd, env=_env(), stdout=out, stderr=subprocess.STDOUT)


async def _wait_ready(url: str, server: subprocess.Popen[bytes] | None, log: Path) -> None:
    async with httpx.AsyncClient(timeout=2) as client:
        for _ in range(300):
            if server is not None and server.poll() is not None:
                raise SystemExit(f"server exited: {log.read_text(errors='replace')[-2000:]}")
            try:
                if (await client.get(f"{url}/api/v1/health")).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.1)
    raise SystemExit(f"{url} did not answer in 30 s")


def _request(rng: random.Random, ids: list[int]) -> tuple[str, str, dict[str, str]]:
    """(kind, path, params) of one request of the mix."""
    roll = rng.random()
    filters = dict(rng.choice(FILTERS)) if rng.random() < 0.3 else {}
    if roll < 0.40:
        terms = " ".join(rng.sample(TERMS, rng.randint(1, 2)))
        return "api search", "/api/v1/search", {"q": terms, **filters}
    if roll < 0.55:
        params = {"limit": str(rng.choice([10, 50, 100])), **filters}
        if rng.random() < 0.3:
            params["sort"] = rng.choice(["date", "-date", "title", "name"])
        return "api documents", "/api/v1/documents", params
    if roll < 0.70:
        return "api document", f"/api/v1/documents/{rng.choice(ids)}", {}
    if roll < 0.82:
        return "page search", "/", {"q": rng.choice(TERMS), **filters}
    if roll < 0.90:
        return "page document", f"/documents/{rng.choice(ids)}", {}
    if roll < 0.96:
        return "page browse", "/", filters
    return "health", "/api/v1/health", {}


async def _run(url: str, total: int, clients: int, seed: int) -> int:
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
        listed = await client.get("/api/v1/documents", params={"limit": 100})
        ids = [d["id"] for d in listed.json()["documents"]] or [1]
        # A few ids that do not exist: 404s belong in the mix.
        ids += [max(ids) + 1000, 999_999]
        statuses: Counter[int | str] = Counter()
        latencies: dict[str, list[float]] = defaultdict(list)
        rng = random.Random(seed)
        plan = [_request(rng, ids) for _ in range(total)]
        next_index = 0
        server_errors: list[str] = []

        async def worker() -> None:
            nonlocal next_index
            while next_index < len(plan):
                kind, path, params = plan[next_index]
                next_index += 1
                started = time.perf_counter()
                try:
                    r = await client.get(path, params=params)
                    status: int | str = r.status_code
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                took = (time.perf_counter() - started) * 1000
                statuses[status] += 1
                latencies[kind].append(took)
                latencies["all"].append(took)
                if not isinstance(status, int) or status >= 500:
                    server_errors.append(f"{status} {path} {params}")

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        elapsed = time.perf_counter() - started

    done = sum(statuses.values())
    print(f"{done} requests, {clients} clients, {elapsed:.1f} s, {done / elapsed:.0f} req/s")
    print("status: " + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items(), key=str)))
    print(f"{'kind':<15} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for kind in sorted(latencies, key=lambda k: (k != "all", k)):
        values = sorted(latencies[kind])
        q = (
            statistics.quantiles(values, n=100, method="inclusive")
            if len(values) > 1
            else values * 99
        )
        print(
            f"{kind:<15} {len(values):>6} {q[49]:>8.1f} {q[94]:>8.1f} {q[98]:>8.1f}"
            f" {values[-1]:>8.1f}"
        )
    fives = sum(v for k, v in statuses.items() if not isinstance(k, int) or k >= 500)
    print(f"5xx or failed: {fives}")
    for line in server_errors[:10]:
        print(f"  {line}")
    return 1 if fives else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running server on loopback (default: start one)")
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--docs", type=int, default=200, help="generated documents to add")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.requests <= 0 or not 1 <= args.clients <= 256:
        parser.error("--requests must be positive and --clients 1..256")

    if args.url:
        host = urlsplit(args.url).hostname or ""
        if host not in LOOPBACK:
            parser.error(f"loopback only: {host!r} is not 127.0.0.1, ::1 or localhost")
        return asyncio.run(_run(args.url.rstrip("/"), args.requests, args.clients, args.seed))

    with tempfile.TemporaryDirectory(prefix="communique-load-") as tmp:
        db = Path(tmp) / "load.db"
        _prepare_store(db, args.docs)
        port = _free_port()
        log = Path(tmp) / "server.log"
        server = _start_server(db, port, log)
        url = f"http://127.0.0.1:{port}"
        try:
            asyncio.run(_wait_ready(url, server, log))
            code = asyncio.run(_run(url, args.requests, args.clients, args.seed))
            if code:
                errors = [
                    line
                    for line in log.read_text(errors="replace").splitlines()
                    if 'HTTP/1.1" 200' not in line and 'HTTP/1.1" 404' not in line
                ]
                print("server log (other than 200/404 lines):", *errors[-40:], sep="\n  ")
            return code
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


if __name__ == "__main__":
    sys.exit(main())
