"""Minimum group sizes and complementary suppression, applied to every workforce figure that leaves the package.

Below the branch level (a filter or breakdown on unit or rank group) the rules are:
- **Primary.** A group with fewer than k persons shows no counts; a group with fewer than k women or
  fewer than k men shows neither count nor the share (with the headcount shown, one gives the other away).
- **Complementary (DESIGN 6, mechanism a).** Within a breakdown, a single hidden group could be recovered
  from the total and its siblings, so the next-smallest sibling is hidden too.
- **X (mechanism b).** A small X group is left out of the figures of its group; more X groups are left out
  until what is left out together reaches k, so the total minus the groups does not reveal one of them.
- **Consistency.** A filtered population that contains some but not all of the hidden groups of its
  parent's breakdown would reveal them by subtraction, so it is hidden as well.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from di_metrics.config import min_workforce_cell

COUNTS = ("women", "men", "other")


def _hide_next_smallest(group: pd.DataFrame, hidden: pd.Series, size: pd.Series) -> pd.Series:
    """If exactly one row is hidden, also hide the smallest other row, so no subtraction recovers it."""
    hidden = hidden.copy()
    if int(hidden.sum()) == 1 and len(group) > 1:
        candidates = size[~hidden]
        if len(candidates):
            hidden[candidates.idxmin()] = True
    return hidden


def _leave_out_x(group: pd.DataFrame, k: int) -> pd.Series:
    """Rows whose X persons are left out: the small ones, then more until the left-out total reaches k."""
    other = group["other"]
    out = (other > 0) & (other < k)
    if not out.any():
        return out
    for idx in other[(other > 0) & ~out].sort_values().index:
        if other[out].sum() >= k:
            break
        out[idx] = True
    return out


def suppress_breakdown(frame: pd.DataFrame, k: int | None = None, by: tuple[str, ...] = ("date",)) -> pd.DataFrame:
    """Apply the primary, complementary and X rules to the sibling rows of each `by` group.

    Expects women, men, other and headcount (= women + men + other); returns them with hidden values as
    missing, the share recomputed over reportable persons, and flags `suppressed`, `headcount_hidden`
    and `x_left_out`.
    """
    k = k or min_workforce_cell()
    out = frame.copy()
    out["x_left_out"] = False
    out["headcount_hidden"] = False
    out["suppressed"] = False
    groups = [g.index for _, g in out.groupby(list(by), sort=False)] if by else [out.index]
    for idx in groups:
        g = out.loc[idx]
        x_out = _leave_out_x(g, k)
        reportable = g["women"] + g["men"] + g["other"].where(~x_out, 0)
        head_hidden = _hide_next_smallest(g, reportable < k, reportable)
        gender_hidden = (g["women"] < k) | (g["men"] < k) | head_hidden
        gender_hidden = _hide_next_smallest(g, gender_hidden, g[["women", "men"]].min(axis=1))
        out.loc[idx, "x_left_out"] = x_out
        out.loc[idx, "headcount"] = reportable
        out.loc[idx, "headcount_hidden"] = head_hidden
        out.loc[idx, "suppressed"] = gender_hidden
    return finish(out)


def finish(out: pd.DataFrame) -> pd.DataFrame:
    """Blank what the flags hide and compute the share over what is shown."""
    out = out.copy()
    for col in ("headcount", *COUNTS):
        out[col] = out[col].astype("Float64")
    out["women_share"] = (out["women"] / out["headcount"].where(out["headcount"] > 0)).astype("Float64")
    out["other"] = out["other"].mask(out["x_left_out"] | out["suppressed"], np.nan)
    for col in ("women", "men", "women_share"):
        out[col] = out[col].mask(out["suppressed"], np.nan)
    out["headcount"] = out["headcount"].mask(out["headcount_hidden"], np.nan)
    return out


def suppress_population(series: pd.DataFrame, split: pd.Series | None = None, k: int | None = None) -> pd.DataFrame:
    """Apply the rules to one fine-level population over time; `split` marks dates where it cuts a hidden set."""
    k = k or min_workforce_cell()
    out = series.copy()
    out["x_left_out"] = (out["other"] > 0) & (out["other"] < k)
    out["headcount"] = out["women"] + out["men"] + out["other"].where(~out["x_left_out"], 0)
    split_head = split if split is not None else pd.Series(False, index=out.index)
    out["headcount_hidden"] = (out["headcount"] < k) | split_head
    out["suppressed"] = (out["women"] < k) | (out["men"] < k) | out["headcount_hidden"] | split_head
    return finish(out)


def splits_hidden_set(selected: set[str], hidden: set[str]) -> bool:
    """Whether a selection holds some but not all hidden groups: then subtraction would reveal them."""
    inside = selected & hidden
    return bool(inside) and inside != hidden
