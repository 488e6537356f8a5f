"""The integrated report read back with python-docx: its nine sections, tables with the deck's stamps, Dutch text,
charts as pictures, and no figure about fewer people than the minimum."""

from __future__ import annotations

import csv
import io
import re

import docx
import pytest

from di_metrics.cli.main import main
from di_metrics.demo.build import demo_measures
from di_metrics.present.report import build_report
from di_metrics.queries.filters import Filters
from di_metrics.storage import store
from tests.support import ROOT
from tests.support.handmade import write_csv

HEADINGS = {
    "nl": [
        "1. Samenvatting",
        "2. Doelen en de stand van zaken",
        "3. Aandeel vrouwen per krijgsmachtdeel",
        "4. Inclusie, sociale veiligheid en meldingsbereidheid",
        "5. Ervaren ongewenst gedrag, en of het is gemeld",
        "6. Formele meldingen over sociale veiligheid en integriteit",
        "7. Opleidingen met aandacht voor sociale veiligheid",
        "8. Genomen maatregelen",
        "9. Loopbaan",
        "Bijlage: werkwijze",
    ],
    "en": [
        "1. Summary",
        "2. Targets and where we stand",
        "3. Women's share by branch",
        "4. Inclusion, social safety and willingness to report",
        "5. Experienced unwanted behaviour, and whether it was reported",
        "6. Formal reports on social safety and integrity",
        "7. Training with social-safety content",
        "8. Measures taken",
        "9. Career",
        "Annex: method",
    ],
}
DEMO_MEASURES = list(demo_measures()["name"])  # the demo's register, as the demo writes it
STAMP = {"nl": ("Gegevens per 31 dec 2025", "Bron: Koers"), "en": ("Data as of 31 Dec 2024", "Source: Koers")}


