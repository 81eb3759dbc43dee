"""Inputs: files, directories, stdin, URLs; paths in SourceRef; usage errors; unreadable inputs."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from capsule_audit.config import Limits
from capsule_audit.errors import UsageError
from capsule_audit.loading import JsonDocument, RejectedDocument, TextDocument, iter_documents
from tests.conftest import SEEDS
from tests.loading.helpers import LOADING, kinds, load, rule_of

CAPSULE = {"@context": "https://schema.org", "@type": "CreativeWork", "@id": "https://x.test/c/1"}


def test_seed_directory_gives_four_capsules_and_one_digest_with_joined_paths() -> None:
    documents = load("fixtures/seeds")
    names = sorted(p.name for p in SEEDS.iterdir())
    assert [d.source.path for d in documents] == [f"fixtures/seeds/{n}" for n in names]
    assert [type(d) for d in documents] == [JsonDocument] * 4 + [TextDocument]
    assert all(d.source.pointer == "" and d.source.line == 1 for d in documents)


def test_directory_trailing_slash_does_not_double_the_separator() -> None:
    paths = [d.source.path for d in load("fixtures/seeds/")]
    assert paths[0] == f"fixtures/seeds/{sorted(p.name for p in SEEDS.iterdir())[0]}"


def test_directory_recursion_is_sorted_and_reads_every_file_but_version_control(tmp_path: Path) -> None:
    body = json.dumps(CAPSULE)
    for rel in ["b.json", "a/z.jsonl", "a/y.txt", "c", ".hidden.json", ".git/x.json", "d.csv", "e.json.gz"]:
        target = tmp_path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(gzip.compress(body.encode()) if rel.endswith(".gz") else body.encode())
    documents = load(tmp_path)
    shown = [d.source.path[len(str(tmp_path)) + 1 :] for d in documents]
    assert shown == [".hidden.json", "a/y.txt", "a/z.jsonl", "b.json", "c", "d.csv", "e.json.gz"]
    assert kinds(documents) == ["json"] * 7


def test_a_file_named_explicitly_is_read_whatever_its_extension(tmp_path: Path) -> None:
    target = tmp_path / "capsule.csv"
    target.write_text(json.dumps(CAPSULE))
    assert kinds(load(target)) == ["json"]


def test_stdin_dash_reads_the_given_stream() -> None:
    documents = load("-", stdin=(json.dumps(CAPSULE) + "\n" + json.dumps(CAPSULE) + "\n").encode())
    assert [(d.source.path, d.source.line, d.source.index) for d in documents] == [("-", 1, 0), ("-", 2, 1)]


def test_stdin_can_be_gzip() -> None:
    documents = load("-", stdin=gzip.compress(json.dumps([CAPSULE, CAPSULE]).encode()))
    assert [d.source.pointer for d in documents] == ["/0", "/1"]


def test_missing_path_is_a_usage_error_before_any_document() -> None:
    with pytest.raises(UsageError):
        iter_documents(["fixtures/seeds", "no/such/file.json"], Limits())


def test_url_without_fetcher_is_a_usage_error() -> None:
    with pytest.raises(UsageError):
        iter_documents(["https://forgecascade.org/public/capsules/x"], Limits())


def test_url_is_fetched_and_parsed_like_a_file() -> None:
    url = "https://forgecascade.org/public/capsules/x"
    fetched: list[str] = []

    def fetch(address: str) -> bytes:
        fetched.append(address)
        return json.dumps(CAPSULE).encode()

    documents = list(iter_documents([url], Limits(), fetch_url=fetch))
    assert fetched == [url]
    assert [(type(d), d.source.path) for d in documents] == [(JsonDocument, url)]


def test_a_failed_fetch_is_ca001_and_the_batch_goes_on() -> None:
    def fetch(address: str) -> bytes:
        raise OSError("connection refused")

    documents = list(iter_documents(["https://a.test/x", str(SEEDS)], Limits(), fetch_url=fetch))
    assert rule_of(documents[0]) == "CA001"
    assert documents[0].source.path == "https://a.test/x"
    assert len(documents) == 6


def test_corrupt_gzip_is_ca001_for_that_file_and_the_next_file_loads() -> None:
    documents = load(LOADING / "corrupt.jsonl.gz", SEEDS / "000_ea5c0029181cb232.txt")
    rejected = [d for d in documents if isinstance(d, RejectedDocument)]
    assert [(rule_of(d), Path(d.source.path).name) for d in rejected] == [("CA001", "corrupt.jsonl.gz")]
    assert isinstance(documents[-1], JsonDocument)


class _FailingStream(io.RawIOBase):
    """A stream whose device fails after the first bytes."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        self.calls += 1
        if self.calls > 1:
            raise OSError(5, "Input/output error")
        data = (json.dumps(CAPSULE) + "\n").encode() * 2
        buffer[: len(data)] = data
        return len(data)


def test_io_error_mid_file_is_ca001_after_the_documents_before_it() -> None:
    documents = list(iter_documents(["-"], Limits(), stdin=_FailingStream()))  # type: ignore[arg-type]
    assert kinds(documents) == ["json", "json", "CA001"]
    assert documents[-1].source.path == "-"


def test_empty_directory_holds_no_documents(tmp_path: Path) -> None:
    assert load(tmp_path) == []


def test_file_over_max_file_bytes_is_ca005(tmp_path: Path) -> None:
    target = tmp_path / "dump.jsonl"
    target.write_text("\n".join(json.dumps(CAPSULE) for _ in range(50)))
    documents = load(target, limits=Limits(max_file_bytes=1000))
    assert rule_of(documents[-1]) == "CA005"
    assert all(isinstance(d, JsonDocument) for d in documents[:-1])
