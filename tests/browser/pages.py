"""What a person does and sees in the browser tests."""

from __future__ import annotations

from playwright.sync_api import expect

PASSWORD_OF_MAKE_USER = "correct horse battery"  # tests/conftest.py's PASSWORD

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
