"""Pure models: projections, frontier, levers and the target rule. No SQL, no storage, no queries."""

__all__: list[str] = []
