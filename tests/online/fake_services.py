"""A local stand-in for arXiv, Crossref, doi.org and Forge on 127.0.0.1, with fault injection.

Responses are written from the formats in FACTS.md (Atom with the arxiv and OpenSearch
namespaces; Crossref's `{"status": "ok", "message": {...}}` envelope). Faults are queued per
service and consumed one per request, or made permanent; every request is counted.
"""

from __future__ import annotations

import contextlib
import json
import random
import re
import socket
import struct
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit
from xml.sax.saxutils import escape

FAULTS = ("timeout", "reset", "429", "429-after", "503", "malformed", "ratelimit-body", "empty")
# Faults of a broken or hostile server (one per request, like the others):
# drip: headers (no Content-Length), then one byte every `drip_seconds`; drip-headers: the
# headers themselves a byte at a time; truncated: a body cut off before
# its Content-Length; html-400 / html-404 / html-200: an HTML page; redirect-loop: 301 to the same
# address; huge / huge-declared: a 100 MB body (without / with its Content-Length); json:<text> /
# json-404:<text>: a 200 / 404 with that JSON body; bare-entries / total-nan: arXiv's right answer with its entries outside
# the Atom namespace / with a totalResults that is not a count.
HOSTILE_FAULTS = (
    "drip",
    "drip-headers",
    "truncated",
    "html-400",
    "html-200",
    "redirect-loop",
    "huge",
    "huge-declared",
)
ARXIV_ANSWER_FAULTS = ("bare-entries", "total-nan")
HUGE = 100 * 1024 * 1024
_VALID_ID = re.compile(r"^(\d{4}\.\d{4,5}|[a-z-]+(\.[A-Z]{2})?/\d{7})(v[1-9]\d*)?$")


@dataclass(frozen=True)
class Paper:
    arxiv_id: str
    title: str
    published: str  # ISO date
    authors: tuple[str, ...] = ("A. Author",)
    summary: str = "An abstract."


def _entry(paper: Paper) -> str:
    authors = "".join(f"<author><name>{escape(a)}</name></author>" for a in paper.authors)
    return (
        f"<entry><id>http://arxiv.org/abs/{paper.arxiv_id}v1</id>"
        f"<updated>{paper.published}T12:00:00Z</updated><published>{paper.published}T12:00:00Z</published>"
        f"<title>{escape(paper.title)}</title><summary>{escape(paper.summary)}</summary>{authors}"
        f'<link href="http://arxiv.org/abs/{paper.arxiv_id}v1" rel="alternate" type="text/html"/>'
        f'<arxiv:primary_category term="cs.CL" scheme="http://arxiv.org/schemas/atom"/></entry>'
    )


def atom_feed(entries: list[str], total: int | None = None) -> str:
    """An arXiv API response feed."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom" '
        'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">'
        '<title type="html">ArXiv Query</title><id>http://arxiv.org/api/x</id>'
        f"<updated>2026-04-20T00:00:00-04:00</updated>"
        f"<opensearch:totalResults>{len(entries) if total is None else total}</opensearch:totalResults>"
        "<opensearch:startIndex>0</opensearch:startIndex>"
        f"<opensearch:itemsPerPage>{len(entries)}</opensearch:itemsPerPage>{''.join(entries)}</feed>"
    )


def error_feed(bad: str) -> str:
    """arXiv's answer to a malformed ID (served with HTTP 400)."""
    entry = (
        f"<entry><id>http://arxiv.org/api/errors#incorrect_id_format_for_{escape(bad)}</id>"
        f"<title>Error</title><summary>incorrect id format for {escape(bad)}</summary></entry>"
    )
    return atom_feed([entry], total=1)


def crossref_work(doi: str, title: str, issued: tuple[int, int, int], journal: str) -> dict[str, Any]:
    """A Crossref `message` for one work."""
    return {
        "DOI": doi,
        "type": "journal-article",
        "title": [title],
        "container-title": [journal],
        "issued": {"date-parts": [list(issued)]},
        "author": [{"given": "Ada", "family": "Lovelace", "sequence": "first", "affiliation": []}],
    }


CONTROL = Paper("1706.03762", "Attention Is All You Need", "2017-06-12")
"""The paper verification asks for to tell a working arXiv's empty answers from a broken one's."""


