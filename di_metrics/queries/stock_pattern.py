"""How a workforce view inherits the hidden cells of a fine dimension's pattern, decided once on its parent
population (queries/workforce.py decides the pattern, privacy.decided keeps it per data version)."""

from __future__ import annotations

import pandas as pd

from di_metrics.queries import privacy

__all__ = ["inherit"]


def inherit(
    pattern: pd.DataFrame,
    rows: pd.DataFrame,
    forced: dict[str, pd.Series],
    dim: str,
    dimension: str | None,
    within: list[str],
    siblings: list[str],
    selection: dict,
) -> None:
    """A view's rows take the flags of a parent's pattern: its own row's flags (a breakdown by `dim`), or, for a
    selection of `dim`, every flag whose hidden set the selection splits."""
    hides = {
        "gender": pattern["suppressed"],
        "headcount": pattern["headcount_hidden"],
        "x": pattern["x_left_out"],
        "unknown": pattern["unknown_hidden"],
    }
    for kind, target in forced.items():
        flagged = pattern.assign(flag=hides[kind])
        if dim == dimension:
            keys = ["date", dim]
            flags = flagged.groupby(keys)["flag"].max()
            target |= flags.reindex(_index(rows, keys), fill_value=False).to_numpy()
            continue
        chosen = set(selection[dim])
        hidden = flagged[flagged["flag"]].groupby(["date", *siblings])[dim].apply(set)
        split = hidden.map(lambda h, c=chosen: not privacy.consistent(c, h))
        split = split.groupby(level=["date", *within]).max() if len(split) else split
        lookup = rows[["date", *within]].apply(tuple, axis=1) if within else rows["date"]
        target |= lookup.map(lambda key, sp=split: bool(sp.get(key, False))).astype(bool).to_numpy()


def _index(rows: pd.DataFrame, keys: list[str]) -> pd.Index:
    return pd.MultiIndex.from_frame(rows[keys]) if len(keys) > 1 else pd.Index(rows[keys[0]])
