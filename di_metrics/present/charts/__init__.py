"""Plotly figure builders, by area: data in, figure out, in one house style.

`style` holds the palette (keyed by stable codes, never by translated labels), the template and the layout
helpers; `workforce`, `survey`, `whatif` and `briefing` hold the charts of their area. Import a chart from the
module that owns it.
"""

__all__: list[str] = []
