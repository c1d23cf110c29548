"""Schemathesis against the app's own OpenAPI document: every operation, all checks, as a
coordinator and as an SME, with a fixed seed (a longer run is documented in the README)."""

import os

import hypothesis
import pytest
import schemathesis
from schemathesis.checks import positive_data_acceptance

from tests.factories import app_config, database_url_for_tests
from webapp import create_app
from webapp.services import accounts

# An app on this process's test database (the session fixture migrates it before any test).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json",
                                        create_app(app_config(database_url_for_tests())))
MAX_EXAMPLES = int(os.environ.get("HYPOTHESIS_MAX", "12"))


@pytest.fixture(params=["coordinator", "sme"])
def caller(request, app, make_user):
    _, secret = accounts.issue_token(make_user(request.param))
    return {"Authorization": f"Bearer {secret}"}


@schema.parametrize()
@hypothesis.settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True,
                     suppress_health_check=list(hypothesis.HealthCheck))
def test_api(case, app, caller):
    # Every check but "schema-valid request accepted": NAICS codes, subdivisions within their
    # country, ISO languages or known cities are reference-data rules that the JSON schema does
    # not spell out, so schema-valid random values are rightly answered 422.
    case.call_and_validate(headers=caller, excluded_checks=[positive_data_acceptance])
