"""The small vocabularies every layer shares, each written once: genders, the dimensions and how a link and the
command line spell them, the rank ladders, the survey measures, the default target and years, and how a
two-way group is written. docs/formats.md (Vocabulary) lists them; pages, the CLI and the core read them here.
"""

from __future__ import annotations

import datetime as dt

__all__ = [
    "BRANCH",
    "BREAKDOWNS",
    "CATEGORY",
    "CIVILIAN",
    "CIVILIAN_SCALES",
    "CLI_NAME",
    "DEFAULT_DEADLINE",
    "DEFAULT_TARGET",
    "DIMENSIONS",
    "FINE_DIMENSIONS",
    "GENDER",
    "GENDERS",
    "GENDER_X",
    "GROUP_SEPARATOR",
    "HORIZON",
    "INCLUSION",
    "LADDERS",
    "MEN",
    "MILITARY",
    "MILITARY_RANKS",
    "ORG_UNIT",
    "RANK_GROUP",
    "RANK_ORDER",
    "REPORTING_WILLINGNESS",
    "SAFETY_MEASURES",
    "SOCIAL_SAFETY",
    "SURVEY_MEASURES",
    "TWO_WAY",
    "URL_NAME",
    "WOMEN",
    "group_parts",
    "two_way",
    "wave_date",
]

GENDER = "gender"
WOMEN, MEN, GENDER_X = "F", "M", "X"
GENDERS = (WOMEN, MEN, GENDER_X)

# Dimensions a user may filter or break down by: the allow-list for every query, by column name.
BRANCH, CATEGORY, RANK_GROUP, ORG_UNIT = "branch", "personnel_category", "rank_group", "org_unit"
DIMENSIONS = (BRANCH, CATEGORY, RANK_GROUP, ORG_UNIT)
# Dimensions whose cells are small enough to need the minimum group size.
FINE_DIMENSIONS = (RANK_GROUP, ORG_UNIT)
# How a link (?category=military) and the command line (--category military) name each dimension.
URL_NAME = {BRANCH: "branch", CATEGORY: "category", RANK_GROUP: "rank", ORG_UNIT: "unit"}
CLI_NAME = {BRANCH: "branch", CATEGORY: "category", RANK_GROUP: "rank_group", ORG_UNIT: "org_unit"}
# What a survey result may be broken down by: gender and every dimension.
BREAKDOWNS = (GENDER, *DIMENSIONS)
# Two breakdowns are asked for as "gender+branch"; their group is labelled "F | CLAS".
TWO_WAY = "+"
GROUP_SEPARATOR = " | "

# The rank ladders, lowest rank first; a personnel category names its ladder.
MILITARY, CIVILIAN = "military", "civilian"
MILITARY_RANKS = ("manschappen", "onderofficieren", "officieren", "hoofdofficieren", "opperofficieren")
CIVILIAN_SCALES = ("schaal 1-6", "schaal 7-9", "schaal 10-12", "schaal 13+")
LADDERS = {MILITARY: MILITARY_RANKS, CIVILIAN: CIVILIAN_SCALES}
RANK_ORDER = MILITARY_RANKS + CIVILIAN_SCALES

# Survey measures (constructs): the three the briefing and the report follow, and the social-safety trio by the
# short name its line and its catalogue text (survey.safety_<name>) carry.
INCLUSION, SOCIAL_SAFETY, REPORTING_WILLINGNESS = "inclusion", "social_safety", "reporting_willingness"
SURVEY_MEASURES = (INCLUSION, SOCIAL_SAFETY, REPORTING_WILLINGNESS)
SAFETY_MEASURES = {
    "experienced": "experienced_unwanted_behaviour",
    "reported": "reported_unwanted_behaviour",
    "willingness": REPORTING_WILLINGNESS,
}

# Where nothing else is given: 30% women by 2030, and every projection runs to 2040.
DEFAULT_TARGET = 0.30
DEFAULT_DEADLINE = 2030
HORIZON = 2040

_WAVE_DAY = (6, 30)  # a survey wave is dated mid-year


def two_way(first: str, second: str) -> str:
    """Two breakdowns asked for together: "gender+branch"."""
    return f"{first}{TWO_WAY}{second}"


def group_parts(group: object) -> list[str]:
    """The values of a group label: one for a one-way group, two for "F | CLAS"."""
    return str(group).split(GROUP_SEPARATOR)


def wave_date(wave: int) -> dt.date:
    """The date a survey wave (or a calendar year's count) stands for on a time axis."""
    return dt.date(int(wave), *_WAVE_DAY)
