"""Language-facing output: charts, deck, Word report, briefing, tables and downloads."""

__all__: list[str] = []
