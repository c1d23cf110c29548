"""Where the allocation form shows a refusal named by the API's dotted field."""

from __future__ import annotations

import pytest

from webapp.errors import Problem, invalid_fields
from webapp.schemas.cohorts import OptionsSchema
from webapp.ui.cohort_forms import AllocationForm
from webapp.ui.cohorts import show_errors


@pytest.mark.parametrize("option", sorted(OptionsSchema().fields))
def test_a_refused_option_is_shown_next_to_its_field(app, option):
    with app.test_request_context("/cohorts", headers={"Accept-Language": "en"}):
        form = AllocationForm(formdata=None)
        show_errors(form, invalid_fields({f"options.{option}": Problem("invalid_value")}))
        assert form[option].errors and not form.form_errors
