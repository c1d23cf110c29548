"""Small wording fixes: the 405 page explains itself (no empty paragraph); a chart's tooltips
join a label and its value as the reader's language does (French puts a space before ":")."""

from __future__ import annotations

import re

import pytest

from webapp.ui.charts import Series, horizontal_bar_chart, stacked_bar_chart


@pytest.mark.parametrize("lang", ["en", "es", "fr"])
def test_the_405_page_has_no_empty_paragraph(client, lang):
    response = client.put("/login", headers={"Accept-Language": lang})
    assert response.status_code == 405 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    page = html.split('<section class="error-page">')[1].split("</section>")[0]
    assert not re.search(r"<p>\s*</p>", page)
    assert len(re.findall(r"<p>[^<]{20,}</p>", page)) == 1  # the explanation


def tooltips(svg) -> list[str]:
    return re.findall(r"<rect[^>]*><title>([^<]*)</title>", str(svg))


@pytest.mark.parametrize(("lang", "tip"), [("en", "W1 · Accepted: 21"),
                                           ("es", "W1 · Accepted: 21"),
                                           ("fr", "W1 · Accepted : 21")])
def test_a_tooltip_joins_label_and_value_as_the_language_does(app, lang, tip):
    """Needs the es/fr catalogues to hold the new msgid of the tooltip."""
    series = [Series("Accepted", "s-accepted", [21])]
    with app.test_request_context(f"/?lang={lang}"):
        stacked = stacked_bar_chart(["W1"], series, title="t", x_label="x", y_label="y",
                                    empty="e", fmt=str)
        horizontal = horizontal_bar_chart(["W1"], series, title="t", x_label="x", empty="e",
                                          fmt=str)
    assert tooltips(stacked) == tooltips(horizontal) == [tip]
