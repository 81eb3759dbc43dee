"""An offline audit opens no socket at all: not even the AF_UNIX/AF_INET ones libuuid opens.

pyld names each processed context `uuid.uuid1()`; libuuid then connects to uuidd (AF_UNIX) and
reads the MAC address through an AF_INET socket. The conftest guard sees only Python sockets
(and lets AF_UNIX pass for event loops), so this is checked twice: in-process with `uuid1`
forbidden, and at the syscall level under strace in a subprocess.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from capsule_audit.loading.documents import JsonDocument
from capsule_audit.models.records import CapsuleRecord, SourceRef
from capsule_audit.normalize.dispatch import normalize_json
from tests.conftest import SEEDS

VOCAB = {
    "@context": {"@vocab": "http://schema.org/"},
    "@type": "CreativeWork",
    "@id": "https://forgecascade.org/public/capsules/vocab",
    "name": "Vocab",
    "text": "We found that the model improves accuracy.",
}


def _forbid_uuid1(monkeypatch: pytest.MonkeyPatch) -> None:
    def uuid1(*args: object) -> uuid.UUID:
        raise AssertionError("uuid.uuid1 called: libuuid opens sockets")

    monkeypatch.setattr(uuid, "uuid1", uuid1)


def test_a_vocab_context_is_processed_without_uuid1(monkeypatch: pytest.MonkeyPatch) -> None:
    _forbid_uuid1(monkeypatch)
    (unit,) = normalize_json(JsonDocument(source=SourceRef(path="vocab.json"), value=VOCAB))
    assert isinstance(unit, CapsuleRecord)
    assert (unit.id, unit.name) == (VOCAB["@id"], "Vocab")


def test_pyld_outside_our_calls_still_gets_the_real_uuid1(monkeypatch: pytest.MonkeyPatch) -> None:
    from pyld import jsonld

    import capsule_audit.jsonld.expand  # noqa: F401  (installs the stand-in)

    _forbid_uuid1(monkeypatch)
    with pytest.raises(AssertionError, match="uuid1 called"):
        jsonld.uuid.uuid1()


def _strace_sockets(tmp_path: Path, *inputs: str) -> list[str]:
    strace = shutil.which("strace")
    if strace is None:
        pytest.skip("strace is not installed (apt-get install strace): the syscall-level check needs it")
    log = tmp_path / "strace.log"
    command = [
        strace, "-f", "-qq", "-e", "trace=socket,socketpair,connect", "-o", str(log),
        sys.executable, "-c", "import sys; from capsule_audit.cli import main; sys.exit(main())",
        "audit", *inputs, "--jobs", "2", "--format", "json",
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    if (
        not log.exists()
        or "ptrace" in done.stderr.lower()
        or "operation not permitted" in done.stderr.lower()
    ):
        pytest.skip(f"strace cannot trace here: {done.stderr.strip()[:200]}")
    assert done.returncode in (0, 1), done.stderr[-2000:]
    assert json.loads(done.stdout)["findings"] is not None  # the audit ran to its report
    return [line for line in log.read_text().splitlines() if "socket" in line or "connect(" in line]


def test_an_offline_audit_makes_no_socket_syscall(tmp_path: Path) -> None:
    vocab = tmp_path / "vocab.json"
    vocab.write_text(json.dumps(VOCAB))
    relative = tmp_path / "relative.json"
    relative.write_text(json.dumps({**VOCAB, "@context": "https://schema.org", "@id": "capsules/x"}))
    assert _strace_sockets(tmp_path, str(vocab), str(relative), str(SEEDS)) == []
