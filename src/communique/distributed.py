"""Ingestion on a Dask cluster: the workers hash, read and extract; this process writes.

``communique ingest PATH --dask tcp://scheduler:8786`` (a running cluster) or
``--dask local:N`` (a ``LocalCluster`` of N worker processes, one thread each)
hands :meth:`communique.store.Store.ingest` a :class:`DaskEngine`. Files are
sent to the workers in chunks; each chunk comes back as the rows to insert
(:func:`communique.store.sqlite.prepare_files`). SQLite has one writer, so the
client consumes results as they complete (``as_completed``), puts them back in
input order and writes them in batches: the store is the one a serial run
would have made, document ids included. A PostgreSQL store takes parallel
writers: each task writes its own documents
(:func:`communique.store.sqlite.write_files`) and only ids come back.

The workers must import the same communique (install it on every worker) and
see the files under the same paths (a shared filesystem; give absolute paths).
Dask is optional (``pip install "dask[distributed]"``) and imported only here,
only when asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

LOCAL_PREFIX = "local:"


class DaskUnavailable(RuntimeError):
    """Dask (``dask[distributed]``) is not installed."""


def parse_address(spec: str) -> tuple[str | None, int]:
    """``("tcp://host:8786", 0)`` for a scheduler address, ``(None, N)`` for ``local:N``."""
    spec = spec.strip()
    if spec.startswith(LOCAL_PREFIX):
        count = spec[len(LOCAL_PREFIX) :]
        if not count.isdigit() or int(count) < 1:
            raise ValueError(f"--dask {spec!r}: local:N needs N >= 1 workers")
        return None, int(count)
    if not spec or ("://" not in spec and ":" not in spec):
        raise ValueError(f"--dask {spec!r}: expected tcp://HOST:PORT or local:N")
    return spec, 0


def _import_dask() -> Any:
    try:
        import dask.distributed as dd
    except ImportError as exc:
        raise DaskUnavailable(
            'Dask is not installed: pip install "dask[distributed]" to use --dask'
        ) from exc
    return dd


class DaskEngine:
    """An :class:`communique.pipeline.Engine` on a Dask cluster (a context manager)."""

    def __init__(self, address: str, *, window: int = 4) -> None:
        self.address, self.local_workers = parse_address(address)
        self.window = window  # tasks in flight per worker thread
        self.workers = self.local_workers or 1
        self._client: Any = None
        self._cluster: Any = None

    def __enter__(self) -> DaskEngine:
        dd = _import_dask()
        from communique.pipeline import init_worker, warm_up

        if self.address is None:
            # Processes, one thread each: extraction is pure Python and holds the GIL.
            self._cluster = dd.LocalCluster(
                n_workers=self.local_workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
            )
            self._client = dd.Client(self._cluster)
        else:
            self._client = dd.Client(self.address)
        self.workers = max(1, sum(self._client.nthreads().values()))
        # Every worker loads the knowledge pack and segmenters before the first task.
        # The collector is tuned only in the workers this engine started: a shared
        # cluster's processes are left with their own settings.
        self._client.run(warm_up if self.address is not None else init_worker)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def map(self, fn: Callable[[list[T]], list[R]], items: Sequence[T], chunk: int) -> Iterator[R]:
        """``fn`` over chunks of ``items`` on the cluster; results in input order."""
        if self._client is None:
            raise RuntimeError("DaskEngine used outside its with-block")
        dd = _import_dask()
        chunks = [list(items[i : i + chunk]) for i in range(0, len(items), max(1, chunk))]
        if not chunks:
            return
        client = self._client
        index: dict[str, int] = {}
        upcoming = iter(enumerate(chunks))

        def submit() -> Any:
            nxt = next(upcoming, None)
            if nxt is None:
                return None
            i, part = nxt
            future = client.submit(fn, part, pure=False)
            index[future.key] = i
            return future

        first = [f for f in (submit() for _ in range(self.workers * self.window)) if f is not None]
        done: dict[int, list[R]] = {}
        wanted = 0
        queue = dd.as_completed(first, with_results=True)
        for future, result in queue:
            done[index.pop(future.key)] = result
            future.release()
            refill = submit()
            if refill is not None:
                queue.add(refill)
            # A bounded window keeps the reorder buffer small whatever the order.
            while wanted in done:
                yield from done.pop(wanted)
                wanted += 1


__all__ = ["LOCAL_PREFIX", "DaskEngine", "DaskUnavailable", "parse_address"]
