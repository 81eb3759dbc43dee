"""`capsule-audit rules` lists the catalogue; `capsule-audit rule CA401` explains one rule.

`capsule-audit rules --format markdown` prints the README's rule table (a test keeps the README
equal to it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

import typer

from capsule_audit.cli.app import app
from capsule_audit.rules.base import Rule
from capsule_audit.rules.registry import BUILTIN_RULES
from capsule_audit.rules.selection import matches


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def rules_markdown(rules: Sequence[Rule] = BUILTIN_RULES) -> str:
    """The rule table in Markdown: code, name, severity, scope, summary; in code order."""
    lines = ["| Code | Name | Severity | Scope | Summary |", "|---|---|---|---|---|"]
    for r in sorted(rules, key=lambda r: r.code):
        lines.append(f"| {r.code} | `{r.name}` | {r.severity.value} | {r.scope.value} | {_cell(r.summary)} |")
    return "\n".join(lines) + "\n"


def rules_text(rules: Sequence[Rule] = BUILTIN_RULES) -> str:
    """One line per rule: code, name, severity, summary, aligned."""
    ordered = sorted(rules, key=lambda r: r.code)
    width = max((len(r.name) for r in ordered), default=0)
    return "".join(f"{r.code}  {r.name:<{width}}  {r.severity.value:<7}  {r.summary}\n" for r in ordered)


def explain(selector: str, rules: Sequence[Rule] = BUILTIN_RULES) -> str | None:
    """A rule's full documentation by code or name, or None."""
    for r in rules:
        if selector.upper() == r.code or selector == r.name:
            scope = r.scope.value + (f", grouped by {r.group_by.value}" if r.group_by else "")
            header = f"{r.code} {r.name} ({r.severity.value}; {scope}; version {r.version})"
            options = "".join(f"\n- {o.describe(r.code)}" for o in r.options)
            listed = f"\n\n## Options (`thresholds` in the configuration)\n{options}" if options else ""
            return f"{header}\n\n{r.doc}{listed}\n"
    return None


@app.command("rules")
def rules_command(
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or markdown (the README table).")] = "text",
    select: Annotated[
        str | None, typer.Option("--select", help="Only these codes, names or families.")
    ] = None,
) -> None:
    """List every rule: code, name, default severity, summary."""
    chosen = [r for r in BUILTIN_RULES if select is None or any(matches(r, s) for s in select.split(","))]
    if fmt == "markdown":
        typer.echo(rules_markdown(chosen), nl=False)
    elif fmt == "text":
        typer.echo(rules_text(chosen), nl=False)
    else:
        typer.echo(f"capsule-audit: error: unknown format {fmt!r}; choose text or markdown", err=True)
        raise typer.Exit(2)


@app.command("rule")
def rule_command(code: Annotated[str, typer.Argument(help="A rule code (CA401) or name.")]) -> None:
    """Explain one rule: why it matters, what fails, what passes."""
    text = explain(code)
    if text is None:
        typer.echo(f"capsule-audit: error: no rule {code!r}; see `capsule-audit rules`", err=True)
        raise typer.Exit(2)
    typer.echo(text, nl=False)
