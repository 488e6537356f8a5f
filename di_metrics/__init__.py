"""Koers domain package: workforce, targets, projections and surveys, with no UI code."""

__all__: list[str] = []
