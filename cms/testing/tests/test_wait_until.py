import itertools
import time

import pytest

from cms.testing.processes import wait_until


def test_wait_until_returns_the_first_truthy_value_polling_at_its_interval():
    calls = itertools.count(1)
    started = time.monotonic()

    value = wait_until(lambda: (n := next(calls)) >= 3 and f"call {n}", timeout=5, interval=0.1)

    assert value == "call 3"
    assert 0.2 <= time.monotonic() - started < 2  # two waits of 0.1 s, not the timeout


def test_wait_until_fails_after_its_timeout_naming_the_state_it_ended_in():
    state = {"polls": 0}

    def check() -> bool:
        state["polls"] += 1
        return False

    started = time.monotonic()
    with pytest.raises(AssertionError) as failure:
        wait_until(check, timeout=0.3, interval=0.05,
                   message=lambda: f"done after {state['polls']} polls")

    assert time.monotonic() - started >= 0.3
    assert str(failure.value) == f"done after {state['polls']} polls not reached within 0.3s"
    assert state["polls"] >= 3

    with pytest.raises(AssertionError, match=r"^the page live not reached within 0\.1s$"):
        wait_until(lambda: None, timeout=0.1, message="the page live")


def test_wait_until_lets_the_checks_exception_through():
    def check() -> bool:
        raise ConnectionRefusedError("no server")

    with pytest.raises(ConnectionRefusedError, match="no server"):
        wait_until(check, timeout=5)
