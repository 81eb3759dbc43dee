"""The exact slow path: the first problem in document order, with its pointer."""

from __future__ import annotations

from capsule_audit.config import Limits
from capsule_audit.loading.strict import strict_parse


def test_first_problem_in_document_order_wins() -> None:
    value, problem = strict_parse(b'{"a": [1, NaN], "b": 1, "b": 2}', Limits())
    assert value is None and problem is not None
    assert (problem.code, problem.pointer) == ("CA005", "/a/1")


def test_valid_json_with_big_numbers_is_exact() -> None:
    value, problem = strict_parse(b'{"n": 100000000000000000000000001, "f": 0.5}', Limits())
    assert problem is None
    assert value == {"n": 100000000000000000000000001, "f": 0.5}


def test_float_overflow_is_over_limit() -> None:
    _, problem = strict_parse(b"[1e999]", Limits())
    assert problem is not None and (problem.code, problem.pointer) == ("CA005", "/0")


def test_parse_error_has_unit_line_and_column() -> None:
    _, problem = strict_parse(b'{\n  "a": }', Limits())
    assert problem is not None and (problem.code, problem.line, problem.column) == ("CA001", 2, 8)


def test_configured_integer_limit() -> None:
    _, problem = strict_parse(b'{"n": 123456}', Limits(max_int_digits=5))
    assert problem is not None and (problem.code, problem.pointer) == ("CA005", "/n")
