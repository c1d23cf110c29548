"""Following the profile change log, including transactions that commit out of order."""

from models import ProfileChange, SmeProfile, db
from tests.factories import payload
from webapp.services.change_feed import (
    GAP_PATIENCE_S,
    ChangeCursor,
    latest_seq,
    read_changes,
    read_unread,
)


def test_cursor_remembers_gaps_until_they_are_filled():
    cursor = ChangeCursor()
    cursor.advance([1, 2, 5], now=0.0)
    assert cursor.last_seq == 5 and cursor.gaps == {(3, 4): 0.0}
    cursor.advance([4], now=1.0)
    assert cursor.gaps == {(3, 3): 0.0}
    cursor.advance([9, 7], now=2.0)
    assert cursor.gaps == {(3, 3): 0.0, (6, 6): 2.0, (8, 8): 2.0}
    assert cursor.missing() == 3


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


def log(*changes: tuple[int, int]) -> None:
    """Commit change rows ``(seq, profile_id)`` in one transaction."""
    db.session.add_all([ProfileChange(seq=seq, profile_id=pid, kind="sme")
                        for seq, pid in changes])
    db.session.commit()


def test_a_late_commit_below_the_high_water_mark_is_still_read(app):
    log((1, 10), (3, 30))
    cursor = ChangeCursor()
    assert read_changes(cursor, now=0.0) == {10, 30}
    log((2, 20))  # commits late
    assert read_changes(cursor, now=1.0) == {20}


def test_a_hole_of_a_million_is_one_run_and_a_late_row_inside_it_splits_it():
    cursor = ChangeCursor(last_seq=10)
    cursor.advance([1_000_011], now=0.0)  # e.g. the log was emptied; the sequence went on
    assert cursor.gaps == {(11, 1_000_010): 0.0} and cursor.missing() == 1_000_000
    cursor.advance([500_000, 500_001, 11], now=1.0)
    assert cursor.gaps == {(12, 499_999): 0.0, (500_002, 1_000_010): 0.0}


def test_rows_in_a_hole_are_read_by_their_run(app):
    log((1, 10), (900_000, 90))
    cursor = ChangeCursor()
    assert read_changes(cursor, now=0.0) == {10, 90}
    assert cursor.gaps == {(2, 899_999): 0.0}
    log((2, 20), (450_000, 45))  # commit late
    assert read_changes(cursor, now=1.0) == {20, 45}
    assert cursor.gaps == {(3, 449_999): 0.0, (450_001, 899_999): 0.0}
    assert read_changes(cursor, now=2.0) == set()
    assert read_changes(cursor, now=GAP_PATIENCE_S + 1) == set() and cursor.gaps == {}


def test_a_tail_longer_than_a_page_is_read_whole_in_order_with_its_holes(app):
    log(*[(seq, seq * 10) for seq in (1, 2, 3, 5, 6, 7, 9, 10)])
    cursor = ChangeCursor()
    rows = read_unread(db.session, db.select(ProfileChange.seq, ProfileChange.profile_id),
                       cursor, now=0.0, page=3)
    assert [seq for seq, _ in rows] == [1, 2, 3, 5, 6, 7, 9, 10]
    assert cursor.last_seq == 10 and cursor.gaps == {(4, 4): 0.0, (8, 8): 0.0}
    log((8, 80), (11, 110), (12, 120), (13, 130))  # 8 late, then a tail of exactly a page
    rows = read_unread(db.session, db.select(ProfileChange.seq, ProfileChange.profile_id),
                       cursor, now=1.0, page=3)
    assert sorted(seq for seq, _ in rows) == [8, 11, 12, 13]
    assert cursor.last_seq == 13 and cursor.gaps == {(4, 4): 0.0}
