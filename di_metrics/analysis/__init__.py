"""Models run on query results: calibration, forecasts, track record, allocation, watchlist."""

__all__: list[str] = []
