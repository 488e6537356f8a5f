"""The only writer: validate, then import in one transaction, idempotently, with an import log."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from di_metrics.errors import InvalidInput, Problem
from di_metrics.i18n import t
from di_metrics.storage import chunked, store
from di_metrics.storage.aggregates import refresh_dates, refresh_workforce_cubes
from di_metrics.storage.benchmarks import check_benchmarks
from di_metrics.storage.careers import CAREER_TABLES
from di_metrics.storage.formats import FORMATS
from di_metrics.storage.measure_register import check_measures
from di_metrics.storage.parsing import read_text_frame
from di_metrics.storage.validation import FIRST_DATA_LINE, check_frame
from di_metrics.storage.writers import BATCH_TABLES, DATA_TABLES, WRITERS, stored_periods

__all__ = [
    "IMPORTED",
    "KINDS",
    "ImportResult",
    "Progress",
    "import_bytes",
    "import_file",
    "import_frame",
    "import_log",
    "outcome_text",
    "rebuild",
    "rebuild_cubes",
    "remember_mapping",
    "remembered_mapping",
    "undo_batch",
    "validate_bytes",
]

KINDS = tuple(FORMATS)
# What happened to an import, as the log stores it (docs/formats.md); the words are in the catalogues.
IMPORTED, UNDONE, REPLACED = "imported", "undone", "replaced"
Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class ImportResult:
    """What an import did."""

    kind: str
    file_name: str
    rows: int
    changed: bool
    batch_id: int | None
    replaced: tuple[str, ...] = ()


def import_file(
    engine: Engine, kind: str, path: str | Path, replace: bool = False, user: str = "local"
) -> ImportResult:
    """Validate the file completely, then import it atomically; invalid input raises InvalidInput and writes nothing."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        logging.getLogger("koers.input").info("%s cannot be read: %s", path, exc)
        raise InvalidInput(str(path), [Problem(None, "file_unreadable")]) from exc
    return import_bytes(engine, kind, data, path.name, replace=replace, user=user)


def import_bytes(
    engine: Engine,
    kind: str,
    data: bytes,
    name: str,
    replace: bool = False,
    user: str = "local",
    progress: Progress | None = None,
) -> ImportResult:
    """As import_file, for bytes already in memory (an upload)."""
    say = progress or (lambda frac, step: None)
    digest = hashlib.sha256(data).hexdigest()
    say(0.05, "read")
    if kind in FORMATS:
        with store.connect(engine) as conn:
            if _already_imported(conn, kind, digest):
                return ImportResult(kind, name, 0, changed=False, batch_id=None)
            mapping = remembered_mapping(conn, kind)
    if kind in FORMATS and chunked.streams(kind, data, name, mapping):  # a refusal writes nothing, no log line
        result = _import_chunked(engine, data, name, digest, replace, user, mapping)
    else:
        frame = validate_bytes(engine, kind, data, name, replace)
        say(0.4, "write")
        result = import_frame(engine, kind, frame, name, digest, replace=replace, user=user)
    say(1.0, "done")
    return result


def outcome_text(result: str, detail: str | float | None, lang: str) -> str:
    """A logged outcome in a language; a text an old version stored that is no code is shown as it was."""
    values = json.loads(detail) if isinstance(detail, str) and detail else {}  # a frame holds NaN for none
    if result == UNDONE:
        return t("import.result_undone", lang, user=values.get("user", "–"))
    if result in (IMPORTED, REPLACED):
        return t(f"import.result_{result}", lang)
    return result


def validate_bytes(engine: Engine, kind: str, data: bytes, name: str, replace: bool = False) -> pd.DataFrame:
    """Read and check a file completely, with the remembered column mapping: every rule in one pass, the
    kind's own rules and the periods already stored (unless replacing) among them; raises InvalidInput."""
    if kind not in FORMATS:
        raise InvalidInput(name, [Problem(None, "unknown_kind", params={"kind": kind, "allowed": list(KINDS)})])
    raw = read_text_frame(data, name)
    with store.connect(engine) as conn:
        raw = raw.rename(columns=remembered_mapping(conn, kind))
        items = _codebook(conn) if kind == "survey" else None
        frame, problems = check_frame(raw, FORMATS[kind], name, items)
        if not frame.columns.empty:  # a doubled column or no rows: no later rule has anything to read
            problems += _unseen(_kind_rules(conn, kind, frame, problems), problems)
            problems += [] if replace else stored_periods(conn, kind, frame, name)
    if problems:
        raise InvalidInput(name, problems)
    return frame


