"""Intervals for rates and their ratio: Wilson's score interval for one proportion, and for the ratio of two
proportions the MOVER-R interval built on the two Wilson intervals (Donner and Zou's method of variance
estimates recovery). Pure arithmetic, so it is checked by hand in the tests."""

from __future__ import annotations

import math

__all__ = ["Z95", "ratio_interval", "wilson"]

Z95 = 1.959963984540054  # the 97.5th percentile of the standard normal: a two-sided 95% interval


def wilson(successes: int, trials: int, z: float = Z95) -> tuple[float, float]:
    """Wilson's score interval for successes out of trials; (nan, nan) without trials."""
    if trials <= 0:
        return (math.nan, math.nan)
    p = successes / trials
    centre = p + z * z / (2 * trials)
    spread = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials))
    scale = 1 + z * z / trials
    return (max(0.0, (centre - spread) / scale), min(1.0, (centre + spread) / scale))


def ratio_interval(x1: int, n1: int, x2: int, n2: int, z: float = Z95) -> tuple[float, float, float]:
    """The ratio (x1/n1) / (x2/n2) with its MOVER-R interval from the two Wilson intervals.

    Returns (ratio, low, high); the ratio is nan when the second rate is 0 (or a group is empty), and the upper
    bound is inf when the second rate's interval reaches 0."""
    if n1 <= 0 or n2 <= 0 or x2 == 0:
        return (math.nan, math.nan, math.nan)
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = wilson(x1, n1, z)
    l2, u2 = wilson(x2, n2, z)
    ratio = p1 / p2
    low_root = (p1 * p2) ** 2 - l1 * u2 * (2 * p1 - l1) * (2 * p2 - u2)
    low = (p1 * p2 - math.sqrt(max(low_root, 0.0))) / (u2 * (2 * p2 - u2))
    high_denominator = l2 * (2 * p2 - l2)
    if high_denominator <= 0:
        return (ratio, max(low, 0.0), math.inf)
    high_root = (p1 * p2) ** 2 - u1 * l2 * (2 * p1 - u1) * (2 * p2 - l2)
    high = (p1 * p2 + math.sqrt(max(high_root, 0.0))) / high_denominator
    return (ratio, max(low, 0.0), high)
