"""The shape of the synthetic demo organisation: units, ranks and the rates that drive it."""

from __future__ import annotations

__all__ = [
    "CIVILIAN_ATTRITION",
    "CIVILIAN_ENTRY",
    "CIVILIAN_PROMOTION",
    "CIVILIAN_START",
    "CIVILIAN_WOMEN_BY_RANK",
    "CIVILIAN_WOMEN_HIRES",
    "ITEMS",
    "MILITARY_ATTRITION",
    "MILITARY_ENTRY",
    "MILITARY_PROMOTION",
    "MILITARY_START",
    "MILITARY_WOMEN_BY_RANK",
    "MILITARY_WOMEN_HIRES",
    "REPORT_CATEGORIES",
    "SEED",
    "SURVEY_RESPONDENTS",
    "SURVEY_WAVES",
    "TRAINING_COURSES",
    "UNITS",
    "WOMEN_ATTRITION_BY_TENURE",
    "WOMEN_PROMOTION",
    "X_SHARE",
    "YEARLY_GROWTH_FROM_2019",
]

SEED = 2030  # the demo's random seed (a nod to the deadline year, and no more than that)

# (unit, branch, personnel in 2015, civilian fraction, women propensity relative to the category)
UNITS: tuple[tuple[str, str, int, float, float], ...] = (
    ("Korps Mariniers", "CZSK", 2600, 0.02, 0.35),
    ("Fregattensquadron", "CZSK", 1900, 0.03, 0.95),
    ("Onderzeedienst", "CZSK", 420, 0.02, 0.55),
    ("Marinebedrijf", "CZSK", 1300, 0.55, 0.8),
    ("Hydrografische Dienst", "CZSK", 260, 0.25, 1.1),
    ("Marine Opleidingscentrum", "CZSK", 900, 0.2, 1.2),
    ("Marinestaf", "CZSK", 650, 0.35, 1.3),
    ("Kustwacht", "CZSK", 320, 0.3, 1.0),
    ("11 Luchtmobiele Brigade", "CLAS", 3300, 0.02, 0.55),
    ("13 Lichte Brigade", "CLAS", 3100, 0.03, 0.7),
    ("43 Gemechaniseerde Brigade", "CLAS", 3000, 0.03, 0.65),
    ("Korps Commandotroepen", "CLAS", 520, 0.03, 0.12),
    ("Operationeel Ondersteuningscommando Land", "CLAS", 3600, 0.12, 1.15),
    ("Vuursteuncommando", "CLAS", 1100, 0.03, 0.6),
    ("JISTARC", "CLAS", 800, 0.05, 1.0),
    ("Opleidings- en Trainingscommando", "CLAS", 2600, 0.25, 1.1),
    ("Landmachtstaf", "CLAS", 700, 0.4, 1.35),
    ("1 Civiel-Militaire Interactie Commando", "CLAS", 210, 0.05, 1.5),
    ("Geneeskundig Bataljon", "CLAS", 600, 0.1, 2.0),
    ("Vliegbasis Leeuwarden", "CLSK", 1100, 0.12, 0.85),
    ("Vliegbasis Volkel", "CLSK", 1150, 0.12, 0.8),
    ("Vliegbasis Gilze-Rijen", "CLSK", 1000, 0.1, 0.9),
    ("Vliegbasis Woensdrecht", "CLSK", 1300, 0.3, 0.85),
    ("Defensie Helikopter Commando", "CLSK", 950, 0.08, 0.8),
    ("Air Operations Control Station", "CLSK", 420, 0.1, 1.0),
    ("Luchtmachtstaf", "CLSK", 520, 0.4, 1.3),
    ("Koninklijke Militaire School Luchtmacht", "CLSK", 380, 0.2, 1.2),
    ("Brigade Schiphol", "KMar", 1700, 0.06, 1.4),
    ("Landelijk Tactisch Commando", "KMar", 900, 0.04, 0.8),
    ("District Noord", "KMar", 650, 0.05, 1.3),
    ("District Oost", "KMar", 700, 0.05, 1.3),
    ("District Zuid", "KMar", 750, 0.05, 1.3),
    ("District West", "KMar", 800, 0.05, 1.35),
    ("KMar Opleidingscentrum", "KMar", 450, 0.2, 1.5),
    ("KMar Staf", "KMar", 380, 0.45, 1.4),
    ("Facilitair Bedrijf", "DOSCO", 2300, 0.85, 1.0),
    ("Defensie Personele Diensten", "DOSCO", 1600, 0.8, 1.35),
    ("Nederlandse Defensie Academie", "DOSCO", 950, 0.45, 1.2),
    ("Defensie Verkeers- en Vervoersorganisatie", "DOSCO", 520, 0.4, 0.6),
    ("Militair Geneeskundig Centrum", "DOSCO", 700, 0.45, 2.1),
    ("Defensie Bewakings- en Beveiligingsbedrijf", "DOSCO", 800, 0.5, 0.7),
    ("Paresto", "DOSCO", 600, 0.9, 1.5),
    ("Defensie Pijpleiding Organisatie", "DOSCO", 120, 0.9, 0.5),
    ("Joint IV Commando", "DMO", 2100, 0.55, 0.75),
    ("DMO Projecten", "DMO", 900, 0.6, 0.85),
    ("DMO Wapensystemen", "DMO", 1400, 0.5, 0.6),
    ("DMO Logistiek", "DMO", 1100, 0.6, 0.8),
    ("DMO Inkoop", "DMO", 550, 0.85, 1.2),
    ("DMO Staf", "DMO", 320, 0.6, 1.2),
    ("Directie Personeel", "BS", 380, 0.75, 1.5),
    ("Directie Financien en Control", "BS", 300, 0.85, 1.2),
    ("Directie Juridische Zaken", "BS", 160, 0.9, 1.6),
    ("Directie Communicatie", "BS", 140, 0.8, 1.6),
    ("Militaire Inlichtingen- en Veiligheidsdienst", "BS", 900, 0.55, 1.1),
    ("Inspecteur-Generaal der Krijgsmacht", "BS", 40, 0.4, 1.2),
    ("Audit Dienst Defensie", "BS", 90, 0.95, 1.3),
    ("Defensiestaf", "BS", 620, 0.35, 1.1),
    ("Militair Historisch Archief", "BS", 9, 0.9, 1.2),
    ("Bureau Vertrouwenspersonen", "BS", 7, 0.7, 2.5),
    ("Commissie Integriteit Defensie", "BS", 12, 0.8, 1.4),
)

