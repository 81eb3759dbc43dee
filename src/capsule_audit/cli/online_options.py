"""The online options of `capsule-audit audit`: `--online`, service URLs, the cache, progress.

Kept apart from `cli/audit.py`, which only forwards them. The rule: no socket is opened unless
the user asks for online verification. Without `--online` (or `--cache-only`, which verifies
from cached answers and never touches the network) no verifier and no fetcher is built, and a
URL argument is a usage error. The online modules (httpx and friends) are imported only here,
and only when asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from capsule_audit.api import Verify
from capsule_audit.errors import UsageError
from capsule_audit.models.claims import ExtractedCapsule
from capsule_audit.models.verdicts import Verdict, VerdictKind, failed_count
from capsule_audit.pipeline import FetchUrl

if TYPE_CHECKING:
    from capsule_audit.online.options import OnlineOptions

# The flags, as `audit` declares them (one line each there).
OnlineFlag = Annotated[
    bool, typer.Option("--online", help="Verify cited identifiers at arXiv, Crossref and doi.org.")
]
ArxivUrl = Annotated[str | None, typer.Option("--arxiv-api-url", help="arXiv API query URL (a mirror).")]
CrossrefUrl = Annotated[str | None, typer.Option("--crossref-api-url", help="Crossref API base URL.")]
DoiUrl = Annotated[str | None, typer.Option("--doi-resolver-url", help="DOI resolver base URL.")]
ArxivInterval = Annotated[
    float | None, typer.Option("--arxiv-min-interval", min=0, help="Seconds between arXiv requests (3).")
]
Mailto = Annotated[str | None, typer.Option("--mailto", help="Contact address for Crossref's polite pool.")]
CacheDir = Annotated[
    Path | None, typer.Option("--cache-dir", help="Answer cache folder (default: the user cache dir).")
]
Refresh = Annotated[bool, typer.Option("--refresh", help="Ask the services again; update the cache.")]
CacheOnly = Annotated[
    bool, typer.Option("--cache-only", help="Verify from cached answers only: never the network.")
]
Timeout = Annotated[
    float | None, typer.Option("--timeout", min=0.001, help="Per-request timeout, seconds (20).")
]
RequestDeadline = Annotated[
    float | None,
    typer.Option("--request-deadline", min=0.001, help="Seconds one request may take, body included (30)."),
]
OnlineBudget = Annotated[
    float | None,
    typer.Option("--online-budget", min=0.001, help="Seconds the online step may take in all (3600)."),
]
RequireVerified = Annotated[
    bool,
    typer.Option(
        "--require-verified",
        help="Exit 1 when some identifier could not be checked (a service failed or was not asked).",
    ),
]

LookupProgress = Callable[[int, int], None]
"""Called with (lookups done, lookups in all)."""

_SETTINGS: tuple[str, ...] = ("arxiv_api_url", "crossref_api_url", "doi_resolver_url")
_SETTINGS += ("arxiv_min_interval", "mailto", "cache_dir", "timeout", "request_deadline")
_SETTINGS += ("run_budget",)


@dataclass(frozen=True)
class OnlineFlags:
    """What the online flags asked for; the defaults mean offline (nothing changes)."""

    online: bool = False
    arxiv_api_url: str | None = None
    crossref_api_url: str | None = None
    doi_resolver_url: str | None = None
    arxiv_min_interval: float | None = None
    mailto: str | None = None
    cache_dir: Path | None = None
    refresh: bool = False
    cache_only: bool = False
    timeout: float | None = None
    request_deadline: float | None = None
    run_budget: float | None = None
    require_verified: bool = False

    @property
    def enabled(self) -> bool:
        """Whether the verification step runs (`--cache-only` implies it, without network)."""
        return self.online or self.cache_only

    def check(self, paths: Sequence[str]) -> None:
        """UsageError for flags that need `--online`, contradictions and URLs in offline mode."""
        urls = [p for p in paths if p.startswith(("http://", "https://"))]
        if urls and not self.online:
            raise UsageError(
                f"{urls[0]}: capsule URLs are fetched only in online mode; add --online "
                "(without it capsule-audit never opens a network connection)"
            )
        if self.refresh and self.cache_only:
            raise UsageError("--refresh and --cache-only contradict each other: choose one")
        given = [
            name
            for name in (*_SETTINGS, "refresh", "require_verified")
            if getattr(self, name) not in (None, False)
        ]
        if given and not self.enabled:
            flag = "--online-budget" if given[0] == "run_budget" else "--" + given[0].replace("_", "-")
            raise UsageError(f"{flag} applies to online verification: add --online (or --cache-only)")

    def exit_code(self, verdicts: Iterable[Verdict], code: int, *, exit_zero: bool = False) -> int:
        """The run's exit code: 1 at least with `--require-verified` and an unchecked identifier."""
        if self.require_verified and not exit_zero and failed_count(verdicts):
            return max(code, 1)
        return code

    def options(self) -> OnlineOptions:
        """The OnlineOptions these flags give (unset flags keep the defaults)."""
        from capsule_audit.online.options import OnlineOptions

        values: dict[str, object] = {
            name: getattr(self, name) for name in _SETTINGS if getattr(self, name) is not None
        }
        return OnlineOptions.model_validate(
            {**values, "refresh": self.refresh, "cache_only": self.cache_only}
        )


def make_verifier(options: OnlineOptions, progress: LookupProgress | None) -> Verify:
    """`api.audit`'s verify step: `online.verify.verify` with these options and progress."""
    from capsule_audit.online.verify import verify

    def run(extracted: Iterable[ExtractedCapsule]) -> Mapping[str, Verdict]:
        return verify(extracted, options, progress=progress)

    return run


@contextmanager
def url_fetcher(flags: OnlineFlags, paths: Sequence[str]) -> Iterator[FetchUrl | None]:
    """A `fetch_url` for URL arguments (online mode only), closed afterwards; else None.

    A capsule that cannot be fetched (not found, throttled too long, not a capsule) becomes a
    CA001 finding on that input, like an unreadable file, not the end of the run.
    """
    if not flags.online or not any(p.startswith(("http://", "https://")) for p in paths):
        yield None
        return
    from capsule_audit.online.forge import FetchError, ForgeFetcher, make_fetch_url

    fetcher = ForgeFetcher(flags.options())
    fetch_capsule = make_fetch_url(fetcher)

    def fetch(url: str) -> bytes:
        try:
            return fetch_capsule(url)
        except FetchError as exc:
            raise OSError(str(exc)) from exc

    try:
        yield fetch
    finally:
        fetcher.close()


def summary(verdicts: Iterable[Verdict]) -> str:
    """The verdict-count line written to stderr after an online run."""
    from capsule_audit.online.verify import summary_line

    return summary_line(verdicts)


def unchecked_warning(verdicts: Sequence[Verdict]) -> str | None:
    """One stderr line when some identifiers could not be checked at all, else None: a run with
    every service down must not read as a clean one."""
    failed = failed_count(verdicts)
    if not failed:
        return None
    verified = sum(1 for v in verdicts if v.verdict is VerdictKind.VERIFIED)
    return (
        f"capsule-audit: warning: online: {failed} of {len(verdicts)} identifiers could not be checked "
        f"(service failures or not asked; {verified} verified); --require-verified makes this fail the run"
    )
