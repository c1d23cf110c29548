"""The exceptions of the matching engine; the web layer maps them to HTTP statuses."""

__all__ = [
    "BundleError",
    "BundleVersionWarning",
    "IncompatibleBundleError",
    "InvalidQueryError",
    "InvalidRecordError",
    "MatcherError",
    "ScenarioError",
    "TrainingError",
    "UnsupportedPairingError",
]


class MatcherError(Exception):
    """Base class of every error raised by :mod:`matcher`.

    Besides its message (English, for developers), an error carries a ``code`` naming the
    problem and attributes saying what it is about (``option``, ``value``, ``sme_id``,
    ``mentor_id``, ``num``…), so that an application maps it to its own words without reading
    the message.
    """

    default_code = "matcher_error"

    def __init__(self, message: str = "", *, code: str | None = None, **attributes):
        super().__init__(message)
        self.code = code or self.default_code
        self.attributes = attributes
        for name, value in attributes.items():
            setattr(self, name, value)


class InvalidRecordError(MatcherError, ValueError):
    """A profile record is malformed (unknown kind, missing id or country, ...)."""


class InvalidQueryError(MatcherError, ValueError):
    """A ranking request has a bad parameter (``k``, ``cross_border``, ``country``, ...)."""


class UnsupportedPairingError(InvalidQueryError):
    """No pairing is defined between the query's kind and the candidates' kind."""


class BundleError(MatcherError):
    """A model bundle cannot be read, written or used."""


class IncompatibleBundleError(BundleError):
    """A model bundle was written by incompatible library or bundle-format versions."""


class TrainingError(MatcherError, ValueError):
    """Scorer weights cannot be learned from the given pairs and outcomes."""


class ScenarioError(MatcherError, ValueError):
    """An evaluation scenario file is malformed."""


class BundleVersionWarning(UserWarning):
    """A model bundle was written by other (but compatible) library versions."""
