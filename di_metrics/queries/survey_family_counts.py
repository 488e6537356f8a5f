"""The surveys' linked family's counts (queries/survey_family.py): every cell of the family, summed in numpy from
the finest cells (wave, gender, branch, category, rank group) as the release's tables count them, X left out where
they leave it out (queries/survey_x.py); two queries per item set, not one per table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from di_metrics.queries import privacy, survey_x
from di_metrics.queries.filters import Filters
from di_metrics.queries.survey_counts import ALL, load_codebook
from di_metrics.storage.store import survey_answer, survey_respondent
from di_metrics.vocab import BRANCH, CATEGORY, GENDER, GENDER_X, GROUP_SEPARATOR, RANK_GROUP, TWO_WAY

__all__ = ["ANSWER", "WHOLE", "atoms", "family_counts"]

WHOLE = "*"  # a dimension not cut: the cell is the line's total
ANSWER = "answer/"  # a family count of respondents giving one answer (one item's family)


def family_counts(
    conn: Connection, items: tuple[str, ...], values: dict[str, list[str]], wave: int | None
) -> pd.DataFrame:
    """Every cell of the family with its respondents and, per item, its favourable and other respondents, as the
    tables the release shows count them (so X is left out where they leave it out: queries/survey_x.py); with
    `wave`, that wave's cells with one more count per answer of the (one) item, as its answer distributions count
    them. Summed from the finest cells (`_atom_counts`), not read table by table."""
    levels: list[tuple[Filters, object]] = [(Filters(), WHOLE)]
    levels += [(Filters.of({CATEGORY: [v]}), ("c", v)) for v in values[CATEGORY]]
    levels += [(Filters.of({RANK_GROUP: [v]}), ("r", v)) for v in values[RANK_GROUP]]
    atoms, answers = _atom_counts(conn, items)
    key = ("survey", "family counts", items)
    table = privacy.decided(conn, key, lambda: _cells(conn, atoms, levels, _table_x(items)))
    if wave is None:
        return table
    mine = table[[c[0] == wave for c in table.index]]
    item = items[0]
    scale = load_codebook(conn).items.loc[item]
    given = answers[(answers["wave"] == wave) & (answers["item"] == item)]
    if given.empty:
        return mine
    scale_values = range(int(scale["scale_min"]), int(scale["scale_max"]) + 1)
    names = sorted({*scale_values, *(int(a) for a in given["answer"])})
    per = given.pivot_table(index=_KEYS, columns="answer", values="n", aggfunc="sum", fill_value=0)
    per = per.reindex(columns=names, fill_value=0)
    per.columns = [f"{ANSWER}{int(v)}" for v in per.columns]
    per = per.reset_index()
    sides = _cells(conn, per, levels, ((item,), True), columns=list(per.columns[len(_KEYS) :]))
    return mine.join(sides, how="left").fillna(0)


_KEYS = ["wave", GENDER, BRANCH, CATEGORY, RANK_GROUP]  # a finest cell (blank values as privacy.MISSING)
_BYS = (None, GENDER, BRANCH, f"{GENDER}{TWO_WAY}{BRANCH}")  # the family's breakdowns, in the tables' order


def _table_x(items: tuple[str, ...]) -> tuple[tuple[str, ...], bool | str]:
    """The items and pins a table of the items reads the X rule with (item_counts, respondents_answering)."""
    return tuple(sorted(items)), (survey_x.FAVOURABLE if len(items) == 1 else False)


def _atom_counts(conn: Connection, items: tuple[str, ...]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The finest cells (wave, gender, branch, category, rank group; a blank value as privacy.MISSING): their
    respondents who answered at least one of the items (`respondents`), and per item and answer the answers given.
    Two queries per item set and data version."""

    def read() -> tuple[pd.DataFrame, pd.DataFrame]:
        r, a = survey_respondent, survey_answer
        dims = [r.c[d] for d in _KEYS[1:]]
        join = a.join(r, sa.and_(a.c.wave == r.c.wave, a.c.respondent_id == r.c.respondent_id))
        query = (
            sa.select(r.c.wave, *dims, a.c.item, a.c.answer, sa.func.count())
            .select_from(join)
            .where(a.c.item.in_(items))
            .group_by(r.c.wave, *dims, a.c.item, a.c.answer)
        )
        answers = pd.DataFrame([tuple(x) for x in conn.execute(query).all()], columns=[*_KEYS, "item", "answer", "n"])
        answered = sa.select(a.c.wave, a.c.respondent_id).where(a.c.item.in_(items)).distinct().subquery("answered")
        query = (
            sa.select(r.c.wave, *dims, sa.func.count())
            .select_from(
                answered.join(r, sa.and_(answered.c.wave == r.c.wave, answered.c.respondent_id == r.c.respondent_id))
            )
            .group_by(r.c.wave, *dims)
        )
        people = pd.DataFrame([tuple(x) for x in conn.execute(query).all()], columns=[*_KEYS, "respondents"])
        for frame in (answers, people):
            frame[_KEYS[1:]] = frame[_KEYS[1:]].astype(object).where(frame[_KEYS[1:]].notna(), privacy.MISSING)
            frame["wave"] = frame["wave"].astype(int)
        answers["answer"] = answers["answer"].astype(int)
        scales = load_codebook(conn).items.loc[list(items)]
        low, high = scales["scale_min"].reindex(answers["item"]), scales["scale_max"].reindex(answers["item"])
        least, reverse = scales["favourable_min"].reindex(answers["item"]), scales["reverse"].reindex(answers["item"])
        value = answers["answer"].astype(float).to_numpy()
        mirrored = (low + high - least).to_numpy(dtype=float)
        fav = np.where(reverse.to_numpy(dtype=bool), value <= mirrored, value >= least.to_numpy(dtype=float))
        per_item = answers.assign(nfav=np.where(fav, answers["n"], 0), no=np.where(fav, 0, answers["n"]))
        sides = per_item.pivot_table(index=_KEYS, columns="item", values=["nfav", "no"], aggfunc="sum", fill_value=0)
        sides.columns = [f"{x}/{i}" for x, i in sides.columns]
        counts = people.set_index(_KEYS).join(sides, how="left").fillna(0)
        counted = answers.groupby(_KEYS)["n"].sum() if len(items) == 1 else counts["respondents"]
        return counts.assign(n=counted.reindex(counts.index).fillna(0)).reset_index(), answers

    return privacy.decided(conn, ("survey", "family atoms", items), read)


