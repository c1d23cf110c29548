"""Validators that refuse with a code and parameters (:class:`webapp.errors.Problem`).

marshmallow's own validators refuse with English sentences; these raise the catalogue's field
problem codes instead, so the API and the pages render the rule in the reader's language
without ever reading its text.
"""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, validate

from webapp.errors import Problem


def refuse(code: str, **params: Any) -> ValidationError:
    """Return the ValidationError of one coded problem."""
    return ValidationError([Problem(code, **params)])


class Length(validate.Length):
    """A length bound: characters of a string, or items of a list."""

    def __call__(self, value):
        size, is_list = len(value), isinstance(value, list | tuple)
        if self.equal is not None and size != self.equal:
            raise refuse("exact_items" if is_list else "exact_length", num=self.equal)
        if self.min is not None and size < self.min:
            if self.min == 1:
                raise refuse("choose_one" if is_list else "required")
            raise refuse("too_few_items" if is_list else "too_short", num=self.min)
        if self.max is not None and size > self.max:
            raise refuse("too_many_items" if is_list else "too_long", num=self.max)
        return value


class Range(validate.Range):
    """A numeric bound, inclusive."""

    def __call__(self, value):
        low = self.min is not None and (value < self.min if self.min_inclusive
                                        else value <= self.min)
        high = self.max is not None and (value > self.max if self.max_inclusive
                                         else value >= self.max)
        if not (low or high):
            return value
        if self.min is not None and self.max is not None:
            raise refuse("out_of_range", min=self.min, max=self.max)
        if low:
            raise refuse("too_small_number", min=self.min)
        raise refuse("too_big_number", max=self.max)


class OneOf(validate.OneOf):
    """A value from a fixed list of choices."""

    def __call__(self, value):
        if value not in self.choices:
            raise refuse("not_one_of", choices=[str(c) for c in self.choices])
        return value


class Regexp(validate.Regexp):
    """A string matching a pattern; refused with the given problem code."""

    def __init__(self, regex: str, code: str, **kwargs):
        super().__init__(regex, **kwargs)
        self.code = code

    def __call__(self, value):
        if self.regex.match(value) is None:
            raise refuse(self.code)
        return value


class Email(validate.Email):
    """An e-mail address."""

    def __call__(self, value):
        try:
            return super().__call__(value)
        except ValidationError as err:
            raise refuse("invalid_email") from err
