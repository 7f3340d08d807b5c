"""CircuitBreaker around calls: the decorator and the context manager, sync and async (asyncio and trio),
and how exceptions are classified."""

from __future__ import annotations

import math
import pickle

import anyio
import pytest

from libbackoff import CircuitBreaker, CircuitOpenError, CircuitState


class Boom(Exception):
    pass


class NotFound(Exception):
    pass


def boom() -> None:
    raise Boom("down")


def test_decorated_function_keeps_its_name_result_and_exception():
    breaker = CircuitBreaker(failure_threshold=10)

    @breaker
    def add(a: int, b: int = 0) -> int:
        """Adds."""
        return a + b

    assert (add(1, b=2), add.__name__, add.__doc__) == (3, "add", "Adds.")
    with pytest.raises(Boom, match="down"):
        breaker(boom)()
    counts = breaker.counts()
    assert (counts.successes, counts.failures) == (1, 1)


def test_an_open_breaker_raises_without_calling(fake_clock):
    breaker = CircuitBreaker(failure_threshold=2, open_duration=60, clock=fake_clock, name="db")
    calls = []

    @breaker
    def query() -> None:
        calls.append(1)
        raise Boom

    for _ in range(2):
        with pytest.raises(Boom):
            query()
    fake_clock.now += 15
    with pytest.raises(CircuitOpenError) as info:
        query()
    assert len(calls) == 2
    assert (info.value.remaining, info.value.state, info.value.name) == (45.0, CircuitState.OPEN, "db")
    assert str(info.value) == "circuit breaker 'db' is open: it refuses calls for another 45.000 s"


def test_circuit_open_error_is_an_exception_that_pickles():
    error = CircuitOpenError(1.5, CircuitState.OPEN, "db")
    assert isinstance(error, Exception)
    assert CircuitOpenError(math.inf, CircuitState.ISOLATED).name is None
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.remaining, copy.state, copy.name) == (1.5, CircuitState.OPEN, "db")


def test_with_block_counts_its_outcome():
    breaker = CircuitBreaker(failure_threshold=10)
    with breaker:
        pass
    with pytest.raises(Boom), breaker:
        boom()
    counts = breaker.counts()
    assert (counts.admitted, counts.successes, counts.failures) == (2, 1, 1)


def test_with_block_on_an_open_breaker_never_runs():
    breaker = CircuitBreaker()
    breaker.isolate()
    ran = False
    with pytest.raises(CircuitOpenError), breaker:
        ran = True
    assert not ran


def test_nested_with_blocks_on_one_breaker_settle_the_innermost_permit_first(fake_clock):
    # A window of one call and min_calls 1: the first slow call trips the breaker.
    breaker = CircuitBreaker(slow_call_duration=5, min_calls=1, window="count", window_size=1, clock=fake_clock)
    with breaker:
        fake_clock.now += 4
        with breaker:
            fake_clock.now += 1
        assert breaker.state is CircuitState.CLOSED  # the inner block took 1 s
    assert breaker.state is CircuitState.OPEN  # the outer block took 5 s: slow


def test_nested_with_blocks_on_two_breakers():
    outer, inner = CircuitBreaker(), CircuitBreaker()
    with pytest.raises(Boom), outer, inner:
        boom()
    assert outer.counts().failures == inner.counts().failures == 1


def test_exit_without_enter_is_an_error():
    with pytest.raises(RuntimeError, match="without a matching __enter__"):
        CircuitBreaker().__exit__(None, None, None)


@pytest.mark.parametrize("exclude", [KeyError, (KeyError, IndexError), lambda exc: isinstance(exc, KeyError)])
def test_excluded_exceptions_change_nothing(exclude):
    breaker = CircuitBreaker(failure_threshold=1, exclude=exclude)
    with pytest.raises(KeyError), breaker:
        raise KeyError("k")
    assert (breaker.state, breaker.counts().ignored) == (CircuitState.CLOSED, 1)
    with pytest.raises(Boom), breaker:
        boom()
    assert breaker.state is CircuitState.OPEN


def test_exceptions_that_are_not_failures_count_as_successes():
    breaker = CircuitBreaker(failure_threshold=1, is_failure=Boom)
    with pytest.raises(NotFound), breaker:
        raise NotFound
    assert breaker.state is CircuitState.CLOSED
    assert breaker.counts().successes == 1
    with pytest.raises(Boom), breaker:
        boom()
    assert breaker.state is CircuitState.OPEN


def test_is_failure_predicate():
    breaker = CircuitBreaker(failure_threshold=1, is_failure=lambda exc: getattr(exc, "status", 0) >= 500)
    error = Boom()
    error.status = 404  # type: ignore[attr-defined]
    with pytest.raises(Boom), breaker:
        raise error
    assert breaker.state is CircuitState.CLOSED
    error.status = 503  # type: ignore[attr-defined]
    with pytest.raises(Boom), breaker:
        raise error
    assert breaker.state is CircuitState.OPEN


def test_keyboard_interrupt_propagates_and_is_ignored():
    breaker = CircuitBreaker(failure_threshold=1)

    @breaker
    def interrupted() -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        interrupted()
    assert (breaker.state, breaker.counts().ignored) == (CircuitState.CLOSED, 1)


