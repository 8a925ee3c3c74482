"""Synthetic districts: realistic workbooks for scale tests, benchmarks and tutorials.

A generated district has everything a real workbook holds: schools in roughly
the mix a US district has, a district administration and a local association
whose executive board mirrors the cabinet, declared counterparts and standing
meetings between them, a building representative and a principal at every
school, a District Leadership Team, School Leadership Teams, district working
committees on the declared priorities, and survey waves of communication ties
between association leaders drawn from a small-world model.

Some structure is left out on purpose, at rates the caller sets, so the gap
analyses have something to find: schools without a rep (``missing_rep_rate``)
and, at ``gap_rate``, schools without an SLT, one-sided or unoverseen
committees, undeclared counterparts and missing standing meetings.

Everything is drawn from :class:`random.Random` seeded from the caller's seed,
and the text is written in a fixed order, so the same settings always give the
same bytes. Rows are streamed: :func:`generate_district` yields them one by one
in section order and the writers turn each into one line of text, so a whole
state of districts can be written with flat memory.

Examples
--------
>>> wb = generate_workbook(12, seed=3)
>>> len(wb.schools)
12
>>> sorted({s.level.value for s in wb.schools})
['elementary', 'high', 'middle']
>>> wb.teams[0].kind.value
'dlt'
>>> generate_workbook(12, seed=3) == wb
True
"""

from __future__ import annotations

import json
import math
import os
import random
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Final, Literal

from collabgraph.errors import CollabGraphError, Location
from collabgraph.model import BUILTIN_TOPICS, FORMAT, SECTIONS, SchoolLevel, Workbook
from collabgraph.workbook.document import document_from_mapping
from collabgraph.workbook.validate import validate_document

__all__ = [
    "LEVEL_SHARES",
    "DistrictIdentity",
    "GenerateError",
    "GeneratedDistrict",
    "Row",
    "district_identities",
    "generate_district",
    "generate_workbook",
    "json_chunks",
    "write_district",
    "write_districts",
    "yaml_lines",
    "yaml_scalar",
]

Row = tuple[str, dict[str, Any]]
"""One generated row: the section it belongs to and its fields."""

OutputFormat = Literal["yaml", "json"]

#: Share of schools per level, in the order schools are listed (related levels
#: next to each other, which the tie model uses to keep most ties within a level).
LEVEL_SHARES: Final[tuple[tuple[SchoolLevel, float], ...]] = (
    (SchoolLevel.EARLY_CHILDHOOD, 0.005),
    (SchoolLevel.ELEMENTARY, 0.55),
    (SchoolLevel.K8, 0.02),
    (SchoolLevel.MIDDLE, 0.20),
    (SchoolLevel.HIGH, 0.20),
    (SchoolLevel.ALTERNATIVE, 0.015),
    (SchoolLevel.ADULT, 0.01),
)

#: Largest accepted settings (they keep a typo from filling a disk).
MAX_SCHOOLS: Final = 100_000
MAX_DISTRICTS: Final = 100_000
MAX_WAVES: Final = 100


class GenerateError(CollabGraphError):
    """The generator was given settings it cannot use, or its output cannot be written."""


@dataclass(frozen=True)
class _LevelStyle:
    name: str  # "{} Elementary"
    suffix: str  # id suffix
    staff: tuple[float, float, int, int]  # mean, sd, min, max represented staff


_STYLE: Final[dict[SchoolLevel, _LevelStyle]] = {
    SchoolLevel.EARLY_CHILDHOOD: _LevelStyle("{} Early Learning Center", "ecc", (12, 4, 4, 25)),
    SchoolLevel.ELEMENTARY: _LevelStyle("{} Elementary", "es", (32, 8, 12, 70)),
    SchoolLevel.K8: _LevelStyle("{} K-8 School", "k8", (45, 10, 20, 90)),
    SchoolLevel.MIDDLE: _LevelStyle("{} Middle School", "ms", (55, 15, 20, 110)),
    SchoolLevel.HIGH: _LevelStyle("{} High School", "hs", (95, 30, 30, 200)),
    SchoolLevel.ALTERNATIVE: _LevelStyle("{} Community Day School", "alt", (14, 5, 4, 30)),
    SchoolLevel.ADULT: _LevelStyle("{} Adult School", "adult", (20, 8, 5, 45)),
}

# --- name pools (invented or common names; no real people) -------------------

