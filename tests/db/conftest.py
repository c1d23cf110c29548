"""Fixtures of the database tests."""

from __future__ import annotations

import logging

import pytest


@pytest.fixture(autouse=True)
def keep_loggers():
    """Undo alembic's logging.fileConfig, which disables every logger that exists already."""
    loggers = [logger for logger in logging.Logger.manager.loggerDict.values()
               if isinstance(logger, logging.Logger)]
    disabled = {logger: logger.disabled for logger in loggers}
    yield
    for logger, was_disabled in disabled.items():
        logger.disabled = was_disabled
