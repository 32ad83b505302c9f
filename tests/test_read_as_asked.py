"""Rows read for the people asked about: one statement for many, nobody read twice, and a
person never asked about in bulk still read (alone) when asked."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rekindle.services.plan_network import ReadAsAsked


def test_rows_are_read_once_for_those_asked_and_alone_for_the_others() -> None:
    reads: list[list[int]] = []
    rows = {1: ["a"], 2: ["b", "c"], 4: ["d"]}

    def read(people: list[int]) -> Mapping[int, list[Any]]:
        reads.append(people)
        return {p: rows[p] for p in people if p in rows}

    asked = ReadAsAsked(read)
    asked.ensure([2, 1, 3, 2])
    assert reads == [[1, 2, 3]]
    assert asked.get(2) == ["b", "c"] and asked.get(3) == [] and asked.get(1) == ["a"]
    asked.ensure([1, 2])
    assert reads == [[1, 2, 3]]  # nobody read twice
    assert asked.get(4) == ["d"]  # never asked in bulk: read alone
    assert reads == [[1, 2, 3], [4]]
