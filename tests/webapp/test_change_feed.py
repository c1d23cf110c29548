"""Following the profile change log, including transactions that commit out of order."""

from models import ProfileChange, SmeProfile, db
from tests.factories import payload
from webapp.services.change_feed import GAP_PATIENCE_S, ChangeCursor, latest_seq, read_changes


def test_cursor_remembers_gaps_until_they_are_filled():
    cursor = ChangeCursor()
    cursor.advance([1, 2, 5], now=0.0)
    assert cursor.last_seq == 5 and set(cursor.gaps) == {3, 4}
    cursor.advance([4], now=1.0)
    assert set(cursor.gaps) == {3}


def test_cursor_forgets_gaps_after_its_patience():
    cursor = ChangeCursor()
    cursor.advance([1, 3], now=0.0)
    cursor.advance([], now=GAP_PATIENCE_S + 1)
    assert cursor.gaps == {}


def test_profile_writes_are_logged_and_read_once(app):
    profile = SmeProfile(**{k: v for k, v in payload("sme").items()},
                         latitude=31.7, longitude=-106.4)
    db.session.add(profile)
    db.session.commit()
    cursor = ChangeCursor()
    assert read_changes(cursor) == {profile.id}
    assert read_changes(cursor) == set()
    profile.name = "Renamed"
    db.session.commit()
    assert read_changes(cursor) == {profile.id}
    db.session.delete(profile)
    db.session.commit()
    assert read_changes(cursor) == {profile.id}
    assert cursor.last_seq == latest_seq()


def test_a_late_commit_below_the_high_water_mark_is_still_read(app):
    db.session.add_all([ProfileChange(seq=1, profile_id=10, kind="sme"),
                        ProfileChange(seq=3, profile_id=30, kind="sme")])
    db.session.commit()
    cursor = ChangeCursor()
    assert read_changes(cursor, now=0.0) == {10, 30}
    db.session.add(ProfileChange(seq=2, profile_id=20, kind="sme"))  # commits late
    db.session.commit()
    assert read_changes(cursor, now=1.0) == {20}