_PLACES: Final = (
    "Alder Creek", "Ashland", "Bay Harbor", "Bear Valley", "Bellmont", "Birchwood", "Blue Ridge",
    "Bramble", "Brookfield", "Cedar Falls", "Cedar Grove", "Clearwater", "Cold Spring",
    "Copper Hill", "Crestview", "Cypress", "Deer Park", "Dove Canyon", "Eagle Point", "Elmhurst",
    "Fairhaven", "Falls Church", "Fern Valley", "Fox Run", "Glen Oaks", "Granite Bay",
    "Green Meadow", "Harbor City", "Hartwell", "Hazel Park", "Hidden Hills", "Highland Park",
    "Holly Springs", "Indian Creek", "Iron Mountain", "Juniper Flats", "Kettle River",
    "Lake Forest", "Lakewood", "Laurel Heights", "Linden", "Lone Pine", "Maple Grove",
    "Maple Valley", "Marble Falls", "Meadowbrook", "Mill Valley", "Mission Hills", "Moss Point",
    "Oak Harbor", "Oakdale", "Orchard Park", "Palm Desert", "Pine Bluff", "Pine Hill",
    "Pleasant Valley", "Prairie View", "Quail Ridge", "Red Rock", "Redwood Valley", "River Bend",
    "Riverside", "Rock Creek", "Rolling Hills", "Rose Hill", "Sage Brush", "Salt Creek",
    "Sandy Point", "Shady Grove", "Silver Lake", "Spring Valley", "Stone Harbor", "Stony Brook",
    "Summit", "Sun Valley", "Sycamore", "Tall Pines", "Thornton", "Timber Lake", "Twin Rivers",
    "Valley Forge", "Walnut Creek", "West Haven", "Whispering Pines", "White Oak", "Willow Bend",
    "Willow Springs", "Windmill", "Wolf Creek", "Woodbridge", "Woodland", "Yarrow",
)  # fmt: skip
_PLACE_PREFIXES: Final = ("North", "South", "East", "West", "New", "Upper", "Lower", "Port")
_DISTRICT_KINDS: Final = (
    ("Unified School District", "usd"),
    ("School District", "sd"),
    ("Public Schools", "ps"),
    ("City Schools", "cs"),
)
_SCHOOL_NAMES: Final = (
    "Adams", "Alcott", "Anthony", "Aspen", "Banneker", "Bethune", "Birch", "Bluebird",
    "Brookside", "Canyon", "Cardinal", "Carson", "Carver", "Cedar", "Chavez", "Cherry Creek",
    "Clemente", "Columbus", "Crescent", "Curie", "Del Mar", "Discovery", "Douglass", "Earhart",
    "Eastwood", "Edison", "Emerson", "Fairview", "Falcon", "Franklin", "Frontier", "Frost",
    "Fulton", "Garfield", "Grant", "Greenfield", "Hamilton", "Harbor", "Harmony", "Hawthorne",
    "Heron", "Highland", "Hillcrest", "Horizon", "Huerta", "Hughes", "Hurston", "Independence",
    "Irving", "Jackson", "Jefferson", "Juniper", "Keller", "Kennedy", "King", "Lakeview",
    "Liberty", "Lincoln", "Longfellow", "Lowell", "Madison", "Magnolia", "Mann", "Maple",
    "Marshall", "Meadow", "Mendez", "Mesa", "Mill Creek", "Monroe", "Mountain View", "Muir",
    "Newton", "Northgate", "Oak Grove", "Ochoa", "Parks", "Pioneer", "Prairie", "Quincy",
    "Redwood", "Ride", "Ridgeview", "Riverview", "Roosevelt", "Rosewood", "Sequoia", "Sheridan",
    "Sierra", "Silver Lake", "Southgate", "Stevenson", "Sunrise", "Sunset", "Sycamore", "Thoreau",
    "Truth", "Tubman", "Twain", "Unity", "Valley", "Vista", "Washington", "Westwood", "Wheatley",
    "Whitman", "Whittier", "Willow", "Wilson", "Wright", "Yosemite",
)  # fmt: skip
_SCHOOL_PREFIXES: Final = ("North", "South", "East", "West", "Central", "Lake", "Park", "Hill")
_FIRST: Final = (
    "Aaliyah", "Aaron", "Abdul", "Adriana", "Ahmed", "Aiko", "Alan", "Alejandro", "Alicia", "Amara",
    "Amir", "Ana", "Andre", "Angela", "Anh", "Ben", "Bianca", "Bilal", "Brenda", "Bruce", "Camila",
    "Carlos", "Carmen", "Chen", "Chloe", "Chris", "Dana", "Daniel", "Darnell", "Deborah", "Deepa",
    "Diego", "Dmitri", "Elena", "Elijah", "Emily", "Eric", "Esther", "Farah", "Fatima", "Felix",
    "Fiona", "Gabriel", "Grace", "Hana", "Hannah", "Hector", "Ibrahim", "Imani", "Irene", "Isaac",
    "Jada", "James", "Jamal", "Janet", "Javier", "Jin", "Joan", "Jorge", "Joseph", "Julia", "Kai",
    "Karen", "Keisha", "Kenji", "Kevin", "Laila", "Laura", "Leon", "Lila", "Linda", "Luis", "Maya",
    "Marcus", "Maria", "Mei", "Michael", "Miguel", "Mina", "Nadia", "Naomi", "Nathan", "Nia",
    "Noah", "Olga", "Omar", "Paul", "Priya", "Quinn", "Rafael", "Rosa", "Ruth", "Sam", "Sara",
    "Sean", "Sofia", "Sunil", "Tamika", "Teresa", "Thomas", "Tuan", "Valeria", "Victor", "Wei",
    "Xavier", "Yasmin", "Yusuf", "Zoe",
)  # fmt: skip
_LAST: Final = (
    "Abbott", "Adeyemi", "Aguilar", "Ali", "Alvarez", "Anderson", "Bailey", "Baker", "Banks",
    "Bennett", "Brooks", "Campbell", "Castillo", "Chang", "Chavez", "Chen", "Cohen", "Collins",
    "Cruz", "Davis", "Delgado", "Diaz", "Dubois", "Edwards", "Evans", "Fernandez", "Fischer",
    "Flores", "Foster", "Garcia", "Gomez", "Gonzalez", "Gray", "Green", "Gupta", "Hall", "Harris",
    "Hassan", "Hernandez", "Hill", "Hoang", "Hughes", "Ibrahim", "Jackson", "James", "Jensen",
    "Johnson", "Jones", "Kaur", "Khan", "Kim", "King", "Kowalski", "Kumar", "Lee", "Lewis", "Li",
    "Lopez", "Martin", "Martinez", "Mendoza", "Miller", "Mitchell", "Moore", "Morales", "Murphy",
    "Nakamura", "Nguyen", "Novak", "Okafor", "Ortiz", "Owens", "Park", "Patel", "Perez",
    "Peterson", "Phillips", "Price", "Quinn", "Ramirez", "Reed", "Reyes", "Rivera", "Roberts",
    "Robinson", "Rodriguez", "Rossi", "Russell", "Sanchez", "Santos", "Schmidt", "Scott", "Shah",
    "Silva", "Singh", "Smith", "Sullivan", "Tanaka", "Taylor", "Thomas", "Thompson", "Torres",
    "Tran", "Turner", "Vargas", "Walker", "Wang", "Washington", "Watson", "White", "Williams",
    "Wilson", "Wong", "Wright", "Yamamoto", "Young", "Zhang",
)  # fmt: skip

#: Topics a generated workbook declares (the four survey topics are builtin).
_TOPICS: Final[tuple[tuple[str, str], ...]] = (
    ("elementary-schools", "Elementary schools"),
    ("middle-schools", "Middle schools"),
    ("high-schools", "High schools"),
    ("special-education", "Special education"),
    ("child-development", "Child development"),
    ("adult-education", "Adult education"),
    ("human-resources", "Human resources"),
    ("business-services", "Business services"),
    ("school-services", "School services"),
    ("professional-development", "Professional development"),
    ("bargaining", "Contract bargaining"),
    ("technology", "Information technology"),
)
_TOPIC_NAMES: Final[dict[str, str]] = {**BUILTIN_TOPICS, **dict(_TOPICS)}


@dataclass(frozen=True)
class _Post:
    id: str
    title: str
    kind: str
    portfolio: tuple[str, ...] = ()
    needs: SchoolLevel | None = None  # only created when the district has this level


_ADMIN: Final = (
    _Post("superintendent", "Superintendent", "superintendent"),
    _Post("cfo", "Chief Financial Officer", "cabinet", ("business-services", "bargaining")),
    _Post(
        "asst-supt-hr", "Assistant Superintendent, Human Resources", "cabinet", ("human-resources",)
    ),
    _Post(
        "asst-supt-academic",
        "Assistant Superintendent, Curriculum and Professional Development",
        "cabinet",
        ("curriculum", "instruction", "professional-development"),
    ),
    _Post("dir-special-ed", "Director, Special Education", "director", ("special-education",)),
    _Post("dir-technology", "Director, Information Technology", "director", ("technology",)),
    _Post("dir-child-dev", "Director, Child Development", "director", ("child-development",)),
    _Post("dir-schools", "Director of Schools", "director", ("school-services",)),
    _Post(
        "dir-adult-ed",
        "Director, Adult Education",
        "director",
        ("adult-education",),
        SchoolLevel.ADULT,
    ),
)
_ASSOCIATION: Final = (
    _Post("president", "President", "president"),
    _Post("chief-negotiator", "Chief Negotiator", "chief_negotiator", ("bargaining",)),
    _Post("vp-elementary", "Vice President, Elementary", "vice_president", ("elementary-schools",)),
    _Post("vp-middle", "Vice President, Middle Schools", "vice_president", ("middle-schools",)),
    _Post("vp-high", "Vice President, High Schools", "vice_president", ("high-schools",)),
    _Post(
        "vp-special-ed",
        "Vice President, Special Education",
        "vice_president",
        ("special-education",),
    ),
    _Post(
        "vp-child-dev",
        "Vice President, Child Development",
        "vice_president",
        ("child-development",),
    ),
    _Post(
        "vp-adult-ed",
        "Vice President, Adult Education",
        "vice_president",
        ("adult-education",),
        SchoolLevel.ADULT,
    ),
    _Post(
        "pd-coordinator",
        "Professional Development Coordinator",
        "officer",
        ("professional-development", "instruction"),
    ),
    _Post("recording-secretary", "Recording Secretary", "officer", ("school-services",)),
    _Post("treasurer", "Treasurer", "officer", ("business-services",)),
    _Post("grievance-chair", "Grievance Chair", "committee_chair", ("human-resources",)),
)

