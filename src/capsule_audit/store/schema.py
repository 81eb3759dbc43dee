"""The Arrow schemas of the store's tables (`store.database` documents their columns).

Workers build their rows into tables of these schemas (`store.chunks`), and the store creates
its tables from them, so a worker's table goes into DuckDB as it is, column for column.
"""

from __future__ import annotations

import pyarrow as pa

SPAN = pa.struct([("start", pa.int64()), ("end", pa.int64())])
CITATION = pa.struct(
    [
        ("scheme", pa.string()),
        ("key", pa.string()),
        ("raw", pa.string()),
        ("span", SPAN),
        ("version", pa.string()),
        ("venue", pa.string()),
        ("stated_date", pa.date32()),
        ("stated_precision", pa.string()),
        ("binding", pa.string()),
        ("confidence", pa.float64()),
        ("truncated", pa.bool_()),
    ]
)
FIGURE = pa.struct(
    [
        ("value", pa.float64()),
        ("unit", pa.string()),
        ("raw", pa.string()),
        ("measure", pa.string()),
        ("direction", pa.string()),
        ("span", SPAN),
    ]
)
CLAIMS = pa.schema(
    [
        ("doc", pa.int64()),
        ("pos", pa.int32()),
        ("id", pa.string()),
        ("capsule", pa.string()),
        ("section", pa.string()),
        ("implication", pa.bool_()),
        ("text", pa.string()),
        ("span", SPAN),
        ("cleaned", pa.bool_()),
        ("raw", pa.string()),
        ("method", pa.struct([("name", pa.string()), ("acronym", pa.string())])),
        ("institutions", pa.list_(pa.string())),
        ("authors", pa.list_(pa.string())),
        ("figures", pa.list_(FIGURE)),
        ("citations", pa.list_(CITATION)),
        ("item_sources", pa.list_(CITATION)),
        ("cit_from", pa.int32()),
        ("src_from", pa.int32()),
    ]
)
MEMBERS = pa.schema(
    [
        ("kind", pa.string()),
        ("key", pa.string()),
        ("doc", pa.int64()),
        ("seq", pa.int32()),
        ("capsule", pa.string()),
        ("claim_id", pa.string()),
        ("citation_key", pa.string()),
        ("digest", pa.string()),
        ("path", pa.string()),
        ("line", pa.int64()),
        ("idx", pa.int64()),
        ("pointer", pa.string()),
        ("claim_pos", pa.int32()),
        ("cit_ix", pa.int32()),
        ("citation", CITATION),
        ("name", pa.string()),
        ("date_created", pa.string()),
        ("text_sample", pa.string()),
        ("sample_seq", pa.int32()),
        ("astral", pa.list_(pa.int64())),
    ]
)
SAMPLES = pa.schema(
    [
        ("doc", pa.int64()),
        ("seq", pa.int32()),
        ("capsule", pa.string()),
        ("packed_sample", pa.binary()),
    ]
)
# A member's text sample (TEXT_BLOCK, `rules.samples`) is a row of its own, filed once per
# capsule and named by its members (`sample_seq`): filed on every min-hash band's member, the
# samples were most of the bytes the group scan sorted, and at 1,000,000 capsules that sort ran
# out of DuckDB's memory.
EVIDENCE = pa.struct(
    [
        ("capsule", pa.string()),
        ("text", pa.string()),
        ("span", SPAN),
        ("binding", pa.string()),
        ("claim", pa.string()),
        ("span_utf16", SPAN),
        ("sentence", pa.string()),
        ("sentence_span", SPAN),
        ("sentence_span_utf16", SPAN),
    ]
)
FINDINGS = pa.schema(
    [
        ("id", pa.int64()),  # the finding's number as filed: its lists' rows name it
        # `rules.engine.finding_sort_key` beside the fields it is not one of (rule, capsules,
        # fingerprint): the capsules by their first `CAPSULES_HEAD` (`store.findings`).
        ("s_key", pa.string()),
        ("s_head", pa.list_(pa.string())),
        ("s_tail", pa.string()),
        ("s_field", pa.string()),
        ("s_span", pa.int64()),
        ("s_file", pa.string()),
        ("s_line", pa.int64()),
        ("s_pointer", pa.string()),
        # the tie-break (`store.findings.Rank`)
        ("phase", pa.int8()),
        ("t_kind", pa.string()),
        ("t_key", pa.string()),
        ("t_first", pa.int64()),
        ("t_second", pa.int64()),
        ("rule", pa.string()),
        ("name", pa.string()),
        ("severity", pa.string()),
        ("message", pa.string()),
        ("key", pa.string()),
        (
            "location",
            pa.struct(
                [
                    ("file", pa.string()),
                    ("line", pa.int64()),
                    ("pointer", pa.string()),
                    ("field", pa.string()),
                    ("span", SPAN),
                    ("capsule", pa.string()),
                    ("span_utf16", SPAN),
                    ("text", pa.string()),
                ]
            ),
        ),
        ("fingerprint", pa.string()),
        ("baseline", pa.string()),
        ("n_capsules", pa.int64()),
        ("n_claims", pa.int64()),
        ("n_evidence", pa.int64()),
        # inline unless the finding is wider than `store.finding_rows.INLINE_WIDTH` (then empty)
        ("capsules", pa.list_(pa.string())),
        ("claims", pa.list_(pa.string())),
        ("evidence", pa.list_(EVIDENCE)),
    ]
)
# The lists of a wide finding are rows of their own: one finding naming every capsule of a
# 100,000-capsule dump made a single row of ~30 MB that DuckDB could neither sort nor scan
# under its memory limit.
FINDING_CAPSULES = pa.schema([("id", pa.int64()), ("pos", pa.int32()), ("capsule", pa.string())])
FINDING_CLAIMS = pa.schema([("id", pa.int64()), ("pos", pa.int32()), ("claim", pa.string())])
FINDING_EVIDENCE = pa.schema([("id", pa.int64()), ("pos", pa.int32()), *EVIDENCE])
CAPSULES = pa.schema(
    [
        ("doc", pa.int64()),
        ("id", pa.string()),
        ("kind", pa.string()),
        ("path", pa.string()),
        ("line", pa.int64()),
        ("idx", pa.int64()),
        ("pointer", pa.string()),
        ("name", pa.string()),
        ("properties", pa.string()),  # `CapsuleProperties` as JSON: open-ended (`extra`)
        ("date_created", pa.string()),  # ISO 8601, as given (an exact round trip)
    ]
)
TABLES = {
    "capsules": CAPSULES,
    "claims": CLAIMS,
    "members": MEMBERS,
    "samples": SAMPLES,
    "findings": FINDINGS,
    "finding_capsules": FINDING_CAPSULES,
    "finding_claims": FINDING_CLAIMS,
    "finding_evidence": FINDING_EVIDENCE,
}
KEPT_RECORDS = pa.schema([("n", pa.int64()), ("record", pa.string())])
"""The records kept for the report (`store.records`): their place among the kept, their JSON."""
