"""Rule options: every value a rule reads with `ctx.threshold` is declared, with the same default."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

from capsule_audit.rules.registry import BUILTIN_RULES

RULES_SRC = Path(__file__).resolve().parents[2] / "src" / "capsule_audit" / "rules"


def _reads() -> dict[str, float]:
    """Each `ctx.threshold("KEY", default)` in the rule modules: key to default value."""
    found: dict[str, float] = {}
    for path in sorted(RULES_SRC.glob("*.py")):
        module = importlib.import_module(f"capsule_audit.rules.{path.stem}")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "threshold"
            ):
                key, default = node.args
                if isinstance(key, ast.Constant):
                    value = (
                        default.value
                        if isinstance(default, ast.Constant)
                        else getattr(module, ast.unparse(default))
                    )
                    found[key.value] = float(value)
    return found


def test_every_option_read_is_declared_with_the_default_used() -> None:
    declared = {f"{r.code}.{o.name}": float(o.default) for r in BUILTIN_RULES for o in r.options}
    reads = _reads()
    assert len(reads) >= 9  # CA103 (3), CA303, CA404, CA505 (2), CA702, CA703
    assert reads == declared


def test_options_are_explained_by_rule() -> None:
    from capsule_audit.cli.rules import explain

    text = explain("CA303")
    assert text is not None and "CA303.tolerance_days (number, default 2" in text
    assert "## Options" not in (explain("CA101") or "")
