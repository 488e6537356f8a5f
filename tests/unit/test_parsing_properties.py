"""Property-based tests of the parsers: whatever the input, a value is read right or its line is named."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from di_metrics.errors import InvalidInput
from di_metrics.storage.formats import FORMATS, GENDER_CODES
from di_metrics.storage.parsing import read_text_frame
from di_metrics.storage.validation import parse_frame

DATES = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2100, 12, 31))
CELL = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters=',;"\r\n'), max_size=12)


def _csv(rows: list[tuple[str, str, str, str]]) -> bytes:
    return ("snapshot_date,person_id,gender,org_unit\n" + "".join(f"{a},{b},{c},{d}\n" for a, b, c, d in rows)).encode()


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(DATES, st.sampled_from([*sorted(GENDER_CODES), "", "Q", "vrouwtje"])), min_size=1, max_size=15)
)
def test_dates_round_trip_and_bad_genders_are_named_by_line(rows):
    data = _csv([(d.isoformat(), f"P{i}", g, "U1") for i, (d, g) in enumerate(rows)])
    bad_lines = [i + 2 for i, (_, g) in enumerate(rows) if g and g.lower() not in GENDER_CODES]
    try:
        frame = parse_frame(read_text_frame(data, "f.csv"), FORMATS["workforce"], "f.csv")
    except InvalidInput as exc:
        assert bad_lines
        (problem,) = exc.problems
        assert problem.column == "gender" and list(problem.lines) == bad_lines
    else:
        assert not bad_lines
        assert list(frame["snapshot_date"]) == [d for d, _ in rows]
        assert list(frame["gender"]) == [GENDER_CODES.get(g.lower()) if g else None for _, g in rows]


@settings(max_examples=60, deadline=None)
@given(st.lists(DATES.filter(lambda d: d.day > 12), min_size=1, max_size=10))
def test_day_first_dates_are_read_when_unambiguous(days):
    data = _csv([(d.strftime("%d-%m-%Y"), f"P{i}", "F", "U1") for i, d in enumerate(days)])
    frame = parse_frame(read_text_frame(data, "f.csv"), FORMATS["workforce"], "f.csv")
    assert list(frame["snapshot_date"]) == days


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(CELL, CELL), min_size=1, max_size=8))
def test_any_text_in_free_columns_is_kept_as_text(cells):
    data = _csv([("2024-12-31", f"P{i}", "M", (unit.strip() or "U") + f"{i}") for i, (unit, _) in enumerate(cells)])
    frame = parse_frame(read_text_frame(data, "f.csv"), FORMATS["workforce"], "f.csv")
    assert list(frame["org_unit"]) == [(u.strip() or "U") + f"{i}" for i, (u, _) in enumerate(cells)]


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=200))
def test_arbitrary_bytes_never_crash_the_reader(blob):
    try:
        frame = read_text_frame(blob, "x.csv")
        parse_frame(frame, FORMATS["workforce"], "x.csv")
    except InvalidInput as exc:
        assert exc.problems and str(exc).startswith("x.csv")
    except pd.errors.EmptyDataError:
        raise AssertionError("an empty table must be reported as invalid input") from None
