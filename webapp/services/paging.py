"""One page of a listing, as the list use cases return it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Page:
    """The rows of one page, its number and size, and how many rows match in all."""

    items: list[Any]
    page: int
    per_page: int
    total: int
