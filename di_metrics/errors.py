"""The errors Koers reports to people: each names the file, the column, the rule and the lines.

A problem carries a stable rule code and that rule's values, never a finished sentence: `render` turns it
into the reader's language from the `problem` section of the catalogues (docs/formats.md lists the codes).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from di_metrics.i18n import fmt_number, t

__all__ = [
    "MAX_LINES_LISTED",
    "InvalidChoice",
    "InvalidInput",
    "Problem",
    "render",
    "rule_text",
]

MAX_LINES_LISTED = 5


@dataclass(frozen=True)
class Problem:
    """One broken rule: where (column, lines), which rule (a code) and the rule's own values (params)."""

    column: str | None
    code: str
    lines: tuple[int, ...] = ()
    params: dict[str, Any] = field(default_factory=dict, hash=False)
    more_lines: int = 0  # lines beyond `lines` that a stored copy left out

    def describe(self, lang: str = "en") -> str:
        """The problem in a language (English unless told)."""
        return render(self, lang)

    def as_dict(self, most: int | None = None) -> dict[str, Any]:
        """The problem as JSON holds it (the CLI's --json, the import log): code and values, no sentence.
        With `most`, only the first lines are listed and `more_lines` counts the rest (memory stays bounded)."""
        listed = self.lines if most is None else self.lines[:most]
        more = self.more_lines + len(self.lines) - len(listed)
        return {
            "code": self.code,
            "column": self.column,
            "lines": list(listed),
            "more_lines": more,
            "params": dict(self.params),
        }

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> Problem:
        """A problem back from its JSON form."""
        lines, params = tuple(doc.get("lines") or ()), dict(doc.get("params") or {})
        return cls(doc.get("column"), str(doc["code"]), lines, params, int(doc.get("more_lines") or 0))


@dataclass
class InvalidInput(Exception):
    """Input that breaks a rule; nothing was written."""

    file: str
    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str) -> str:
        """The whole refusal in a language: the file, then one line per broken rule."""
        head = t("problem.head", lang, file=self.file)
        return "\n".join([head, *("  - " + render(p, lang) for p in self.problems)])

    def as_dict(self, most: int | None = None) -> dict[str, Any]:
        """The refusal as the CLI's --json prints it."""
        return {"error": "invalid_input", "file": self.file, "problems": [p.as_dict(most) for p in self.problems]}


class InvalidChoice(ValueError):
    """A query option naming something that does not exist (a measure, breakdown, source or item): a rule code
    and its values, so the CLI says it in --lang. A ValueError, as callers caught before."""

    def __init__(self, code: str, **params: Any) -> None:
        self.problem = Problem(None, code, params=params)
        super().__init__(self.text("en"))

    def text(self, lang: str) -> str:
        """The refusal in a language."""
        return rule_text(self.problem, lang)

    def as_dict(self) -> dict[str, Any]:
        """The refusal as the CLI's --json prints it."""
        return {"error": "invalid_choice", **self.problem.as_dict()}


def render(problem: Problem, lang: str) -> str:
    """One problem in the reader's language: where, the rule with its values, and the first lines."""
    where = t("problem.where_column", lang, column=problem.column) if problem.column else t("problem.where_file", lang)
    text = t("problem.where_rule", lang, where=where, rule=rule_text(problem, lang))
    if problem.lines:
        text += " " + lines_text(problem.lines, lang, extra=problem.more_lines)
    return text


def rule_text(problem: Problem, lang: str) -> str:
    """The broken rule alone, with its values in the language's number format."""
    values = {k: _shown(v, lang) for k, v in problem.params.items()}
    return t(f"problem.{problem.code}", lang, **values) if values else t(f"problem.{problem.code}", lang)


def lines_text(lines: tuple[int, ...], lang: str, most: int = MAX_LINES_LISTED, extra: int = 0) -> str:
    """(line 3), (lines 2, 3) or (lines 2, 3, 4, 5, 6 and 7 more); `extra` lines were left out before."""
    shown = ", ".join(str(n) for n in lines[:most])
    more = len(lines) - min(len(lines), most) + extra
    key = "problem.lines_one" if len(lines) + extra == 1 else "problem.lines_many"
    if more > 0:
        shown = t("problem.lines_more", lang, lines=shown, n=fmt_number(more, lang))
    return t(key, lang, lines=shown)


def _shown(value: Any, lang: str) -> str:
    """A rule's value as text: whole numbers with the language's separators, lists joined by commas."""
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int):
        return fmt_number(value, lang)
    if isinstance(value, float):
        text = f"{value:g}"
        return text.replace(".", ",") if lang == "nl" else text
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)
