"""The command line: python -m di_metrics ... (every command, its options and JSON contracts: docs/cli.md)."""

from __future__ import annotations

import argparse
import functools
import logging
import sys
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from di_metrics import i18n
from di_metrics.analysis.calibration import CannotProject
from di_metrics.cli import privacy_audit
from di_metrics.cli.documents import document
from di_metrics.cli.options import FILTER_OPTIONS, FILTERED, PROJECT_OPTIONS, parser
from di_metrics.cli.render import render
from di_metrics.errors import InvalidChoice, InvalidInput
from di_metrics.models.levers import LEVER_FIELDS, ScenarioInput, ScenarioRejected
from di_metrics.present import export
from di_metrics.queries.filters import Filters
from di_metrics.storage import store
from di_metrics.storage.database import open_database
from di_metrics.storage.ingest import import_file
from di_metrics.vocab import CLI_NAME, DIMENSIONS

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from di_metrics.analysis.allocation import Allocation
    from di_metrics.analysis.career import Intake
    from di_metrics.analysis.forecast import ProjectRun
    from di_metrics.analysis.measure_effects import Effects
    from di_metrics.analysis.measure_list import MeasureTrend
    from di_metrics.analysis.promotion import Promotion
    from di_metrics.analysis.reporting import Reporting
    from di_metrics.analysis.retention import Retention
    from di_metrics.analysis.track_record import TrackRecord
    from di_metrics.analysis.watchlist import Watchlist
    from di_metrics.models.claims import Claim
    from di_metrics.models.flows import Flows
    from di_metrics.models.frontier import Frontier
    from di_metrics.models.peer_pace import Peers
    from di_metrics.models.standing import Status
    from di_metrics.models.survey import AnswerShare, ReportCount, SurveyResults
    from di_metrics.models.targets import Target
    from di_metrics.storage.ingest import ImportResult

__all__ = [
    "COMMANDS",
    "EXIT_INVALID",
    "FILTERED",
    "FILTER_OPTIONS",
    "PROJECT_OPTIONS",
    "main",
    "parser",
]

Command = Callable[[argparse.Namespace], Any]  # a command's typed result; cli.documents makes its JSON
EXIT_INVALID = 2
JSON_LINES = 1000  # lines a --json refusal lists per problem; `more_lines` counts the rest


def _selected(args: argparse.Namespace) -> Filters:
    return Filters.of({dim: getattr(args, opt) for opt, dim in FILTER_OPTIONS.items()})


def cmd_demo(args: argparse.Namespace) -> dict[str, Any]:
    from di_metrics.demo.build import DEFAULT_PERSONS, build_demo

    ScenarioInput.validated({"seed": args.seed})  # the seed as `project` takes it; refused before anything opens
    engine = open_database(args.db)
    counts = build_demo(engine, seed=args.seed, persons=args.persons or DEFAULT_PERSONS)
    return {"seed": args.seed, "rows": counts}


def cmd_import(args: argparse.Namespace) -> ImportResult:
    return import_file(open_database(args.db), args.kind, args.file, replace=args.replace, user="cli")


def cmd_rebuild(args: argparse.Namespace) -> dict[str, Any]:
    from di_metrics.storage.ingest import rebuild_cubes

    return rebuild_cubes(open_database(args.db))


def cmd_targets(args: argparse.Namespace) -> list[Target]:
    from di_metrics.models.targets import parse_targets
    from di_metrics.storage.targets import load_targets, replace_targets

    engine = open_database(args.db)
    if args.action == "load":
        if not args.file:
            raise InvalidChoice("targets_file_missing")
        path = Path(args.file)
        loaded = parse_targets(path.read_text(encoding="utf-8"), path.name)
        with store.connect(engine, write=True) as conn:
            replace_targets(conn, loaded)
    with store.connect(engine) as conn:
        return load_targets(conn)


def cmd_status(conn: Connection, args: argparse.Namespace) -> Status:
    from di_metrics.queries.status import status

    return status(conn, _selected(args))


def cmd_flows(conn: Connection, args: argparse.Namespace) -> Flows:
    from di_metrics.queries.workforce import flows

    return flows(conn, _selected(args))