#: Administration position -> association counterparts, and how often they meet.
_PAIRS: Final[tuple[tuple[str, tuple[str, ...], str], ...]] = (
    ("superintendent", ("president",), "weekly"),
    ("cfo", ("chief-negotiator", "treasurer"), "monthly"),
    ("asst-supt-hr", ("president", "chief-negotiator", "grievance-chair"), "biweekly"),
    (
        "asst-supt-academic",
        ("pd-coordinator", "vp-elementary", "vp-middle", "vp-high"),
        "monthly",
    ),
    ("dir-special-ed", ("vp-special-ed",), "monthly"),
    ("dir-technology", ("president",), "quarterly"),
    ("dir-child-dev", ("vp-child-dev",), "monthly"),
    ("dir-schools", ("recording-secretary",), "monthly"),
    ("dir-adult-ed", ("vp-adult-ed",), "monthly"),
)

_ELEMENTARY_SIDE: Final = (SchoolLevel.EARLY_CHILDHOOD, SchoolLevel.ELEMENTARY, SchoolLevel.K8)
_MIDDLE_SIDE: Final = (SchoolLevel.K8, SchoolLevel.MIDDLE)
_HIGH_SIDE: Final = (SchoolLevel.HIGH, SchoolLevel.ALTERNATIVE)
_ALL_LEVELS: Final = tuple(level for level, _ in LEVEL_SHARES)
#: District position kinds that sit on the DLT besides its two co-chairs.
_DLT_KINDS: Final = frozenset({"cabinet", "director", "vice_president", "chief_negotiator"})

#: Priority topic -> (administration lead, association lead, school levels it serves).
_COMMITTEES: Final[dict[str, tuple[str, str, tuple[SchoolLevel, ...]]]] = {
    "elementary-schools": ("asst-supt-academic", "vp-elementary", _ELEMENTARY_SIDE),
    "middle-schools": ("asst-supt-academic", "vp-middle", _MIDDLE_SIDE),
    "high-schools": ("asst-supt-academic", "vp-high", _HIGH_SIDE),
    "special-education": ("dir-special-ed", "vp-special-ed", _ALL_LEVELS),
    "child-development": (
        "dir-child-dev",
        "vp-child-dev",
        (SchoolLevel.EARLY_CHILDHOOD, SchoolLevel.ELEMENTARY),
    ),
    "adult-education": ("dir-adult-ed", "vp-adult-ed", (SchoolLevel.ADULT,)),
    "curriculum": ("asst-supt-academic", "pd-coordinator", _ALL_LEVELS),
    "instruction": ("asst-supt-academic", "pd-coordinator", _ALL_LEVELS),
    "student-data": ("dir-technology", "pd-coordinator", _ALL_LEVELS),
}

#: The school levels each vice president speaks for (ties to reps at those levels).
_VP_LEVELS: Final[dict[str, tuple[SchoolLevel, ...]]] = {
    "vp-elementary": _ELEMENTARY_SIDE,
    "vp-middle": _MIDDLE_SIDE,
    "vp-high": _HIGH_SIDE,
    "vp-child-dev": (SchoolLevel.EARLY_CHILDHOOD,),
    "vp-adult-ed": (SchoolLevel.ADULT,),
}

# --- tie model parameters ----------------------------------------------------

#: Survey topics and how often each is named.
_TIE_TOPICS: Final = ("instruction", "curriculum", "student-data", "mentoring")
_TIE_TOPIC_WEIGHTS: Final = (0.35, 0.30, 0.20, 0.15)
#: Tie strengths (the weights of the survey frequencies) and how often each occurs.
_STRENGTHS: Final = (0.1, 0.25, 0.5, 0.75, 1.0)
_STRENGTH_WEIGHTS: Final = (0.05, 0.20, 0.35, 0.30, 0.10)
_RING_NEIGHBOURS: Final = 3  # each rep is tied to this many reps on each side of the ring
_REWIRE: Final = 0.2  # chance a ring tie is rewired to a random rep
_SAME_LEVEL: Final = 0.5  # chance a random tie stays within the rep's school level
_BOTH_WAYS: Final = 0.55  # chance both people report a tie
_DROP: Final = 0.12  # chance a tie disappears between two waves


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _check_settings(
    schools: int, waves: int, missing_rep_rate: float, gap_rate: float, districts: int = 1
) -> None:
    problems: list[str] = []
    for name, value, top in (
        ("schools", schools, MAX_SCHOOLS),
        ("waves", waves, MAX_WAVES),
        ("districts", districts, MAX_DISTRICTS),
    ):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= top:
            problems.append(f"{name} must be a whole number from 1 to {top:,}, got {value!r}")
    for name, rate in (("missing_rep_rate", missing_rep_rate), ("gap_rate", gap_rate)):
        if isinstance(rate, bool) or not isinstance(rate, int | float) or not 0 <= rate <= 1:
            problems.append(f"{name} must be a number between 0 and 1, got {rate!r}")
    if problems:
        raise GenerateError("; ".join(problems))


# --- district identities ------------------------------------------------------


@dataclass(frozen=True)
class DistrictIdentity:
    """The name and id of a generated district.

    Attributes
    ----------
    id : str
        District id, also the file name in a multi-district run.
    name : str
        Full district name, e.g. ``"Riverside Unified School District"``.
    place : str
        The place the district (and its association) is named after.
    """

    id: str
    name: str
    place: str


