"""The registry of output paths: every function whose figures reach a user (page, chart, download, CLI, deck).

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
    measures,
    peers,
    rank_model,
    reporting,
    track_record,
    watchlist,
)
from di_metrics.models import frontier
from di_metrics.present import briefing, report
from di_metrics.queries import effect_panels, meldingen, status, survey, survey_results, workforce
from di_metrics.queries import measures as measure_reads

__all__ = ["OUTPUTS"]

OUTPUTS: dict[str, Callable] = {
    f"{f.__module__.rsplit('.', 1)[-1]}.{f.__name__}": f
    for f in (
        workforce.share_series,
        workforce.breakdown,
        workforce.compare_breakdown,
        workforce.pipeline,
        workforce.flows_document,
        workforce.hiring_vs_stock,
        status.status,
        survey.survey_table,
        survey.survey_document,
        survey.answer_distribution,
        survey.answers_document,
        survey.published_results,
        survey.formal_reports,
        survey.reports_document,
        calibration.yearly_rates,
        calibration.calibrate,
        forecast.project_document,
        rank_model.calibrate_ranks,
        briefing.build_briefing,
        survey_results.aggregate_table,
        survey_results.results_table,
        survey_results.results_document,
        meldingen.reports_by_kind,
        allocation.allocation,
        allocation.allocate,
        allocation.allocation_document,
        watchlist.watchlist,
        track_record.track_record,
        frontier.frontier_document,
        peers.peers_document,
        measures.measures_document,
        measure_reads.indicator_points,
        status.indicator_series,
        reporting.reporting_rows,
        reporting.reporting,
        measure_effects.measure_effects,
        effect_panels.effect_panel,
        report.build_report,
    )
}
