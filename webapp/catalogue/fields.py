"""Field problems: code -> English msgid (or singular/plural pair, chosen by ``num``).

Raised as ``Problem(code, **params)`` by services, and by the API schemas' fields and
validators (:mod:`webapp.schemas.validators`), so the code travels from the rule to the reader.
"""

from __future__ import annotations

from collections.abc import Mapping

from webapp.catalogue.text import N_, Msgid, N_plural

FIELD_PROBLEMS: Mapping[str, Msgid] = {
    # shapes and types (marshmallow fields)
    "required": N_("This field is required."),
    "choose_one": N_("Choose at least one."),
    "unknown_field": N_("Unknown field."),
    "invalid_value": N_("This value is not valid."),
    "not_integer": N_("Enter a whole number."),
    "not_number": N_("Enter a number."),
    "number_too_large": N_("This number is too large."),
    "invalid_datetime": N_("Enter a date and time such as 2025-01-31T12:00:00Z."),
    "invalid_date": N_("Enter a date as YYYY-MM-DD."),
    "date_out_of_range": N_("Enter a date from %(min)s to %(max)s."),
    "timezone_required": N_("Give the time zone, e.g. 2025-01-31T12:00:00Z."),
    "unstorable_text": N_(
        "Contains a NUL character or a lone UTF-16 surrogate, which is not allowed."),
    # sizes and ranges (validators)
    "too_long": N_plural("Use at most %(num)d character.", "Use at most %(num)d characters."),
    "too_short": N_("Use at least %(num)s characters."),
    "length_between": N_("Use between %(min)s and %(max)s characters."),
    "too_many_items": N_plural("Choose at most %(num)d item.", "Choose at most %(num)d items."),
    "too_few_items": N_plural("Choose at least %(num)d item.", "Choose at least %(num)d items."),
    "exact_items": N_plural("Give exactly %(num)d item.", "Give exactly %(num)d items."),
    "exact_length": N_plural("Use exactly %(num)d character.", "Use exactly %(num)d characters."),
    "out_of_range": N_("Enter a number from %(min)s to %(max)s."),
    "too_small_number": N_("Enter a number of at least %(min)s."),
    "too_big_number": N_("Enter a number of at most %(max)s."),
    "not_one_of": N_("Choose one of the options."),
    "invalid_email": N_("Enter a valid e-mail address."),
    "invalid_phone": N_("Use digits, spaces and + ( ) . - only."),
    "time_in_past": N_("Choose a time in the future."),
    "times_repeated": N_("Give each time once."),
    "time_skipped": N_("This time does not exist in your time zone: the clocks skip it that "
                       "night. Choose another time."),
    "not_a_proposed_time": N_("Choose one of the proposed times."),
    "not_before": N_("Must not be before %(other)s."),
    # reference data
    "unknown_naics": N_("Unknown NAICS 2022 code: %(codes)s."),
    "unknown_language": N_("Unknown language code: %(codes)s."),
    "unknown_country": N_("Unknown country code: %(codes)s."),
    "unknown_need": N_("Unknown need: %(codes)s."),
    "unknown_code": N_("Unknown code: %(codes)s."),
    "unknown_subdivision": N_("Unknown subdivision: %(codes)s."),
    "not_a_subdivision": N_("Choose a state, province or territory of the selected country."),
    "coordinates_together": N_("Give latitude and longitude together."),
    "unknown_city": N_("No town or city called “%(city)s” is known in %(place)s: check the "
                       "spelling, or choose the nearest larger town."),
    # accounts
    "password_common": N_("This password is among the most common ones; choose another."),
    "password_is_email": N_("Do not use your e-mail address as your password."),
    "wrong_current_password": N_("The current password is wrong."),
    "wrong_password": N_("The password is wrong."),
    "link_invalid": N_("This link is not valid; ask for a new one."),
    "link_expired": N_("This link has expired; ask for a new one."),
    "link_used": N_("This link was used already or is no longer valid; ask for a new one."),
    "same_password": N_("Choose a password different from the current one."),
    "email_taken": N_("Already registered."),
    "unknown_role": N_("Unknown role."),
    "unknown_locale": N_("Use en, es or fr."),
    # requests
    "unsupported_media_type": N_("Unsupported media type: %(mimetype)s."),
    "invalid_json": N_("Not valid JSON."),
    "repeated_parameter": N_("Give this parameter once."),  # read once, given more than once
    "give_a_field": N_("Give at least one field to change."),
    "ids_or_filter": N_("Give either ids or filter."),
    "remove_or_add": N_("Give pairs to remove or to add."),
    # profiles and introductions
    "contact_owner_only": N_("Only the profile's owner sets this contact detail."),
    "capacity_below_load": N_("Cannot be lower than the number of introductions accepted and "
                              "not yet completed."),
    "no_such_profile": N_("No profile with id %(id)s."),
    "no_such_profiles": N_("No %(kind)s profile with id %(ids)s."),
    "requester_required": N_("Required: your account has no profile of its own."),
    "pairing_not_offered": N_("A profile of kind %(kind)s can ask for an introduction to: "
                              "%(allowed)s; this profile is of kind %(target_kind)s."),
    "pairing_unsupported": N_("A profile of kind %(kind)s is matched with: %(allowed)s."),
    "excluded_by_program_rules": N_("The program's matching rules exclude this pairing: "
                                    "%(rules)s."),
    # program rules
    "unknown_factor": N_("Unknown factor; use one of: %(choices)s."),
    # cohorts (a pair is worded from its sme and mentor parameters)
    "no_such_proposal": N_("No cohort proposal with id %(id)s."),
    "pin_open": N_("%(pair)s has an open introduction already."),
    "pin_declined": N_("%(pair)s was declined before."),
    "pin_hidden": N_("%(pair)s: one of them hid the other from their matches."),
    "pin_excluded": N_("%(pair)s is both pinned and excluded."),
    "pin_not_eligible": N_("%(pair)s is not eligible (inactive or full mentor, no shared "
                           "language, or below the minimum score)."),
    "sme_too_many_pins": N_("SME %(sme)s has more pinned mentors than mentors per SME "
                            "(%(num)s)."),
    "mentor_too_many_pins": N_("Mentor %(mentor)s has more pinned SMEs than its capacity left "
                               "(%(num)s)."),
    "pair_outside_cohort": N_("%(pair)s names an SME or mentor outside the cohort."),
    "pair_not_in_proposal": N_("%(pair)s is not in the proposal."),
    "pair_not_in_cohort": N_("The SME and the mentor must both belong to the cohort."),
    "pair_in_proposal": N_("This pair is in the proposal already."),
    "pair_excluded": N_("This pair is excluded by the options."),
    "pair_open": N_("These two have an open introduction already."),
    "pair_declined": N_("This pair was declined before."),
    "pair_hidden": N_("One of these two hid the other from their matches."),
    "sme_has_mentors": N_("This SME has %(num)s mentor(s) already."),
    "pair_not_eligible": N_("This pair is not eligible (inactive or paused, no shared "
                            "language, or below the minimum score)."),
    "mentor_no_capacity": N_("This mentor has no capacity left for another SME."),
    # outcome steps
    "stage_not_in_ladder": N_("Not a step of the ladder “%(ladder)s”; choose one of: "
                              "%(stages)s."),
    "not_for_stage": N_("The step “%(stage)s” does not take this field."),
    "required_for_stage": N_("The step “%(stage)s” requires this field."),
    "date_in_future": N_("The date cannot be in the future."),
    "date_not_ahead": N_("Choose a day after today."),
    "date_before_introduction": N_("The date cannot be before the introduction (%(date)s)."),
    "date_before_earlier_step": N_("The date cannot be before the step “%(stage)s” "
                                   "(%(date)s), which comes earlier in the ladder."),
    "not_decimal_string": N_("Enter the amount as a decimal string, such as "
                             "\"%(example)s\"."),
    "amount_not_positive": N_("The amount must be more than zero."),
    "amount_too_large": N_("The amount must be less than %(max)s."),
    "too_many_decimals": N_("Use at most %(num)s decimal places."),
    "unknown_currency": N_("%(code)s is not an ISO 4217 currency code."),
    "rate_of_the_base_currency": N_("%(code)s needs no rate: the report counts in US dollars "
                                    "(one US dollar is always 1 %(code)s)."),
}
# Which problems are about the SME of a pair (the others, about its mentor): pages put each
# next to the right field.
SME_PROBLEMS = frozenset({"pair_not_in_cohort", "sme_has_mentors", "sme_too_many_pins"})