def district_identities(count: int, *, seed: int = 0) -> Iterator[DistrictIdentity]:
    """Distinct district names and ids for a run of ``count`` districts.

    The first ``k`` identities do not depend on ``count``, so district 1 of a
    state run is the same district as a single-district run with that seed.

    Parameters
    ----------
    count : int
        How many identities to yield.
    seed : int
        Seed of the run.

    Yields
    ------
    DistrictIdentity
        One per district, ids unique within the run.

    Examples
    --------
    >>> ids = [d.id for d in district_identities(500, seed=1)]
    >>> len(set(ids))
    500
    >>> next(district_identities(1, seed=1)) == next(district_identities(9, seed=1))
    True
    """
    rng = random.Random(f"collabgraph-generate/{seed}/places")
    used: set[str] = set()
    for _ in range(count):
        place = rng.choice(_PLACES)
        if place in used:
            prefixes = list(_PLACE_PREFIXES)
            rng.shuffle(prefixes)
            for prefix in prefixes:
                if f"{prefix} {place}" not in used:
                    place = f"{prefix} {place}"
                    break
            else:
                n = 2
                while f"{place} {n}" in used:
                    n += 1
                place = f"{place} {n}"
        used.add(place)
        kind, suffix = rng.choices(_DISTRICT_KINDS, weights=(0.5, 0.3, 0.1, 0.1))[0]
        yield DistrictIdentity(id=f"{_slug(place)}-{suffix}", name=f"{place} {kind}", place=place)


# --- the district builder -----------------------------------------------------


@dataclass
class _School:
    id: str
    name: str
    level: SchoolLevel
    staff: int
    principal: int  # person index
    reps: list[int | None] = field(default_factory=list)  # person index per rep position


def _apportion(n: int, rng: random.Random) -> list[SchoolLevel]:
    """Levels of ``n`` schools by systematic sampling: every count within 1 of its share."""
    offset = rng.random()
    levels: list[SchoolLevel] = []
    cumulative = 0.0
    done = 0
    for level, share in LEVEL_SHARES:
        cumulative += share
        upto = min(n, math.floor(cumulative * n + offset))
        levels.extend([level] * (upto - done))
        done = max(done, upto)
    levels.extend([SchoolLevel.ELEMENTARY] * (n - len(levels)))
    return levels


def _sample_count(n: int, rate: float, rng: random.Random) -> int:
    """How many of ``n`` items to pick so that on average ``rate * n`` are picked."""
    return min(n, math.floor(rate * n + rng.random()))


