"""Language-facing output: charts, deck, Word report, briefing, tables and downloads."""
