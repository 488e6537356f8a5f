"""The command line's options: one sub-command per contract in docs/cli.md, with the options each takes."""

from __future__ import annotations

import argparse
from collections.abc import Iterable

from di_metrics import i18n
from di_metrics.cli import privacy_audit
from di_metrics.demo import organisation as demo_org
from di_metrics.models.levers import LEVER_FIELDS
from di_metrics.storage.ingest import KINDS
from di_metrics.vocab import BRANCH, CATEGORY, CLI_NAME, DIMENSIONS, INCLUSION, LADDERS, ORG_UNIT

__all__ = ["FILTERED", "FILTER_OPTIONS", "PROJECT_OPTIONS", "parser"]

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
    "claims",
    "intake",
    "retention",
    "promotion",
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
    for add in (
        _data_parsers,
        _reading_parsers,
        _model_parsers,
        _where_parsers,
        _career_parsers,
        privacy_audit.add_parser,
    ):
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
    sub.add_parser("claims", help="every sentence the pages, deck, report and CLI write, and whether it holds")
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


def _career_parsers(sub: argparse._SubParsersAction) -> None:
    """intake, retention and promotion: where along the career women are lost."""
    sub.add_parser("intake", help="the women's share of hires per year against the share the target needs")
    retention = sub.add_parser(
        "retention", help="Kaplan-Meier retention of hires by gender, with 1-, 3- and 5-year figures"
    )
    retention.add_argument("--by", choices=(CLI_NAME[CATEGORY], CLI_NAME[BRANCH]), default=None)
    sub.add_parser("promotion", help="promotion rates per rank level, the impact ratio, and the time to promotion")
