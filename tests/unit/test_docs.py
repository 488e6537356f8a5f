"""The docs a newcomer reads match the code: every CLI command and option is in docs/cli.md, and every page
of docs/ is linked from the README or another page."""

from __future__ import annotations

import re
from pathlib import Path

from di_metrics.cli.main import COMMANDS, parser

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def test_docs_cli_names_every_command_and_option():
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    sub = next(a for a in parser()._actions if a.dest == "command")
    missing = [name for name in COMMANDS if f"`{name}" not in text]
    for name, command in sub.choices.items():
        options = {o for a in command._actions for o in a.option_strings if o.startswith("--") and o != "--help"}
        missing += [f"{name} {o}" for o in sorted(options) if not re.search(rf"{re.escape(o)}\b", text)]
    assert missing == []


def test_every_doc_is_linked():
    linked = "\n".join(p.read_text(encoding="utf-8") for p in [ROOT / "README.md", *DOCS.glob("*.md")])
    assert [p.name for p in DOCS.glob("*.md") if f"{p.name})" not in linked] == []
