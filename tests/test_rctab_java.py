"""The Java behaviours RCTab's results depend on, against values printed by a JDK 17.

The expected values were printed by ``java.util.Random``, ``Collections.shuffle``,
``HashSet`` and ``String.hashCode`` of OpenJDK 17 (a throwaway ``R.java``):
``new Random(42).nextInt()`` etc.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

import pytest

from voting.rctab._java import (
    JavaRandom,
    divide,
    hash_order,
    java_key,
    percent,
    set_scale,
    string_hash,
    to_string,
)


def test_next_int_and_next_double_match_java() -> None:
    r = JavaRandom(42)
    assert r.next_int() == -1170105035
    assert r.next_int() == 234785527
    assert r.next_double() == 0.6832234717598454
    assert r.next_int(10) == 0
    assert r.next_int(7) == 4
    assert r.next_int(1 << 20) == 290537  # the power-of-two branch
    z = JavaRandom(0)
    assert (z.next_double(), z.next_double()) == (0.730967787376657, 0.24053641567148587)


def test_extreme_seed_matches_java() -> None:
    r = JavaRandom(-140737488355328)  # RCTab's smallest allowed seed
    assert r.next_double() == 0.23096777992607642
    assert r.next_int(3) == 2


def test_shuffle_matches_collections_shuffle() -> None:
    items = list("ABCDEFG")
    JavaRandom(12345).shuffle(items)
    assert items == ["C", "A", "G", "D", "B", "E", "F"]


def test_hash_set_iteration_order_matches_java() -> None:
    names = [
        "Candidate A Name",
        "Candidate B Name",
        "Undeclared Write-ins",
        "BETSY HODGES",
        "MARK ANDREW",
        "zeta",
        "été",
    ]
    assert hash_order(names) == [
        "MARK ANDREW",
        "zeta",
        "BETSY HODGES",
        "Candidate A Name",
        "Undeclared Write-ins",
        "Candidate B Name",
        "été",
    ]
    assert string_hash("BETSY HODGES") == -1860167775


def test_hash_order_grows_the_table_like_java() -> None:
    # 13 keys force one resize (16 -> 32 buckets): order by bucket, then insertion
    keys = [f"k{i}" for i in range(13)]
    order = hash_order(keys)
    buckets = [
        ((string_hash(k) & 0xFFFFFFFF) ^ ((string_hash(k) & 0xFFFFFFFF) >> 16)) & 31 for k in order
    ]
    assert buckets == sorted(buckets)
    assert sorted(order) == sorted(keys)


def test_string_order_is_utf16() -> None:
    # U+FF21 (fullwidth A) sorts before U+1F600 in Java (a surrogate pair starts 0xD83D)
    assert sorted(["\U0001f600", "\uff21"], key=java_key) == ["\U0001f600", "\uff21"]
    assert sorted(["\U0001f600", "\uff21"]) == ["\uff21", "\U0001f600"]


@pytest.mark.parametrize(
    ("a", "b", "scale", "mode", "expected"),
    [
        ("29", "4", 4, "down", "7.2500"),
        ("2", "3", 4, "down", "0.6666"),
        ("2", "3", 4, "up", "0.6667"),
        ("15", "100", 2, "half_up", "0.15"),
        ("1", "8", 2, "half_up", "0.13"),
        ("0", "7", 3, "down", "0.000"),
    ],
)
def test_divide_is_bigdecimal_divide(
    a: str, b: str, scale: int, mode: Literal["down", "up", "half_up"], expected: str
) -> None:
    assert to_string(divide(Decimal(a), Decimal(b), scale, mode)) == expected


def test_set_scale_and_to_string() -> None:
    assert to_string(set_scale(Decimal("0.74994"), 4)) == "0.7499"
    assert to_string(set_scale(Decimal(0), 4)) == "0.0000"
    assert to_string(Decimal("5") + Decimal("0.0000")) == "5.0000"
    assert to_string(Decimal("0E-10")) == "0E-10"  # BigDecimal's exponent form
    assert to_string(-Decimal("0.00")) == "0.00"  # no negative zero in Java


def test_percent_is_rctab_percentage_cell() -> None:
    assert percent(7, 29) == "24.13%"
    assert percent(Decimal("7.2501"), Decimal("29.0000")) == "25.0%"
    assert percent(0, 10) == "0.0%"
