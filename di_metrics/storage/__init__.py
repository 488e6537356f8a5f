"""Storage and input: the schema, the one write door, file parsing and import. Imports SQLAlchemy."""

__all__: list[str] = []
