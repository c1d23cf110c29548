"""What a person does and sees in the browser tests."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from playwright.sync_api import expect

PASSWORD_OF_MAKE_USER = "correct horse battery"  # tests/conftest.py's PASSWORD

# axe-core as package-lock.json pins it; `make install` puts it there with `npm ci`.
AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Run axe on the whole document with the WCAG 2.0/2.1 A and AA rules only; keep for each violation
# what a failure message needs: the rule, its impact, and the elements (CSS selectors) at fault.
AXE_RUN_JS = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map((node) => node.target.join(" ")) }));
}"""

# The texts a person reads: text nodes, and the placeholders and labels of controls.
VISIBLE_TEXTS_JS = """() => {
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) =>
      node.parentElement.closest('script, style, datalist, option:not(:checked)')
        ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT });
  while (walker.nextNode()) {
    const text = walker.currentNode.textContent.trim();
    if (text) texts.push(text);
  }
  for (const el of document.querySelectorAll('[placeholder], [aria-label], [title]')) {
    for (const name of ['placeholder', 'aria-label', 'title']) {
      if (el.getAttribute(name)) texts.push(el.getAttribute(name));
    }
  }
  return texts;
}"""


def sign_up(page, role: str, email: str, password: str = "a long password") -> None:
    """Create an account through the sign-up page (in the page's language), then log in
    with it on the page the sign-up leads to: the profile editor opens."""
    page.goto("/signup")
    page.locator(f"input[name=role][value={role}]").check()
    page.fill("#email", email)
    page.fill("#password", password)
    page.locator("form.card button[type=submit]").click()
    page.wait_for_url(lambda url: "/login?next=" in url)
    expect(page.locator(".flash")).to_be_visible()  # "we have sent a message to the address"
    page.fill("#email", email)
    page.fill("#password", password)
    page.locator("form.card button[type=submit]").click()
    page.wait_for_url("**/profile")


def log_in(page, email: str, password: str = PASSWORD_OF_MAKE_USER) -> None:
    """Sign in through the login page."""
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.locator("form.card button[type=submit]").click()
    page.wait_for_load_state("load")


def visible_texts(page) -> list[str]:
    """Return the texts the page shows a person."""
    return page.evaluate(VISIBLE_TEXTS_JS)


def horizontal_overflow(page) -> int:
    """Return how many pixels the page is wider than the viewport."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@cache
def axe_source() -> str:
    """Return axe-core's minified source, read once per test session."""
    if not AXE_SCRIPT.exists():
        raise FileNotFoundError(f"{AXE_SCRIPT} is missing: run `make install` (npm ci)")
    return AXE_SCRIPT.read_text(encoding="utf-8")


def axe_violations(page) -> list[str]:
    """Return axe-core's WCAG 2.1 A/AA violations of the page, one line each: rule, impact,
    what it asks and the elements at fault (an empty list means the page passes)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated, not added as a <script> tag: the app's Content-Security-Policy
        # (script-src 'self') rightly blocks an inline script, and the check must see the page
        # under its real headers rather than in a context that bypasses them.
        page.evaluate(axe_source())
    return [f"{v['id']} ({v['impact']}: {v['help']}) at {v['targets']}"
            for v in page.evaluate(AXE_RUN_JS, WCAG_21_AA)]
