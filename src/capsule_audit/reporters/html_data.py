"""The HTML page's data: one JSON index, and chunks the page parses only when it shows them.

The page must stay usable at 100,000 capsules, so nothing is rendered up front. The writer reads
each of the report's streams once (capsules, records, findings, clusters), writes the long parts
as JSON chunks of a few hundred items (capsule texts, finding details, cluster members) as it
goes, and keeps only a compact index (per capsule: anchor, label, date, status; per finding:
rule, severity, capsules, key, anchor) for the end. The script filters and pages over the index
and parses a chunk when a page needs one of its items.

Data sits in `<script type="application/json">` blocks, which browsers never execute. Inside
them `<`, `>` and `&` are written as JSON escapes, so no `</script>` or `<!--` from a capsule can
end the block, and U+2028/U+2029 as escapes too, so the text is also a valid JavaScript literal.
Spans stay in code points, as in the JSON report; the script converts them to UTF-16.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TextIO

import orjson

from capsule_audit.models.findings import Finding
from capsule_audit.models.records import CapsuleRecord
from capsule_audit.models.report import CapsuleEntry, Cluster
from capsule_audit.reporters.common import SEVERITIES, importance
from capsule_audit.reporters.html_labels import Anchors, capsule_ref, short_label, slug, word_frequency
from capsule_audit.reporters.html_marks import field_marks

CHUNK_TEXTS = 200
CHUNK_FINDINGS = 200
CHUNK_CLUSTERS = 50
SPAN_FIELDS = (None, "text", "name")
"""Record fields whose spans the page can quote: it holds the texts and the titles."""
_ESCAPES = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def embed(value: Any) -> str:
    """`value` as JSON that is safe inside a `<script type="application/json">` element."""
    return orjson.dumps(value).decode("utf-8").translate(_ESCAPES)


def data_block(block_id: str, value: Any) -> str:
    """One data element; `block_id` is ours (a letter and a number), never capsule data."""
    return f'<script type="application/json" id="{block_id}">{embed(value)}</script>\n'


class Chunks:
    """Items written as JSON blocks of `size`, named `{prefix}{n}`."""

    def __init__(self, out: TextIO, prefix: str, size: int) -> None:
        self.out, self.prefix, self.size = out, prefix, size
        self.count = 0
        self._items: list[Any] = []

    def add(self, item: Any) -> int:
        """Queue one item; its position."""
        self._items.append(item)
        self.count += 1
        if len(self._items) == self.size:
            self.flush()
        return self.count - 1

    def flush(self) -> None:
        if self._items:
            self.out.write(data_block(f"{self.prefix}{(self.count - 1) // self.size}", self._items))
            self._items = []


class PageData:
    """Reads the report's streams once, writing chunks to `out`, and builds the index."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.rules: dict[str, int] = {}
        self.rule_rows: list[list[str]] = []
        self.capsule_index: dict[str, int] = {}
        self.caps: dict[str, list[Any]] = {
            k: [] for k in ("ref", "label", "name", "date", "status", "n", "t")
        }
        self.keys: dict[str, int] = {}
        self.files: dict[str, int] = {}
        self.key_rules: dict[str, set[str]] = {}
        self.key_sevs: dict[str, set[int]] = {}
        self.found: dict[str, list[Any]] = {k: [] for k in ("rule", "sev", "caps", "key", "anchor")}
        self._sort: list[tuple[tuple[int, str, str, str], int]] = []
        self.clusters: dict[str, list[Any]] = {
            k: [] for k in ("key", "anchor", "caps", "fields", "rules", "sevs")
        }

    def read_capsules(self, entries: Iterable[CapsuleEntry]) -> None:
        rows = list(entries)
        frequency = word_frequency(e.name for e in rows)
        anchors = Anchors("capsule")
        for position, entry in enumerate(rows):
            self.capsule_index[entry.id] = position  # the last entry of an id wins, as elsewhere
            self.caps["ref"].append(anchors.add(capsule_ref(entry.id)))
            self.caps["label"].append(short_label(entry.id, entry.name, entry.date, frequency, len(rows)))
            self.caps["name"].append(entry.name or entry.id)
            self.caps["date"].append(entry.date.date().isoformat() if entry.date else "")
            self.caps["status"].append(entry.status)
            self.caps["n"].append(len(entry.findings))
            self.caps["t"].append(-1)

    def read_records(self, records: Iterable[CapsuleRecord]) -> None:
        texts = Chunks(self.out, "t", CHUNK_TEXTS)
        for record in records:
            position = texts.add([record.id, record.source.display(), record.kind.value, record.text])
            capsule = self.capsule_index.get(record.id)
            if capsule is not None:
                self.caps["t"][capsule] = position
        texts.flush()

    def _capsule(self, capsule: str) -> int | str:
        found = self.capsule_index.get(capsule)
        return capsule if found is None else found

    def read_findings(self, findings: Iterable[Finding]) -> None:
        details = Chunks(self.out, "f", CHUNK_FINDINGS)
        anchors = Anchors("finding")
        for finding in findings:
            rule = self.rules.get(finding.rule)
            if rule is None:
                rule = self.rules[finding.rule] = len(self.rule_rows)
                self.rule_rows.append([finding.rule, finding.name])
            severity = SEVERITIES.index(finding.severity)
            key = -1
            if finding.key is not None:
                key = self.keys.setdefault(finding.key, len(self.keys))
                self.key_rules.setdefault(finding.key, set()).add(finding.rule)
                self.key_sevs.setdefault(finding.key, set()).add(severity)
            position = details.add(self._detail(finding))
            self.found["rule"].append(rule)
            self.found["sev"].append(severity)
            self.found["caps"].append([self._capsule(c) for c in finding.capsules])
            self.found["key"].append(key)
            self.found["anchor"].append(anchors.add(slug(finding.fingerprint[:12] or f"n{position}")))
            self._sort.append((importance(finding), position))
        details.flush()

    def _detail(self, finding: Finding) -> list[Any]:
        """[message, fingerprint, file, line, pointer, field, baseline, span, evidence]: a list,
        and files as positions in a table, since there are hundreds of thousands of these."""
        where = finding.location
        file = -1 if where.file is None else self.files.setdefault(where.file, len(self.files))
        span = None
        if where.span is not None and finding.capsules and where.field in SPAN_FIELDS:
            owner = where.capsule or next(
                (e.capsule for e in finding.evidence if e.span is not None), finding.capsules[0]
            )
            span = [self._capsule(owner), where.span.start, where.span.end, where.field or "text"]
        evidence = []
        for e in finding.evidence:
            capsule = self._capsule(e.capsule)
            # A span into a text the page holds is quoted from that text: the quote is not repeated.
            quoted = e.span is not None and isinstance(capsule, int) and self.caps["t"][capsule] >= 0
            evidence.append(
                [
                    capsule,
                    e.span.start if e.span else None,
                    e.span.end if e.span else None,
                    None if quoted else e.text,
                    e.binding.value if e.binding else None,
                ]
            )
        return [
            finding.message,
            finding.fingerprint,
            file,
            where.line,
            where.pointer,
            where.field,
            finding.baseline,
            span,
            evidence,
        ]

    def read_clusters(self, clusters: Iterable[Cluster]) -> None:
        details = Chunks(self.out, "k", CHUNK_CLUSTERS)
        anchors = Anchors("cluster")
        for cluster in clusters:
            rules = sorted(self.key_rules.get(cluster.key, ()))
            marks, merged, odd = field_marks(cluster, rules)
            order = sorted(range(len(merged)), key=lambda i: (len(odd[i]), i))
            members = [
                [
                    self._capsule(m.capsule),
                    m.method,
                    m.acronym,
                    list(m.institutions),
                    [f.raw for f in m.figures],
                    m.binding.value,
                    odd[i],
                ]
                for i in order
                for m in (merged[i],)
            ]
            details.add({"members": members, "conflicting": cluster.conflicting})
            self.clusters["key"].append(cluster.key)
            self.clusters["anchor"].append(anchors.add(slug(cluster.key)))
            self.clusters["caps"].append(sorted({c for m in members if isinstance(c := m[0], int)}))
            self.clusters["fields"].append(marks)
            self.clusters["rules"].append([self.rules[r] for r in rules if r in self.rules])
            self.clusters["sevs"].append(sorted(self.key_sevs.get(cluster.key, ())))
        details.flush()

    def index(self) -> dict[str, Any]:
        """Everything the page filters and pages over."""
        order = [position for _, position in sorted(self._sort)]
        return {
            "rules": self.rule_rows,
            "severities": [s.value for s in SEVERITIES],
            "capsules": self.caps,
            "keys": list(self.keys),
            "files": list(self.files),
            "findings": {**self.found, "order": order},
            "clusters": self.clusters,
            "chunks": {"t": CHUNK_TEXTS, "f": CHUNK_FINDINGS, "k": CHUNK_CLUSTERS},
        }
