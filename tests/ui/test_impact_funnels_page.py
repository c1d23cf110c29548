"""The impact page and its CSV show each ladder's funnel with its own conversions."""

from __future__ import annotations

import csv
import io

from tests.api.test_impact_funnels import ladders  # noqa: F401 - a fixture
from tests.ui.test_impact_page import EN, page, table


def test_the_page_shows_the_trade_and_the_mentorship_funnels(client, signed_in, ladders):  # noqa: F811
    signed_in("coordinator")
    html = page(client)
    # step, introductions, conversion from the step before, median days from acceptance
    assert table(html, "funnel")[:3] == [
        ["Introduced", "1", "–", "–"], ["Accepted", "1", "100%", "–"],
        ["Met", "1", "100%", "0"]]
    assert table(html, "funnel-mentorship") == [
        ["Introduced", "3", "–", "–"], ["Accepted", "2", "67%", "–"],
        ["Mentoring session", "2", "100%", "0"], ["Goal achieved", "1", "50%", "0"]]


def test_the_csv_gives_each_funnel_its_section(client, signed_in, ladders):  # noqa: F811
    signed_in("coordinator")
    response = client.get("/impact.csv", headers=EN)
    cells = {tuple(r[:3]): r[3] for r in csv.reader(io.StringIO(
        response.get_data(as_text=True)))}
    assert cells["funnel", "introduced", "count"] == "1"
    assert cells["funnel", "met", "conversion"] == "1.0"
    assert cells["mentorship_funnel", "introduced", "count"] == "3"
    assert cells["mentorship_funnel", "accepted", "conversion"] == "0.6667"
    assert cells["mentorship_funnel", "goal_achieved", "conversion"] == "0.5"
