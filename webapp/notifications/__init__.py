"""E-mail templates of the introduction workflow in English, Spanish and French."""

from webapp.notifications.messages import REASON_LABELS, TEMPLATES, render

__all__ = ["REASON_LABELS", "TEMPLATES", "render"]
