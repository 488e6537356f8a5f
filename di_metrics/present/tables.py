"""Tables for people and downloads: chosen columns under names in the language, hidden cells explained."""

from __future__ import annotations

import pandas as pd

from di_metrics.i18n import fmt_number, label, t
from di_metrics.present.claims import hidden_text

__all__ = ["DECIMALS", "PERCENT_COLUMNS", "TEXT_COLUMNS", "safe_table", "with_codes"]

PERCENT_COLUMNS = (
    "women_share",
    "share_then",
    "hiring_share_women",
    "stock_share_start",
    "attrition_rate",
    "attrition_women",
    "attrition_men",
)
DECIMALS = {
    **dict.fromkeys(PERCENT_COLUMNS, 1),
    "change_pp": 1,
    "ratio_to_level_below": 2,
    "pct_favourable": 1,
    "ci_low": 1,
    "ci_high": 1,
}
TEXT_COLUMNS = ("value", "gender", "year", "wave", "change", "reference", "kind", "category", "branch")


def safe_table(
    frame: pd.DataFrame,
    columns: list[str],
    lang: str,
    k: int,
    as_text: bool = False,
    x_note: str = "privacy.x_left_out_short",
) -> pd.DataFrame:
    """The columns to show, renamed for the language, shares in percent, and a note where cells are hidden.
    `x_note` is the note of a row that leaves X out (a survey's says so without a size: its X may be large).

    With `as_text`, numbers are written as people read them in the language (1.234 and 14,7 in Dutch)
    and missing ones as a dash; without, they stay numbers for downloads.
    """
    out = frame[columns].copy()
    for col in columns:
        if col == "gender":
            out[col] = out[col].map(lambda g: label("gender", g, lang))
            continue
        if col in TEXT_COLUMNS:
            continue
        values = out[col].astype("Float64") * (100 if col in PERCENT_COLUMNS else 1)
        decimals = DECIMALS.get(col, 0)
        if as_text:
            out[col] = [fmt_number(None if pd.isna(v) else float(v), lang, decimals) for v in values]
        else:
            out[col] = values.round(decimals).astype("Int64") if decimals == 0 else values.round(decimals)
    hidden = pd.Series(False, index=out.index)
    for flag in ("suppressed", "headcount_hidden"):
        if flag in frame.columns:
            hidden |= frame[flag].fillna(False).astype(bool)
    note = pd.Series("", index=out.index, dtype=object)
    note[hidden] = hidden_text(lang)
    if "then_hidden" in frame.columns:
        note[frame["then_hidden"].astype(bool) & ~hidden] = t("privacy.then_hidden", lang, k=k)
    if "x_left_out" in frame.columns:
        note[frame["x_left_out"].fillna(False).astype(bool) & ~hidden] = t(x_note, lang, k=k)
    out[t("col.note", lang)] = note
    return out.rename(columns={c: t(f"col.{c}", lang) for c in columns})


def with_codes(download: pd.DataFrame, codes: pd.Series, lang: str) -> pd.DataFrame:
    """A download keeps the codes the data holds (a URL or a file speaks in codes), first, beside their names."""
    out = download.copy()
    out.insert(0, t("col.code", lang), list(codes))
    return out
