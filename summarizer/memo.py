"""A word-level memo that hot loops can read at C speed."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Memo(dict[K, V]):
    """compute(key), remembered: memo[key] computes a missing value once and keeps it. Being a
    dict, a loop over words can read it as map(memo.__getitem__, words), with no Python-level
    «get, and compute if missing» per word. News vocabulary repeats, so nearly every read hits;
    past `limit` entries it starts over rather than grow without bound."""

    def __init__(self, compute: Callable[[K], V], limit: int) -> None:
        super().__init__()
        self.compute = compute
        self.limit = limit

    def __missing__(self, key: K) -> V:
        if len(self) >= self.limit:
            self.clear()
        value = self[key] = self.compute(key)
        return value