def cmd_export(args: argparse.Namespace) -> dict[str, Any]:
    from di_metrics.present.briefing import build_briefing
    from di_metrics.present.deck import write_deck

    levers = {k: getattr(args, k) for k in LEVER_FIELDS if getattr(args, k) is not None}
    ScenarioInput.validated(levers)  # refused levers: exit code 2 before the database is even opened
    if args.what == "report":
        from di_metrics.present.report import write_report

        with _connection(args) as conn:
            _require_workforce(conn)
            return write_report(conn, _selected(args), Path(args.out), args.lang, levers)
    with _connection(args) as conn:
        _require_workforce(conn)
        briefing = build_briefing(conn, _selected(args), args.lang, levers)
    slides = write_deck(briefing, Path(args.out))
    return {"out": args.out, "slides": slides, "as_of": briefing.as_of.isoformat()}


def _require_workforce(conn: Connection) -> None:
    """A deck or report needs a snapshot to stand on: an empty database is refused, with a rule code."""
    from di_metrics.queries.workforce import snapshot_dates

    if not snapshot_dates(conn):
        raise InvalidChoice("no_workforce_data")


def cmd_convert_csps(args: argparse.Namespace) -> dict[str, Any]:
    from di_metrics.storage.csps import write

    return {"rows": write(Path(args.folder), Path(args.out)), "out": args.out}


def cmd_survey(conn: Connection, args: argparse.Namespace) -> SurveyResults | tuple[AnswerShare, ...]:
    from di_metrics.queries.survey import answers
    from di_metrics.queries.survey_results import survey_results

    if args.answers:
        return answers(conn, _selected(args), args.answers, args.wave, args.by)
    return survey_results(conn, _selected(args), args.measure, args.by, args.wave, args.reference, args.source)


def cmd_reports(conn: Connection, args: argparse.Namespace) -> tuple[ReportCount, ...]:
    from di_metrics.queries.meldingen import reports

    return reports(conn, _selected(args))


def cmd_project(args: argparse.Namespace) -> ProjectRun:
    from di_metrics.analysis.forecast import project_run

    given = _given(args, PROJECT_OPTIONS)
    if _explicit_start(given):
        if args.ranks:
            raise InvalidChoice("ranks_need_database")
        return project_run(None, Filters(), given)
    with _connection(args) as conn:
        return project_run(conn, _selected(args), given, args.ranks)


def cmd_backtest(conn: Connection, args: argparse.Namespace) -> TrackRecord:
    from di_metrics.analysis.calibration import require_flows
    from di_metrics.analysis.track_record import track_record

    require_flows(conn, _selected(args))  # a record of unmeasured flows would be bands of zero width
    return track_record(conn, _selected(args))


def cmd_frontier(args: argparse.Namespace) -> Frontier:
    from di_metrics.analysis.forecast import scenario_from
    from di_metrics.models.frontier import lever_frontier

    if not 2 <= args.points <= 201:
        raise InvalidChoice("option_points", option="--points", low=2, high=201, value=args.points)
    given = _given(args, PROJECT_OPTIONS)
    if _explicit_start(given):
        return lever_frontier(scenario_from(None, Filters(), given), points=args.points)
    with _connection(args) as conn:
        scenario = scenario_from(conn, _selected(args), given)
        today = scenario_from(conn, _selected(args), {k: v for k, v in given.items() if k in ("target", "deadline")})
    return lever_frontier(scenario, today, args.points)


def _given(args: argparse.Namespace, names: Iterable[str]) -> dict[str, Any]:
    """The options given on the command line, by name."""
    return {k: getattr(args, k) for k in names if getattr(args, k, None) is not None}


def _explicit_start(given: dict[str, Any]) -> bool:
    """Whether the projection starts from counts given on the command line instead of the database."""
    if {"start_year", "women", "men"} <= given.keys():
        return True
    if given.keys() & {"start_year", "women", "men", "other"}:
        raise InvalidChoice("start_counts_missing", options=["--start-year", "--women", "--men"])
    return False


def cmd_allocate(conn: Connection, args: argparse.Namespace) -> Allocation:
    from di_metrics.analysis.allocation import allocation_for

    return allocation_for(conn, _selected(args), args.by, _given(args, ("target", "deadline", "growth")))


def cmd_watchlist(conn: Connection, args: argparse.Namespace) -> Watchlist:
    from di_metrics.analysis.watchlist import watchlist

    return watchlist(conn, _selected(args), args.by)


def cmd_peers(conn: Connection, args: argparse.Namespace) -> Peers:
    from di_metrics.analysis.peer_comparison import peers

    return peers(conn, _selected(args))


def cmd_claims(conn: Connection, args: argparse.Namespace) -> tuple[Claim, ...]:
    from di_metrics.analysis.claims import claims_for

    return claims_for(conn, _selected(args))


