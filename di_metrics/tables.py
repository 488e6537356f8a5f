"""Tables for people and downloads: chosen columns under names in the language, hidden cells explained."""

from __future__ import annotations

import pandas as pd

from di_metrics.i18n import label, t

PERCENT_COLUMNS = (
    "women_share",
    "share_then",
    "hiring_share_women",
    "stock_share_start",
    "attrition_rate",
    "attrition_women",
    "attrition_men",
    "ratio_to_level_below",
)


def safe_table(frame: pd.DataFrame, columns: list[str], lang: str, k: int) -> pd.DataFrame:
    """The columns to show, renamed for the language, shares in percent, and a note where cells are hidden."""
    out = frame[columns].copy()
    for col in columns:
        if col in PERCENT_COLUMNS and col != "ratio_to_level_below":
            out[col] = (100 * out[col].astype("Float64")).round(1)
        elif col == "ratio_to_level_below":
            out[col] = out[col].astype("Float64").round(2)
        elif col == "gender":
            out[col] = out[col].map(lambda g: label("gender", g, lang))
    hidden = pd.Series(False, index=out.index)
    for flag in ("suppressed", "headcount_hidden"):
        if flag in frame.columns:
            hidden |= frame[flag].fillna(False).astype(bool)
    note = pd.Series("", index=out.index, dtype=object)
    note[hidden] = t("privacy.fewer_than", lang, k=k)
    if "x_left_out" in frame.columns:
        note[frame["x_left_out"].fillna(False).astype(bool) & ~hidden] = t("privacy.x_left_out_short", lang, k=k)
    out[t("col.note", lang)] = note
    return out.rename(columns={c: t(f"col.{c}", lang) for c in columns})
