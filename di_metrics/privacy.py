"""Minimum group sizes and complementary suppression, applied to every table that leaves the package."""

from __future__ import annotations

import numpy as np
import pandas as pd

from di_metrics.config import min_workforce_cell


def withhold_small_gender_counts(frame: pd.DataFrame, fine: bool, k: int | None = None) -> pd.DataFrame:
    """Below the branch level, apply the minimum group size to a frame of women, men, other and headcount.

    - A small X group is left out of every figure (DESIGN 6, mechanism b): the headcount and the share
      then count persons in reportable groups, so X cannot be found by subtraction.
    - Where women or men are fewer than k, both are withheld with the share: with the total shown,
      one gender would otherwise give the other away.
    """
    out = frame.copy()
    out["suppressed"] = False
    out["x_left_out"] = False
    if not fine or out.empty:
        return out
    k = k or min_workforce_cell()
    small_x = (out["other"] > 0) & (out["other"] < k)
    out["x_left_out"] = small_x.to_numpy()
    out["headcount"] = out["headcount"].where(~small_x, out["women"] + out["men"])
    out["other"] = out["other"].astype("Float64").mask(small_x, np.nan)
    share = out["women"] / out["headcount"].where(out["headcount"] > 0)
    out["women_share"] = share.astype("Float64")
    small = (out["women"] < k) | (out["men"] < k)
    out["suppressed"] = small.to_numpy()
    for col in ("women", "men", "women_share"):
        out[col] = out[col].astype("Float64").mask(small, np.nan)
    return out
