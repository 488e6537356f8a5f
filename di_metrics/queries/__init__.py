"""Named, privacy-safe queries: every figure a user sees is read and gated here. Imports SQLAlchemy."""

__all__: list[str] = []
