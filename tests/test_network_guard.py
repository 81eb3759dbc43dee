"""The network guard itself must work, or every 'opens no socket' test proves nothing."""

from __future__ import annotations

import socket

import pytest

from tests.conftest import NetworkForbidden


def test_guard_blocks_name_lookup(network_guard: list[tuple[str, str]]) -> None:
    with pytest.raises(NetworkForbidden):
        socket.getaddrinfo("example.org", 443)
    assert network_guard and network_guard[0][0] == "socket.getaddrinfo"
    network_guard.clear()  # the violation was provoked on purpose


def test_guard_blocks_inet_socket(network_guard: list[tuple[str, str]]) -> None:
    with pytest.raises(NetworkForbidden):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    assert network_guard[0][0] == "socket.__new__"
    network_guard.clear()


@pytest.mark.loopback_network
def test_loopback_allowed_when_marked(network_guard: list[tuple[str, str]]) -> None:
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    client = socket.create_connection(server.getsockname(), timeout=2)
    client.close()
    server.close()
    assert network_guard == []