class _Builder:
    """Builds one district's structure in memory (small) and streams its ties."""

    def __init__(
        self,
        identity: DistrictIdentity,
        schools: int,
        *,
        seed: int,
        index: int,
        waves: int,
        missing_rep_rate: float,
        gap_rate: float,
    ) -> None:
        self.rng = random.Random(f"collabgraph-generate/{seed}/{index}")
        self.identity = identity
        self.waves = waves
        self.missing_rep_rate = missing_rep_rate
        self.gap_rate = gap_rate
        self.seed = seed
        self.n_schools = schools
        self.people: list[dict[str, Any]] = []
        self.person_ids: list[str] = []
        self.slug_counts: dict[str, int] = {}
        self.posts: dict[str, int] = {}  # district position id -> holder person index
        self.post_titles: dict[str, str] = {}
        self.post_portfolio: dict[str, tuple[str, ...]] = {}
        self.schools: list[_School] = []
        self.levels_present: set[SchoolLevel] = set()

    # people ---------------------------------------------------------------

    def person(self, side: str, school: str | None = None) -> int:
        rng = self.rng
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        slug = f"{first}-{last}".lower()
        count = self.slug_counts.get(slug, 0) + 1
        self.slug_counts[slug] = count
        ident = slug if count == 1 else f"{slug}-{count}"
        row: dict[str, Any] = {"id": ident, "name": f"{first} {last}", "side": side}
        if school is not None:
            row["school"] = school
        self.people.append(row)
        self.person_ids.append(ident)
        return len(self.people) - 1

    # structure ------------------------------------------------------------

    def build_schools(self) -> None:
        rng = self.rng
        levels = _apportion(self.n_schools, rng)
        self.levels_present = set(levels)
        used: set[tuple[SchoolLevel, str]] = set()
        named: list[tuple[int, str, str, SchoolLevel]] = []
        order = {level: i for i, (level, _) in enumerate(LEVEL_SHARES)}
        for level in levels:
            style = _STYLE[level]
            base = rng.choice(_SCHOOL_NAMES)
            if (level, base) in used:
                prefixes = list(_SCHOOL_PREFIXES)
                rng.shuffle(prefixes)
                for prefix in prefixes:
                    if (level, f"{prefix} {base}") not in used:
                        base = f"{prefix} {base}"
                        break
                else:
                    n = 2
                    while (level, f"{base} {n}") in used:
                        n += 1
                    base = f"{base} {n}"
            used.add((level, base))
            named.append((order[level], base, style.name.format(base), level))
        named.sort(key=lambda item: (item[0], item[1]))
        for _, base, name, level in named:
            style = _STYLE[level]
            ident = f"{_slug(base)}-{style.suffix}"
            mean, sd, low, high = style.staff
            staff = max(low, min(high, round(rng.gauss(mean, sd))))
            principal = self.person("management", ident)
            school = _School(ident, name, level, staff, principal)
            n_reps = 1
            if staff >= 60 and rng.random() < (0.85 if staff >= 100 else 0.5):
                n_reps = 2
            school.reps = [None] * n_reps
            self.schools.append(school)
        n = len(self.schools)
        vacant = set(rng.sample(range(n), _sample_count(n, self.missing_rep_rate, rng)))
        for i, school in enumerate(self.schools):
            if i not in vacant:
                school.reps = [self.person("labor", school.id) for _ in school.reps]
            else:
                school.reps = [None]

    def build_district_posts(self) -> None:
        for post in (*_ADMIN, *_ASSOCIATION):
            if post.needs is not None and post.needs not in self.levels_present:
                continue
            side = "management" if post in _ADMIN else "labor"
            self.posts[post.id] = self.person(side)
            self.post_titles[post.id] = post.title
            self.post_portfolio[post.id] = post.portfolio

    # rows -----------------------------------------------------------------

    def structure(self) -> Iterator[Row]:
        rng = self.rng
        ident = self.identity
        self.build_district_posts()
        self.build_schools()
        priorities = self.priorities()
        self.plan_teams(priorities)

        yield (
            "district",
            {
                "id": ident.id,
                "name": ident.name,
                "note": (
                    f"Synthetic district made by 'collabgraph generate' (seed {self.seed}); "
                    "every person in it is invented."
                ),
            },
        )
        for s in self.schools:
            yield (
                "schools",
                {"id": s.id, "name": s.name, "level": s.level.value, "represented_staff": s.staff},
            )

        federation = rng.random() < 0.3
        local = f"{_slug(ident.place)}-{'ft' if federation else 'ea'}"
        local_name = (
            f"{ident.place} Federation of Teachers"
            if federation
            else f"{ident.place} Education Association"
        )
        state_org, national_org = (
            ("state-federation", "national-federation")
            if federation
            else ("state-association", "national-association")
        )
        yield (
            "organizations",
            {
                "id": "district-office",
                "name": f"{ident.name} administration",
                "side": "management",
                "kind": "district_administration",
            },
        )
        yield (
            "organizations",
            {
                "id": "board",
                "name": f"{ident.name} Board of Education",
                "side": "board",
                "kind": "school_board",
            },
        )
        yield (
            "organizations",
            {
                "id": local,
                "name": local_name,
                "side": "labor",
                "kind": "local_association",
                "affiliate_of": state_org,
            },
        )
        yield (
            "organizations",
            {
                "id": state_org,
                "name": "State Federation of Teachers"
                if federation
                else "State Education Association",
                "side": "labor",
                "kind": "state_affiliate",
                "affiliate_of": national_org,
            },
        )
        yield (
            "organizations",
            {
                "id": national_org,
                "name": "National Federation of Teachers"
                if federation
                else "National Education Association",
                "side": "labor",
                "kind": "national_affiliate",
            },
        )

        for topic, name in _TOPICS:
            yield "topics", {"id": topic, "name": name}

        for rank, topic in enumerate(priorities, start=1):
            yield "priorities", {"topic": topic, "rank": rank}

        yield from (("people", row) for row in self.people)

        for post in (*_ADMIN, *_ASSOCIATION):
            if post.id not in self.posts:
                continue
            row: dict[str, Any] = {
                "id": post.id,
                "title": post.title,
                "side": "management" if post in _ADMIN else "labor",
                "kind": post.kind,
                "organization": "district-office" if post in _ADMIN else local,
            }
            if post.portfolio:
                row["portfolio"] = list(post.portfolio)
            row["holder"] = self.person_ids[self.posts[post.id]]
            yield "positions", row
        for s in self.schools:
            yield (
                "positions",
                {
                    "id": f"principal-{s.id}",
                    "title": f"Principal, {s.name}",
                    "side": "management",
                    "kind": "principal",
                    "level": "school",
                    "school": s.id,
                    "organization": "district-office",
                    "holder": self.person_ids[s.principal],
                },
            )
            for i, holder in enumerate(s.reps):
                rep: dict[str, Any] = {
                    "id": f"rep-{s.id}" if i == 0 else f"rep-{s.id}-{i + 1}",
                    "title": f"Building Representative, {s.name}",
                    "side": "labor",
                    "kind": "building_rep",
                    "level": "school",
                    "school": s.id,
                    "organization": local,
                }
                if holder is not None:
                    rep["holder"] = self.person_ids[holder]
                yield "positions", rep

        yield from self.teams()
        yield from self.meetings()

    def priorities(self) -> list[str]:
        rng = self.rng
        present = self.levels_present
        topics: list[str] = []
        if present & set(_ELEMENTARY_SIDE):
            topics.append("elementary-schools")
        if present & set(_MIDDLE_SIDE):
            topics.append("middle-schools")
        if present & set(_HIGH_SIDE):
            topics.append("high-schools")
        topics.append("special-education")
        if SchoolLevel.EARLY_CHILDHOOD in present or rng.random() < 0.6:
            topics.append("child-development")
        if SchoolLevel.ADULT in present:
            topics.append("adult-education")
        topics.append(rng.choice(("curriculum", "instruction", "student-data")))
        return topics

    def plan_teams(self, priorities: list[str]) -> None:
        """Decide every team and seat (creating the SLT teachers) before any row is written."""
        rng = self.rng
        gap = self.gap_rate
        self.team_rows: list[dict[str, Any]] = [
            {
                "id": "dlt",
                "name": f"{self.identity.place} District Leadership Team",
                "kind": "dlt",
                "level": "district",
                "topics": list(priorities),
                "decision_step": 4,
            }
        ]
        seat_plan: list[tuple[str, list[tuple[int, str]]]] = []
        reps_at = self.reps_by_level()
        principals_at: dict[SchoolLevel, list[int]] = {}
        for s in self.schools:
            principals_at.setdefault(s.level, []).append(s.principal)
        for topic in priorities:
            if rng.random() < gap / 2:
                continue  # a declared priority no committee works on
            boss, lead, levels = _COMMITTEES[topic]
            team: dict[str, Any] = {
                "id": f"committee-{topic}",
                "name": f"{_TOPIC_NAMES[topic]} Committee",
                "kind": "working_committee",
                "level": "district",
                "topics": [topic],
            }
            if rng.random() >= gap:
                team["overseen_by"] = ["dlt"]
            team["decision_step"] = rng.choice((3, 4, 4, 4, 5))
            seats: list[tuple[int, str]] = []
            if boss in self.posts:
                seats.append((self.posts[boss], "co_chair"))
            if lead in self.posts:
                seats.append((self.posts[lead], "co_chair"))
            pool_p = [p for level in levels for p in principals_at.get(level, [])]
            pool_r = [r for level in levels for r in reps_at.get(level, [])]
            seats += [(p, "member") for p in rng.sample(pool_p, min(2, len(pool_p)))]
            seats += [(r, "member") for r in rng.sample(pool_r, min(3, len(pool_r)))]
            if rng.random() < gap:  # one-sided: only one side's people were seated
                keep = rng.choice(("management", "labor"))
                seats = [seat for seat in seats if self.people[seat[0]]["side"] == keep]
            self.team_rows.append(team)
            seat_plan.append((team["id"], seats))

        missing_slt = set(
            rng.sample(range(len(self.schools)), _sample_count(len(self.schools), gap, rng))
        )
        slts: list[tuple[_School, list[tuple[int, str]]]] = []
        for i, s in enumerate(self.schools):
            if i in missing_slt:
                continue
            self.team_rows.append(
                {
                    "id": f"slt-{s.id}",
                    "name": f"{s.name} School Leadership Team",
                    "kind": "slt",
                    "level": "school",
                    "school": s.id,
                    "topics": sorted(rng.sample(_TIE_TOPICS, rng.choice((1, 2)))),
                    "overseen_by": ["dlt"],
                }
            )
            seats = []
            if rng.random() >= gap / 2:
                seats.append((s.principal, "co_chair"))
            seats += [(r, "co_chair") for r in s.reps if r is not None]
            teachers = rng.randint(3, 5) if s.staff >= 20 else 2
            seats += [(self.person("labor", s.id), "member") for _ in range(teachers)]
            slts.append((s, seats))

        # DLT seats: the co-chairs, the cabinet, directors and vice presidents, and
        # the principal and rep(s) of one SLT for each of the main school levels.
        dlt: list[tuple[int, str]] = [
            (self.posts["superintendent"], "co_chair"),
            (self.posts["president"], "co_chair"),
        ]
        for post in (*_ADMIN, *_ASSOCIATION):
            if post.id in self.posts and post.kind in _DLT_KINDS:
                dlt.append((self.posts[post.id], "member"))
        for levels in (_ELEMENTARY_SIDE, _MIDDLE_SIDE, _HIGH_SIDE):
            candidates = [(s, seats) for s, seats in slts if s.level in levels]
            if candidates:
                _, seats = rng.choice(candidates)
                dlt += [(p, "member") for p, role in seats if role == "co_chair"]
        self.seat_plan: list[tuple[str, list[tuple[int, str]], bool]] = [
            ("dlt", dlt, rng.random() < gap)
        ]
        self.seat_plan += [(team_id, seats, rng.random() < gap) for team_id, seats in seat_plan]
        self.seat_plan += [(f"slt-{s.id}", seats, rng.random() < gap) for s, seats in slts]

    def teams(self) -> Iterator[Row]:
        yield from (("teams", row) for row in self.team_rows)
        for team_id, seats, not_joint in self.seat_plan:
            yield from self.seat_rows(team_id, seats, not_joint)

    def seat_rows(self, team: str, seats: list[tuple[int, str]], not_joint: bool) -> Iterator[Row]:
        seen: set[int] = set()
        for person, role in seats:
            if person in seen:
                continue
            seen.add(person)
            side = self.people[person]["side"]
            yield (
                "memberships",
                {
                    "person": self.person_ids[person],
                    "team": team,
                    "role": role,
                    "appointed_by": side if not_joint else "joint",
                },
            )

    def meetings(self) -> Iterator[Row]:
        rng = self.rng
        gap = self.gap_rate
        pairs: list[tuple[str, str]] = []
        for boss, partners, cadence in _PAIRS:
            if boss not in self.posts:
                continue
            labor = [p for p in partners if p in self.posts]
            if not labor:
                continue
            pairs += [(boss, p) for p in labor]
            if rng.random() < gap:
                continue  # this standing meeting does not happen
            shared = sorted(
                {t for p in labor for t in self.post_portfolio[p]} & set(self.post_portfolio[boss])
            )
            row: dict[str, Any] = {
                "id": f"meet-{boss}",
                "name": f"{self.post_titles[boss]} with "
                + " and ".join(self.post_titles[p] for p in labor),
                "cadence": cadence,
                "attendees": [boss, *labor],
            }
            if shared:
                row["topics"] = shared
            yield "meetings", row
        if rng.random() >= gap:
            board = [p.id for p in (*_ADMIN, *_ASSOCIATION) if p.id in self.posts]
            yield (
                "meetings",
                {
                    "id": "meet-cabinet-board",
                    "name": "District cabinet with the association executive board",
                    "cadence": "monthly",
                    "attendees": board,
                },
            )
        for boss, partner in pairs:
            if rng.random() >= gap:
                yield "counterparts", {"management": boss, "labor": partner}

    # ties -----------------------------------------------------------------

    def reps_by_level(self) -> dict[SchoolLevel, list[int]]:
        out: dict[SchoolLevel, list[int]] = {}
        for s in self.schools:
            out.setdefault(s.level, []).extend(r for r in s.reps if r is not None)
        return out

    def ties(self) -> Iterator[Row]:
        rng = self.rng
        reps: list[int] = []
        rep_level: dict[int, SchoolLevel] = {}
        for s in self.schools:
            for r in s.reps:
                if r is not None:
                    reps.append(r)
                    rep_level[r] = s.level
        by_level = self.reps_by_level()
        edges: dict[tuple[int, int], list[Any]] = {}  # (a, b), a < b -> [topics, w_ab, w_ba]

        def link(a: int, b: int) -> bool:
            if a == b:
                return False
            key = (a, b) if a < b else (b, a)
            if key in edges:
                return False
            n_topics = rng.choices((1, 2, 3), weights=(0.5, 0.35, 0.15))[0]
            topics: list[str] = []
            while len(topics) < n_topics:
                t = rng.choices(_TIE_TOPICS, weights=_TIE_TOPIC_WEIGHTS)[0]
                if t not in topics:
                    topics.append(t)
            strength = rng.choices(range(len(_STRENGTHS)), weights=_STRENGTH_WEIGHTS)[0]
            forward: int | None = strength
            backward: int | None = strength
            if rng.random() >= _BOTH_WAYS:
                if rng.random() < 0.5:
                    forward = None
                else:
                    backward = None
            edges[key] = [topics, forward, backward]
            return True

        def random_partner(a: int) -> int:
            level = rep_level.get(a)
            if level is not None and rng.random() < _SAME_LEVEL and len(by_level[level]) > 1:
                return rng.choice(by_level[level])
            return rng.choice(reps)

        n = len(reps)
        for i, a in enumerate(reps):
            for j in range(1, min(_RING_NEIGHBOURS, n // 2) + 1):
                b = reps[(i + j) % n]
                if rng.random() < _REWIRE:
                    b = random_partner(a)
                link(a, b)
        # Reps at the same school talk to each other and, often, to their principal.
        for s in self.schools:
            held = [r for r in s.reps if r is not None]
            for k in range(1, len(held)):
                link(held[0], held[k])
            for r in held:
                if rng.random() < 0.5:
                    link(r, s.principal)
        # The executive board talks among itself and to reps, vice presidents to
        # the reps of their levels; officers talk to their administration counterparts.
        officers = [self.posts[p.id] for p in _ASSOCIATION if p.id in self.posts]
        for i, a in enumerate(officers):
            for b in officers[i + 1 :]:
                if rng.random() < 0.8:
                    link(a, b)
        for post in _ASSOCIATION:
            if post.id not in self.posts or not reps:
                continue
            holder = self.posts[post.id]
            if post.id == "president":
                pool, k = reps, 40
            elif post.id in _VP_LEVELS:
                pool = [r for level in _VP_LEVELS[post.id] for r in by_level.get(level, [])]
                k = 25
            else:
                pool, k = reps, 6
            for r in rng.sample(pool, min(k, len(pool))):
                link(holder, r)
        for boss, partners, _ in _PAIRS:
            for partner in partners:
                if boss in self.posts and partner in self.posts and rng.random() < 0.8:
                    link(self.posts[boss], self.posts[partner])

        pid = self.person_ids
        for wave in range(1, self.waves + 1):
            if wave > 1:
                edges = self.next_wave(edges, reps, link, random_partner)
            label = f"wave-{wave}"
            for (a, b), (topics, forward, backward) in edges.items():
                for source, target, strength in ((a, b, forward), (b, a, backward)):
                    if strength is None:
                        continue
                    for topic in topics:
                        yield (
                            "ties",
                            {
                                "source": pid[source],
                                "target": pid[target],
                                "weight": _STRENGTHS[strength],
                                "topic": topic,
                                "wave": label,
                            },
                        )

    def next_wave(
        self,
        edges: dict[tuple[int, int], list[Any]],
        reps: list[int],
        link: Callable[[int, int], bool],
        random_partner: Callable[[int], int],
    ) -> dict[tuple[int, int], list[Any]]:
        """The ties one wave later: some fade, some change strength, new ones appear."""
        rng = self.rng
        old = edges
        dropped = 0
        kept: dict[tuple[int, int], list[Any]] = {}
        for key, (topics, forward, backward) in old.items():
            if rng.random() < _DROP:
                dropped += 1
                continue
            forward, backward = self._drift(forward), self._drift(backward)
            if forward is None and backward is None:
                forward = rng.randrange(len(_STRENGTHS))
            topics = list(topics)
            if rng.random() < 0.1:
                if len(topics) > 1:
                    topics.pop(rng.randrange(len(topics)))
                else:
                    extra = rng.choice(_TIE_TOPICS)
                    if extra not in topics:
                        topics.append(extra)
            kept[key] = [topics, forward, backward]
        edges.clear()
        edges.update(kept)
        added = 0
        tries = 0
        while reps and added < dropped and tries < 20 * (dropped + 1):
            tries += 1
            a = rng.choice(reps)
            if link(a, random_partner(a)):
                added += 1
        return edges

    def _drift(self, strength: int | None) -> int | None:
        rng = self.rng
        roll = rng.random()
        if strength is None:
            return rng.randrange(len(_STRENGTHS)) if roll < 0.1 else None
        if roll < 0.05:
            return None  # this person no longer reports the tie
        if roll < 0.2:
            return max(0, strength - 1)
        if roll < 0.35:
            return min(len(_STRENGTHS) - 1, strength + 1)
        return strength


def generate_district(
    schools: int,
    *,
    seed: int = 0,
    waves: int = 1,
    missing_rep_rate: float = 0.05,
    gap_rate: float = 0.1,
    index: int = 0,
    identity: DistrictIdentity | None = None,
) -> Iterator[Row]:
    """Generate one synthetic district, row by row, in workbook section order.

    Parameters
    ----------
    schools : int
        Number of schools (1 to 100,000).
    seed : int
        Seed; the same settings always give the same rows.
    waves : int
        Number of tie survey waves, labelled ``wave-1``, ``wave-2``...
    missing_rep_rate : float
        Share of schools whose building rep position is vacant, in [0, 1].
    gap_rate : float
        Share of the optional structure left out, in [0, 1]: SLTs, standing
        meetings, declared counterparts; also the share of committees that are
        one-sided or not overseen by the DLT.
    index : int
        Position of the district in a multi-district run (picks its own stream
        of random numbers).
    identity : DistrictIdentity, optional
        Name and id; by default the ``index``-th of :func:`district_identities`.

    Yields
    ------
    tuple of (str, dict)
        The section name and the row's fields, sections in the order of
        :data:`collabgraph.model.SECTIONS`, each section's rows together.

    Raises
    ------
    GenerateError
        If a setting is out of range.

    Examples
    --------
    >>> rows = list(generate_district(5, seed=1))
    >>> rows[0][0], rows[1][0]
    ('district', 'schools')
    >>> sum(1 for section, _ in rows if section == "schools")
    5
    """
    _check_settings(schools, waves, missing_rep_rate, gap_rate)
    if identity is None:
        for i, found in enumerate(district_identities(index + 1, seed=seed)):
            if i == index:
                identity = found
    if identity is None:  # index < 0
        raise GenerateError(f"index must be 0 or more, got {index}")
    builder = _Builder(
        identity,
        schools,
        seed=seed,
        index=index,
        waves=waves,
        missing_rep_rate=missing_rep_rate,
        gap_rate=gap_rate,
    )
    yield from builder.structure()
    yield from builder.ties()


def generate_workbook(
    schools: int,
    *,
    seed: int = 0,
    waves: int = 1,
    missing_rep_rate: float = 0.05,
    gap_rate: float = 0.1,
) -> Workbook:
    """Generate one synthetic district as a validated :class:`~collabgraph.model.Workbook`.

    Convenient for tutorials and tests; for large districts write the rows to a
    file with :func:`write_district` instead. Parameters are those of
    :func:`generate_district`.

    Examples
    --------
    >>> wb = generate_workbook(8, seed=2, waves=2)
    >>> sorted({t.wave for t in wb.ties})
    ['wave-1', 'wave-2']
    """
    mapping: dict[str, Any] = {"format": FORMAT}
    for section, row in generate_district(
        schools,
        seed=seed,
        waves=waves,
        missing_rep_rate=missing_rep_rate,
        gap_rate=gap_rate,
    ):
        if section == "district":
            mapping["district"] = row
        else:
            mapping.setdefault(section, []).append(row)

    def where(path: tuple[str | int, ...]) -> Location:
        return Location(path=".".join(str(part) for part in path) or None)

    return validate_document(document_from_mapping(mapping, "generated", where))


# --- text encoders ------------------------------------------------------------

# Characters a YAML double-quoted scalar must not hold raw: anything outside
# YAML's printable set, and the Unicode line breaks YAML would fold.
_YAML_UNSAFE: Final = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd"
    "\U00010000-\U0010ffff]"
)


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def yaml_scalar(value: Any) -> str:
    """A value as YAML flow text that reads back as the same value.

    Strings are written JSON-style in double quotes (valid YAML); characters
    YAML does not allow raw are escaped.

    Examples
    --------
    >>> print(yaml_scalar("yes"), yaml_scalar('say "hi"'), yaml_scalar(0.5), yaml_scalar(3))
    "yes" "say \\"hi\\"" 0.5 3
    >>> print(yaml_scalar(["a", None, True]))
    ["a", null, true]
    >>> print(yaml_scalar(1e-05))
    0.00001
    >>> import yaml
    >>> yaml.safe_load(yaml_scalar("tab\\t nel\\x85 ls\\u2028 del\\x7f é 😀")) == (
    ...     "tab\\t nel\\x85 ls\\u2028 del\\x7f é 😀")
    True
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise GenerateError(f"cannot write the number {value!r}")
        text = repr(value)
        if "e" in text:  # PyYAML reads 1e-05 as text: write the digits out in full
            text = format(Decimal(text), "f")
            text += "" if "." in text else ".0"
        return text
    if isinstance(value, str):
        return _YAML_UNSAFE.sub(_escape, json.dumps(value, ensure_ascii=False))
    if isinstance(value, list | tuple):
        return "[" + ", ".join(yaml_scalar(v) for v in value) + "]"
    return yaml_scalar(str(value))


def _flow(row: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{key}: {yaml_scalar(value)}" for key, value in row.items()) + "}"


def yaml_lines(rows: Iterable[Row], *, comment: str | None = None) -> Iterator[str]:
    """YAML text of a workbook, one line per row, as the rows arrive.

    Parameters
    ----------
    rows : iterable of (str, dict)
        Rows in section order, each section's rows together (as
        :func:`generate_district` yields them).
    comment : str, optional
        A comment written on the first line.

    Yields
    ------
    str
        Lines of text, each ending with a newline.

    Raises
    ------
    GenerateError
        If a section comes back after another section started.

    Examples
    --------
    >>> rows = [("district", {"id": "d", "name": "D"}),
    ...         ("schools", {"id": "a", "name": "A: 1", "level": "high"})]
    >>> print("".join(yaml_lines(rows)), end="")
    format: collabgraph/1
    district: {id: "d", name: "D"}
    schools:
      - {id: "a", name: "A: 1", level: "high"}
    """
    if comment is not None:
        for line in comment.splitlines():
            yield f"# {line}\n"
    yield f"format: {FORMAT}\n"
    current: str | None = None
    done: set[str] = set()
    for section, row in rows:
        if section != current:
            if section in done or section not in SECTIONS:
                raise GenerateError(f"section {section!r} is out of order or unknown")
            if current is not None:
                done.add(current)
            current = section
            if section == "district":
                yield f"district: {_flow(row)}\n"
                continue
            yield f"{section}:\n"
        elif section == "district":
            raise GenerateError("a workbook has exactly one district row")
        yield f"  - {_flow(row)}\n"


def json_chunks(rows: Iterable[Row]) -> Iterator[str]:
    """JSON text of a workbook, one line per row, as the rows arrive.

    Examples
    --------
    >>> rows = [("district", {"id": "d", "name": "D"}), ("topics", {"id": "t", "name": "T"})]
    >>> text = "".join(json_chunks(rows))
    >>> json.loads(text)["topics"]
    [{'id': 't', 'name': 'T'}]
    """
    yield '{\n  "format": ' + json.dumps(FORMAT)
    current: str | None = None
    done: set[str] = set()
    for section, row in rows:
        text = json.dumps(row, ensure_ascii=False, allow_nan=False)
        if section != current:
            if section in done or section not in SECTIONS:
                raise GenerateError(f"section {section!r} is out of order or unknown")
            if current not in (None, "district"):
                yield "\n  ]"
            if current is not None:
                done.add(current)
            current = section
            if section == "district":
                yield f',\n  "district": {text}'
                continue
            yield f",\n  {json.dumps(section)}: [\n    {text}"
        elif section == "district":
            raise GenerateError("a workbook has exactly one district row")
        else:
            yield f",\n    {text}"
    if current not in (None, "district"):
        yield "\n  ]"
    yield "\n}\n"


# --- writing files ------------------------------------------------------------


@dataclass(frozen=True)
class GeneratedDistrict:
    """What one written district holds.

    Attributes
    ----------
    district : str
        The district id.
    path : Path
        The file written.
    counts : dict of str to int
        Rows per section.
    """

    district: str
    path: Path
    counts: dict[str, int]


def _counted(rows: Iterable[Row], counts: dict[str, int]) -> Iterator[Row]:
    for row in rows:
        counts[row[0]] = counts.get(row[0], 0) + 1
        yield row


def _write_text(path: Path, chunks: Iterable[str]) -> None:
    """Write ``chunks`` to ``path`` through a temporary file, so no half file is left."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise GenerateError(
            f"cannot create the folder {path.parent}: {exc.strerror or exc}"
        ) from exc
    tmp: Path | None = None
    try:
        with tempfile.NamedTemporaryFile(
            "w",
            encoding="utf-8",
            newline="\n",
            dir=path.parent,
            prefix=f".{path.name}.",
            suffix=".part",
            delete=False,
        ) as handle:
            tmp = Path(handle.name)
            handle.writelines(chunks)
        os.replace(tmp, path)
    except OSError as exc:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise GenerateError(f"cannot write {path}: {exc.strerror or exc}") from exc
    except BaseException:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise


def _format_of(path: Path) -> OutputFormat:
    return "json" if path.suffix.lower() == ".json" else "yaml"


def write_district(
    path: Path,
    schools: int,
    *,
    seed: int = 0,
    waves: int = 1,
    missing_rep_rate: float = 0.05,
    gap_rate: float = 0.1,
    index: int = 0,
    identity: DistrictIdentity | None = None,
    fmt: OutputFormat | None = None,
) -> GeneratedDistrict:
    """Generate one district and stream it to a file.

    Parameters
    ----------
    path : Path
        The file to write (replaced if it exists; parent folders are created).
    schools, seed, waves, missing_rep_rate, gap_rate, index, identity
        As for :func:`generate_district`.
    fmt : {"yaml", "json"}, optional
        The encoding; by default JSON for a ``.json`` path, YAML otherwise.

    Returns
    -------
    GeneratedDistrict
        The district id, the path and the rows written per section.

    Raises
    ------
    GenerateError
        If a setting is out of range or the file cannot be written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     done = write_district(pathlib.Path(tmp) / "d.yaml", 4, seed=5)
    ...     lines = (pathlib.Path(tmp) / "d.yaml").read_text().splitlines()
    >>> done.counts["schools"], lines[2]
    (4, 'format: collabgraph/1')
    """
    _check_settings(schools, waves, missing_rep_rate, gap_rate)
    counts: dict[str, int] = {}
    rows = _counted(
        generate_district(
            schools,
            seed=seed,
            waves=waves,
            missing_rep_rate=missing_rep_rate,
            gap_rate=gap_rate,
            index=index,
            identity=identity,
        ),
        counts,
    )
    district: list[str] = []

    def tap(rows: Iterator[Row]) -> Iterator[Row]:
        for row in rows:
            if row[0] == "district":
                district.append(str(row[1]["id"]))
            yield row

    encoding = fmt or _format_of(path)
    if encoding == "json":
        chunks = json_chunks(tap(rows))
    else:
        comment = (
            f"Synthetic district from 'collabgraph generate': {schools} schools, "
            f"{waves} wave{'s' if waves != 1 else ''}, seed {seed}.\n"
            "Every person in this file is invented."
        )
        chunks = yaml_lines(tap(rows), comment=comment)
    _write_text(path, chunks)
    return GeneratedDistrict(district=district[0], path=path, counts=counts)