def cmd_measures(conn: Connection, args: argparse.Namespace) -> tuple[MeasureTrend, ...] | Effects:
    from di_metrics.analysis.measure_effects import Effects, measure_effects
    from di_metrics.analysis.measure_list import measure_trends

    if args.action != "effect":
        return measure_trends(conn)
    from di_metrics.queries.names import display_names

    effects = measure_effects(conn, args.name)
    if args.name is not None and not effects:
        allowed = [e.measure.name for e in measure_effects(conn)]
        raise InvalidChoice("unknown_measure", value=args.name, allowed=allowed)
    return Effects(effects, display_names(conn))


def cmd_reporting(conn: Connection, args: argparse.Namespace) -> Reporting:
    from di_metrics.analysis.reporting import reporting

    return reporting(conn, _selected(args))


def cmd_intake(conn: Connection, args: argparse.Namespace) -> Intake:
    from di_metrics.analysis.career import intake

    return intake(conn, _selected(args))


def cmd_retention(conn: Connection, args: argparse.Namespace) -> Retention:
    from di_metrics.analysis.retention import retention

    by = {CLI_NAME[d]: d for d in DIMENSIONS}.get(args.by) if args.by else None
    return retention(conn, _selected(args), by)


def cmd_promotion(conn: Connection, args: argparse.Namespace) -> Promotion:
    from di_metrics.analysis.promotion import promotion

    return promotion(conn, _selected(args))


def _connection(args: argparse.Namespace) -> AbstractContextManager[Connection]:
    """A read connection to the database the command names (--db, else the configured default)."""
    return store.connect(open_database(args.db))


def _reading(command: Callable[[Connection, argparse.Namespace], Any]) -> Command:
    """A command that reads through one connection, opened for it and closed after it."""

    @functools.wraps(command)
    def run(args: argparse.Namespace) -> Any:
        with _connection(args) as conn:
            return command(conn, args)

    return run


COMMANDS: dict[str, Command] = {
    "demo": cmd_demo,
    "import": cmd_import,
    "targets": cmd_targets,
    "status": _reading(cmd_status),
    "flows": _reading(cmd_flows),
    "project": cmd_project,
    "survey": _reading(cmd_survey),
    "reports": _reading(cmd_reports),
    "convert-csps": cmd_convert_csps,
    "export": cmd_export,
    "backtest": _reading(cmd_backtest),
    "frontier": cmd_frontier,
    "allocate": _reading(cmd_allocate),
    "watchlist": _reading(cmd_watchlist),
    "rebuild": cmd_rebuild,
    "peers": _reading(cmd_peers),
    "measures": _reading(cmd_measures),
    "privacy": privacy_audit.run,
    "claims": _reading(cmd_claims),
    "intake": _reading(cmd_intake),
    "retention": _reading(cmd_retention),
    "promotion": _reading(cmd_promotion),
    "reporting": _reading(cmd_reporting),
}


def main(argv: list[str] | None = None) -> int:
    """Run one command; errors become a plain message on stderr and an exit code."""
    logging.basicConfig(level=logging.WARNING)
    args = parser().parse_args(argv)
    text = i18n.catalogue(args.lang)
    try:
        result = COMMANDS[args.command](args)
    except InvalidInput as exc:
        refusal = export.json_text(exc.as_dict(most=JSON_LINES)) if args.json else exc.text(args.lang)
        print(refusal, file=sys.stderr)
        return EXIT_INVALID
    except InvalidChoice as exc:
        print(export.json_text(exc.as_dict()) if args.json else exc.text(args.lang), file=sys.stderr)
        return EXIT_INVALID
    except ScenarioRejected as exc:
        print(export.json_text(exc.as_dict()) if args.json else exc.text(args.lang), file=sys.stderr)
        return EXIT_INVALID
    except CannotProject as exc:  # a rule code in the reader's language, never a projection from unknowns
        code = exc.reason.rsplit(".", 1)[-1]
        print(export.json_text({"error": code}) if args.json else i18n.t(exc.reason, args.lang), file=sys.stderr)
        return EXIT_INVALID
    except store.DatabaseBusy as exc:
        print(text["cli.database_busy"].format(path=exc), file=sys.stderr)
        return EXIT_INVALID
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_INVALID
    except Exception as exc:  # never a traceback for a person; the details go to the log
        logging.getLogger("koers").debug("command failed", exc_info=True)
        print(text["cli.failed"].format(error=type(exc).__name__), file=sys.stderr)  # its words stay in the log
        return 1
    if args.json:
        print(export.json_text(document(args.command, result)))
    else:
        print(render(args.command, result, args.lang))
    return 0


if __name__ == "__main__":
    sys.exit(main())
