"""A request deadline the socket itself keeps, headers included.

httpx's timeouts bound each socket operation: a server that drips its status line and headers a
byte at a time never trips one, and the body reader (`capsule_audit.online.body`) only starts
once the headers are in. The network backend installed here gives every read and write of the
request in flight at most the time left before its deadline (set around each request in a
ContextVar), so no part of an answer outlasts it. Real time: it bounds real sockets.
"""

from __future__ import annotations

import ssl
import time
import typing
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import httpcore
import httpx

_DEADLINE: ContextVar[float | None] = ContextVar("capsule_audit_request_deadline", default=None)


class Watch:
    """The deadline of one request (monotonic seconds)."""

    def __init__(self, at: float) -> None:
        self.at = at

    def passed(self) -> bool:
        return time.monotonic() >= self.at


@contextmanager
def request_deadline(seconds: float) -> Iterator[Watch]:
    """Socket operations inside this block end by `seconds` from now (ReadTimeout past it)."""
    watch = Watch(time.monotonic() + seconds)
    token = _DEADLINE.set(watch.at)
    try:
        yield watch
    finally:
        _DEADLINE.reset(token)


def _bounded(timeout: float | None) -> float | None:
    """The operation's timeout, shortened to the time left before the deadline."""
    at = _DEADLINE.get()
    if at is None:
        return timeout
    left = at - time.monotonic()
    if left <= 0:
        raise httpcore.ReadTimeout("the request deadline has passed")
    return left if timeout is None else min(timeout, left)


class _Stream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _bounded(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _bounded(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        return _Stream(self._inner.start_tls(ssl_context, server_hostname, _bounded(timeout)))

    def get_extra_info(self, info: str) -> typing.Any:
        return self._inner.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        return _Stream(self._inner.connect_tcp(host, port, _bounded(timeout), local_address, socket_options))

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        return _Stream(self._inner.connect_unix_socket(path, _bounded(timeout), socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def deadline_transport(limits: httpx.Limits, *, trust_env: bool) -> httpx.HTTPTransport:
    """httpx's own transport, its sockets keeping the request deadline (where httpx lets us)."""
    transport = httpx.HTTPTransport(limits=limits, trust_env=trust_env)
    pool = getattr(transport, "_pool", None)
    backend = getattr(pool, "_network_backend", None)
    if isinstance(pool, httpcore.ConnectionPool) and isinstance(backend, httpcore.NetworkBackend):
        pool._network_backend = _Backend(backend)
    return transport
