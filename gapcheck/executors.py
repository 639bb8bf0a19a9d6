"""Where batch work runs: in this process, in a local process pool, or on a Dask cluster.

Every executor maps one picklable function over chunks of work items and yields each chunk's
result as soon as it is done, with only a bounded number of chunks in flight, so memory stays
flat however many policies there are. Workers keep the checklists in a module-level cache
(`gapcheck.batch.checklists_for`), so they are parsed once per worker process, not once per
policy. Dask is optional and imported only here, only when asked for.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from gapcheck.errors import GapcheckError

EXECUTORS = ("local", "dask")
DASK_MISSING = "the dask executor needs the optional 'dask' extra: pip install 'gapcheck[dask]'"


def chunked(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Lists of at most `size` items, read lazily from `items`."""
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def run_inline(fn: Callable[[Any], Any], chunks: Iterable[Any]) -> Iterator[Any]:
    """One process, no pool: the simplest and the easiest to debug (--jobs 1)."""
    for c in chunks:
        yield fn(c)


def run_pool(fn: Callable[[Any], Any], chunks: Iterable[Any], jobs: int,
             initializer: Callable[..., None] | None = None, initargs: tuple = ()) -> Iterator[Any]:
    """A local process pool of `jobs` workers with at most 2 x jobs chunks submitted at a time.

    forkserver, not fork: the progress bar runs a thread in the parent, and forking a process that
    has threads can deadlock the child.
    """
    ctx = multiprocessing.get_context("forkserver")
    pool = cf.ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_worker_init,
                                  initargs=(initializer, initargs))
    it = iter(chunks)
    pending: set[cf.Future] = set()
    try:
        for c in islice(it, 2 * jobs):
            pending.add(pool.submit(fn, c))
        while pending:
            done, pending = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
            for f in done:
                for c in islice(it, 1):
                    pending.add(pool.submit(fn, c))
                yield f.result()
    finally:
        # On Ctrl-C: drop what has not started; workers finish their current chunk and exit.
        pool.shutdown(wait=not pending, cancel_futures=True)


def _worker_init(initializer: Callable[..., None] | None, initargs: tuple) -> None:
    """Workers ignore Ctrl-C: the parent decides, closes the output cleanly, and stops the pool."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if initializer is not None:
        initializer(*initargs)


def dask_client(scheduler: str | None, jobs: int, cluster_kwargs: dict[str, Any] | None = None) -> Any:
    """A dask.distributed Client: to `scheduler` (tcp://host:port) or to a new LocalCluster of `jobs` workers."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise GapcheckError(DASK_MISSING) from None
    if scheduler:
        try:
            return Client(scheduler, timeout="20s")
        except (OSError, TimeoutError) as e:
            raise GapcheckError(f"cannot reach the Dask scheduler at {scheduler} ({e})") from None
    kw = {"n_workers": jobs, "threads_per_worker": 1, "processes": True, "dashboard_address": None}
    kw.update(cluster_kwargs or {})
    return Client(LocalCluster(**kw))


def run_dask(fn: Callable[[Any], Any], chunks: Iterable[Any], client: Any, window: int,
             warm: Callable[[], Any] | None = None) -> Iterator[Any]:
    """Submit chunks to a Dask cluster, at most `window` at a time, and yield results as they finish.

    `warm` runs once on every worker before the first chunk (client.run), so each worker loads the
    checklists once up front; workers that join later load them on their first chunk.
    """
    from dask.distributed import as_completed

    if warm is not None:
        client.run(warm)
    it = iter(chunks)
    first = [client.submit(fn, c, pure=False) for c in islice(it, window)]
    ac = as_completed(first)
    try:
        for f in ac:
            for c in islice(it, 1):
                ac.add(client.submit(fn, c, pure=False))
            res = f.result()
            f.release()
            yield res
    finally:
        for f in list(getattr(ac, "futures", ())):
            f.cancel()
