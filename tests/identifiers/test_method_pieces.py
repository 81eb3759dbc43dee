"""`method_pieces`: the edit bound is the similarity's, and pieces are disjoint, enough and rare."""

from __future__ import annotations

from rapidfuzz import fuzz

from capsule_audit.identifiers.method_pieces import (
    SIMILARITY,
    choose_pieces,
    edit_bound,
    piece_count,
    substring_counts,
)


def test_edit_bound_is_exactly_what_the_similarity_allows() -> None:
    # 'a' * n against 'a' * (m - k) + 'b' * k differ by n + m - 2 * min(n, m - k) edits: every
    # distance two forms of these lengths can have.
    for n in range(1, 61):
        for m in range(1, n + 1):
            for k in range(m + 1):
                distance = n + m - 2 * min(n, m - k)
                agree = fuzz.ratio("a" * n, "a" * (m - k) + "b" * k) >= SIMILARITY
                assert agree == (distance <= edit_bound(n, m)), (n, m, k)


def test_pieces_are_disjoint_in_order_and_one_more_than_the_bound() -> None:
    forms = ["learning mzgdpamnt pyop szyci", "deep learning qibaloknqfrfhhfkfe", "ab", "x"]
    counts = substring_counts(forms)
    for form in forms:
        pieces = choose_pieces(form, counts)
        assert len(pieces) == piece_count(len(form)) == edit_bound(len(form), len(form)) + 1
        ends = [-1]
        for rank, piece in enumerate(pieces):
            assert form[piece.start : piece.start + len(piece.text)] == piece.text
            assert piece.start >= ends[-1]  # after the previous piece, not overlapping it
            ends.append(piece.start + len(piece.text))
            assert (piece.before, piece.after) == (rank, len(pieces) - 1 - rank)


def test_pieces_leave_out_a_word_every_form_shares() -> None:
    forms = [f"{a}{b}{c} learning" for a in "pqrs" for b in "tuvw" for c in "xyz"] + ["abcdefghij learning"]
    pieces = choose_pieces("abcdefghij learning", substring_counts(forms))
    assert all(piece.start + len(piece.text) <= len("abcdefghij") for piece in pieces)
