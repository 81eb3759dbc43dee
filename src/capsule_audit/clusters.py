"""The report's clusters: every identifier cited by more than one capsule, with each one's credit.

Built from the citation groups while the engine checks them (one pass over the group index, which
may live on disk), then sorted by key and flagged once the findings are final: a spilled index
yields groups partition by partition, not in key order. The collector keeps them in a sorted
spool, so a dump with millions of shared citations holds them on disk, not in memory.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence

from capsule_audit.models.claims import Binding
from capsule_audit.models.findings import Finding
from capsule_audit.models.report import Cluster, ClusterMember
from capsule_audit.rules.base import Group, GroupKind
from capsule_audit.store.spool import SortedSpool, Workspace

Found = tuple[str, tuple[ClusterMember, ...]]


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


def is_conflict(finding: Finding) -> bool:
    """Whether this is an attribution conflict (CA4xx): its key's cluster is flagged `conflicting`."""
    return finding.rule.startswith("CA4")


def conflicted_keys(findings: Iterable[Finding]) -> set[str]:
    """The keys some CA4xx (attribution conflict) finding names."""
    return {f.key for f in findings if is_conflict(f) and f.key}


def _weight(found: Found) -> int:
    # About the objects a cluster holds: one citing all capsules must not wait in memory.
    return 1 + sum(2 + len(m.figures) * 3 + len(m.institutions) for m in found[1])


class ClusterCollector:
    """Taps a stream of groups on its way to the engine and keeps the multi-capsule citations."""

    def __init__(self, workspace: Workspace | None = None) -> None:
        self._own = workspace is None
        self._workspace = workspace or Workspace()
        self._found: SortedSpool[Found] = SortedSpool(self._workspace, lambda item: item[0], weight=_weight)

    def watch(self, groups: Iterable[Group]) -> Iterator[Group]:
        """Every group, unchanged; citation groups of two or more capsules are noted on the way."""
        for group in groups:
            if group.kind is GroupKind.CITATION and len(group.capsules) >= 2:
                self._found.add((group.key, cluster_members(group)))
            yield group
            del group  # not alive while the next one is read (it may hold 100,000 members)

    def iter_clusters(self, conflicted: Collection[str]) -> Iterator[Cluster]:
        """The clusters by key, flagged `conflicting` when their key is in `conflicted`."""
        for key, members in self._found:
            yield Cluster(key=key, members=members, conflicting=key in conflicted)

    def clusters(self, findings: Sequence[Finding]) -> tuple[Cluster, ...]:
        """The clusters by key, flagged `conflicting` when a CA4xx finding names their key."""
        clusters = tuple(self.iter_clusters(conflicted_keys(findings)))
        if self._own:
            self._workspace.close()
        return clusters


def clusters(groups: Iterable[Group], findings: Sequence[Finding]) -> tuple[Cluster, ...]:
    """Every identifier cited by more than one capsule, with what each capsule credits to it."""
    collector = ClusterCollector()
    for _ in collector.watch(groups):
        pass
    return collector.clusters(findings)