# Rank groups: the first five are military, the rest civilian; their order is the pipeline.
MILITARY_START = (0.37, 0.36, 0.18, 0.087, 0.003)
CIVILIAN_START = (0.30, 0.35, 0.28, 0.07)
MILITARY_ENTRY = (0.72, 0.14, 0.14, 0.0, 0.0)
CIVILIAN_ENTRY = (0.28, 0.40, 0.27, 0.05)
# Women's propensity by rank group at the start, relative to their category.
MILITARY_WOMEN_BY_RANK = (1.2, 0.95, 1.05, 0.4, 0.3)
CIVILIAN_WOMEN_BY_RANK = (1.15, 1.05, 0.9, 0.6)

# Annual rates by rank group.
MILITARY_ATTRITION = (0.15, 0.055, 0.055, 0.065, 0.2)
CIVILIAN_ATTRITION = (0.085, 0.06, 0.055, 0.07)
MILITARY_PROMOTION = (0.055, 0.022, 0.07, 0.004)
CIVILIAN_PROMOTION = (0.05, 0.04, 0.022)
# Women's attrition relative to men's by tenure, (from quarter, to quarter, factor): a little more in the first
# three years, most in years 3-8 (the career's middle, when the public reports see women leave), then equal.
WOMEN_ATTRITION_BY_TENURE = ((0, 12, 1.15), (12, 32, 1.75))
# Women's promotion chance relative to men's, per rank group promoted from (military, then civilian, in
# vocab.RANK_ORDER): close at the lower levels, slower to the senior ones.
WOMEN_PROMOTION = (0.97, 0.95, 0.75, 0.6, 1.0, 0.97, 0.9, 0.7, 1.0)

