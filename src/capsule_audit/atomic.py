"""Output files written whole or not at all: a temporary file beside the target, then a rename.

A CI job cancelled while the report is being written, a full disk, or a reporter failing half
way must not leave a truncated `report.json` or JUnit file over the previous one: readers would
take it for the report. The text goes to a hidden temporary file in the target's folder (so the
rename stays on one filesystem and is atomic) and replaces the target only once it is complete;
on any failure, an interruption included, the temporary file is removed and the target is left
as it was.

A target that exists and is not a regular file (`/dev/null`, `/dev/stdout`, a named pipe) is
written in place: renaming over it would replace the device, not write to it. A symbolic link is
followed, so the file it points to is replaced and the link kept.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, TextIO, cast

from capsule_audit import interrupts


def _mode_for(target: Path) -> int:
    """The permissions of the file replaced, else those a new file would get (0666 less umask)."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextmanager
def atomic_writer(destination: str | Path) -> Iterator[TextIO]:
    """A UTF-8 text stream whose content replaces `destination` when the block ends normally.

    Parent folders are created. OSError (cannot create, write or rename) propagates; the caller
    names the path in its message.
    """
    with _replacing(destination, binary=False) as handle:
        yield cast(TextIO, handle)


@contextmanager
def _replacing(destination: str | Path, *, binary: bool) -> Iterator[IO[Any]]:
    """`atomic_writer`, for text (UTF-8) or bytes."""
    target = Path(os.path.realpath(destination)) if os.path.islink(destination) else Path(destination)
    if target.exists() and not target.is_file():
        with _open(target, "wb" if binary else "w") as handle:
            yield handle
        return
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # a file stands where a folder of the path should be
        raise NotADirectoryError(
            errno.ENOTDIR, f"{os.strerror(errno.ENOTDIR)} (a file is in the path)"
        ) from None
    scratch: str | None = None
    try:
        # A signal is held while the temporary file is made and raised inside this `try`, whose
        # cleanup removes the file: it can never exist with no one to remove it.
        with interrupts.deferred():
            descriptor, scratch = tempfile.mkstemp(
                prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
            )
            try:
                handle = _open(descriptor, "wb" if binary else "w")
            except BaseException:
                os.close(descriptor)
                raise
        with handle:
            yield handle
            handle.flush()
            os.fchmod(handle.fileno(), _mode_for(target))
        os.replace(scratch, target)
    except BaseException:
        if scratch is not None:
            with contextlib.suppress(OSError):
                os.unlink(scratch)
        raise


def _open(file: Path | int, mode: str) -> IO[Any]:
    if "b" in mode:
        return open(file, mode)  # the caller's `with` closes it
    return open(file, mode, encoding="utf-8", newline="")


def write_atomically(destination: str | Path, text: str) -> None:
    """Replace `destination` with `text` (see `atomic_writer`)."""
    with atomic_writer(destination) as out:
        out.write(text)


def write_bytes_atomically(destination: str | Path, data: bytes) -> None:
    """Replace `destination` with `data`, whole or not at all (see `atomic_writer`)."""
    with _replacing(destination, binary=True) as out:
        out.write(data)
