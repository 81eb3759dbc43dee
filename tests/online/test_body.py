"""Answers read within a size cap and a deadline, chunk by chunk (no network: chunks are counted)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from capsule_audit.online.body import BodyRefused, declared_too_large, fetch_bounded, read_capped
from capsule_audit.online.ratelimit import FakeClock
from tests.online.conftest import TickingClock

MB = 1024 * 1024


class Chunks:
    """A lazy body: `count` chunks of `size` bytes, counting how many were taken."""

    def __init__(self, count: int, size: int) -> None:
        self.count, self.size, self.taken = count, size, 0

    def __iter__(self) -> Iterator[bytes]:
        for _ in range(self.count):
            self.taken += 1
            yield b"x" * self.size


def test_a_100_mb_body_is_cut_off_at_the_cap_without_reading_the_rest() -> None:
    body = Chunks(100, MB)
    with pytest.raises(BodyRefused) as refused:
        read_capped(body, limit=2 * MB, deadline=10.0, clock=FakeClock())
    assert not refused.value.slow and body.taken == 3  # 3 MB read of 100


def test_a_dripping_body_is_cut_off_at_the_deadline() -> None:
    body = Chunks(10_000, 1)  # one byte at a time
    clock = TickingClock(tick=1.0)  # each chunk "takes" a second
    with pytest.raises(BodyRefused) as refused:
        read_capped(body, limit=MB, deadline=5.0, clock=clock)
    assert refused.value.slow and body.taken == 6  # the first chunk read past 5 s


def test_a_body_within_both_limits_is_returned_whole() -> None:
    assert read_capped(Chunks(3, 10), limit=30, deadline=1.0, clock=FakeClock()) == b"x" * 30


def test_a_declared_length_past_the_cap_is_refused_before_reading() -> None:
    assert declared_too_large(httpx.Response(200, headers={"Content-Length": str(100 * MB)}), MB)
    assert not declared_too_large(httpx.Response(200, headers={"Content-Length": "10"}), MB)
    assert not declared_too_large(httpx.Response(200, headers={"Content-Length": "lots"}), MB)


def test_a_head_answer_announcing_a_large_body_is_not_refused() -> None:
    """HEAD's Content-Length is the GET body's: doi.org's redirect must not read as a flood."""

    def redirect(request: httpx.Request) -> httpx.Response:
        headers = {"Location": "https://publisher.example/x", "Content-Length": str(100 * MB)}
        return httpx.Response(302, headers=headers)

    with httpx.Client(transport=httpx.MockTransport(redirect)) as client:
        head = fetch_bounded(
            client,
            client.build_request("HEAD", "http://doi/10.1/x"),
            limit=MB,
            deadline=1.0,
            clock=FakeClock(),
        )
        assert head.status_code == 302 and head.headers["Location"] == "https://publisher.example/x"
        with pytest.raises(BodyRefused):
            fetch_bounded(
                client,
                client.build_request("GET", "http://doi/10.1/x"),
                limit=MB,
                deadline=1.0,
                clock=FakeClock(),
            )