@dataclass
class FakeServices:
    papers: dict[str, Paper] = field(default_factory=lambda: {CONTROL.arxiv_id: CONTROL})
    works: dict[str, dict[str, Any]] = field(default_factory=dict)
    registered: set[str] = field(default_factory=set)  # DOIs doi.org's handle system holds
    capsules: dict[str, dict[str, Any]] = field(default_factory=dict)
    always_empty: set[str] = field(default_factory=set)  # arXiv IDs never in a feed
    throttled: set[str] = field(default_factory=set)  # capsule uuids always answered with a rate-limit body
    faults: dict[str, deque[str]] = field(default_factory=lambda: defaultdict(deque))
    permanent: dict[str, str] = field(default_factory=dict)  # service -> fault on every request
    empty_rate: float = 0.0  # arXiv: random empty feeds
    rng: random.Random = field(default_factory=lambda: random.Random(7))
    stall_seconds: float = 0.6  # a "timeout" fault holds the answer this long
    drip_seconds: float = 0.01  # a "drip" fault sends one byte this often
    sent_bytes: int = 0  # body bytes written by "drip" and "huge" faults, until the client hung up
    requests: list[tuple[str, str, str]] = field(default_factory=list)  # (service, method, target)
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None

    @property
    def base(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def count(self, service: str | None = None) -> int:
        with self.lock:
            return sum(1 for s, _, _ in self.requests if service in (None, s))

    def queue(self, service: str, *faults: str) -> None:
        self.faults[service].extend(faults)

    def _next_fault(self, service: str) -> str | None:
        with self.lock:
            if self.faults[service]:
                return self.faults[service].popleft()
            return self.permanent.get(service)

    def start(self) -> FakeServices:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


def _handler(services: FakeServices) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        answer_fault = ""  # an ARXIV_ANSWER_FAULTS fault for this request

        def log_message(self, format: str, *args: Any) -> None:
            del format, args  # quiet

        def finish(self) -> None:
            with contextlib.suppress(OSError):  # the client gave up, or we reset the connection
                super().finish()

        def _send(
            self, status: int, body: bytes | str, ctype: str, headers: dict[str, str] | None = None
        ) -> None:
            raw = body.encode() if isinstance(body, str) else body
            try:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(raw)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(raw)
            except OSError:
                pass

        def _fault(self, service: str) -> bool:
            """Apply the next fault; True when it replaced the answer."""
            fault = services._next_fault(service)
            if fault is None:
                return False
            if fault == "timeout":
                time.sleep(services.stall_seconds)
                return False  # answers, but after the client stopped waiting
            if fault == "reset":
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.connection.close()
                self.close_connection = True
                return True
            if fault == "429":
                self._send(429, "Too Many Requests", "text/plain")
            elif fault.startswith("429-after"):
                self._send(
                    429, "Too Many Requests", "text/plain", {"Retry-After": fault.partition(":")[2] or "2"}
                )
            elif fault == "503":
                self._send(503, "Service Unavailable", "text/plain")
            elif fault == "malformed":
                self._send(200, '<?xml version="1.0"?><feed><entry><title>cut', "application/atom+xml")
            elif fault == "ratelimit-body":
                self._send(200, '{"error": "Rate limit exceeded"}', "application/json")
            elif fault == "empty":
                self._send(200, atom_feed([]), "application/atom+xml")
            elif fault in ARXIV_ANSWER_FAULTS:
                self.answer_fault = fault
                return False
            else:
                self._hostile(fault)
            return True

        def _hostile(self, fault: str) -> None:
            if fault == "html-400":
                self._send(400, "<html><body><h1>Bad Request</h1></body></html>", "text/html")
            elif fault == "html-200":
                self._send(200, "<html><body>Down for maintenance</body></html>", "text/html")
            elif fault == "redirect-loop":
                self._send(301, "", "text/html", {"Location": self.path})
            elif fault.startswith("json:"):
                self._send(200, fault.partition(":")[2], "application/json")
            elif fault.startswith("json-404:"):
                self._send(404, fault.partition(":")[2], "application/json")
            elif fault == "html-404":
                self._send(404, "<html><body><h1>Not Found</h1></body></html>", "text/html")
            elif fault == "truncated":
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", "5000")
                self.end_headers()
                self.wfile.write(b'{"status": "ok", "message": {"title": ["cut')
                self.close_connection = True
            elif fault in ("drip", "huge", "huge-declared"):
                self._stream(fault)
            elif fault == "drip-headers":
                self._drip_headers()
            else:
                raise AssertionError(f"unknown fault {fault!r}")

        def _drip_headers(self) -> None:
            """A status line, then a header one byte every `drip_seconds`, never ending."""
            self.close_connection = True
            try:
                self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
                for _ in range(100_000):
                    self.wfile.write(b"z")
                    self.wfile.flush()
                    with services.lock:
                        services.sent_bytes += 1
                    time.sleep(services.drip_seconds)
            except OSError:
                pass

        def _stream(self, fault: str) -> None:
            """Write a body until it is all sent or the client hangs up."""
            self.send_response(200)
            self.send_header("Content-Type", "application/atom+xml")
            if fault == "huge-declared":
                self.send_header("Content-Length", str(HUGE))
            self.end_headers()
            self.close_connection = True
            chunk, pause = (b"<", services.drip_seconds) if fault == "drip" else (b"x" * 1024 * 1024, 0.0)
            try:
                for _ in range(HUGE // len(chunk)):
                    self.wfile.write(chunk)
                    self.wfile.flush()
                    with services.lock:
                        services.sent_bytes += len(chunk)
                    time.sleep(pause)
            except OSError:
                pass

        def _handle(self, path: str) -> None:
            """doi.org's REST API: the handle record, or the handle system's "not found"."""
            if not path.startswith("/api/handles/"):
                self._send(404, "<html>no such page</html>", "text/html")
                return
            doi = path.removeprefix("/api/handles/")
            if doi.lower() in services.registered:
                url = {"format": "string", "value": f"http://publisher.invalid/{doi.lower()}"}
                values = [{"index": 1, "type": "URL", "data": url, "ttl": 86400}]
                self._send(
                    200, json.dumps({"responseCode": 1, "handle": doi, "values": values}), "application/json"
                )
            else:
                self._send(404, json.dumps({"responseCode": 100, "handle": doi}), "application/json")

        def do_HEAD(self) -> None:
            self.do_GET()

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            path = unquote(url.path)
            service = path.strip("/").split("/")[0]
            self.answer_fault = ""
            with services.lock:
                services.requests.append((service, self.command, self.path))
            if self._fault(service):
                return
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            if service == "api":
                self._arxiv(query)
            elif service == "works":
                work = services.works.get(path[len("/works/") :].lower())
                if work is None:
                    self._send(404, "Resource not found.", "text/plain")
                else:
                    body = {
                        "status": "ok",
                        "message-type": "work",
                        "message-version": "1.0.0",
                        "message": work,
                    }
                    self._send(200, json.dumps(body), "application/json")
            elif service == "doi":
                self._handle(path.removeprefix("/doi"))
            elif service == "public":
                uuid = path.rsplit("/", 1)[-1]
                capsule = services.capsules.get(uuid)
                if uuid in services.throttled:
                    self._send(200, '{"error": "Rate limit exceeded"}', "application/json")
                elif capsule is None:
                    self._send(404, '{"error": "not found"}', "application/json")
                else:
                    self._send(200, json.dumps(capsule), "application/ld+json")
            else:
                self._send(404, "no such service", "text/plain")

        def _arxiv(self, query: dict[str, str]) -> None:
            random_empty = services.empty_rate and services.rng.random() < services.empty_rate
            if "id_list" in query:
                ids = [i for i in query["id_list"].split(",") if i]
                bad = [i for i in ids if not _VALID_ID.match(i)]
                if bad:
                    self._send(400, error_feed(bad[0]), "application/atom+xml")
                    return
                found = [
                    services.papers[i] for i in ids if i in services.papers and i not in services.always_empty
                ]
                entries = [] if random_empty else [_entry(p) for p in reversed(found)]  # any order
                self._send(200, self._spoilt(atom_feed(entries)), "application/atom+xml")
                return
            phrase = re.sub(r"\W+", " ", query.get("search_query", "").removeprefix("ti:")).strip().lower()
            hits = [
                p
                for p in services.papers.values()
                if phrase and phrase in re.sub(r"\W+", " ", p.title.lower())
            ]
            feed = atom_feed([] if random_empty else [_entry(p) for p in hits])
            self._send(200, self._spoilt(feed), "application/atom+xml")

        def _spoilt(self, body: str) -> str:
            """The feed as an ARXIV_ANSWER_FAULTS fault spoils it (unchanged without one)."""
            if self.answer_fault == "bare-entries":  # the papers, but not as Atom entries
                return body.replace("<entry>", '<entry xmlns="">')
            if self.answer_fault == "total-nan":
                return re.sub(r"<opensearch:totalResults>\d+<", "<opensearch:totalResults>lots<", body)
            return body

    return Handler
