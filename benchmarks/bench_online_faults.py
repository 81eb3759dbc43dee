"""How long `audit --online` (and `fetch`) take, and how much memory, when the services misbehave.

Run: `.venv/bin/python -m benchmarks.bench_online_faults [MODE ...]` (default: every mode). The
seeds are audited with the default online settings (timeouts, retries, arXiv's 3 s interval)
against the local stand-in services of the tests on 127.0.0.1, every service answering with one
fault on every request. Each run is a fresh child process: wall time, its peak RSS, the exit code
and the verdict counts are printed. Nothing leaves the machine.

Modes: healthy (no fault, for comparison), refused (nothing listens: as without a network), 429-after:120, drip (one byte every 5 s),
hang (every answer held 30 s, past the 20 s timeout), huge (a 100 MB body), empty (arXiv's empty
feed), fetch-refused (`capsule-audit fetch` of one capsule, nothing listening).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.online.fake_services import FakeServices
from tests.online.test_verify import serve_seeds

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fixtures" / "seeds"
MODES = ("healthy", "refused", "429-after:120", "drip", "hang", "huge", "empty", "fetch-refused")
_CHILD = """
import resource, sys
from capsule_audit.cli import main
sys.argv = ["capsule-audit", *sys.argv[1:]]
try:
    main()
except SystemExit as done:
    code = done.code
print(f"exit={code} peak_mib={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}", file=sys.stderr)
"""


def _refused_base() -> str:
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    host, port = server.server_address[:2]
    server.server_close()
    return f"http://{host!s}:{port}"


def _args(mode: str, base: str, cache: str) -> list[str]:
    if mode == "fetch-refused":
        return ["fetch", "223f9579-7bd4-418a-bf62-f72791e369f5", "--out", cache, "--forge-url", base]
    return [
        "audit",
        str(SEEDS),
        "--online",
        "--arxiv-api-url",
        f"{base}/api/query",
        "--crossref-api-url",
        base,
        "--doi-resolver-url",
        f"{base}/doi",
        "--cache-dir",
        cache,
        "--format",
        "json",
        "--output",
        str(Path(cache) / "report.json"),
        "--fail-on",
        "never",
        "--jobs",
        "1",
    ]


def run(mode: str) -> str:
    services: FakeServices | None = None
    if mode.endswith("refused"):
        base = _refused_base()
    else:
        services = FakeServices(drip_seconds=5.0, stall_seconds=30.0).start()
        serve_seeds(services)
        fault = {"hang": "timeout"}.get(mode, mode)
        for service in ("api", "works", "doi") if mode != "healthy" else ():
            services.permanent[service] = fault
        base = services.base
    try:
        with tempfile.TemporaryDirectory() as cache:
            started = time.monotonic()
            child = subprocess.run(
                [sys.executable, "-c", _CHILD, *_args(mode, base, cache)],
                capture_output=True,
                text=True,
                check=False,
                env={"PATH": "", "NO_PROXY": "*", "PYTHONPATH": str(ROOT / "src")},
            )
            wall = time.monotonic() - started
    finally:
        if services is not None:
            services.stop()
    lines = child.stderr.strip().splitlines()
    online = next((line for line in lines if line.startswith("online:")), "")
    requests = services.count() if services is not None else 0
    return f"{mode:15} {wall:7.1f} s  {lines[-1] if lines else '?'}  requests={requests}  {online}"


def main(modes: list[str]) -> None:
    for mode in modes or MODES:
        print(run(mode), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
