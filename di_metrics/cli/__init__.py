"""The command line: `python -m di_metrics`, JSON at its own edge."""

__all__: list[str] = []
