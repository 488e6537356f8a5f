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
from di_metrics.cli.render import render
from di_metrics.demo import organisation as demo_org
from di_metrics.errors import InvalidChoice, InvalidInput
from di_metrics.models.levers import LEVER_FIELDS, ScenarioInput, ScenarioRejected
from di_metrics.present import export
from di_metrics.queries.filters import Filters
from di_metrics.storage import store
from di_metrics.storage.database import open_database
from di_metrics.storage.ingest import KINDS, import_file
from di_metrics.vocab import BRANCH, CATEGORY, CLI_NAME, DIMENSIONS, INCLUSION, LADDERS, ORG_UNIT

if TYPE_CHECKING:
    import datetime as dt

    from sqlalchemy.engine import Connection

    from di_metrics.models.standing import Status, TargetStatus

__all__ = [
    "COMMANDS",
    "EXIT_INVALID",
    "FILTERED",
    "FILTER_OPTIONS",
    "PROJECT_OPTIONS",
    "main",
    "parser",
]

Command = Callable[[argparse.Namespace], dict[str, Any]]
EXIT_INVALID = 2
JSON_LINES = 1000  # lines a --json refusal lists per problem; `more_lines` counts the rest
PROJECT_OPTIONS = {
    "start_year": int,
    "women": float,
    "men": float,
    "other": float,
    "hire_share": float,
    "hire_share_other": float,
    "attrition_women": float,
    "attrition_men": float,
    "attrition_other": float,
    "growth": float,
    "until": int,
    "target": float,
    "deadline": int,
    "simulations": int,
    "seed": int,
}
FILTER_OPTIONS = {CLI_NAME[d]: d for d in DIMENSIONS}  # --category military filters personnel_category
# The commands that take the population filters (--branch, --category, --rank-group, --org-unit).
FILTERED = (
    "status",
    "flows",
    "project",
    "survey",
    "export",
    "backtest",
    "reports",
    "frontier",
    "allocate",
    "watchlist",
    "peers",
    "reporting",
)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", help="SQLAlchemy URL (default: KOERS_DATABASE_URL, else data/koers.duckdb)")
    p.add_argument("--lang", choices=i18n.LANGUAGES, default="en")
    p.add_argument("--json", action="store_true", help="print one JSON document and nothing else")


def _filters(p: argparse.ArgumentParser) -> None:
    for option in FILTER_OPTIONS:
        p.add_argument(f"--{option.replace('_', '-')}", dest=option, action="append", default=[], metavar="VALUE")


def parser() -> argparse.ArgumentParser:
    """The argument parser, one sub-command per contract in docs/cli.md."""
    root = argparse.ArgumentParser(
        prog="python -m di_metrics", description="Koers: op koers voor diversiteit en inclusie."
    )
    sub = root.add_subparsers(dest="command", required=True)
    for add in (_data_parsers, _reading_parsers, _model_parsers, _where_parsers):
        add(sub)
    for name, p in sub.choices.items():
        _common(p)
        if name in FILTERED:
            _filters(p)
    return root


def _scenario_options(p: argparse.ArgumentParser, names: Iterable[str]) -> None:
    """The projection's options (start counts, levers, target, horizon), each optional."""
    for name in names:
        p.add_argument(f"--{name.replace('_', '-')}", dest=name, type=PROJECT_OPTIONS[name], default=None)


def _data_parsers(sub: argparse._SubParsersAction) -> None:
    """demo, import, targets, convert-csps and rebuild: what goes into the database."""
    demo = sub.add_parser("demo", help="(re)build the demo organisation")
    demo.add_argument("--seed", type=int, default=demo_org.SEED)
    demo.add_argument("--persons", type=int, default=None)
    imp = sub.add_parser("import", help="validate a file, then import it atomically")
    imp.add_argument("kind", choices=KINDS)
    imp.add_argument("file")
    imp.add_argument("--replace", action="store_true", help="overwrite periods that are already stored")
    targets = sub.add_parser("targets", help="list the targets, or load them from a TOML or YAML file")
    targets.add_argument("action", choices=("list", "load"))
    targets.add_argument("file", nargs="?")
    convert = sub.add_parser(
        "convert-csps", help="map the public UK Civil Service People Survey files to the survey-results format"
    )
    convert.add_argument("folder", help="the folder with the two public CSPS CSV files")
    convert.add_argument("--out", required=True)
    sub.add_parser("rebuild", help="rebuild the headcount and transition tables from the stored data (repair)")


