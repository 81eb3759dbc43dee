"""The text summary's tables: the cross-capsule conflicts and the online verdicts.

Capsule text is untrusted: everything quoted from it goes through `rich.markup.escape`.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable, Iterator

from rich.markup import escape
from rich.table import Table

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
    """Identifier, capsule, method, institutions, binding: one row per capsule crediting it.

    At most `limit` identifiers, those credited by the most capsules first; the caption counts
    the rest. The store's clusters are ranked in SQL and only those shown are rebuilt; any
    other stream is read once. Only the rows of the shown clusters are held.
    """
    if isinstance(clusters, ClusterStream):
        widest, shown, seen = clusters.widest_conflicts(limit)
    else:
        picked, seen = _widest_conflicts(clusters, limit)
        widest, shown = [c.key for c in picked], iter(picked)
    if not widest:
        return None
    rows = {cluster.key: _credit_rows(cluster) for cluster in shown}
    hidden = seen - limit
    caption = f"and {hidden} more conflicting identifiers (see --format json or html)" if hidden > 0 else None
    table = Table(title="Cross-capsule conflicts", caption=caption, show_lines=False)
    for column in ("identifier", "capsule", "method", "institutions", "binding"):
        table.add_column(column)
    for key in widest:
        for row in rows[key]:
            table.add_row(*row)
    return table


def _credit_rows(cluster: Cluster) -> list[tuple[str, str, str, str, str]]:
    """A cluster's table rows: one per distinct credit; a credit many capsules share shows one of
    them and a count; past `ROWS_PER_IDENTIFIER`, one row counting the rest."""
    # Each credit's capsules in order of first appearance (a dict: a cluster of the whole dump
    # shares one credit among 100,000s of capsules; a list's membership test was quadratic).
    credits: dict[tuple[str, str, str], dict[str, None]] = {}
    for m in cluster.members:
        credit = (_method(m.method, m.acronym), ", ".join(m.institutions) or "-", m.binding.value)
        credits.setdefault(credit, {})[m.capsule] = None
    ranked = sorted(credits.items(), key=lambda item: -len(item[1]))
    rows = []
    for (method, institutions, binding), capsules in ranked[:ROWS_PER_IDENTIFIER]:
        who = short_capsule(next(iter(capsules))) + (f" +{len(capsules) - 1}" if len(capsules) > 1 else "")
        rows.append((escape(cluster.key), who, escape(method), escape(institutions), binding))
    if len(ranked) > ROWS_PER_IDENTIFIER:
        rows.append((escape(cluster.key), "…", f"{len(ranked) - ROWS_PER_IDENTIFIER} more credits", "", ""))
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
