"""The mentor's "paused until" date on the profile page (webapp/ui/profile_forms.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from models import Profile, db
from tests.ui.helpers import field_errors
from tests.ui.test_profiles import post_profile


def test_the_profile_page_sets_and_refuses_the_date(client, signed_in):
    signed_in("mentor")
    ahead = (datetime.now(UTC).date() + timedelta(days=5)).isoformat()
    assert post_profile(client, "mentor", paused_until=ahead).status_code == 302
    assert db.session.scalar(db.select(Profile)).paused_until.isoformat() == ahead
    html = client.get("/profile").get_data(as_text=True)
    assert f'name="paused_until" type="date" value="{ahead}"' in html
    response = post_profile(client, "mentor", paused_until=datetime.now(UTC).date().isoformat(),
                            version=str(db.session.scalar(db.select(Profile)).version))
    assert response.status_code == 422
    assert field_errors(response.get_data(as_text=True), "paused_until") == [
        "Choose a day after today."]