def _cells(
    conn: Connection,
    atoms: pd.DataFrame,
    levels: list[tuple[Filters, object]],
    x_rule: tuple[tuple[str, ...], bool | str],
    columns: list[str] | None = None,
) -> pd.DataFrame:
    """Each family table's rows summed from the finest cells, in the tables' order (level, breakdown, wave, group):
    a row's X counts only where its population keeps X (survey_x.fold_x, with `x_rule`'s items and pins)."""
    columns = columns or ["n", *[c for c in atoms.columns if c.startswith(("nfav/", "no/"))]]
    rule, x_waves = survey_x.left_out_rule(conn), set(survey_x.waves_with_x(conn))
    wave = atoms["wave"].to_numpy(dtype=int)
    is_x = (atoms[GENDER] == GENDER_X).to_numpy()
    data = atoms[columns].to_numpy(dtype=float)
    genders, gender = np.unique(atoms[GENDER].to_numpy(dtype=str), return_inverse=True)
    branches, branch = np.unique(atoms[BRANCH].to_numpy(dtype=str), return_inverse=True)
    waves, at_wave = np.unique(wave, return_inverse=True)
    rows, names = [], []
    for f, level in levels:
        dim, chosen = (None, None) if level == WHOLE else (RANK_GROUP if level[0] == "r" else CATEGORY, level[1])
        inside = np.ones(len(atoms), dtype=bool) if dim is None else (atoms[dim] == chosen).to_numpy()
        for by in _BYS:
            parts = by.split(TWO_WAY) if by else []
            g = gender if GENDER in parts else np.full(len(atoms), -1)
            b = branch if BRANCH in parts else np.full(len(atoms), -1)
            keep = inside.copy()
            for w, bb in {(int(w), int(bb)) for w, bb in zip(wave[inside & is_x], b[inside & is_x], strict=True)}:
                value = WHOLE if bb < 0 else str(branches[bb])
                population = f if value in (WHOLE, privacy.MISSING) else Filters.of({**f.as_dict(), BRANCH: [value]})
                if w not in x_waves or w in rule(population, *x_rule):
                    keep &= ~(is_x & (wave == w) & (b == bb))
            if not keep.any():
                continue
            key = (at_wave[keep] * (len(genders) + 1) + g[keep] + 1) * (len(branches) + 1) + b[keep] + 1
            found, group = np.unique(key, return_inverse=True)
            sums = np.zeros((len(found), len(columns)))
            np.add.at(sums, group, data[keep])
            cells = []
            for i, k in enumerate(found.tolist()):
                rest, bb = divmod(k, len(branches) + 1)
                w, gg = divmod(rest, len(genders) + 1)
                gv = WHOLE if gg == 0 else str(genders[gg - 1])
                bv = WHOLE if bb == 0 else str(branches[bb - 1])
                cells.append((int(waves[w]), _label(parts, gv, bv), gv, bv, i))
            for w, _, gv, bv, i in sorted(cells):
                rows.append(sums[i])
                names.append((w, gv, bv, level))
    return pd.DataFrame(rows, index=pd.Index(names, tupleize_cols=False), columns=columns)


def _label(parts: list[str], gender: str, branch: str) -> str:
    """A row's group label as the tables write it (their order is by it)."""
    named = {GENDER: gender, BRANCH: branch}
    return GROUP_SEPARATOR.join(named[p] for p in parts) if parts else ALL


def atoms(conn: Connection, items: tuple[str, ...], answers: bool) -> pd.DataFrame:
    """The finest cells the attacker solves for: respondents per wave, gender, branch, category and rank group
    (blank values as cells of their own, X as it is, before any is left out), with the family's counts."""
    counts, given = _atom_counts(conn, items)
    out = counts.drop(columns=["n"]).rename(columns={"respondents": "n"})
    if answers:
        per = given.pivot_table(index=_KEYS, columns="answer", values="n", aggfunc="sum", fill_value=0)
        per.columns = [f"{ANSWER}{int(v)}" for v in per.columns]
        out = out.set_index(_KEYS).join(per, how="left").fillna(0).reset_index()
    return out
