"""The files of a folder given as input: every regular file, in sorted path order.

The format of a file is detected from its content, so no file is passed over for its name: a
`.bak`, a hidden file or an image is read, and what is neither a capsule nor a digest becomes a
finding (CA001, CA002), so it is counted. What the user does not want audited is named with
`--exclude GLOB` (or `exclude` in the configuration). Version-control folders (`.git`, `.hg`,
`.svn`) are excluded by default; a path named on the command line is always read.

A glob matches an entry's name (`*.bak`, `drafts`) or its path relative to the folder given
(`batch-*/old`); an excluded folder is not entered.

Symbolic links: a link whose target lies inside one of the folders given is followed for a file
(its content is audited under the link's path) and not entered for a folder (its files are
audited under their own path). A link leaving the folders given is not followed, unless
`--follow-links`: it is reported (CA001, with the link's path), so that `passwd.txt ->
/etc/passwd` neither lands in the report nor passes unseen. A broken link, and a device, pipe
or socket, are reported the same way and never opened.
"""

from __future__ import annotations

import fnmatch
import os
import posixpath
from collections.abc import Iterator, Sequence

__all__ = ["DEFAULT_EXCLUDES", "Walk"]

DEFAULT_EXCLUDES: tuple[str, ...] = (".git", ".hg", ".svn")
"""Excluded from every folder walk: version-control metadata, never capsules."""

Found = tuple[str, str | None, str]
"""(path as shown, path to open or None, why it is not read: '' when it is)."""


def _inside(path: str, folders: Sequence[str]) -> bool:
    return any(path == f or path.startswith(f.rstrip(os.sep) + os.sep) for f in folders)


class Walk:
    """Walks the folders among `roots` with one set of exclusions and one symbolic-link policy."""

    def __init__(
        self, roots: Sequence[str], exclude: Sequence[str] = (), *, follow_links: bool = False
    ) -> None:
        self.folders = [os.path.realpath(r) for r in roots if os.path.isdir(r)]
        self.patterns = tuple(p.rstrip("/") for p in (*DEFAULT_EXCLUDES, *exclude) if p.rstrip("/"))
        self.follow_links = follow_links

    def excluded(self, name: str, relative: str) -> bool:
        """Whether a glob matches the entry's name or its path relative to the folder given."""
        return any(fnmatch.fnmatch(name, p) or fnmatch.fnmatch(relative, p) for p in self.patterns)

    def files(self, root: str) -> Iterator[Found]:
        """Every file under the folder `root`, sorted; paths shown joined with '/'."""
        yield from self._folder(root, root.replace(os.sep, "/"), "", (os.path.realpath(root),))

    def _folder(self, path: str, shown: str, relative: str, above: tuple[str, ...]) -> Iterator[Found]:
        try:
            entries = sorted(os.scandir(path), key=lambda e: e.name)
        except OSError as exc:
            yield shown, None, f"cannot list directory: {exc.strerror or exc}"
            return
        for entry in entries:
            rel = posixpath.join(relative, entry.name)
            if self.excluded(entry.name, rel):
                continue
            child = posixpath.join(shown, entry.name)
            if entry.is_symlink():
                yield from self._link(entry.path, child, rel, above)
            elif entry.is_dir(follow_symlinks=False):
                yield from self._folder(entry.path, child, rel, (*above, os.path.realpath(entry.path)))
            elif entry.is_file(follow_symlinks=False):
                yield child, entry.path, ""
            else:
                yield child, None, "not a regular file (a device, pipe or socket): not read"

    def _link(self, path: str, shown: str, relative: str, above: tuple[str, ...]) -> Iterator[Found]:
        target = os.path.realpath(path)
        if not os.path.exists(target):
            yield shown, None, "broken symbolic link: its target does not exist"
            return
        inside = _inside(target, self.folders)
        if not inside and not self.follow_links:
            yield (
                shown,
                None,
                (
                    f"symbolic link to {target}, outside the audited folders: not followed (--follow-links reads it)"
                ),
            )
        elif os.path.isdir(target):
            if not inside and target not in above:  # inside: audited under its own path; above: a cycle
                yield from self._folder(path, shown, relative, (*above, target))
        elif os.path.isfile(target):
            yield shown, path, ""
        else:
            yield shown, None, "symbolic link to something not a regular file: not read"
