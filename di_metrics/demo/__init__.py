"""The demo organisation: a generated ministry to explore Koers without real data."""