def _reading_parsers(sub: argparse._SubParsersAction) -> None:
    """status, flows, survey, reports, peers and measures: the shown figures as they stand."""
    sub.add_parser("status", help="where do we stand against the targets")
    sub.add_parser("flows", help="hires, exits and attrition per complete year and gender")
    survey = sub.add_parser("survey", help="survey results per wave and group, with intervals and tests")
    survey.add_argument("--measure", default=INCLUSION)
    survey.add_argument("--by", default=None)
    survey.add_argument("--wave", type=int, default=None)
    survey.add_argument("--reference", default=None)
    survey.add_argument("--source", choices=("respondents", "aggregate"), default=None)
    survey.add_argument("--answers", metavar="ITEM", default=None, help="the answer distribution of one item")
    sub.add_parser("reports", help="formal report counts per year, kind, category and branch")
    sub.add_parser("peers", help="peer organisations' series, their fastest five years, and our needed pace")
    measures = sub.add_parser("measures", help="the register of measures, each with its indicator before and after")
    measures.add_argument("action", choices=("list", "effect"))
    measures.add_argument("name", nargs="?", default=None, help="effect: one measure (default: every one)")
    sub.add_parser("reporting", help="the reporting rate per year, and the split of each change in reports")


def _model_parsers(sub: argparse._SubParsersAction) -> None:
    """project, backtest and export: the projection, its track record, and the deck and report."""
    project = sub.add_parser("project", help="project the women's share: what it takes to reach the target")
    _scenario_options(project, PROJECT_OPTIONS)
    project.add_argument("--ranks", choices=tuple(LADDERS), help="add the rank model's path per rank")
    sub.add_parser("backtest", help="the projection's track record from every past start year, beside naive baselines")
    deck = sub.add_parser("export", help="export the briefing deck or the integrated report")
    deck.add_argument("what", choices=("briefing", "report"))
    deck.add_argument("--out", required=True)
    _scenario_options(deck, [name for name in PROJECT_OPTIONS if name in LEVER_FIELDS])


def _where_parsers(sub: argparse._SubParsersAction) -> None:
    """frontier, allocate and watchlist: where the change must come from."""
    frontier = sub.add_parser("frontier", help="every mix of hiring share and women's attrition that meets the target")
    _scenario_options(frontier, [name for name in PROJECT_OPTIONS if name not in ("simulations", "seed")])
    frontier.add_argument("--points", type=int, default=41, help="points on the curve (2-201)")
    allocate = sub.add_parser("allocate", help="the hiring share each part needs, with equal effort, for the target")
    allocate.add_argument("--by", choices=(CLI_NAME[BRANCH], CLI_NAME[CATEGORY]), default=CLI_NAME[BRANCH])
    _scenario_options(allocate, ("target", "deadline", "growth"))
    watch = sub.add_parser("watchlist", help="branches or units furthest below their glide path, in persons")
    watch.add_argument("--by", choices=(CLI_NAME[BRANCH], CLI_NAME[ORG_UNIT]), default=CLI_NAME[BRANCH])


def _selected(args: argparse.Namespace) -> Filters:
    return Filters.of({dim: getattr(args, opt) for opt, dim in FILTER_OPTIONS.items()})


def cmd_demo(args: argparse.Namespace) -> dict[str, Any]:
    from di_metrics.demo.build import DEFAULT_PERSONS, build_demo

    ScenarioInput.validated({"seed": args.seed})  # the seed as `project` takes it; refused before anything opens
    engine = open_database(args.db)
    counts = build_demo(engine, seed=args.seed, persons=args.persons or DEFAULT_PERSONS)
    return {"seed": args.seed, "rows": counts}


