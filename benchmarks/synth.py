"""Deterministic synthetic capsule dumps (NDJSON on stdout), seed-like, for benchmarks.

    python -m benchmarks.synth 100000 > dump.jsonl
    python -m benchmarks.synth 1000 --conflicts --forms --seed 7 > mixed.jsonl

Each line is one capsule in the Forge export shape: a Markdown text with Key Findings (numbered
methods with acronyms, institutions, figures, arXiv sources), Analysis, Sources, Implications.
`--conflicts` makes some capsules cite one shared arXiv identifier for different methods;
`--forms` writes some capsules in equivalent JSON-LD forms (prefixed, https @vocab, one-element
arrays, shuffled keys) that the fast path does not take. Same arguments, same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import uuid
from collections.abc import Iterator
from typing import Any

import orjson

METHODS = [
    ("Self-Alignment via Reward-Based Iterative Refinement", "SARIR"),
    ("Dynamic Curriculum Pre-Training", "DCP"),
    ("Sparse Activation Backpropagation", "SAB"),
    ("Recursive Gradient Optimization", "RGO"),
    ("Adaptive Token Dropping", "ATD"),
    ("Temporal Curriculum Pretraining", "TCP"),
    ("Federated Instruction Tuning", "FIT"),
    ("Direct Preference Optimization with Uncertainty Weighting", "DPO-UW"),
]
INSTITUTIONS = ["MIT", "Stanford", "DeepMind", "Meta AI", "UC Berkeley", "University of Toronto", "Anthropic"]
SHARED_IDS = ["2604.01234", "2604.01567", "2604.04501"]  # cited for different methods with --conflicts
EVIDENCE = ["primary_source", "verified_report", "peer_reviewed", "ai_generated", "ungraded"]


def _arxiv(rng: random.Random, conflicts: bool) -> str:
    if conflicts and rng.random() < 0.2:
        return rng.choice(SHARED_IDS)
    return f"26{rng.randint(1, 6):02d}.{rng.randint(1, 33000):05d}"


def capsule(rng: random.Random, conflicts: bool = False) -> dict[str, Any]:
    """One seed-like capsule, drawn from `rng`."""
    cid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    day = rng.randint(1, 28)
    picks = rng.sample(METHODS, 3)
    ids = [_arxiv(rng, conflicts) for _ in picks]
    lines = [f"## Key Findings\n- As of April {day}, 2026, several notable advancements in LLM training:"]
    for n, ((name, acro), ident) in enumerate(zip(picks, ids, strict=True), start=1):
        inst = rng.choice(INSTITUTIONS)
        lines.append(
            f"- {n}. **{name} ({acro})**\n- Researchers at {inst} introduced {acro}, reducing training "
            f"cost by {rng.randint(5, 60)}% on a {rng.choice([7, 13, 70])}B model.\n"
            f"- Source: [arXiv:{ident}](https://arxiv.org/abs/{ident})"
        )
    lines.append("\n## Sources\n" + "\n".join(f"- https://arxiv.org/abs/{i}" for i in ids))
    lines.append("\n## Implications\n- Training costs may fall further.")
    text = "\n".join(lines)
    iri = f"https://forgecascade.org/public/capsules/{cid}"
    doc: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "@id": iri,
        "name": f"As of April {day}, 2026, several notable advancements in large language model (LLM) training",
        "text": text,
        "keywords": ["large-language-model", "zo-research"],
        "about": [],
        "citation": [],
        "isPartOf": {
            "@type": "Dataset",
            "name": "Forge Cascade Knowledge Graph",
            "url": "https://forgecascade.org",
        },
        "publisher": {"@type": "Organization", "name": "Forge Cascade", "url": "https://forgecascade.org"},
    }
    if rng.random() < 0.5:
        doc["identifier"], doc["url"] = cid, iri
        doc["dateCreated"] = f"2026-04-{day:02d}T0{rng.randint(0, 9)}:11:18.{rng.randint(0, 999999):06d}Z"
        doc["dateModified"] = "2026-05-09T01:28:10.513097Z"
        doc["additionalProperty"] = [
            {"@type": "PropertyValue", "name": "trust_level", "value": rng.choice([0, 40, 60, 80, 100])},
            {"@type": "PropertyValue", "name": "evidence_level", "value": rng.choice(EVIDENCE)},
            {
                "@type": "PropertyValue",
                "name": "content_hash",
                "value": hashlib.sha256(text.encode()).hexdigest(),
            },
        ]
    return doc


def _other_form(doc: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    form = rng.choice(["vocab-https", "arrays", "prefixed", "shuffled"])
    body = {k: v for k, v in doc.items() if k != "@context"}
    if form == "vocab-https":
        out = {"@context": {"@vocab": "https://schema.org/"}, **body}
        if "url" in out:
            out["url"] = {"@id": out["url"]}
        for part in ("isPartOf", "publisher"):
            out[part] = {**out[part], "url": {"@id": out[part]["url"]}}
        return out
    if form == "arrays":
        return {k: v if k in ("@context", "@id") or isinstance(v, list) else [v] for k, v in doc.items()}
    if form == "prefixed":
        out = {"@context": ["https://schema.org", {"sdo": "http://schema.org/"}]}
        out.update({(k if k.startswith("@") else f"sdo:{k}"): v for k, v in body.items()})
        return out
    keys = list(doc)
    rng.shuffle(keys)
    return {
        "@type": doc["@type"],
        **{k: doc[k] for k in keys},
        "author": {"@type": "Organization", "name": "Forge"},
    }


def generate(count: int, *, seed: int = 0, conflicts: bool = False, forms: bool = False) -> Iterator[bytes]:
    """`count` NDJSON lines, deterministic in (count, seed, conflicts, forms)."""
    rng = random.Random(seed)
    for _ in range(count):
        doc = capsule(rng, conflicts)
        if forms and rng.random() < 0.3:
            doc = _other_form(doc, rng)
        yield orjson.dumps(doc) + b"\n"


def main(argv: list[str] | None = None) -> None:
    """Command-line entry: write the dump to stdout."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--conflicts", action="store_true", help="Shared arXiv ids cited for different methods."
    )
    parser.add_argument("--forms", action="store_true", help="Mix equivalent JSON-LD forms.")
    args = parser.parse_args(argv)
    out = sys.stdout.buffer
    batch: list[bytes] = []
    for line in generate(args.count, seed=args.seed, conflicts=args.conflicts, forms=args.forms):
        batch.append(line)
        if len(batch) >= 1000:
            out.write(b"".join(batch))
            batch.clear()
    out.write(b"".join(batch))


if __name__ == "__main__":
    main()
