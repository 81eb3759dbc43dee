"""Folders: every regular file is read and counted; --exclude globs; links out of the folders."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from capsule_audit.config import Limits
from capsule_audit.loading import Document, RejectedDocument, iter_documents
from tests.loading.helpers import kinds

CAPSULE = {"@context": "https://schema.org", "@type": "CreativeWork", "@id": "https://x.test/c/1"}
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"


def _load(*paths: Path, exclude: tuple[str, ...] = (), follow_links: bool = False) -> list[Document]:
    found = iter_documents([str(p) for p in paths], Limits(), exclude=exclude, follow_links=follow_links)
    return list(found)


def _shown(documents: list[Document], root: Path) -> list[str]:
    return [d.source.path[len(str(root)) + 1 :] for d in documents]


def _message(document: Document) -> str:
    assert isinstance(document, RejectedDocument)
    return document.finding.message


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "dump"
    root.mkdir()
    for name in ("capsule.json.bak", "old.capsule", "page.html", ".hidden"):
        (root / name).write_text(json.dumps(CAPSULE), encoding="utf-8")
    (root / "image.png").write_bytes(PNG)
    return root


def test_files_are_read_whatever_their_name_and_what_is_not_a_capsule_is_counted(folder: Path) -> None:
    documents = _load(folder)
    assert _shown(documents, folder) == [
        ".hidden",
        "capsule.json.bak",
        "image.png",
        "old.capsule",
        "page.html",
    ]
    assert kinds(documents) == ["json", "json", "CA001", "json", "json"]  # the image: not text, reported


def test_exclude_globs_match_names_and_relative_paths_and_prune_folders(folder: Path) -> None:
    (folder / "drafts").mkdir()
    (folder / "drafts" / "a.json").write_text(json.dumps(CAPSULE), encoding="utf-8")
    (folder / "batch").mkdir()
    (folder / "batch" / "keep.json").write_text(json.dumps(CAPSULE), encoding="utf-8")
    (folder / "batch" / "skip.json").write_text(json.dumps(CAPSULE), encoding="utf-8")
    documents = _load(folder, exclude=("*.bak", "*.png", ".*", "drafts/", "batch/skip.*"))
    assert _shown(documents, folder) == ["batch/keep.json", "old.capsule", "page.html"]


def test_version_control_folders_are_excluded_unless_named(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    assert _load(tmp_path) == []
    assert kinds(_load(tmp_path / ".git" / "HEAD")) == ["text"]  # a path named is always read


def _outside(tmp_path: Path) -> Path:
    secret = tmp_path / "elsewhere" / "passwd"
    secret.parent.mkdir()
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    return secret


def test_a_link_leaving_the_folder_is_reported_not_read(folder: Path, tmp_path: Path) -> None:
    secret = _outside(tmp_path)
    (folder / "passwd.txt").symlink_to(secret)
    (folder / "etc").symlink_to(secret.parent, target_is_directory=True)
    documents = {d.source.path[len(str(folder)) + 1 :]: d for d in _load(folder)}
    for link in ("passwd.txt", "etc"):
        assert kinds([documents[link]]) == ["CA001"]
        assert str(secret.parent) in _message(documents[link]) and "not followed" in _message(documents[link])
    assert "etc/passwd" not in documents  # the folder link was not entered


def test_follow_links_reads_them(folder: Path, tmp_path: Path) -> None:
    secret = _outside(tmp_path)
    (folder / "passwd.txt").symlink_to(secret)
    (folder / "etc").symlink_to(secret.parent, target_is_directory=True)
    documents = {d.source.path[len(str(folder)) + 1 :]: d for d in _load(folder, follow_links=True)}
    assert kinds([documents["passwd.txt"], documents["etc/passwd"]]) == ["text", "text"]


def test_links_inside_the_folders_given_and_broken_links(folder: Path, tmp_path: Path) -> None:
    (folder / "sub").mkdir()
    (folder / "sub" / "real.json").write_text(json.dumps(CAPSULE), encoding="utf-8")
    (folder / "alias.json").symlink_to(folder / "sub" / "real.json")
    (folder / "loop").symlink_to(folder, target_is_directory=True)  # inside: not entered again
    (folder / "gone.json").symlink_to(folder / "missing.json")
    other = tmp_path / "other"
    other.mkdir()
    (folder / "to-other.json").symlink_to(other / "x.json")
    (other / "x.json").write_text(json.dumps(CAPSULE), encoding="utf-8")
    documents = {d.source.path[len(str(folder)) + 1 :]: d for d in _load(folder, other)}
    assert kinds([documents["alias.json"], documents["sub/real.json"]]) == ["json", "json"]
    assert "loop" not in documents and not any(path.startswith("loop/") for path in documents)
    assert kinds([documents["gone.json"]]) == ["CA001"] and "broken" in _message(documents["gone.json"])
    assert kinds([documents["to-other.json"]]) == ["json"]  # `other` is a folder given too


def test_a_link_cycle_ends_with_follow_links(tmp_path: Path) -> None:
    root, outside = tmp_path / "root", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (outside / "a.json").write_text(json.dumps(CAPSULE), encoding="utf-8")
    (root / "out").symlink_to(outside, target_is_directory=True)
    (outside / "back").symlink_to(outside, target_is_directory=True)
    assert _shown(_load(root, follow_links=True), root) == ["out/a.json"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need POSIX")
def test_a_named_pipe_is_reported_never_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    (document,) = _load(tmp_path)
    assert kinds([document]) == ["CA001"] and "not a regular file" in _message(document)
