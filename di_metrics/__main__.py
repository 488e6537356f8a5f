"""The command line: python -m di_metrics ... (DESIGN section 5)."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from di_metrics import i18n, store
from di_metrics.database import open_database
from di_metrics.errors import InvalidInput
from di_metrics.filters import Filters
from di_metrics.forecast import LEVERS
from di_metrics.ingest import KINDS, import_file

EXIT_INVALID = 2
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
FILTER_OPTIONS = {
    "branch": "branch",
    "category": "personnel_category",
    "rank_group": "rank_group",
    "org_unit": "org_unit",
}
LEVER_OPTIONS = LEVERS


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", help="SQLAlchemy URL (default: KOERS_DATABASE_URL, else data/koers.duckdb)")
    p.add_argument("--lang", choices=i18n.LANGUAGES, default="en")
    p.add_argument("--json", action="store_true", help="print one JSON document and nothing else")


def _filters(p: argparse.ArgumentParser) -> None:
    for option in FILTER_OPTIONS:
        p.add_argument(f"--{option.replace('_', '-')}", dest=option, action="append", default=[], metavar="VALUE")


def parser() -> argparse.ArgumentParser:
    """The argument parser, one sub-command per contract in DESIGN section 5."""
    root = argparse.ArgumentParser(
        prog="python -m di_metrics", description="Koers: op koers voor diversiteit en inclusie."
    )
    sub = root.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="(re)build the demo organisation")
    demo.add_argument("--seed", type=int, default=2030)
    demo.add_argument("--persons", type=int, default=None)
    imp = sub.add_parser("import", help="validate a file, then import it atomically")
    imp.add_argument("kind", choices=KINDS)
    imp.add_argument("file")
    imp.add_argument("--replace", action="store_true", help="overwrite periods that are already stored")
    targets = sub.add_parser("targets", help="list the targets, or load them from a TOML or YAML file")
    targets.add_argument("action", choices=("list", "load"))
    targets.add_argument("file", nargs="?")
    status = sub.add_parser("status", help="where do we stand against the targets")
    flows = sub.add_parser("flows", help="hires, exits and attrition per complete year and gender")
    convert = sub.add_parser(
        "convert-csps", help="map the public UK Civil Service People Survey files to the survey-results format"
    )
    convert.add_argument("folder", help="the folder with the two public CSPS CSV files")
    convert.add_argument("--out", required=True)
    export = sub.add_parser("export", help="export the briefing deck")
    export.add_argument("what", choices=("briefing",))
    export.add_argument("--out", required=True)
    for name, kind in PROJECT_OPTIONS.items():
        if name in LEVER_OPTIONS:
            export.add_argument(f"--{name.replace('_', '-')}", dest=name, type=kind, default=None)
    survey = sub.add_parser("survey", help="survey results per wave and group, with intervals and tests")
    survey.add_argument("--measure", default="inclusion")
    survey.add_argument("--by", default=None)
    survey.add_argument("--wave", type=int, default=None)
    survey.add_argument("--reference", default=None)
    survey.add_argument("--answers", metavar="ITEM", default=None, help="the answer distribution of one item")
    reports = sub.add_parser("reports", help="formal report counts per year, category and branch")
    project = sub.add_parser("project", help="project the women's share: what it takes to reach the target")
    for name, kind in PROJECT_OPTIONS.items():
        project.add_argument(f"--{name.replace('_', '-')}", dest=name, type=kind, default=None)
    for p in (demo, imp, targets, status, flows, project, survey, convert, export, reports):
        _common(p)
    for p in (status, flows, project, survey, export, reports):
        _filters(p)
    return root


def _selected(args: argparse.Namespace) -> Filters:
    return Filters.of({dim: getattr(args, opt) for opt, dim in FILTER_OPTIONS.items()})


def cmd_demo(args: argparse.Namespace) -> dict[str, Any]:
    from di_metrics.demo import DEFAULT_PERSONS, build_demo

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


def cmd_targets(args: argparse.Namespace) -> dict[str, Any]:
    from di_metrics.targets import describe, load_targets, parse_targets, replace_targets

    engine = open_database(args.db)
    if args.action == "load":
        if not args.file:
            raise ValueError("targets load needs a FILE")
        path = Path(args.file)
        loaded = parse_targets(path.read_text(encoding="utf-8"), path.name)
        with store.connect(engine, write=True) as conn:
            replace_targets(conn, loaded)
    with store.connect(engine) as conn:
        return {"targets": [describe(t) for t in load_targets(conn)]}


def cmd_status(args: argparse.Namespace) -> dict[str, Any]:
    from di_metrics.status import status

    engine = open_database(args.db)
    with store.connect(engine) as conn:
        return status(conn, _selected(args))


def cmd_flows(args: argparse.Namespace) -> dict[str, Any]:
    from di_metrics.workforce import flows_document

    engine = open_database(args.db)
    with store.connect(engine) as conn:
        return flows_document(conn, _selected(args))


def cmd_export(args: argparse.Namespace) -> dict[str, Any]:
    from di_metrics.briefing import build_briefing
    from di_metrics.deck import write_deck

    engine = open_database(args.db)
    levers = {k: getattr(args, k) for k in LEVER_OPTIONS if getattr(args, k) is not None}
    with store.connect(engine) as conn:
        briefing = build_briefing(conn, _selected(args), args.lang, levers)
    slides = write_deck(briefing, Path(args.out))
    return {"out": args.out, "slides": slides, "as_of": briefing.as_of.isoformat()}


def cmd_convert_csps(args: argparse.Namespace) -> dict[str, Any]:
    from di_metrics.csps import write

    return {"rows": write(Path(args.folder), Path(args.out)), "out": args.out}


def cmd_survey(args: argparse.Namespace) -> dict[str, Any]:
    from di_metrics.survey import answers_document, survey_document

    engine = open_database(args.db)
    with store.connect(engine) as conn:
        if args.answers:
            return answers_document(conn, _selected(args), args.answers, args.wave, args.by)
        return survey_document(conn, _selected(args), args.measure, args.by, args.wave, args.reference)


def cmd_reports(args: argparse.Namespace) -> dict[str, Any]:
    from di_metrics.survey import reports_document

    engine = open_database(args.db)
    with store.connect(engine) as conn:
        return reports_document(conn, _selected(args))


def cmd_project(args: argparse.Namespace) -> dict[str, Any]:
    from di_metrics.forecast import project_document

    given = {k: getattr(args, k) for k in PROJECT_OPTIONS if getattr(args, k) is not None}
    if {"start_year", "women", "men"} <= given.keys():
        return project_document(None, Filters(), given)
    if given.keys() & {"start_year", "women", "men", "other"}:
        raise ValueError("explicit start counts need --start-year, --women and --men together")
    engine = open_database(args.db)
    with store.connect(engine) as conn:
        return project_document(conn, _selected(args), given)


COMMANDS: dict[str, Callable[[argparse.Namespace], dict[str, Any]]] = {
    "demo": cmd_demo,
    "import": cmd_import,
    "targets": cmd_targets,
    "status": cmd_status,
    "flows": cmd_flows,
    "project": cmd_project,
    "survey": cmd_survey,
    "reports": cmd_reports,
    "convert-csps": cmd_convert_csps,
    "export": cmd_export,
}


def main(argv: list[str] | None = None) -> int:
    """Run one command; errors become a plain message on stderr and an exit code."""
    logging.basicConfig(level=logging.WARNING)
    args = parser().parse_args(argv)
    text = i18n.catalogue(args.lang)
    try:
        doc = COMMANDS[args.command](args)
    except InvalidInput as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_INVALID
    except store.DatabaseBusy as exc:
        print(text["cli.database_busy"].format(path=exc), file=sys.stderr)
        return EXIT_INVALID
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_INVALID
    except Exception as exc:  # never a traceback for a person; the details go to the log
        logging.getLogger("koers").debug("command failed", exc_info=True)
        print(text["cli.failed"].format(error=f"{type(exc).__name__}: {exc}"), file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(doc, ensure_ascii=False, default=str))
    else:
        print(i18n.render_cli(args.command, doc, args.lang))
    return 0


if __name__ == "__main__":
    sys.exit(main())
