"""Two small rules of the page helpers: a saved scenario's population has its own name and is worded by the one
population text (a target's or a measure's), and the cached slider texts cannot be changed by a caller."""

from __future__ import annotations

import types

import pytest

from di_metrics import i18n
from ui import scenarios, widgets

NAMES = {"CLAS": {"en": "Army Command", "nl": "Commando Landstrijdkrachten"}}


class _Names:
    """Display names as the demo's names file gives them, for one branch."""

    @staticmethod
    def label(dimension: str, value: str, lang: str) -> str:
        return NAMES.get(value, {}).get(lang, value)


def test_a_saved_scenarios_population_is_worded_by_the_one_population_text(monkeypatch):
    assert not hasattr(scenarios, "population_text")  # one name for one thing: i18n.population_text
    monkeypatch.setattr(scenarios.data, "load_names", lambda version: _Names())
    assert scenarios.scenario_population(None, "en", 0) == "Population not recorded"
    assert scenarios.scenario_population({}, "nl", 0) == "Hele organisatie"
    assert scenarios.scenario_population({"branch": ("CLAS",)}, "en", 0) == "Branch: Army Command"
    dutch = scenarios.scenario_population({"branch": ("CLAS",)}, "nl", 0)
    assert dutch == "Krijgsmachtdeel: Commando Landstrijdkrachten"
    assert dutch == i18n.population_text({"branch": ("CLAS",)}, "nl", _Names.label)


def test_the_cached_slider_texts_are_read_only():
    options, labels = widgets.slider_options(0.0, 1.0, 0.5, 1, True, "nl", None)
    assert options == (0.0, 0.5, 1.0) and dict(labels) == {0.0: "0,0%", 0.5: "0,5%", 1.0: "1,0%"}
    assert isinstance(labels, types.MappingProxyType)
    with pytest.raises(TypeError):
        labels[0.5] = "changed"  # type: ignore[index]
    assert widgets.slider_options(0.0, 1.0, 0.5, 1, True, "nl", None)[1][0.5] == "0,5%"