# Women's share of hires per category: (2015, 2025), linear in between.
MILITARY_WOMEN_HIRES = (0.14, 0.205)
CIVILIAN_WOMEN_HIRES = (0.29, 0.34)
X_SHARE = 0.002
YEARLY_GROWTH_FROM_2019 = 0.008

SURVEY_WAVES = (2019, 2021, 2023, 2025)
SURVEY_RESPONDENTS = 12_000

# item, construct, Dutch text, English text, scale min, max, favourable from, reverse
ITEMS: tuple[tuple[str, str, str, str, int, int, int, bool], ...] = (
    ("incl_belong", "inclusion", "Ik voel me thuis in mijn team.", "I feel I belong in my team.", 1, 5, 4, False),
    (
        "incl_respect",
        "inclusion",
        "Ik word met respect behandeld door mijn collega's.",
        "I am treated with respect by the people I work with.",
        1,
        5,
        4,
        False,
    ),
    (
        "incl_fair",
        "inclusion",
        "Ik word eerlijk behandeld op mijn werk.",
        "I am treated fairly at work.",
        1,
        5,
        4,
        False,
    ),
    (
        "incl_differences",
        "inclusion",
        "Mijn organisatie respecteert individuele verschillen.",
        "My organisation respects individual differences.",
        1,
        5,
        4,
        False,
    ),
    (
        "incl_voice",
        "inclusion",
        "Mijn mening telt mee, ook als die afwijkt.",
        "My opinion counts, even when it differs.",
        1,
        5,
        4,
        False,
    ),
    (
        "safe_speak_up",
        "social_safety",
        "Ik kan problemen en lastige kwesties bespreekbaar maken.",
        "I can raise problems and tough issues.",
        1,
        5,
        4,
        False,
    ),
    (
        "safe_mistakes",
        "social_safety",
        "Als je een fout maakt, wordt dat je niet kwalijk genomen.",
        "If you make a mistake, it is not held against you.",
        1,
        5,
        4,
        False,
    ),
    (
        "safe_leader",
        "social_safety",
        "Ik vertrouw erop dat mijn leidinggevende mij steunt.",
        "I trust my manager to support me.",
        1,
        5,
        4,
        False,
    ),
    (
        "report_willing",
        "reporting_willingness",
        "Als ik ongewenst gedrag meemaak, meld ik dat.",
        "If I experience unwanted behaviour, I report it.",
        1,
        5,
        4,
        False,
    ),
    (
        "report_trust",
        "reporting_willingness",
        "Ik vertrouw erop dat een melding zorgvuldig wordt afgehandeld.",
        "I trust that a report is handled with care.",
        1,
        5,
        4,
        False,
    ),
    (
        "report_no_fear",
        "reporting_willingness",
        "Ik ben niet bang voor negatieve gevolgen als ik iets meld.",
        "I am not afraid of negative consequences if I report something.",
        1,
        5,
        4,
        False,
    ),
    (
        "exp_unwanted",
        "experienced_unwanted_behaviour",
        "Ik heb de afgelopen 12 maanden ongewenst gedrag meegemaakt.",
        "I experienced unwanted behaviour in the past 12 months.",
        0,
        1,
        1,
        False,
    ),
    (
        "exp_reported",
        "reported_unwanted_behaviour",
        "Ik heb het ongewenste gedrag gemeld.",
        "I reported the unwanted behaviour.",
        0,
        1,
        1,
        False,
    ),
)

REPORT_CATEGORIES = ("ongewenst_gedrag", "integriteit", "sociale_veiligheid")
TRAINING_COURSES = 240
