"""Jitter across ``fork()``: the workers of a pre-forking server must not retry in lockstep.

gunicorn ``--preload``, celery prefork and ``multiprocessing``'s fork start method build policies (a
module-level ``@retry`` is enough) in the parent and fork the workers. Every unseeded draw made in a
child must differ from its siblings' and its parent's; a seeded policy stays the same everywhere.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from collections.abc import Callable

import pytest

import libbackoff as lb

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork (POSIX)")

CHILDREN = 4
DRAWS = 8

Stream = list[float]


def in_children(draw: Callable[[], Stream]) -> list[Stream]:
    """Forks CHILDREN children that each run ``draw`` and send the result back through a pipe."""
    streams = []
    for _ in range(CHILDREN):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never return into pytest
            status = 1
            try:
                os.close(read_end)
                with os.fdopen(write_end, "w") as out:
                    json.dump(draw(), out)
                status = 0
            finally:
                os._exit(status)
        os.close(write_end)
        with os.fdopen(read_end) as result:
            text = result.read()
        _, status = os.waitpid(pid, 0)
        assert status == 0, f"child failed: {text!r}"
        streams.append(json.loads(text))
    return streams


def distinct(streams: list[Stream]) -> int:
    return len({tuple(stream) for stream in streams})


def test_backoffs_of_a_policy_built_before_fork_jitter_differently_in_every_child() -> None:
    policy = lb.exponential(0.1, cap=10)

    def draw() -> Stream:
        state = lb.Backoff(policy)
        return [state.next() or 0.0 for _ in range(DRAWS)]

    assert distinct([*in_children(draw), draw()]) == CHILDREN + 1


def test_a_backoff_built_before_fork_jitters_differently_in_every_child() -> None:
    state = lb.Backoff(lb.constant(1.0))
    state.next()  # in use before the fork

    def draw() -> Stream:
        return [state.next() or 0.0 for _ in range(DRAWS)]

    assert distinct([*in_children(draw), draw()]) == CHILDREN + 1


def test_stateless_delays_of_an_unseeded_policy_differ_between_children() -> None:
    policy = lb.constant(1.0)

    def draw() -> Stream:
        return [policy.delay(attempt, key="job-42") or 0.0 for attempt in range(DRAWS)]

    assert distinct([*in_children(draw), draw()]) == CHILDREN + 1


def test_a_seeded_policy_gives_every_child_the_parents_delays() -> None:
    policy = lb.exponential(0.1, cap=10, seed=42)

    def draw() -> Stream:
        state = lb.Backoff(policy)
        return [state.next() or 0.0 for _ in range(DRAWS)] + [policy.delay(3, key=7) or 0.0]

    assert in_children(draw) == [draw()] * CHILDREN


# A module-level @retry, built once at import, as an application defines it before its server forks.
WAITS: list[float] = []


@lb.retry(max_attempts=DRAWS + 1, wait=lb.exponential(0.01, cap=1), sleep=WAITS.append, reraise=True)
def always_fails() -> None:
    raise ConnectionError("down")


def waits_of_module_level_retry() -> tuple[int, Stream]:
    WAITS.clear()
    with pytest.raises(ConnectionError):
        always_fails()
    return os.getpid(), list(WAITS)


def test_a_module_level_retry_waits_differently_in_every_forked_child() -> None:
    streams = in_children(lambda: waits_of_module_level_retry()[1])
    assert all(len(stream) == DRAWS for stream in streams)
    assert distinct([*streams, waits_of_module_level_retry()[1]]) == CHILDREN + 1


def pool_task(_: int) -> tuple[int, Stream]:
    time.sleep(0.05)  # long enough that every worker gets tasks, however slowly the others start
    return waits_of_module_level_retry()


def test_a_multiprocessing_fork_pool_waits_differently_in_every_worker() -> None:
    with multiprocessing.get_context("fork").Pool(CHILDREN) as pool:
        results = pool.map(pool_task, range(4 * CHILDREN), chunksize=1)
    first_per_worker: dict[int, Stream] = {}
    for pid, stream in results:
        first_per_worker.setdefault(pid, stream)  # each worker's first call: the one a shared seed repeats
    assert len(first_per_worker) >= 2, "the pool ran every task in one worker"
    assert distinct(list(first_per_worker.values())) == len(first_per_worker)
