"""The registry of output paths: every function whose figures reach a user (page, chart, download, CLI, deck).

They return typed values or safe frames; the CLI makes its JSON from them in di_metrics/cli/documents.py.

Each one takes its figures through the rules of di_metrics.queries.privacy and carries its mark
(`@privacy.output`): the registry is read from the marks of the modules below. The attacker tests enumerate it
and docs/privacy.md lists it; a new output is marked, or those tests fail.
"""

from __future__ import annotations

from collections.abc import Callable

from di_metrics.analysis import (
    allocation,
    calibration,
    career,
    claims,
    forecast,
    measure_effects,
    measure_list,
    peer_comparison,
    promotion,
    rank_model,
    reporting,
    retention,
    track_record,
    watchlist,
)
from di_metrics.models import frontier
from di_metrics.present import briefing, report
from di_metrics.queries import (
    effect_panels,
    measure_reads,
    meldingen,
    reporting_rows,
    representation,
    status,
    survey,
    survey_results,
    workforce,
)
from di_metrics.queries.privacy import is_output

__all__ = ["MODULES", "OUTPUTS"]

MODULES = (
    workforce,
    status,
    survey,
    calibration,
    forecast,
    rank_model,
    briefing,
    survey_results,
    meldingen,
    allocation,
    watchlist,
    track_record,
    peer_comparison,
    measure_list,
    measure_reads,
    representation,
    report,
    claims,
    career,
    retention,
    promotion,
    reporting_rows,
    reporting,
    measure_effects,
    effect_panels,
)
# A model-layer output cannot import the mark (models sit below queries): listed by hand.
UNMARKED = (frontier.lever_frontier,)


def _name(f: Callable) -> str:
    return f"{f.__module__.rsplit('.', 1)[-1]}.{f.__name__}"


OUTPUTS: dict[str, Callable] = {
    _name(f): f
    for f in (
        *(f for module in MODULES for f in vars(module).values() if is_output(f) and f.__module__ == module.__name__),
        *UNMARKED,
    )
}
