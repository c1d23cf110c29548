"""How a profile is read for a reader: with its owning account in the same statement or not.

Whether a profile may be seen (:func:`webapp.policy.is_listed`) and its record for the engine
ask for the owner's verification. Staff read others' profiles: without the owner in the
profile's statement, it was a statement of its own after it (0.4 ms of a coordinator's match
request, 0.38 of its 1.7 ms profile read). A participant mostly reads its own profile, whose
owner (itself) is loaded already, and the join would cost it 0.1 ms. Used by
:func:`webapp.services.profiles.get_profile` and
:func:`webapp.services.match_cards.profile_with_cards`.
"""

from __future__ import annotations

from sqlalchemy.orm import joinedload

from models import Profile, User
from webapp import policy

WITH_OWNER = joinedload(Profile.user)
"""The loader option that reads a profile's owning account in the profile's own statement."""


def reads_owner_with_profile(reader: User | None) -> bool:
    """Tell whether ``reader``'s reads of a profile load its owner with it (:data:`WITH_OWNER`)."""
    return reader is not None and policy.is_staff(reader)
