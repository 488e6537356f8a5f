"""The app shell: who may see what, and the first start on an empty database."""

__all__: list[str] = []
