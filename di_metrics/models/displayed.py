"""Figures leave for the browser with the precision they are displayed at, and no more.

A share shown as 41.7% must not travel as 0.41666666 in the chart JSON: the digits behind the display
narrow down counts the page rounds away. Fractions keep three decimals (a tenth of a percent), larger
numbers (percentages 0-100, persons in a projection) one decimal.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = ["ARRAYS", "displayed", "rounded"]

ARRAYS = ("x", "y", "z", "customdata", "base")


def rounded(value: Any) -> Any:
    """One number, or any nesting of lists and arrays of numbers, rounded as displayed."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return [rounded(v) for v in value]
    if isinstance(value, (float, np.floating)) and math.isfinite(value):
        return round(float(value), 3 if abs(value) <= 1 else 1)
    return value


def displayed(fig: Any) -> Any:
    """The figure with every numeric array of every trace rounded to what is displayed."""
    for trace in fig.data:
        for name in ARRAYS:
            current = getattr(trace, name, None)
            if current is not None and not isinstance(current, str):
                trace[name] = rounded(list(current))
    return fig
