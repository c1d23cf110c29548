"""Unbound extension objects; ``create_app`` binds them with ``init_app``."""

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect

from models import db
from webapp.api.base import PuenteApi

migrate = Migrate(render_as_batch=True)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
api = PuenteApi()

__all__ = ["api", "babel", "csrf", "db", "login_manager", "migrate"]
