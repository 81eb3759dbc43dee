"""Records built straight from the seed files, so extraction is tested apart from loading."""

from __future__ import annotations

import hashlib
from pathlib import Path

import orjson

from capsule_audit.models import CapsuleRecord, RecordKind, SourceRef

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"
EXPECTED = Path(__file__).resolve().parents[2] / "fixtures" / "claims"


def seed_record(stem: str) -> CapsuleRecord:
    """The seed as a record: JSON capsules from their fields, the digest page as a digest."""
    path = SEEDS / f"{stem}.txt"
    raw = path.read_bytes()
    if raw.lstrip().startswith(b"{"):
        node = orjson.loads(raw)
        return CapsuleRecord(
            id=node["@id"], name=node["name"], text=node["text"], source=SourceRef(path=str(path))
        )
    digest_id = "urn:capsule-audit:digest:" + hashlib.sha256(raw).hexdigest()[:16]
    return CapsuleRecord(
        id=digest_id, kind=RecordKind.DIGEST, text=raw.decode("utf-8"), source=SourceRef(path=str(path))
    )
