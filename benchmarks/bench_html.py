"""Load an HTML report in headless Chromium: time to a rendered page, and the renderer's memory.

    python -m benchmarks.synth 100000 --conflicts > /tmp/dump.jsonl
    capsule-audit audit /tmp/dump.jsonl --format html -o /tmp/report.html --fail-on never
    python -m benchmarks.bench_html /tmp/report.html

Prints the file size, the time from navigation to the load event (the page's script renders
the first pages before it), the time to open the last finding by its anchor and to filter by
a capsule, and the resident memory of the renderer process, and the proportional memory (PSS) of all Chromium
processes (about 380 MiB of it for the five-capsule seed page: the browser itself).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from tests.reporters.chromium import Browser, chromium_path


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found + [grandchild for child in found for grandchild in _children(child)]


def _mib(pid: int, field: str) -> float:
    """A /proc/PID/smaps_rollup field ('Rss', or 'Pss': shared pages split between processes)."""
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def _memory(browser: Browser) -> tuple[float, float]:
    """(renderer RSS, all Chromium processes' PSS) in MiB."""
    pids = [browser.process.pid, *_children(browser.process.pid)]
    renderer = 0.0
    for pid in pids:
        try:
            if b"--type=renderer" in Path(f"/proc/{pid}/cmdline").read_bytes():
                renderer = max(renderer, _mib(pid, "Rss"))
        except OSError:
            continue
    total = 0.0
    for pid in pids:
        try:
            total += _mib(pid, "Pss")
        except OSError:
            continue
    return renderer, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("page", type=Path)
    args = parser.parse_args()
    binary = chromium_path()
    if binary is None:
        raise SystemExit("chromium is not installed")
    with tempfile.TemporaryDirectory() as profile:
        browser = Browser(binary, Path(profile))
        try:
            browser.open_page()
            start = time.perf_counter()
            browser.navigate(args.page.resolve().as_uri())
            loaded = time.perf_counter() - start
            heap = browser.evaluate("performance.memory.usedJSHeapSize") / 2**20
            renderer, total = _memory(browser)
            last = browser.evaluate(
                "(() => { const i = JSON.parse(document.getElementById('index').textContent);"
                " return i.findings.anchor[i.findings.order[i.findings.order.length - 1]]; })()"
            )
            start = time.perf_counter()
            opened = (
                "new Promise(done => { window.addEventListener('hashchange', () => done("
                f"document.getElementById({json.dumps(last)}) !== null), {{once: true}});"
                f" location.hash = {json.dumps(last)}; }})"
            )
            answer = browser.send(
                "Runtime.evaluate", {"expression": opened, "awaitPromise": True, "returnByValue": True}
            )
            assert answer["result"]["value"] is True, answer
            jump = time.perf_counter() - start
            start = time.perf_counter()
            browser.evaluate(
                "(() => { const c = document.getElementById('filter-capsule'); c.value = '2026-04-1';"
                " c.dispatchEvent(new Event('change')); })()"
            )
            search = time.perf_counter() - start
            after_renderer, after_total = _memory(browser)
            print(
                f"{args.page.stat().st_size / 2**20:.1f} MiB page; load {loaded:.2f} s; "
                f"last finding by anchor {jump:.2f} s; capsule search {search:.2f} s; "
                f"JS heap {heap:.0f} MiB; renderer {renderer:.0f} MiB (after use {after_renderer:.0f}); "
                f"all Chromium processes {total:.0f} MiB (after use {after_total:.0f})"
            )
            assert browser.console_errors() == [], browser.console_errors()
        finally:
            browser.close()


if __name__ == "__main__":
    main()
