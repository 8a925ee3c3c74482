"""A synthetic district of any size, built straight from the models (for load tests)."""

from __future__ import annotations

import random

from collabgraph.model import District, Person, Position, School, Tie, Workbook


def big_workbook(district: str, people: int, ties: int, *, seed: int = 7) -> Workbook:
    """``people`` people, one school per 20 people with a building rep, ``ties`` distinct ties.

    Nodes: 1 district + people/20 schools + people + people/20 positions.
    Relationships: schools (IN_DISTRICT) + people (AT) + 2 per position (AT, HOLDS) + ties.
    """
    rng = random.Random(seed)
    n_schools = max(1, people // 20)
    schools = [School(id=f"s{i}", name=f"School {i}", level="elementary") for i in range(n_schools)]
    persons = [
        Person(id=f"p{i}", name=f"Person {i}", side="labor", school=f"s{i % n_schools}")
        for i in range(people)
    ]
    positions = [
        Position(
            id=f"rep{i}",
            title=f"Building rep {i}",
            side="labor",
            kind="building_rep",
            level="school",
            school=f"s{i}",
            holder=f"p{i}",
        )
        for i in range(n_schools)
    ]
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < ties:
        a, b = rng.randrange(people), rng.randrange(people)
        if a != b:
            pairs.add((a, b))
    tie_rows = [
        Tie(source=f"p{a}", target=f"p{b}", weight=round(rng.uniform(0.1, 1.0), 3))
        for a, b in sorted(pairs)
    ]
    return Workbook(
        district=District(id=district, name=f"District {district}"),
        schools=schools,
        people=persons,
        positions=positions,
        ties=tie_rows,
    )


def big_counts(people: int, ties: int) -> tuple[int, int]:
    """(nodes, relationships) of :func:`big_workbook`."""
    n_schools = max(1, people // 20)
    return 1 + n_schools + people + n_schools, n_schools + people + 2 * n_schools + ties