def _read(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def _stamped_tables(document) -> list:
    """Every table, checked to be followed by a paragraph that carries the stamp."""
    body = list(document.element.body.iterchildren())
    tables = []
    for i, element in enumerate(body):
        if element.tag.endswith("}tbl"):
            after = "".join(t.text or "" for t in body[i + 1].iter() if t.tag.endswith("}t"))
            tables.append((element, after))
    return tables


def _cells_by_section(document) -> dict[str, list[str]]:
    """The table cells (without headers) under each top-level heading."""
    sections: dict[str, list[str]] = {}
    current = ""
    tables = iter(document.tables)
    for element in document.element.body.iterchildren():
        if element.tag.endswith("}p"):
            style = element.xpath("string(.//w:pStyle/@w:val)")
            if style == "Heading1":
                current = "".join(t.text or "" for t in element.iter() if t.tag.endswith("}t"))
        elif element.tag.endswith("}tbl"):
            table = next(tables)
            sections.setdefault(current, []).extend(c.text for row in table.rows[1:] for c in row.cells)
    return sections


def _column(table, name: str) -> list[str]:
    header = [c.text for c in table.rows[0].cells]
    if name not in header:
        return []
    i = header.index(name)
    return [row.cells[i].text for row in table.rows[1:]]


def test_dutch_report_from_the_demo(demo_db, tmp_path, capsys):
    out = tmp_path / "rapport.docx"
    assert main(["export", "report", "--out", str(out), "--lang", "nl", "--db", demo_db, "--json"]) == 0
    document = _read(out.read_bytes())
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == HEADINGS["nl"]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Integrale rapportage sociale veiligheid en integriteit" in text
    measures = _cells_by_section(document)["8. Genomen maatregelen"]
    # every measure named, by its Dutch name from the demo's names file
    with open(ROOT / "data" / "examples" / "names" / "demo_names.csv", encoding="utf-8") as fh:
        dutch = {r["code"]: r["name_nl"] for r in csv.DictReader(fh) if r["dimension"] == "measure"}
    assert {dutch[m] for m in DEMO_MEASURES} <= set(measures)
    assert "Er is geen register van maatregelen opgeslagen" not in text
    assert "vrouwen te weinig voor 30% in 2030" in text  # a headline written from the data
    assert re.search(r"\d+ formele meldingen over integriteit in 2025", text)
    for _, after in _stamped_tables(document):
        assert all(word in after for word in STAMP["nl"])
    assert len(document.tables) >= 10 and len(document.inline_shapes) >= 3  # charts as pictures
    assert all(word in document.sections[0].footer.paragraphs[0].text for word in STAMP["nl"])
    kinds = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert "Sociale veiligheid" in kinds and "Integriteit" in kinds
    for table in document.tables:
        for cell in _column(table, "Respondenten"):
            assert cell == "–" or int(cell.replace(".", "")) >= 10
        assert not _column(table, "Respondents")  # nothing in English


@pytest.fixture
def small(duckdb_url, tmp_path):
    """The hand-made branch of 12 persons; a vendor table where 7 women answered; 3 integrity reports in 2024."""
    write_csv(tmp_path / "w.csv")
    assert main(["import", "workforce", str(tmp_path / "w.csv"), "--db", duckdb_url]) == 0
    (tmp_path / "r.csv").write_text(
        "wave,measure,n,pct_favourable,gender\n2024,inclusion,7,57.1,F\n2024,inclusion,40,70,M\n2024,inclusion,47,68,\n"
        "2024,experienced_unwanted_behaviour,47,21.3,\n"
    )
    assert main(["import", "survey-results", str(tmp_path / "r.csv"), "--db", duckdb_url]) == 0
    (tmp_path / "m.csv").write_text("year,category,count\n2024,integriteit,3\n2024,ongewenst_gedrag,11\n")
    assert main(["import", "reports", str(tmp_path / "m.csv"), "--db", duckdb_url]) == 0
    eng = store.make_engine(duckdb_url)
    yield eng
    eng.dispose()


def test_no_value_below_the_minimum_reaches_the_report(small):
    with store.connect(small) as conn:
        document = _read(build_report(conn, Filters(), "en", images=False))
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == HEADINGS["en"]
    cells = _cells_by_section(document)
    survey, reports = cells[HEADINGS["en"][3]], cells[HEADINGS["en"][5]]
    assert "7" not in survey and "57.1" not in survey  # the 7 women, and the men with them (47 - 40 = 7)
    assert "40" not in survey and "70.0" not in survey and "hidden" in survey
    assert "3" not in reports and "11" not in reports  # 3 integrity reports, and the 11 that would give them away
    assert "hidden" in reports
    text = "\n".join(p.text for p in document.paragraphs)
    assert "formal reports on integrity" not in text  # no headline built on a withheld count
    assert "No register of measures is stored" in text  # this organisation keeps none
    for _, after in _stamped_tables(document):
        assert all(word in after for word in STAMP["en"])


def test_the_method_annex_shows_the_rolling_track_record_beside_a_flat_line(demo_db):
    """The annex reads the track record from the safe share series, from every start year, with the flat line
    beside the projection: the same figures as the What-if page, not one start's error on raw counts."""
    from di_metrics.analysis.track_record import track_record
    from di_metrics.storage.database import open_database

    engine = open_database(demo_db)
    with store.connect(engine) as conn:
        document = _read(build_report(conn, Filters(), "en", images=False))
        record = track_record(conn)
    engine.dispose()
    text = "\n".join(p.text for p in document.paragraphs)
    row = record.horizon(3)
    assert f"From {len(record.origins)} start years, 3 years ahead, the projection missed by" in text
    assert f"keeping today's share missed by {100 * row.mae_constant:.1f} pp" in text
    (table,) = [tb for tb in document.tables if _column(tb, "Today's share (pp)")]
    assert _column(table, "Today's share (pp)") == [f"{100 * v:.2f}" for v in record.horizons["mae_constant"]]
    assert _column(table, "Held by 90% range") == [f"{100 * v:.0f}%" for v in record.horizons["coverage90"]]


def _targets_section(document, lang: str) -> tuple[list[str], list[str]]:
    """The targets table's cells and the section's paragraphs (its notes)."""
    heading, cells, said, inside = HEADINGS[lang][1], [], [], False
    tables = iter(document.tables)
    for element in document.element.body.iterchildren():
        text = "".join(t.text or "" for t in element.iter() if t.tag.endswith("}t"))
        if element.tag.endswith("}p") and element.xpath("string(.//w:pStyle/@w:val)") == "Heading1":
            inside = text == heading
        elif element.tag.endswith("}tbl"):
            table = next(tables)
            if inside:
                cells += [c.text for row in table.rows[1:] for c in row.cells]
        elif inside:
            said.append(text)
    return cells, said


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_report_says_an_unknown_target_figure_in_words_and_where_x_is_left_out(demo_db, lang):
    """The whole organisation's flag officers hold 2 women on the last date (read from the cube): under the minimum
    and inside the top target's scope, so its share cannot be shown without giving them away: the table says so
    in words (it read '–'). 11 Luchtmobiele Brigade's military and civilian figures leave their X out (the cards
    say so, tests/app/test_x_on_cards.py); the report now says it for the same targets, from the same claim."""
    import sqlalchemy as sa

    from di_metrics.i18n import label, t
    from di_metrics.queries.status import status
    from di_metrics.storage.database import open_database

    engine = open_database(demo_db)
    unit = Filters.of({"org_unit": ["11 Luchtmobiele Brigade"]})
    with store.connect(engine) as conn:
        women = conn.execute(
            sa.text(
                "select sum(headcount) from headcount_cube where rank_group = 'opperofficieren' and gender = 'F' "
                "and snapshot_date = (select max(snapshot_date) from headcount_cube)"
            )
        ).scalar()
        whole = _targets_section(_read(build_report(conn, Filters(), lang, images=False)), lang)
        mine = _targets_section(_read(build_report(conn, unit, lang, images=False)), lang)
        left_out = [e.target.name for e in status(conn, unit).targets if e.x_left_out]
    engine.dispose()
    assert 0 < women < 5
    assert "–" not in whole[0] and "–" not in mine[0]
    top = whole[0].index(label("target", "women_top", lang))
    assert whole[0][top + 1] == t("status.no_value", lang) and t("report.not_known", lang) in whole[0][top + 2 :][:4]
    note = t("overview.card_x_left_out", lang, k=5)
    assert left_out == ["women_military", "women_civilian"]
    assert [s for s in mine[1] if note in s] == [f"{label('target', n, lang)}: {note}" for n in left_out]
    assert not [s for s in whole[1] if note in s]