def _kind_rules(conn: Connection, kind: str, frame: pd.DataFrame, found: list[Problem]) -> list[Problem]:
    """A kind's own rules, run on the values that parsed (a value that did not is None in the frame)."""
    if kind == "survey":
        return _scale_problems(conn, frame)
    if kind == "benchmarks":
        unreadable = frozenset(n - FIRST_DATA_LINE for p in found if p.column in ("date", "year") for n in p.lines)
        return check_benchmarks(frame, unreadable)
    if kind == "measures":
        return check_measures(conn, frame)
    return []


def _unseen(later: list[Problem], found: list[Problem]) -> list[Problem]:
    """A kind's problems on lines whose value in that column is not already named (an empty required value
    is not also an unknown indicator)."""
    named: dict[str | None, set[int]] = {}
    for p in found:
        named.setdefault(p.column, set()).update(p.lines)
    out = []
    for p in later:
        lines = tuple(n for n in p.lines if n not in named.get(p.column, set()))
        if lines or not p.lines:
            out.append(dataclasses.replace(p, lines=lines))
    return out


def remembered_mapping(conn: Connection, kind: str) -> dict[str, str]:
    """Source column names an admin mapped before, to the expected names."""
    t = store.column_mapping
    return dict(conn.execute(sa.select(t.c.source, t.c.target).where(t.c.kind == kind)).all())


def remember_mapping(conn: Connection, kind: str, mapping: dict[str, str]) -> None:
    """Keep a column mapping so the same file layout imports without asking again."""
    t = store.column_mapping
    for source, target in mapping.items():
        conn.execute(t.delete().where(t.c.kind == kind, t.c.source == source.lower()))
        conn.execute(t.insert().values(kind=kind, source=source.lower(), target=target))


def import_log(conn: Connection) -> pd.DataFrame:
    """Every import, newest first."""
    log = store.import_log
    rows = conn.execute(sa.select(log).order_by(log.c.id.desc())).mappings().all()
    return pd.DataFrame([dict(r) for r in rows])


def undo_batch(engine: Engine, batch_id: int, user: str = "local") -> int:
    """Remove everything one import wrote, in one transaction; returns the rows removed."""
    log = store.import_log
    with store.connect(engine, write=True) as conn:
        store.take_turn(conn)
        entry = conn.execute(sa.select(log).where(log.c.id == batch_id)).mappings().one_or_none()
        if entry is None or entry["result"] != IMPORTED:
            raise InvalidInput(str(batch_id), [Problem(None, "no_batch", params={"batch": str(batch_id)})])
        touched = _batch_dates(conn, entry["kind"], batch_id)
        removed = 0
        for table in BATCH_TABLES[entry["kind"]]:
            if table is store.survey_answer:
                r = store.survey_respondent
                mine = sa.select(r.c.wave, r.c.respondent_id).where(r.c.batch_id == batch_id)
                removed += (
                    conn.execute(
                        table.delete().where(sa.tuple_(table.c.wave, table.c.respondent_id).in_(mine))
                    ).rowcount
                    or 0
                )
            else:
                removed += conn.execute(table.delete().where(table.c.batch_id == batch_id)).rowcount or 0
        refresh_dates(conn, touched)
        conn.execute(log.update().where(log.c.id == batch_id).values(result=UNDONE, detail=json.dumps({"user": user})))
    return removed


def _batch_dates(conn: Connection, kind: str, batch_id: int) -> set[dt.date]:
    """The snapshot dates a workforce or headcount batch still holds: the ones its undo changes."""
    table = {"workforce": store.workforce_snapshot, "headcount": store.workforce_headcount}.get(kind)
    if table is None:
        return set()
    return set(conn.execute(sa.select(table.c.snapshot_date).distinct().where(table.c.batch_id == batch_id)).scalars())


