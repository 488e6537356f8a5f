"""The demo organisation: a generated ministry to explore Koers without real data."""

__all__: list[str] = []