def write_districts(
    out_dir: Path,
    districts: int,
    schools: int,
    *,
    seed: int = 0,
    waves: int = 1,
    missing_rep_rate: float = 0.05,
    gap_rate: float = 0.1,
    fmt: OutputFormat = "yaml",
) -> Iterator[GeneratedDistrict]:
    """Generate ``districts`` districts into ``out_dir``, one file each, one at a time.

    Files are named ``<district-id>.yaml`` (or ``.json``). Each district is
    written before the next is generated, so memory does not grow with the
    number of districts. This is a generator: nothing is written until it is
    iterated, and it yields after each file, which makes progress reporting easy.

    Parameters
    ----------
    out_dir : Path
        Folder to write into (created if missing).
    districts : int
        How many districts.
    schools : int
        Schools per district.
    seed, waves, missing_rep_rate, gap_rate
        As for :func:`generate_district`.
    fmt : {"yaml", "json"}
        The encoding of every file.

    Yields
    ------
    GeneratedDistrict
        One per district, after its file is complete.

    Raises
    ------
    GenerateError
        If a setting is out of range, ``out_dir`` is a file, or a file cannot be written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     done = list(write_districts(pathlib.Path(tmp), 3, 2, seed=1))
    ...     files = sorted(p.name for p in pathlib.Path(tmp).iterdir())
    >>> len(files), sorted(d.path.name for d in done) == files
    (3, True)
    """
    _check_settings(schools, waves, missing_rep_rate, gap_rate, districts)
    if out_dir.exists() and not out_dir.is_dir():
        raise GenerateError(f"{out_dir} is a file; give a folder for several districts")
    for index, identity in enumerate(district_identities(districts, seed=seed)):
        yield write_district(
            out_dir / f"{identity.id}.{fmt}",
            schools,
            seed=seed,
            waves=waves,
            missing_rep_rate=missing_rep_rate,
            gap_rate=gap_rate,
            index=index,
            identity=identity,
            fmt=fmt,
        )