def rebuild_cubes(engine: Engine) -> dict[str, int]:
    """Rebuild the headcount and transition tables from everything stored: a repair, never needed after imports.
    Returns the rows each table now holds."""
    cubes = (store.headcount_cube, store.transition_cube, store.snapshot_calendar, *CAREER_TABLES)
    with store.connect(engine, write=True) as conn:
        store.take_turn(conn)
        refresh_workforce_cubes(conn)
        return {t.name: int(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar()) for t in cubes}


def import_frame(
    engine: Engine, kind: str, frame: pd.DataFrame, name: str, digest: str, replace: bool = False, user: str = "local"
) -> ImportResult:
    """Write an already validated frame in one transaction, logging the batch."""
    with store.connect(engine, write=True) as conn:
        store.take_turn(conn)
        batch_id = _log(conn, kind, name, digest, len(frame), user)
        replaced = WRITERS[kind](conn, frame.assign(batch_id=batch_id), name, replace)
    return ImportResult(kind, name, len(frame), changed=True, batch_id=batch_id, replaced=replaced)


def _import_chunked(
    engine: Engine, data: bytes, name: str, digest: str, replace: bool, user: str, mapping: dict[str, str]
) -> ImportResult:
    """A workforce Parquet file read, checked and written chunk by chunk (`chunked`), in one transaction."""
    with store.connect(engine, write=True) as conn, chunked.duckdb_memory(conn):
        store.take_turn(conn)
        batch_id = _log(conn, "workforce", name, digest, chunked.declared_rows(data), user)
        rows, dates, replaced = chunked.import_chunks(conn, data, name, mapping, batch_id, replace)
        refresh_dates(conn, dates)
    return ImportResult("workforce", name, rows, changed=True, batch_id=batch_id, replaced=replaced)


def _codebook(conn: Connection) -> set[str]:
    return set(conn.execute(sa.select(store.survey_item.c.item)).scalars())


def _scale_problems(conn: Connection, frame: pd.DataFrame) -> list[Problem]:
    """Every answer lies on its item's scale."""
    scales = {
        r.item: (r.scale_min, r.scale_max)
        for r in conn.execute(
            sa.select(store.survey_item.c.item, store.survey_item.c.scale_min, store.survey_item.c.scale_max)
        )
    }
    problems = []
    for item, (low, high) in scales.items():
        if item in frame.columns:
            off = (frame[item].lt(low) | frame[item].gt(high)).fillna(False).astype(bool)
            if off.any():
                lines = tuple(int(i) + FIRST_DATA_LINE for i in off[off].index)
                problems.append(Problem(item, "off_scale", lines, {"low": int(low), "high": int(high)}))
    return problems


def _already_imported(conn: Connection, kind: str, digest: str) -> bool:
    log = store.import_log
    found = conn.execute(
        sa.select(sa.func.count())
        .select_from(log)
        .where(log.c.kind == kind, log.c.file_hash == digest, log.c.result == IMPORTED)
    ).scalar()
    return bool(found)


def _log(
    conn: Connection,
    kind: str,
    name: str,
    digest: str,
    rows: int,
    user: str,
    result: str = IMPORTED,
    detail: str | None = None,
) -> int:
    log = store.import_log
    return int(
        conn.execute(
            log.insert()
            .values(
                kind=kind,
                file_name=name,
                file_hash=digest,
                rows=rows,
                imported_by=user,
                imported_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
                result=result,
                detail=detail,
            )
            .returning(log.c.id)
        ).scalar_one()
    )


def rebuild(engine: Engine, frames: dict[str, pd.DataFrame], source: str, user: str = "local") -> None:
    """Replace every stored figure with the given typed frames, in one transaction (the demo uses this)."""
    with store.connect(engine, write=True) as conn:
        store.take_turn(conn)
        for table in DATA_TABLES:
            conn.execute(table.delete())
        log = store.import_log
        conn.execute(log.update().where(log.c.result == IMPORTED).values(result=REPLACED))
        for kind, frame in frames.items():
            digest = hashlib.sha256(f"{source}:{kind}".encode()).hexdigest()
            batch_id = _log(conn, kind, source, digest, len(frame), user)
            WRITERS[kind](conn, frame.assign(batch_id=batch_id), source, True)