def cmd_import(args: argparse.Namespace) -> dict[str, Any]:
    engine = open_database(args.db)
    result = import_file(engine, args.kind, args.file, replace=args.replace, user="cli")
    return {
        "kind": result.kind,
        "file": result.file_name,
        "rows": result.rows,
        "changed": result.changed,
        "batch_id": result.batch_id,
        "replaced": list(result.replaced),
    }


def cmd_rebuild(args: argparse.Namespace) -> dict[str, Any]:
    from di_metrics.storage.ingest import rebuild_cubes

    return rebuild_cubes(open_database(args.db))


def cmd_targets(args: argparse.Namespace) -> dict[str, Any]:
    from di_metrics.models.targets import describe, parse_targets
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
        return {"targets": [describe(t) for t in load_targets(conn)]}


def cmd_status(conn: Connection, args: argparse.Namespace) -> dict[str, Any]:
    from di_metrics.queries.status import status

    return status_json(status(conn, _selected(args)))


def status_json(s: Status) -> dict[str, Any]:
    """The `status --json` document (docs/formats.md): dates as ISO text, each target with its `state`."""
    return {
        "as_of": _iso(s.as_of),
        "headcount": s.headcount,
        "women": s.women,
        "women_share": s.women_share,
        "suppressed": s.suppressed,
        "unknown_gender": s.unknown_gender,
        "x_left_out": s.x_left_out,
        "targets": [target_json(x) for x in s.targets],
        "series": [
            {"date": p.date.isoformat(), "headcount": p.headcount, "women": p.women, "women_share": p.women_share}
            for p in s.series
        ],
    }


def target_json(x: TargetStatus) -> dict[str, Any]:
    """One target of the `status --json` document; `on_track` is kept for readers of the older contract."""
    from di_metrics.models.targets import describe

    return {
        **describe(x.target),
        "as_of": x.as_of.isoformat(),
        "latest": x.latest,
        "glide_path": x.glide_path,
        "state": x.state,
        "on_track": None if x.state == "no_value" else x.state in ("met", "on_track"),
        "gap_pp": x.gap_pp,
        "women_needed": x.women_needed,
        "change_12m": x.change_12m,
        "required_pace": x.required_pace,
        "actual_pace": x.actual_pace,
        "reach_year_at_pace": x.reach_year_at_pace,
    }


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def cmd_flows(conn: Connection, args: argparse.Namespace) -> dict[str, Any]:
    from di_metrics.queries.workforce import flows_document

    return flows_document(conn, _selected(args))


def cmd_export(args: argparse.Namespace) -> dict[str, Any]:
    from di_metrics.present.briefing import build_briefing
    from di_metrics.present.deck import write_deck

    levers = {k: getattr(args, k) for k in LEVER_FIELDS if getattr(args, k) is not None}
    ScenarioInput.validated(levers)  # refused levers: exit code 2 before the database is even opened
    if args.what == "report":
        from di_metrics.present.report import write_report

        with _connection(args) as conn:
            return write_report(conn, _selected(args), Path(args.out), args.lang, levers)
    with _connection(args) as conn:
        briefing = build_briefing(conn, _selected(args), args.lang, levers)
    slides = write_deck(briefing, Path(args.out))
    return {"out": args.out, "slides": slides, "as_of": briefing.as_of.isoformat()}


def cmd_convert_csps(args: argparse.Namespace) -> dict[str, Any]:
    from di_metrics.storage.csps import write

    return {"rows": write(Path(args.folder), Path(args.out)), "out": args.out}


def cmd_survey(conn: Connection, args: argparse.Namespace) -> dict[str, Any]:
    from di_metrics.queries.survey import answers_document
    from di_metrics.queries.survey_results import results_document

    if args.answers:
        return answers_document(conn, _selected(args), args.answers, args.wave, args.by)
    return results_document(conn, _selected(args), args.measure, args.by, args.wave, args.reference, args.source)


def cmd_reports(conn: Connection, args: argparse.Namespace) -> dict[str, Any]:
    from di_metrics.queries.survey import reports_document

    return reports_document(conn, _selected(args))


