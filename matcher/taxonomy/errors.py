"""The exception raised for codes that are not in the reference data."""

from ..errors import MatcherError

__all__ = ["UnknownCodeError"]


class UnknownCodeError(MatcherError, ValueError):
    """A code (NAICS, need, locale, ...) is not part of the reference data."""
