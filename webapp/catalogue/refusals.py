"""Whole-request refusals: code -> English msgid with ``%(name)s`` placeholders.

A service (or the web layer, for HTTP-level errors) raises ``PuenteError(code, **params)``;
the message is made from here in the reader's language. Field problems are in
:mod:`webapp.catalogue.fields`.
"""

from __future__ import annotations

from collections.abc import Mapping

from webapp.catalogue.text import N_

REFUSALS: Mapping[str, str] = {
    # HTTP-level answers (routing, body, authentication, the server)
    "bad_request": N_("The request is not valid."),
    "unauthorized": N_("Sign in or send an API token (Authorization: Bearer …)."),
    "forbidden": N_("You are not allowed to do this."),
    "not_found": N_("Nothing was found at this address."),
    "method_not_allowed": N_("This method is not allowed at this address."),
    "payload_too_large": N_("The request body is too large."),
    "unsupported_media_type": N_(
        "The request body must be JSON, sent as Content-Type: application/json."),
    "invalid_json": N_("The request body is not valid JSON."),
    "too_many_requests": N_("Too many requests; try again later."),
    "csrf_failed": N_("The CSRF token is missing or no longer valid; reload the page and try "
                      "again."),
    "internal_error": N_("Something went wrong on our side; it has been logged."),
    "service_unavailable": N_("The service is unavailable for a moment; try again shortly."),
    "invalid_fields": N_("The request has invalid fields: %(names)s."),
    "deleted_meanwhile": N_("What this request was about was deleted meanwhile."),
    "changed_meanwhile": N_(
        "The record changed meanwhile (or was deleted); reload it and try again."),
    "concurrent_change": N_("The request conflicts with a concurrent change."),
    "stale_version": N_("This %(what)s changed since you read it (its version is now "
                        "%(version)s); read it again and retry."),
    "unstorable_text": N_("Text cannot contain NUL characters or lone surrogates."),
    # accounts
    "wrong_credentials": N_("Wrong e-mail address or password."),
    "email_taken": N_("An account with this e-mail address exists already."),
    "password_refused": N_("The password is refused."),
    "password_not_changed": N_("The password was not changed."),
    "account_not_deleted": N_("The account was not deleted."),
    "email_not_verified": N_(
        "Confirm your e-mail address first: open the link we sent you (or ask for a new one "
        "on your account page)."),
    "user_not_found": N_("There is no account with id %(id)s."),
    "own_account": N_("You cannot deactivate your own account."),
    "last_admin": N_(
        "You are the only administrator: invite another administrator before deleting your "
        "account."),
    "token_not_found": N_("You have no API token with id %(id)s."),
    # who may do what
    "staff_only_exports": N_("Only coordinators and admins export program data."),
    "staff_only_metrics": N_("Only coordinators and admins see program metrics."),
    "staff_only_cohorts": N_("Only coordinators and admins run cohort allocations."),
    "staff_only_models": N_("Only coordinators and admins manage the model."),
    "staff_only_reviews": N_("Only coordinators and admins review introductions."),
    "admin_only_audit": N_("Only admins read the audit log."),
    "admin_only_users": N_("Only admins manage accounts."),
    "staff_only_rules": N_("Only coordinators and admins see and change the program rules."),
    "matches_forbidden": N_("Only the profile's owner or program staff can see its matches."),
    "match_marks_forbidden": N_("Only the profile's owner can save or hide its matches."),
    "plain_ranking_forbidden": N_("Only program staff can see the plain ranking."),
    "profile_edit_forbidden": N_(
        "Only the owner of this profile or program staff can change it."),
    "contacts_owner_only": N_("Only the profile's owner sets its contact details: %(names)s."),
    "profile_kind_forbidden": N_(
        "An account of role %(role)s cannot create a profile of kind %(kind)s."),
    "request_for_own_profile_only": N_(
        "You can request introductions only for your own profile."),
    "transition_forbidden": N_("Only the %(sides)s of this introduction can %(action)s it."),
    "feedback_parties_only": N_("Only the two parties can leave feedback; staff write reviews."),
    # profiles
    "profile_not_found": N_("No %(kind)s profile with id %(id)s."),
    "match_not_found": N_("No profile with id %(id)s among the ones this profile is matched "
                          "with."),
    "profile_exists": N_("This account has a profile already; edit it instead."),
    "profile_retired": N_("This profile was deleted: it is kept, anonymised, only as the other "
                          "party of past introductions, and cannot be changed."),
    "capacity_below_load": N_("The capacity cannot be lower than the introductions accepted "
                              "and not yet completed."),
    "subdivisions_not_kept": N_(
        "Subdivisions are kept for US, MX and CA only, not %(country)s."),
    # introductions
    "introduction_not_found": N_("No introduction with id %(id)s."),
    "notice_not_found": N_("No notification with id %(id)s."),
    "introduction_wrong_state": N_("Introduction %(id)s is %(state)s; this can be done only "
                                   "to an introduction that is %(allowed_states)s."),
    "introduction_changed": N_("Introduction %(id)s changed meanwhile; try again."),
    "requester_inactive": N_("The requesting profile is inactive; activate it first."),
    "target_unavailable": N_("Profile %(id)s is not taking new introductions at the moment."),
    "party_unverified": N_("Profile %(id)s cannot take part in introductions until its owner "
                           "has verified their e-mail address."),
    "mentor_full": N_("Mentor profile %(id)s has no capacity left for new introductions."),
    "mentor_full_to_accept": N_("Mentor profile %(id)s has no capacity left; it must complete "
                                "an introduction before accepting another."),
    "introduction_open": N_("These two profiles have an open introduction already (id %(id)s)."),
    "introduction_open_now": N_("These two profiles have an open introduction already."),
    "mentor_no_capacity": N_("The mentor has no capacity left."),
    "too_many_open_requests": N_("Profile %(id)s has %(pending)s unanswered requests, the most "
                                 "allowed (%(limit)s); withdraw one or wait for answers."),
    "introduction_request_budget": N_("Too many introduction requests; try again later."),
    "feedback_not_yet": N_(
        "Introduction %(id)s is %(state)s; feedback is possible once it is accepted."),
    "feedback_given": N_("You have left feedback on this introduction already."),
    "review_given": N_("You have reviewed this introduction already."),
    # messages and meeting proposals
    "conversation_parties_only": N_(
        "Only the two parties of an introduction read and write its messages and meetings."),
    "conversation_not_open": N_(
        "Introduction %(id)s is %(state)s; messages are possible once it is accepted."),
    "meeting_needs_accepted": N_(
        "Introduction %(id)s is %(state)s; meetings are arranged while it is accepted."),
    "meeting_not_found": N_("There is no meeting proposal with id %(id)s here."),
    "own_meeting_proposal": N_("You proposed these times: the other party picks one."),
    "meeting_picked": N_("A time of meeting proposal %(id)s was picked already."),
    "meeting_not_picked": N_("No time of meeting proposal %(id)s was picked yet."),
    "message_budget": N_("Too many messages; try again later."),
    "meeting_budget": N_("Too many meeting proposals; try again later."),
    # model versions
    "model_version_not_found": N_("No model version %(version)s."),
    "model_version_unloadable": N_(
        "Model version %(version)s cannot be loaded; train a new one."),
    "scenarios_unreadable": N_("The scenario file cannot be read, or is not a scenario file."),
    "scenario_invalid": N_("Scenario %(scenario)s cannot be evaluated: its candidates must be "
                           "of one kind and its ordered pairs must name them."),
    "no_scenarios": N_("The scenario file holds no scenarios."),
    "snapshots_off": N_("Snapshots are switched off: PUENTE_SNAPSHOT_DIR is empty."),
    "snapshot_unbuildable": N_("The matching indexes cannot be built from the current profiles."),
    # background jobs
    "job_not_found": N_("No such job, or it is not yours to follow."),
    "job_failed": N_("The job failed after several attempts; it has been logged."),
    "job_not_finished": N_("Job %(id)s has not finished yet; download its file once it has."),
    "job_file_not_found": N_("Job %(id)s made no file to download."),
    "job_file_deleted": N_("The file of job %(id)s was deleted: files are kept %(days)s days. "
                           "Prepare the export again."),
    # program rules
    "rules_changed": N_("The program rules changed since you read them (their version is now "
                        "%(version)s); read them again and retry."),
    # cohorts
    "proposal_not_found": N_("No cohort proposal with id %(id)s."),
    "proposal_not_draft": N_("Cohort proposal %(id)s is %(status)s; only drafts can be edited."),
    "proposal_confirmed": N_("Cohort proposal %(id)s is confirmed already."),
    "cohort_not_allocated": N_("The cohort cannot be allocated."),
    "pins_not_kept": N_("The pinned pairs cannot all be kept."),
    "pair_not_added": N_("A pair cannot be added."),
    # a refused pair of a cohort confirmed before refusals were stored as codes (their English
    # text was dropped by migration a9e4c7b2d1f0)
    "pair_not_confirmed": N_("This pair's introduction was not made."),
    # outcomes
    "outcome_not_found": N_("No outcome step with id %(id)s on this introduction."),
    "outcome_parties_only": N_("Only the two parties of an introduction report its steps; "
                               "program staff may only confirm or dispute them."),
    "outcome_own_step": N_("You reported this step: the other party confirms or disputes "
                           "it."),
    "outcome_already_answered": N_("Outcome step %(id)s is %(status)s already."),
    "outcome_needs_acceptance": N_("Introduction %(id)s is %(state)s; steps are recorded "
                                   "only once it is accepted."),
    "ladder_ended": N_("The ladder of introduction %(id)s has ended; no step follows."),
    "step_already_reported": N_("The step “%(stage)s” is reported already."),
    "repeat_before_order": N_("A repeat order needs a first order."),
    "step_out_of_order": N_("The step “%(stage)s” comes before “%(reached)s”, which is "
                            "reported already."),
    "staff_only_impact": N_("Only coordinators and admins see the impact report."),
    "admin_only_rates": N_("Only admins maintain the US dollar rates."),
    "no_usd_rate": N_("No US dollar rate for %(currency)s in %(year)s: those amounts are "
                      "reported unconverted."),
}
