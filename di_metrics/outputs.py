"""The registry of output paths: every function whose figures reach a user (page, chart, download, CLI, deck).

They return typed values or safe frames; the CLI makes its JSON from them in di_metrics/cli/documents.py.

Each one takes its figures through the rules of di_metrics.queries.privacy. The attacker test enumerates this
registry and docs/privacy.md lists it; a new output is added here, or those tests fail.
"""

from __future__ import annotations

from collections.abc import Callable

from di_metrics.analysis import (
    allocation,
    calibration,
    forecast,
    measure_effects,
    measure_list,
    peer_comparison,
    rank_model,
    reporting,
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

__all__ = ["OUTPUTS"]

OUTPUTS: dict[str, Callable] = {
    f"{f.__module__.rsplit('.', 1)[-1]}.{f.__name__}": f
    for f in (
        workforce.share_series,
        workforce.breakdown,
        workforce.compare_breakdown,
        workforce.pipeline,
        workforce.flows,
        workforce.hiring_vs_stock,
        status.status,
        survey.survey_table,
        survey.answer_distribution,
        survey.answers,
        survey.published_results,
        survey.formal_reports,
        calibration.yearly_rates,
        calibration.calibrate,
        forecast.project_run,
        rank_model.calibrate_ranks,
        briefing.build_briefing,
        survey_results.aggregate_table,
        survey_results.results_table,
        survey_results.survey_results,
        representation.representation,
        meldingen.reports_by_kind,
        meldingen.reports,
        allocation.allocation,
        allocation.allocate,
        allocation.allocation_for,
        watchlist.watchlist,
        track_record.track_record,
        frontier.lever_frontier,
        peer_comparison.peers,
        measure_list.measure_trends,
        measure_reads.indicator_points,
        status.indicator_series,
        reporting_rows.reporting_rows,
        reporting.reporting,
        measure_effects.measure_effects,
        effect_panels.effect_panel,
        report.build_report,
    )
}
