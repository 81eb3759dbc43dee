"""Read a response body within a size cap and a deadline, streaming, so neither can run away.

httpx's timeout bounds each network read, not the whole answer: a server that sends one byte
every few seconds would never time out, and a 100 MB body would be held whole in memory. Here
the body is read chunk by chunk, and the read stops as soon as it passes `limit` bytes
(decoded) or the request's deadline: the answer is then a failed attempt, not a body. (The
socket keeps the deadline too, headers included: `capsule_audit.online.deadline`.)
"""

from __future__ import annotations

from collections.abc import Iterable

import httpx

from capsule_audit.online.ratelimit import Clock

# Headers that describe the wire form of the body: the body kept is already decoded and whole.
_WIRE_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})


class BodyRefused(Exception):
    """The answer was cut off on purpose: too large, or too slow in coming."""

    def __init__(self, reason: str, *, slow: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.slow = slow


def read_capped(chunks: Iterable[bytes], *, limit: int, deadline: float, clock: Clock) -> bytes:
    """The chunks joined; BodyRefused past `limit` bytes or once `clock()` passes `deadline`."""
    body = bytearray()
    for chunk in chunks:
        body += chunk
        if len(body) > limit:
            raise BodyRefused(f"answer larger than {limit:,} bytes (cut off)", slow=False)
        if clock() > deadline:
            raise BodyRefused("answer still arriving at the request deadline (cut off)", slow=True)
    return bytes(body)


def declared_too_large(response: httpx.Response, limit: int) -> bool:
    """Whether Content-Length announces more than `limit` bytes (nothing need be read then)."""
    declared = response.headers.get("Content-Length", "").strip()
    return declared.isdecimal() and int(declared) > limit


def fetch_bounded(
    client: httpx.Client, request: httpx.Request, *, limit: int, deadline: float, clock: Clock
) -> httpx.Response:
    """Send `request` and read its body within `limit` and `deadline`; the connection is closed
    on a refused body. The returned response holds the decoded body (wire headers dropped)."""
    response = client.send(request, stream=True)
    try:
        if request.method != "HEAD" and declared_too_large(response, limit):  # HEAD: GET's length
            raise BodyRefused(f"answer announced as larger than {limit:,} bytes (not read)", slow=False)
        body = read_capped(response.iter_bytes(), limit=limit, deadline=deadline, clock=clock)
    finally:
        response.close()
    headers = [(k, v) for k, v in response.headers.multi_items() if k.lower() not in _WIRE_HEADERS]
    return httpx.Response(response.status_code, headers=headers, content=body, request=request)
