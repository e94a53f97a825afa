"""A value made only when the output reaches it, and dropped once written: a large report's proofs (10,000 on
one person's 5,000 findings) are then never all in memory at once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Deferred:
    """A value made by `make()` when it is written."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[], Any]):
        self.make = make


def made(value: Any) -> Any:
    """The value itself, a Deferred one made now."""
    return value.make() if isinstance(value, Deferred) else value
