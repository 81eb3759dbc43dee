"""The text summary's tables: the cross-capsule conflicts and the online verdicts.

Capsule text is untrusted: everything quoted from it goes through `rich.markup.escape`.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable, Iterator

from rich.markup import escape
from rich.table import Table

from capsule_audit.cluster_credits import Credits, count_credits, credits_of
from capsule_audit.clusters import ClusterStream, reach_rank
from capsule_audit.models.report import Cluster
from capsule_audit.models.verdicts import Verdict, VerdictKind

_VERDICT_STYLE = {
    VerdictKind.VERIFIED: "green",
    VerdictKind.MISCITED: "bold red",
    VerdictKind.FABRICATED: "bold red",
    VerdictKind.UNVERIFIABLE: "cyan",
}


def short_capsule(capsule: str) -> str:
    """The last path or URN segment of a capsule IRI, cut to 8 characters: enough to tell apart."""
    return re.split(r"[/:]", capsule.rstrip("/"))[-1][:8]


def _method(member_method: str | None, acronym: str | None) -> str:
    if member_method and acronym and acronym.lower() not in member_method.lower():
        return f"{member_method} ({acronym})"
    return member_method or acronym or "-"


TABLE_IDENTIFIERS = 25
"""A terminal table is for a glance: the most widely cited conflicts; JSON/HTML list them all."""
ROWS_PER_IDENTIFIER = 6


def conflicts_table(clusters: Iterable[Cluster], *, limit: int = TABLE_IDENTIFIERS) -> Table | None:
    """Identifier, capsule, method, institutions, binding: one row per credit of a conflicting
    identifier, the most widely stated first, with its first capsule and how many more state it.

    At most `limit` identifiers, those credited by the most capsules first; the caption counts
    the rest. From the store, clusters are ranked and their credits counted in SQL
    (`cluster_credits.count_credits`), none rebuilt; any other stream is read once and only the
    shown clusters are held.
    """
    if isinstance(clusters, ClusterStream):
        widest, seen = clusters.widest_conflicts(limit)
        counted = count_credits(
            clusters.store, widest, _method, ROWS_PER_IDENTIFIER, with_corpus=clusters.with_corpus
        )
    else:
        picked, seen = _widest_conflicts(clusters, limit)
        widest = [c.key for c in picked]
        counted = {c.key: credits_of(c, _method, ROWS_PER_IDENTIFIER) for c in picked}
    if not widest:
        return None
    hidden = seen - limit
    caption = f"and {hidden} more conflicting identifiers (see --format json or html)" if hidden > 0 else None
    table = Table(title="Cross-capsule conflicts", caption=caption, show_lines=False)
    for column in ("identifier", "capsule", "method", "institutions", "binding"):
        table.add_column(column)
    for key in widest:
        for row in _credit_rows(key, counted[key]):
            table.add_row(*row)
    return table


def _credit_rows(key: str, credits: Credits) -> list[tuple[str, str, str, str, str]]:
    """An identifier's table rows: one per credit shown, its first capsule and a count of the
    others; past `ROWS_PER_IDENTIFIER`, one row counting the rest."""
    rows = []
    for credit in credits.shown:
        more = f" +{credit.capsules - 1}" if credit.capsules > 1 else ""
        institutions = credit.institutions or "-"
        rows.append(
            (
                escape(key),
                short_capsule(credit.first) + more,
                escape(credit.label),
                escape(institutions),
                credit.binding,
            )
        )
    if credits.total > len(credits.shown):
        rows.append((escape(key), "…", f"{credits.total - len(credits.shown)} more credits", "", ""))
    return rows


def _widest_conflicts(clusters: Iterable[Cluster], limit: int) -> tuple[list[Cluster], int]:
    """The `limit` conflicting clusters of the widest reach, and how many are conflicting."""
    seen = 0

    def counted() -> Iterator[Cluster]:
        nonlocal seen
        for c in clusters:
            if c.conflicting:
                seen += 1
                yield c

    widest = heapq.nsmallest(
        limit, counted(), key=lambda c: reach_rank(len({m.capsule for m in c.members}), c.key)
    )
    return widest, seen


def verdicts_table(verdicts: tuple[Verdict, ...]) -> Table | None:
    """Identifier, verdict, the title found and the similarity score: one row per identifier."""
    if not verdicts:
        return None
    table = Table(title="Online verification", show_lines=False)
    for column in ("identifier", "verdict", "title found", "score"):
        table.add_column(column)
    for v in verdicts:
        style = _VERDICT_STYLE[v.verdict]
        score = f"{v.score:.0f}" if v.score is not None else "-"
        table.add_row(escape(v.key), f"[{style}]{v.verdict.value}[/]", escape(v.title_found or "-"), score)
    return table
