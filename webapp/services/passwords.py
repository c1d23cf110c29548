"""Password policy: not blank, long enough, not a common password, not the e-mail address.

No composition rules (NIST SP 800-63B). A password of only spaces (any white space) is no
password: refused as a missing one (``required``), as the pages' forms read it; spaces inside
or around a real password are kept as typed. The list of common passwords is zxcvbn's 30,000
most frequent leaked passwords, shipped with the package.
"""

from __future__ import annotations

from functools import cache

from webapp.errors import Problem

MIN_LENGTH = 8
MAX_LENGTH = 200


@cache
def _common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(password: str, email: str = "") -> Problem | None:
    """Return why the password is refused, or None when it is acceptable."""
    if not password.strip():  # as the pages' forms read it: nothing typed
        return Problem("required")
    if len(password) < MIN_LENGTH:
        return Problem("too_short", num=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return Problem("too_long", num=MAX_LENGTH)
    folded = password.casefold()
    if folded in _common_passwords() or folded.replace(" ", "") in _common_passwords():
        return Problem("password_common")
    if email and folded in {email.casefold(), email.casefold().partition("@")[0]}:
        return Problem("password_is_email")
    return None