def cmd_project(args: argparse.Namespace) -> dict[str, Any]:
    from di_metrics.analysis.forecast import project_document

    given = _given(args, PROJECT_OPTIONS)
    if _explicit_start(given):
        if args.ranks:
            raise InvalidChoice("ranks_need_database")
        return project_document(None, Filters(), given)
    with _connection(args) as conn:
        return project_document(conn, _selected(args), given, args.ranks)


def cmd_backtest(conn: Connection, args: argparse.Namespace) -> dict[str, Any]:
    from di_metrics.analysis.track_record import track_record

    return track_record(conn, _selected(args)).document()


def cmd_frontier(args: argparse.Namespace) -> dict[str, Any]:
    from di_metrics.analysis.forecast import scenario_from
    from di_metrics.models.frontier import frontier_document

    if not 2 <= args.points <= 201:
        raise InvalidChoice("option_points", option="--points", low=2, high=201, value=args.points)
    given = _given(args, PROJECT_OPTIONS)
    if _explicit_start(given):
        return frontier_document(scenario_from(None, Filters(), given), points=args.points)
    with _connection(args) as conn:
        scenario = scenario_from(conn, _selected(args), given)
        today = scenario_from(conn, _selected(args), {k: v for k, v in given.items() if k in ("target", "deadline")})
    return frontier_document(scenario, today, args.points)


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


def cmd_allocate(conn: Connection, args: argparse.Namespace) -> dict[str, Any]:
    from di_metrics.analysis.allocation import allocation_document

    return allocation_document(conn, _selected(args), args.by, _given(args, ("target", "deadline", "growth")))


def cmd_watchlist(conn: Connection, args: argparse.Namespace) -> dict[str, Any]:
    from di_metrics.analysis.watchlist import watchlist

    return watchlist(conn, _selected(args), args.by)


def cmd_peers(conn: Connection, args: argparse.Namespace) -> dict[str, Any]:
    from di_metrics.analysis.peers import peers_document

    return peers_document(conn, _selected(args))


def cmd_measures(conn: Connection, args: argparse.Namespace) -> dict[str, Any]:
    from di_metrics.analysis.measure_effects import measure_effects
    from di_metrics.analysis.measures import measures_document
    from di_metrics.cli.safety_documents import effects_document

    if args.action == "effect":
        effects = measure_effects(conn, args.name)
        if args.name is not None and not effects:
            allowed = [e.measure.name for e in measure_effects(conn)]
            raise InvalidChoice("unknown_measure", value=args.name, allowed=allowed)
        return effects_document(effects)
    return measures_document(conn)


def cmd_reporting(conn: Connection, args: argparse.Namespace) -> dict[str, Any]:
    from di_metrics.analysis.reporting import reporting
    from di_metrics.cli.safety_documents import reporting_document

    return reporting_document(reporting(conn, _selected(args)))


def _connection(args: argparse.Namespace) -> AbstractContextManager[Connection]:
    """A read connection to the database the command names (--db, else the configured default)."""
    return store.connect(open_database(args.db))


def _reading(command: Callable[[Connection, argparse.Namespace], dict[str, Any]]) -> Command:
    """A command that reads through one connection, opened for it and closed after it."""

    @functools.wraps(command)
    def run(args: argparse.Namespace) -> dict[str, Any]:
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
    "reporting": _reading(cmd_reporting),
}


def main(argv: list[str] | None = None) -> int:
    """Run one command; errors become a plain message on stderr and an exit code."""
    logging.basicConfig(level=logging.WARNING)
    args = parser().parse_args(argv)
    text = i18n.catalogue(args.lang)
    try:
        doc = COMMANDS[args.command](args)
    except InvalidInput as exc:
        refusal = export.json_text(exc.as_dict(most=JSON_LINES)) if args.json else exc.text(args.lang)
        print(refusal, file=sys.stderr)
        return EXIT_INVALID
    except InvalidChoice as exc:
        print(export.json_text(exc.as_dict()) if args.json else exc.text(args.lang), file=sys.stderr)
        return EXIT_INVALID
    except ScenarioRejected as exc:
        print(exc.text(args.lang), file=sys.stderr)
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
        print(export.json_text(doc))
    else:
        print(render(args.command, doc, args.lang))
    return 0


if __name__ == "__main__":
    sys.exit(main())
