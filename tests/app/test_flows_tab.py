"""The Explorer's flows tab draws its chart, or says its title alone, as the title's claim decides (`charted`),
in Dutch and English: the page reads the decision, it does not make it."""

from __future__ import annotations

import base64
import json
import re

import numpy as np
import pytest

from tests.support import no_failure

TITLE = {
    "en": r"In 2025 women were (\d+\.\d)% of hires, against (\d+\.\d)% of personnel at the start of the year",
    "nl": r"In 2025 was (\d+,\d)% van de instroom vrouw, tegen (\d+,\d)% van het personeel aan het begin van het jaar",
}
HIDDEN = {"rank": "hoofdofficieren", "unit": "43 Gemechaniseerde Brigade"}


def _values(column: list | dict) -> list:
    """A trace's values as drawn: plotly sends a numeric column as base64 bytes with their dtype."""
    if isinstance(column, dict):
        return np.frombuffer(base64.b64decode(column["bdata"]), dtype=column["dtype"]).tolist()
    return column


def _flows_charts(at) -> list[dict]:
    """The drawn charts whose title is the flows title (it begins with the chart's last year)."""
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    return [s for s in specs if s["layout"].get("title", {}).get("text", "").startswith("In 2025")]


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_flows_chart_is_drawn_under_its_title_where_the_selection_shows_its_shares(app, lang):
    at = app("pages/explorer.py", lang=lang)
    no_failure(at)
    (chart,) = _flows_charts(at)
    title = chart["layout"]["title"]["text"].replace("<br>", " ")
    found = re.fullmatch(TITLE[lang], title)
    assert found, title
    bars = chart["data"][0]  # the women's share of hires per year: its 2025 bar is the title's share
    last = dict(zip(_values(bars["x"]), _values(bars["y"]), strict=True))[2025]
    assert f"{100 * last:.1f}" == found.group(1).replace(",", ".")
    assert not any(i.value.startswith("In 2025") for i in at.info)  # said once, as the chart's title


@pytest.mark.parametrize(
    "lang, said",
    [
        ("en", "In 2025 women's share of hires is not shown for this selection"),
        ("nl", "In 2025 wordt het aandeel vrouwen in de instroom voor deze selectie niet getoond"),
    ],
)
def test_a_selection_whose_flows_are_all_withheld_gets_the_sentence_not_an_empty_chart(app, lang, said):
    at = app("pages/explorer.py", lang=lang, **HIDDEN)
    no_failure(at)
    assert _flows_charts(at) == []
    assert any(i.value.startswith(said) for i in at.info)
