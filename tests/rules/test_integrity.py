"""CA501-CA505: truncated text, content hash, unearned verification, uncited claims, export cuts."""

from __future__ import annotations

import random
import re

import duckdb
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from capsule_audit.models.findings import Finding, Severity
from capsule_audit.models.records import RecordKind
from capsule_audit.rules.base import CapsuleMeta, FindingHead, Group, GroupKind, Member, Violation
from capsule_audit.rules.batch_integrity import shared_text_length, unearned_verification_status
from capsule_audit.rules.integrity import content_hash_mismatch, truncated_text, uncited_claim
from capsule_audit.rules.truncation import _CAPITAL_PAIR, cut_words, looks_cut
from capsule_audit.store.capsules import heads_read
from tests.rules.capsules import capsule_id, citation, claim, ctx, method_item, props, record, sha, subject

WHOLE = "## Key Findings\n- RGO reduces memory by 40%.\n\n## Analysis\nIt works well.\n"


def _capsule_rule(rule_: object, subj: object) -> list[Violation]:
    return list(rule_.check(subj, ctx()))  # type: ignore[attr-defined]


def test_looks_cut_tells_mid_word_mid_sentence_and_whole() -> None:
    assert looks_cut("Models scored 18% higher. Others scored 18% h") == "mid-word"
    assert looks_cut("It reduces cost per training step, ") == "mid-sentence"
    assert looks_cut("It reduces the cost of") == "mid-sentence"
    assert looks_cut("A paragraph that stops") == "mid-sentence"
    assert looks_cut(WHOLE) is None
    assert looks_cut("## Implications\n- Benchmark results may shift expectations") is None  # list item
    assert looks_cut("- uses large models\n- one model") is None  # 'models' is an inflection of 'model'


def test_cut_words_finds_a_name_cut_inside_the_text() -> None:
    text = "1. **Recursive Gradient Optimization (RGO)**\n- expectations for Recursive Gradient Optimiz in production"
    ((span, whole),) = cut_words(text)
    assert text[span.start : span.end] == "Optimiz" and whole == "Optimization"
    assert cut_words("Large Language Models and one Large Language Model here.") == []


def test_capital_pairs_are_every_pair_of_capitalized_words_in_a_row() -> None:
    # The definition: at each position not preceded by a word character or hyphen, a capitalized
    # word, one space, a capitalized word (overlapping pairs included).
    definition = re.compile(r"(?<![\w-])(?=([A-Z][A-Za-z-]*) ([A-Z][A-Za-z-]*))")
    assert _CAPITAL_PAIR.findall("Large Language Model x-Foo Bar") == [
        ("Large", "Language"),
        ("Language", "Model"),
    ]
    rng = random.Random(11)
    alphabet = "AaBbZz- -_9.\nÉé"
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16)))
        assert _CAPITAL_PAIR.findall(text) == definition.findall(text), text


def test_ca501_each_sign_is_its_own_violation() -> None:
    text = "## Key Findings\n- Gradient Optimization scored higher.\n- Gradient Optimiz in production\n\n**3. SAB**\n\n## Sources\n- scored 18% h"
    rec = record(1, text=text)
    found = _capsule_rule(truncated_text, subject(rec, methods=(method_item("SAB", has_body=False),)))
    assert sorted(v.identity.split(":")[0] for v in found) == ["end", "method", "word"]


def test_ca501_complete_text_and_digests_pass() -> None:
    assert (
        _capsule_rule(
            truncated_text, subject(record(1, text=WHOLE), methods=(method_item("RGO", has_body=True),))
        )
        == []
    )
    assert (
        _capsule_rule(
            truncated_text,
            subject(record(1, text="Sources (29)\nUpdated Mar 9, 2026", kind=RecordKind.DIGEST)),
        )
        == []
    )


def test_ca502_matching_hash_passes() -> None:
    rec = record(1, text=WHOLE, properties=props(content_hash=sha(WHOLE)))
    assert _capsule_rule(content_hash_mismatch, subject(rec)) == []
    assert _capsule_rule(content_hash_mismatch, subject(record(1, text=WHOLE))) == []


def test_ca502_malformed_and_mismatched_hashes() -> None:
    (malformed,) = _capsule_rule(
        content_hash_mismatch, subject(record(1, properties=props(content_hash="ABC123")))
    )
    assert malformed.identity == "malformed" and malformed.severity is None
    altered = record(1, text=WHOLE, properties=props(content_hash=sha("other text.")))
    (v,) = _capsule_rule(content_hash_mismatch, subject(altered))
    assert v.identity == "mismatch" and v.severity is None  # complete text: error
    cut = record(1, text=WHOLE + "It scored 18% h", properties=props(content_hash=sha(WHOLE)))
    (v,) = _capsule_rule(content_hash_mismatch, subject(cut))
    assert v.identity == "mismatch" and v.severity is Severity.WARNING  # explained by the cut


