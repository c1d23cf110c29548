"""Password policy: long enough, not a common password, not the e-mail address.

No composition rules (NIST SP 800-63B). The list of common passwords is zxcvbn's 30,000 most
frequent leaked passwords, shipped with the package.
"""

from __future__ import annotations

from functools import cache

MIN_LENGTH = 8
MAX_LENGTH = 200


@cache
def _common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(password: str, email: str = "") -> str | None:
    """Return why the password is refused, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    folded = password.casefold()
    if folded in _common_passwords() or folded.replace(" ", "") in _common_passwords():
        return "This password is among the most common ones; choose another."
    if email and folded in {email.casefold(), email.casefold().partition("@")[0]}:
        return "Do not use your e-mail address as your password."
    return None
