"""The errors Koers reports to people: each names the file, the column, the rule and the lines."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["MAX_LINES_LISTED", "InvalidInput", "Problem"]

MAX_LINES_LISTED = 5


@dataclass(frozen=True)
class Problem:
    """One broken rule: where and what."""

    column: str | None
    rule: str
    lines: tuple[int, ...] = ()

    def describe(self) -> str:
        where = f"column '{self.column}'" if self.column else "file"
        text = f"{where}: {self.rule}"
        if self.lines:
            shown = ", ".join(str(n) for n in self.lines[:MAX_LINES_LISTED])
            more = len(self.lines) - MAX_LINES_LISTED
            text += f" (line{'s' if len(self.lines) > 1 else ''} {shown}{f' and {more} more' if more > 0 else ''})"
        return text


@dataclass
class InvalidInput(Exception):
    """Input that breaks a rule; nothing was written."""

    file: str
    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        head = f"{self.file}: invalid input, nothing was imported."
        return "\n".join([head, *("  - " + p.describe() for p in self.problems)])
