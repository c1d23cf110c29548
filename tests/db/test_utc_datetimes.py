"""Timestamps keep their instant whatever offset they were given: stored in UTC, read aware."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from models import BackgroundJob, db


def test_a_time_given_with_another_offset_is_the_same_instant_read_back(app):
    monterrey = timezone(timedelta(hours=-6))
    started = datetime(2031, 1, 1, 0, 0, tzinfo=monterrey)  # 06:00 UTC
    db.session.add(BackgroundJob(id="c" * 32, kind="export", params={}, started_at=started))
    db.session.commit()
    db.session.expire_all()
    read = db.session.get(BackgroundJob, "c" * 32).started_at
    assert read == started and read == datetime(2031, 1, 1, 6, 0, tzinfo=UTC)
    assert read.utcoffset() == timedelta(0)
