"""Dimension filters, checked against the allow-list, turned into SQL predicates with bound values."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import sqlalchemy as sa

from di_metrics.errors import InvalidChoice
from di_metrics.vocab import DIMENSIONS, FINE_DIMENSIONS

__all__ = ["Filters"]


@dataclass(frozen=True)
class Filters:
    """Selected values per dimension; an absent dimension means all."""

    values: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exempt_units: tuple[str, ...] = field(default=())

    @classmethod
    def of(cls, selection: Mapping[str, Iterable[str]] | None = None, exempt_units: Iterable[str] = ()) -> Filters:
        pairs = []
        for dim, vals in (selection or {}).items():
            if dim not in DIMENSIONS:
                raise InvalidChoice("unknown_dimension", value=dim, allowed=list(DIMENSIONS))
            vals = tuple(sorted({str(v) for v in vals}))
            if vals:
                pairs.append((dim, vals))
        return cls(tuple(sorted(pairs)), tuple(sorted(set(exempt_units))))

    def as_dict(self) -> dict[str, tuple[str, ...]]:
        return dict(self.values)

    def without(self, dimension: str) -> Filters:
        """The parent population: the same filters but for one dimension."""
        return Filters(tuple(p for p in self.values if p[0] != dimension), self.exempt_units)

    def narrowed_to(self, scope: Mapping[str, Iterable[str]], exempt_units: Iterable[str] = ()) -> Filters | None:
        """These filters inside a population (a target's scope, less its exempt units); None when the two do not
        overlap."""
        merged = {k: set(v) for k, v in self.as_dict().items()}
        for dim, vals in scope.items():
            merged[dim] = merged[dim] & set(vals) if dim in merged else set(vals)
            if not merged[dim]:
                return None
        return Filters.of(merged, exempt_units=(*self.exempt_units, *exempt_units))

    def exempted_part(self) -> Filters:
        """The persons the exemption removes: the same filters, restricted to the exempted units."""
        units = set(self.exempt_units)
        if "org_unit" in self.as_dict():
            units &= set(self.as_dict()["org_unit"])
        return Filters.of({**self.as_dict(), "org_unit": sorted(units) or ["\0none"]})

    @property
    def is_fine(self) -> bool:
        """Whether the population is cut below the branch level, where small cells must be withheld."""
        return any(dim in FINE_DIMENSIONS for dim, _ in self.values)

    def predicate(self, table: sa.Table | sa.Subquery, prefix: str = "") -> sa.ColumnElement[bool]:
        """True for rows inside the population; rows with an unknown value for a filtered dimension are outside."""
        clauses = [sa.func.coalesce(table.c[f"{prefix}{dim}"].in_(vals), sa.false()) for dim, vals in self.values]
        if self.exempt_units:
            col = table.c[f"{prefix}org_unit"]
            clauses.append(sa.func.coalesce(col.not_in(self.exempt_units), sa.true()))
        return sa.and_(sa.true(), *clauses)
