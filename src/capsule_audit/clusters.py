"""The report's clusters: every identifier cited by more than one capsule, with each one's credit.

Built from the citation groups while the engine checks them (one pass over the group index, which
may live on disk), then sorted by key and flagged once the findings are final: a spilled index
yields groups partition by partition, not in key order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from capsule_audit.models.claims import Binding
from capsule_audit.models.findings import Finding
from capsule_audit.models.report import Cluster, ClusterMember
from capsule_audit.rules.base import Group, GroupKind


def cluster_members(group: Group) -> tuple[ClusterMember, ...]:
    """What each member of a citation group credits to its identifier."""
    members = []
    for m in group.members:
        claim, method = m.claim, (m.claim.method if m.claim else None)
        members.append(
            ClusterMember(
                capsule=m.capsule,
                claim=claim.id if claim else None,
                method=method.name if method else None,
                acronym=method.acronym if method else None,
                institutions=claim.institutions if claim else (),
                figures=claim.figures if claim else (),
                binding=m.citation.binding if m.citation else Binding.LISTED,
            )
        )
    return tuple(members)


def _flag(
    found: Iterable[tuple[str, tuple[ClusterMember, ...]]], findings: Sequence[Finding]
) -> tuple[Cluster, ...]:
    conflicted = {f.key for f in findings if f.rule.startswith("CA4") and f.key}
    return tuple(
        Cluster(key=key, members=members, conflicting=key in conflicted)
        for key, members in sorted(found, key=lambda item: item[0])
    )


class ClusterCollector:
    """Taps a stream of groups on its way to the engine and keeps the multi-capsule citations."""

    def __init__(self) -> None:
        self._found: list[tuple[str, tuple[ClusterMember, ...]]] = []

    def watch(self, groups: Iterable[Group]) -> Iterator[Group]:
        """Every group, unchanged; citation groups of two or more capsules are noted on the way."""
        for group in groups:
            if group.kind is GroupKind.CITATION and len(group.capsules) >= 2:
                self._found.append((group.key, cluster_members(group)))
            yield group

    def clusters(self, findings: Sequence[Finding]) -> tuple[Cluster, ...]:
        """The clusters by key, flagged `conflicting` when a CA4xx finding names their key."""
        return _flag(self._found, findings)


def clusters(groups: Iterable[Group], findings: Sequence[Finding]) -> tuple[Cluster, ...]:
    """Every identifier cited by more than one capsule, with what each capsule credits to it."""
    collector = ClusterCollector()
    for _ in collector.watch(groups):
        pass
    return collector.clusters(findings)
