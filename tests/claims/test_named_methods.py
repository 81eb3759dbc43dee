"""Named methods in running text: both forms, acronyms with digits, institutions left out."""

from __future__ import annotations

from capsule_audit.claims.entities import parse_method_header
from capsule_audit.claims.named_methods import named_methods


def test_a_letter_and_its_number_is_an_acronym_in_a_sentence() -> None:
    found = named_methods("We fine-tune Text-to-Text Transfer Transformer (T5) on NVIDIA GPUs (A100).")
    assert [(name, acronym) for _, name, acronym in found] == [("Text-to-Text Transfer Transformer", "T5")]


def test_an_institution_with_its_short_form_is_not_a_method() -> None:
    assert named_methods("Researchers at the Massachusetts Institute of Technology (MIT) showed it.") == []
    assert named_methods("MIT (Massachusetts Institute of Technology) and CMU showed it.") == []
    header = parse_method_header("**3. GPT-4 (OpenAI)**", None)
    assert header is not None and (header.name, header.acronym) == ("GPT-4", None)


def test_named_methods_both_ways() -> None:
    found = named_methods(
        "Efficient Distributed Orthonormal Optimizers (EDOO) and NeST (Neuron-State Interpretation)"
    )
    assert [(name, acronym) for _, name, acronym in found] == [
        ("Efficient Distributed Orthonormal Optimizers", "EDOO"),
        ("Neuron-State Interpretation", "NeST"),
    ]