def _meta(**values: object) -> CapsuleMeta:
    rec = record(1, properties=props(**values))
    return CapsuleMeta(rec.id, rec.kind, rec.source, rec.name, rec.properties, rec.date_created)


def _finding(rule_code: str, severity: Severity, key: str | None = "arxiv:2604.01234") -> Finding:
    return Finding(
        rule=rule_code, name="x", severity=severity, message="m", capsules=(capsule_id(1),), key=key
    )


def _follow(meta: CapsuleMeta, *findings: Finding) -> list[Violation]:
    heads = tuple(FindingHead.of(f) for f in findings)
    return list(unearned_verification_status.check(meta, heads, ctx()))  # type: ignore[misc]


def test_ca503_verified_label_with_citation_errors() -> None:
    errors = (_finding("CA401", Severity.ERROR),)
    assert len(_follow(_meta(verification_status="sources_verified"), *errors)) == 1
    assert len(_follow(_meta(evidence_level="peer_reviewed"), *errors)) == 1
    assert len(_follow(_meta(evidence_level="verified_report"), _finding("CA204", Severity.ERROR))) == 1


def test_ca503_passes_without_label_or_without_citation_errors() -> None:
    assert _follow(_meta(verification_status="unverified"), _finding("CA401", Severity.ERROR)) == []
    meta = _meta(verification_status="sources_verified")
    assert _follow(meta, _finding("CA401", Severity.WARNING)) == []
    assert _follow(meta, _finding("CA501", Severity.ERROR)) == []  # not a citation rule
    assert _follow(meta, _finding("CA201", Severity.ERROR, key=None)) == []


def _read_by_the_store(findings: list[Finding]) -> list[Finding]:
    """The findings whose heads the store's SQL gives CA503 (`reads`), in their order."""
    heads = pa.table(
        {
            "i": list(range(len(findings))),
            "rule": [f.rule for f in findings],
            "severity": [f.severity.value for f in findings],
            "key": [f.key for f in findings],
        },
        schema=pa.schema(
            [("i", pa.int64()), ("rule", pa.string()), ("severity", pa.string()), ("key", pa.string())]
        ),
    )
    con = duckdb.connect()
    con.register("h", heads)
    read = heads_read([unearned_verification_status.reads])
    return [findings[i] for (i,) in con.execute(f"SELECT i FROM h WHERE {read} ORDER BY i").fetchall()]


_HEADS = st.lists(
    st.builds(
        _finding,
        st.sampled_from(["CA104", "CA201", "CA301", "CA401", "CA501", "CA503", "CA703"]),
        st.sampled_from(list(Severity)),
        st.sampled_from([None, "", "arxiv:2604.01234", "doi:10.1000/x"]),
    ),
    max_size=8,
)


@settings(max_examples=150, deadline=None)
@given(_HEADS, st.sampled_from(["sources_verified", "unverified"]))
def test_ca503_reads_only_the_findings_it_declares(findings: list[Finding], status: str) -> None:
    # The store gives CA503 only the heads its `reads` admits: its result must not change.
    meta = _meta(verification_status=status)
    read = _read_by_the_store(findings)
    assert [v.message for v in _follow(meta, *read)] == [v.message for v in _follow(meta, *findings)]
    citation_errors = [
        f
        for f in findings
        if f.severity is Severity.ERROR and f.key and f.rule[:3] in {"CA2", "CA3", "CA4", "CA7"}
    ]
    assert read == citation_errors  # what it declares: error findings of citation rules, with a key


def test_ca504_one_finding_listing_uncited_non_implication_claims() -> None:
    rec = record(1)
    cited = claim(rec.id, "cited", cites=(citation("arxiv:2604.01234"),))
    bare = claim(rec.id, "bare claim")
    implied = claim(rec.id, "restated", implication=True)
    (v,) = _capsule_rule(uncited_claim, subject(rec, claims=(cited, bare, implied)))
    assert v.claims == (bare.id,)
    assert _capsule_rule(uncited_claim, subject(rec, claims=(cited, implied))) == []


def _length_group(tails: list[str]) -> Group:
    members = tuple(Member(capsule_id(n), record(n).source, text_sample=t) for n, t in enumerate(tails, 1))
    return Group(GroupKind.TEXT_LENGTH, "2000", members)


def test_ca505_many_capsules_cut_at_one_length() -> None:
    (v,) = shared_text_length.check(_length_group(["18% h", "abs/26", "step, ", "done."]), ctx())  # type: ignore[misc]
    assert v.capsules == (capsule_id(1), capsule_id(2), capsule_id(3)) and v.key == "length:2000"


def test_ca505_shared_length_with_whole_endings_or_too_few_passes() -> None:
    assert list(shared_text_length.check(_length_group(["end.", "done.", "x."]), ctx())) == []  # type: ignore[misc]
    assert list(shared_text_length.check(_length_group(["18% h", "abs/26"]), ctx())) == []  # type: ignore[misc]
