"""Models run on query results: calibration, forecasts, track record, allocation, watchlist."""