def test_a_failure_carrying_retry_after_extends_the_open_period(fake_clock):
    breaker = CircuitBreaker(failure_threshold=1, open_duration=1, clock=fake_clock)
    throttled = Boom("slow down")
    throttled.retry_after = 90  # type: ignore[attr-defined]
    with pytest.raises(Boom), breaker:
        raise throttled
    with pytest.raises(CircuitOpenError) as info, breaker:
        pass
    assert info.value.remaining == 90.0


def test_retry_after_option_reads_the_hint(fake_clock):
    breaker = CircuitBreaker(failure_threshold=1, open_duration=1, retry_after=lambda exc: 30.0, clock=fake_clock)
    with pytest.raises(Boom):
        breaker(boom)()
    with pytest.raises(CircuitOpenError) as info:
        breaker.acquire()
    assert info.value.remaining == 30.0


def test_a_classifier_that_raises_still_settles_the_permit():
    def broken(exc: Exception) -> bool:
        raise RuntimeError("classifier bug")

    breaker = CircuitBreaker(half_open_probes=1, is_failure=broken)
    breaker.half_open()  # one probe slot: a leaked permit would block the next call
    with pytest.raises(RuntimeError, match="classifier bug") as info, breaker:
        boom()
    assert isinstance(info.value.__context__, Boom)
    assert breaker.counts().ignored == 1
    with breaker:
        pass
    assert breaker.state is CircuitState.CLOSED


def test_a_bad_hint_still_settles_the_permit():
    breaker = CircuitBreaker(failure_threshold=1, retry_after=lambda exc: "soon")
    with pytest.raises(ValueError, match="retry_after"):
        breaker(boom)()
    assert (breaker.state, breaker.counts().ignored) == (CircuitState.CLOSED, 1)


def test_manual_permits():
    breaker = CircuitBreaker(failure_threshold=1)
    permit = breaker.acquire()
    breaker.release(permit)
    breaker.record(breaker.acquire(), "failure", duration=0.25)
    assert breaker.state is CircuitState.OPEN
    assert breaker.counts().released == 1


def test_manual_permit_arguments_are_checked():
    breaker = CircuitBreaker()
    with pytest.raises(ValueError, match="outcome"):
        breaker.record(breaker.acquire(), "maybe")
    with pytest.raises(ValueError, match="permit"):
        breaker.record(0, "success")
    with pytest.raises(ValueError, match="permit"):
        breaker.release(-1)
    with pytest.raises(TypeError, match="permit"):
        breaker.release("1")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="duration"):
        breaker.record(breaker.acquire(), "success", duration=-1)


@pytest.mark.anyio
async def test_async_decorator_counts_results_and_refuses_when_open(fake_clock):
    breaker = CircuitBreaker(failure_threshold=1, open_duration=5, clock=fake_clock)

    @breaker
    async def fetch(fail: bool) -> str:
        await anyio.sleep(0)
        if fail:
            raise Boom
        return "ok"

    assert await fetch(False) == "ok"
    with pytest.raises(Boom):
        await fetch(True)
    with pytest.raises(CircuitOpenError) as info:
        await fetch(False)
    assert info.value.remaining == 5.0


@pytest.mark.anyio
async def test_async_with_block(fake_clock):
    breaker = CircuitBreaker(failure_threshold=1, clock=fake_clock)
    async with breaker:
        await anyio.sleep(0)
    with pytest.raises(Boom):
        async with breaker:
            boom()
    with pytest.raises(CircuitOpenError):
        async with breaker:
            pass
    assert breaker.counts().successes == 1


@pytest.mark.anyio
async def test_cancelled_calls_are_ignored():
    breaker = CircuitBreaker(failure_threshold=1)

    @breaker
    async def hang() -> None:
        await anyio.sleep(3600)

    with anyio.move_on_after(0.01):
        await hang()
    with anyio.move_on_after(0.01):
        async with breaker:
            await anyio.sleep(3600)
    assert (breaker.state, breaker.counts().ignored) == (CircuitState.CLOSED, 2)


@pytest.mark.anyio
async def test_concurrent_tasks_in_with_blocks_keep_their_own_permits():
    # Half-open permits are leases on distinct probe slots: a permit settled twice or never would show.
    breaker = CircuitBreaker(half_open_probes=2, half_open_successes=3)
    breaker.half_open()
    inside = []

    async def task() -> None:
        async with breaker:
            inside.append(breaker.counts().probes_in_flight)
            await anyio.sleep(0.01)

    async with anyio.create_task_group() as group:
        group.start_soon(task)
        group.start_soon(task)
    assert sorted(inside) == [1, 2]
    counts = breaker.counts()
    assert (counts.successes, counts.stale, counts.probes_in_flight) == (2, 0, 0)


def test_decorating_something_not_callable_is_a_type_error():
    with pytest.raises(TypeError, match="callable"):
        CircuitBreaker()(42)  # type: ignore[arg-type]


def test_repr_names_the_breaker_and_its_state():
    assert repr(CircuitBreaker(name="db")) == "CircuitBreaker(name='db', state='closed')"
