"""What a GROUP finding gets when its violation leaves it out: the group's capsules, a location.

A violation naming no capsules names the group's; one naming no location is placed in the first
capsule it names (`located`), with the spans of every member's text at hand for its evidence.
"""

from __future__ import annotations

from capsule_audit.models.findings import Location
from capsule_audit.rules import construct
from capsule_audit.rules.base import Group
from capsule_audit.rules.spans import SpanContext


class GroupDefaults:
    """A group's capsules and the location of its first member, for violations naming neither.

    Computed on first use and once per group: most groups yield no finding, and a group of
    tens of thousands of members may yield thousands (once per violation, that was quadratic).
    """

    def __init__(self, group: Group) -> None:
        self.group = group
        self._capsules: tuple[str, ...] | None = None
        self._location: Location | None = None
        self._owner: str | None = None
        self._spans: SpanContext | None = None

    def capsules(self) -> tuple[str, ...]:
        if self._capsules is None:
            self._capsules = self.group.capsules
        return self._capsules

    def location(self) -> Location:
        if self._location is None:
            first = min(self.group.placed(), key=lambda placed: placed.capsule)
            source = first.source
            self._owner = first.capsule
            self._location = construct.location(source.path, source.line, source.pointer or None)
        return self._location

    def located(self, capsules: tuple[str, ...]) -> tuple[Location, str | None]:
        """The default location for a finding naming `capsules`, and the capsule it is in.

        The first member's document, unless the finding names other capsules: then the first
        of those (a finding never points into a capsule it does not name).
        """
        location = self.location()
        if not capsules or self._owner in capsules:
            return location, self._owner
        first = min(capsules)
        source = self.spans().source(first)
        if source is None:
            return location, None
        return construct.location(source.path, source.line, source.pointer or None), first

    def spans(self) -> SpanContext:
        if self._spans is None:
            self._spans = SpanContext.of_members(self.group.placed())
        return self._spans
