"""Server-rendered pages."""

from webapp.ui.views import bp

__all__ = ["bp"]
