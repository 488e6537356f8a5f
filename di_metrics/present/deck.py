"""The briefing deck: a PowerPoint file with native, editable charts, stamped and with speaker notes."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.slide import Slide
from pptx.util import Inches, Length, Pt
from xlsxwriter import Workbook

from di_metrics.i18n import fmt_date, t
from di_metrics.present.charts.briefing import is_range, series_colour
from di_metrics.present.export import strip_control
from di_metrics.present.views import Briefing, View

__all__ = ["HIGH", "INK", "KINDS", "QUIET", "WIDE", "build_deck", "write_deck"]

KINDS = {
    "bar": XL_CHART_TYPE.BAR_CLUSTERED,
    "line": XL_CHART_TYPE.LINE_MARKERS,
    "column": XL_CHART_TYPE.COLUMN_CLUSTERED,
}
WIDE, HIGH = Inches(13.333), Inches(7.5)
INK, QUIET = RGBColor(0x1B, 0x26, 0x31), RGBColor(0x6B, 0x77, 0x85)


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#"))


def _code(view: View, index: int) -> str | None:
    """The stable code of a view's series, which decides its colour and line in every language."""
    return view.codes[index] if index < len(view.codes) else None


def _text(
    slide: Slide,
    text: str,
    left: Length,
    top: Length,
    width: Length,
    height: Length,
    size: int,
    bold: bool = False,
    colour: RGBColor = INK,
) -> None:
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    run = frame.paragraphs[0].add_run()
    run.text = text
    run.font.size, run.font.bold, run.font.color.rgb = Pt(size), bold, colour


class _ValuesWorkbookWriter(CategoryWorkbookWriter):
    """The chart's embedded workbook with values only: XlsxWriter would store a text starting with = as a
    formula (and a link as a hyperlink), so a label such as '=HYPERLINK(...)' would run in Excel."""

    @contextmanager
    def _open_worksheet(self, xlsx_file: io.BytesIO) -> Iterator[tuple[Workbook, Any]]:
        workbook = Workbook(xlsx_file, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
        yield workbook, workbook.add_worksheet()
        workbook.close()


class _ValuesChartData(CategoryChartData):
    @property
    def _workbook_writer(self) -> CategoryWorkbookWriter:
        return _ValuesWorkbookWriter(self)


def _label(text: str) -> str:
    """A category or series name without control characters (invalid in the slide's XML); the workbook
    keeps it as text, so it needs no apostrophe."""
    return strip_control(str(text))


def _chart(slide: Slide, view: View, top: Length) -> None:
    data = _ValuesChartData()
    data.categories = [_label(c) for c in view.categories]
    for name, values in view.series.items():
        data.add_series(_label(name), values, number_format="0%" if view.percent else _number_format(view.decimals))
    height = Inches(6.55) - top  # down to the stamp
    shape = slide.shapes.add_chart(KINDS[view.kind], Inches(0.6), top, Inches(12.1), height, data)
    chart = shape.chart
    chart.has_legend = len(view.series) > 1
    if chart.has_legend:
        chart.legend.position, chart.legend.include_in_layout = XL_LEGEND_POSITION.TOP, False
        chart.legend.font.size = Pt(12)
    chart.value_axis.tick_labels.number_format = "0%" if view.percent else _number_format(view.decimals)
    chart.value_axis.tick_labels.number_format_is_linked = False
    chart.value_axis.tick_labels.font.size = Pt(12)
    chart.category_axis.tick_labels.font.size = Pt(12)
    chart.value_axis.has_major_gridlines = True
    if view.kind != "line":  # bars carry their value, as on the briefing page
        plot = chart.plots[0]
        plot.has_data_labels = True
        labels = plot.data_labels
        labels.number_format = "0.0%" if view.percent else "#,##" + _number_format(view.decimals)
        labels.number_format_is_linked = False
        labels.position, labels.font.size = XL_LABEL_POSITION.OUTSIDE_END, Pt(11)
    for i, series in enumerate(chart.plots[0].series):
        colour = _rgb(series_colour(_code(view, i), i))
        if view.kind == "line":
            series.format.line.color.rgb = colour
            series.format.line.width = Pt(1.25 if is_range(_code(view, i)) else 2.75)
            series.smooth = False
        else:
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = colour


def _number_format(decimals: int) -> str:
    """An Excel number format with this many decimals."""
    return "0" + ("." + "0" * decimals if decimals else "")


def build_deck(briefing: Briefing) -> bytes:
    """The deck as bytes: a title slide, then one slide per view."""
    lang = briefing.lang
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDE, HIGH
    blank = deck.slide_layouts[6]
    title = deck.slides.add_slide(blank)
    _text(title, "Koers", Inches(0.8), Inches(2.2), Inches(11.5), Inches(1.2), 54, bold=True)
    _text(
        title,
        t("briefing.deck_subtitle", lang, date=fmt_date(briefing.as_of, lang)),
        Inches(0.8),
        Inches(3.4),
        Inches(11.5),
        Inches(1.0),
        24,
        colour=QUIET,
    )
    if briefing.scenario:
        _text(title, briefing.scenario, Inches(0.8), Inches(4.5), Inches(11.5), Inches(1.2), 16, colour=QUIET)
    _text(title, briefing.stamp, Inches(0.8), Inches(6.4), Inches(11.7), Inches(0.8), 11, colour=QUIET)
    title.notes_slide.notes_text_frame.text = t("briefing.title_notes", lang)
    for view in briefing.views:
        slide = deck.slides.add_slide(blank)
        _text(slide, view.title, Inches(0.6), Inches(0.35), Inches(12.1), Inches(1.1), 24, bold=True)
        if view.subtitle:
            _text(slide, view.subtitle, Inches(0.6), Inches(1.4), Inches(12.1), Inches(0.4), 14, colour=QUIET)
        if view.categories:  # a view with nothing to draw (no unit below its glide path) is its title alone
            _chart(slide, view, Inches(1.85) if view.subtitle else Inches(1.55))
        _text(slide, briefing.stamp, Inches(0.6), Inches(6.7), Inches(12.1), Inches(0.7), 10, colour=QUIET)
        slide.notes_slide.notes_text_frame.text = "\n".join([view.title, *view.notes])
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def write_deck(briefing: Briefing, path: Path) -> int:
    """Write the deck; returns the number of slides."""
    path.write_bytes(build_deck(briefing))
    return len(briefing.views) + 1
