"""Scenario errors in words, for every front (command line and app): file, line, field, what is wrong and the
fix, Chinese then English, from the message catalogue."""

from __future__ import annotations

from explain.catalogue import fix_in, has, text
from kb.scenario_io import Issue, ScenarioError, field_name


def error_rows(err: ScenarioError) -> list[dict]:
    """One row per issue: line, field, what is wrong and how to fix it, each {"zh", "en"} (plain data)."""
    rows = []
    for issue in err.issues:
        where_key = "location" if issue.line else "location_noline"
        # a decision's own errors (unknown party, clause, organ, scenario file) are worded in decision_errors
        section = "errors" if has("errors", issue.code) else "decision_errors"
        rows.append(
            {
                "line": issue.line,
                "field": field_name(issue.path) or "—",
                "code": issue.code,
                "where": text("errors", where_key, line=issue.line, field=field_name(issue.path) or "—"),
                "what": text(section, issue.code, **issue.params),
                "fix": fix_in(section, issue.code, **issue.params),
            }
        )
    return rows


def render_error(err: ScenarioError, header: str = "header") -> str:
    """A scenario error as text: file, line, field, what is wrong and the fix — Chinese, then English."""
    head = text("errors", header, file=err.file)
    lines = [head["zh"], head["en"]]
    fix_label = text("errors", "fix")
    for row in error_rows(err):
        where, what, how = row["where"], row["what"], row["fix"]
        lines.append(
            f"- {err.file}:{row['line'] or '?'}: {where['zh']}：{what['zh']}。{fix_label['zh']}：{how['zh']}。"
        )
        lines.append(f"  {where['en']}: {what['en']}. {fix_label['en']}: {how['en']}.")
    return "\n".join(lines) + "\n"


def render_warnings(file: str, warnings: list[Issue]) -> str:
    """Warnings about a scenario that is still evaluated (facts that may be incomplete), as render_error."""
    return render_error(ScenarioError(file, warnings), "warning_header") if warnings else ""
