"""The numbers a sentence states, read back as a reader of its language reads them (for comparing NL and EN)."""

from __future__ import annotations

import re

NUMBER = re.compile(r"\d[\d.,]*\d|\d")


def numbers(text: str, lang: str) -> list[float]:
    """Every number in the text, in order: Dutch 3.746 and 19,4 are 3746 and 19.4; English 3,746 and 19.4 too."""
    out = []
    for raw in NUMBER.findall(text):
        plain = raw.replace(".", "").replace(",", ".") if lang == "nl" else raw.replace(",", "")
        out.append(float(plain))
    return out
