"""Interruptions are raised at once, or held to the end of a `deferred` block; only the first counts."""

from __future__ import annotations

import os
import signal

import pytest

from capsule_audit import interrupts
from capsule_audit.interrupts import Interrupted


@pytest.fixture
def installed(signals_restored: None) -> None:
    interrupts.install()


def _signal(signum: signal.Signals = signal.SIGTERM) -> None:
    os.kill(os.getpid(), signum)  # the handler runs in this (main) thread before kill returns to us


@pytest.mark.usefixtures("installed")
def test_a_signal_raises_interrupted_naming_it() -> None:
    with pytest.raises(Interrupted, match="SIGTERM"):
        _signal()


@pytest.mark.usefixtures("installed")
def test_a_signal_inside_a_deferred_block_is_raised_when_the_block_ends() -> None:
    reached = []
    with pytest.raises(Interrupted, match="SIGINT"), interrupts.deferred():
        with interrupts.deferred():  # nested: held to the outermost end
            _signal(signal.SIGINT)
            reached.append("inner")
        reached.append("outer")
    assert reached == ["inner", "outer"]


@pytest.mark.usefixtures("installed")
def test_only_the_first_signal_counts() -> None:
    with pytest.raises(Interrupted):
        _signal()
    _signal()  # ignored while the run unwinds
    _signal(signal.SIGINT)


def test_without_install_a_deferred_block_changes_nothing() -> None:
    with interrupts.deferred():
        value = 1
    assert value == 1
