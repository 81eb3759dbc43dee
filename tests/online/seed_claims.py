"""The seeds' citations as extraction would give them, built by hand (no extractor needed)."""

from __future__ import annotations

from datetime import date

from capsule_audit.models.claims import (
    Binding,
    Citation,
    Claim,
    ExtractedCapsule,
    MethodRef,
    SourceEntry,
    Span,
)

C000 = "https://forgecascade.org/public/capsules/223f9579-7bd4-418a-bf62-f72791e369f5"
C001 = "https://forgecascade.org/public/capsules/972170ab-63dc-4762-953a-49e1d1abbe12"
C002 = "https://forgecascade.org/public/capsules/2ef82ec8-81c8-4f8b-a553-ff8f171dcb69"
C003 = "https://forgecascade.org/public/capsules/ee0bc979-5cf1-4e22-a800-9cacd1581493"
C004 = "urn:capsule-audit:digest:f3f65878a75fb2ec"

EDOO_TITLE = "efficient distributed orthonormal optimizers for large-scale training"
GOODHART_TITLE = "goodhart's revenge"
NATURE_DOI = "doi:10.1038/s41563-026-01234-3"


def cite(
    key: str, *, stated: date | None = None, binding: Binding = Binding.EXPLICIT, truncated: bool = False
) -> Citation:
    scheme = key.partition(":")[0]
    assert scheme in ("arxiv", "doi", "url", "title")
    return Citation(
        scheme=scheme,
        key=key,
        raw=key,
        stated_date=stated,
        binding=binding,
        truncated=truncated,
    )


def claim(capsule: str, n: int, name: str | None, acronym: str | None, *citations: Citation) -> Claim:
    return Claim(
        id=f"{capsule[-4:]}-{n}",
        capsule=capsule,
        section="Key Findings",
        text=f"{name} ({acronym}) is a method." if name else "A statement.",
        span=Span(start=0, end=10),
        method=MethodRef(name=name, acronym=acronym) if name or acronym else None,
        citations=citations,
    )


def sources(*keys: str, truncated: tuple[str, ...] = ()) -> tuple[SourceEntry, ...]:
    return tuple(
        SourceEntry(
            index=i,
            raw=k,
            span=Span(start=0, end=1),
            citation=cite(k, binding=Binding.LISTED, truncated=k in truncated),
            truncated=k in truncated,
        )
        for i, k in enumerate(keys)
    )


def seed_capsules() -> list[ExtractedCapsule]:
    """Capsules 000-004 with the identifiers and credits their text gives."""
    sarir = ("Self-Alignment via Reward-Based Iterative Refinement", "SARIR")
    return [
        ExtractedCapsule(
            capsule=C000,
            claims=(
                claim(C000, 1, *sarir, cite("arxiv:2604.01234")),
                claim(C000, 2, "Dynamic Curriculum Pre-Training", "DCP", cite("arxiv:2604.01567")),
            ),
            sources=sources(
                "arxiv:2604.01234",
                "arxiv:2604.01567",
                "url:https://icml.cc/2026/accepted-papers/paper_3421",
                "arxiv:2604.01890",
            ),
        ),
        ExtractedCapsule(
            capsule=C001,
            sources=sources(
                "arxiv:2604.01234",
                "arxiv:2604.01567",
                "arxiv:2604.01892",
                "arxiv:26",
                truncated=("arxiv:26",),
            ),
        ),
        ExtractedCapsule(
            capsule=C002,
            claims=(
                claim(
                    C002,
                    1,
                    "Recursive Reasoning via Thought Chains",
                    "RRTC",
                    cite(NATURE_DOI, stated=date(2026, 4, 10)),
                ),
                claim(
                    C002,
                    2,
                    "Sparse Activation Alignment Training",
                    "SAAT",
                    cite("arxiv:2604.04501", stated=date(2026, 4, 12)),
                ),
            ),
            sources=sources(NATURE_DOI, "arxiv:2604.04501"),
        ),
        ExtractedCapsule(
            capsule=C003,
            claims=(
                claim(C003, 1, "Recursive Gradient Optimization", "RGO", cite("arxiv:2604.01234")),
                claim(
                    C003,
                    2,
                    "Adaptive Token Dropping with Confidence Feedback",
                    "ATD-CF",
                    cite("arxiv:2604.01567"),
                ),
            ),
            sources=sources("arxiv:2604.01234", "arxiv:2604.01567", "arxiv:2604.01889"),
        ),
        ExtractedCapsule(
            capsule=C004,
            claims=(
                claim(
                    C004,
                    1,
                    "Efficient Distributed Orthonormal Optimizers",
                    "EDOO",
                    cite(f"title:{EDOO_TITLE}"),
                ),
                claim(C004, 2, None, None, cite(f"title:{GOODHART_TITLE}")),
            ),
        ),
    ]


SEED_PAPERS = (
    # 2604.01234 is a real paper on something else: every credit to it is a miscitation.
    ("2604.01234", "Quantum Error Correction with Surface Codes on Superconducting Qubits", "2026-04-02"),
    # 2604.01567 is DCP: capsule 000 is right, capsule 003 (ATD-CF) is not.
    ("2604.01567", "DCP: Dynamic Curriculum Pre-Training with Loss-Trajectory Data Mixing", "2026-04-03"),
    ("2604.01892", "Federated Instruction Tuning with Gradient Disentanglement", "2026-04-03"),
    # SAAT matches; its stated date (April 12) is six days after the record's.
    (
        "2604.04501",
        "SAAT: Sparse Activation Alignment Training for Efficient Preference Optimization",
        "2026-04-06",
    ),
    ("2603.05555", "Efficient Distributed Orthonormal Optimizers for Large-Scale Training", "2026-03-09"),
)
