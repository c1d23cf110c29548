"""A worker's exposure counts follow the impression log: new rows, rows committed late below
the highest id read, the window sliding past old showings, and the requester's own showings
left out."""

from datetime import timedelta

import pytest

from models import MatchImpression, SmeProfile, db, utcnow
from tests.factories import payload
from webapp.services.shown_counts import ShownCounts, shown_counts

WINDOW = timedelta(days=28)


@pytest.fixture
def ids(app):
    profiles = [SmeProfile(**payload("sme", name=f"SME {n}"), latitude=31.7, longitude=-106.4)
                for n in range(4)]
    db.session.add_all(profiles)
    db.session.commit()
    return [p.id for p in profiles]


def show(requester: int, shown: int, *, id: int | None = None, rank: int = 1,
         days_ago: float = 1) -> None:
    db.session.add(MatchImpression(id=id, ranking=f"r{requester}-{shown}-{id}", rank=rank,
                                   kind="buyer_sme", at=utcnow() - timedelta(days=days_ago),
                                   requester_id=requester, shown_id=shown, sme_country="MX"))
    db.session.commit()


def counted(app, ids, requester: int, *, since=None) -> dict[int, int]:
    holder = app.extensions.setdefault("puente.shown_counts", {})
    return shown_counts(holder, db.engine, "buyer_sme", ids, requester_id=requester,
                        since=since or utcnow() - WINDOW, places=5, window=WINDOW,
                        refresh_s=0)


def test_distinct_other_requesters_in_the_first_places_are_counted(app, ids):
    a, b, c, x = ids
    show(a, x), show(a, x), show(b, x), show(c, x), show(c, x, rank=6)
    assert counted(app, [x], requester=99) == {x: 3}
    assert counted(app, [x], requester=a) == {x: 2}  # one's own showings never count
    show(b, c)  # read incrementally
    assert counted(app, [x, c], requester=a) == {x: 2, c: 1}


def test_a_row_committed_late_below_the_highest_id_read_is_counted(app, ids):
    a, b, _, x = ids
    show(a, x, id=10)
    assert counted(app, [x], requester=99) == {x: 1}
    show(b, x, id=12)
    assert counted(app, [x], requester=99) == {x: 2}
    show(b, x, id=11)  # another worker's batch that committed after id 12 was read
    show(ids[2], x, id=5)  # and one from before the first load
    assert counted(app, [x], requester=99) == {x: 3}


def test_showings_leave_the_count_as_the_window_passes(app, ids):
    a, b, _, x = ids
    show(a, x, days_ago=27), show(b, x, days_ago=10), show(b, x, days_ago=40)
    assert counted(app, [x], requester=99) == {x: 2}
    assert counted(app, [x], requester=99, since=utcnow() - timedelta(days=20)) == {x: 1}
    assert counted(app, [x], requester=99, since=utcnow()) == {}


def test_a_later_showing_keeps_a_requester_in_the_window(app, ids):
    a, _, _, x = ids
    counts = ShownCounts(5, WINDOW)
    with db.session.no_autoflush:
        show(a, x, days_ago=20)
        counts.load(db.session, utcnow())
        show(a, x, days_ago=1)
        counts.read_new(db.session)
    assert counts.counts("buyer_sme", [x], 99, utcnow() - timedelta(days=5)) == {x: 1}


def test_a_requester_seeing_the_same_matches_again_and_again_costs_one_entry(app, ids):
    """A worker keeps one entry per requester and profile, however often the requester looks:
    it once kept one per showing, so a busy SME grew every worker's memory by its page's size
    per visit until the next full reload."""
    a, b, _, x = ids
    counts = ShownCounts(5, WINDOW)
    with db.session.no_autoflush:
        counts.load(db.session, utcnow())
        for days_ago in (20, 15, 10, 5, 4, 3, 2, 1):
            show(a, x, days_ago=days_ago)
        show(b, x, days_ago=12)
        counts.read_new(db.session)
    assert len(counts.heap) == 2
    # the count follows each requester's latest showing as the window slides
    assert counts.counts("buyer_sme", [x], 99, utcnow() - timedelta(days=25)) == {x: 2}
    assert counts.counts("buyer_sme", [x], 99, utcnow() - timedelta(days=11)) == {x: 1}
    assert counts.counts("buyer_sme", [x], 99, utcnow() - timedelta(days=2)) == {x: 1}
    assert counts.counts("buyer_sme", [x], 99, utcnow()) == {}
    assert counts.heap == [] and counts.latest == {}


def test_counts_follow_the_log_after_it_was_emptied(app, ids):
    """An emptied (or purged) log whose ids went on leaves a hole of hundreds of thousands
    below the next row: it is kept as one run, and a late row inside it is still counted."""
    a, b, c, x = ids
    counts = ShownCounts(5, WINDOW)
    with db.session.no_autoflush:
        counts.load(db.session, utcnow())
        show(a, x, id=400_000), show(b, x, id=400_001)
        counts.read_new(db.session)
        assert counts.counts("buyer_sme", [x], 99, utcnow() - WINDOW) == {x: 2}
        assert list(counts.cursor.gaps) == [(1, 399_999)]
        show(c, x, id=1_000)
        counts.read_new(db.session)
    assert counts.counts("buyer_sme", [x], 99, utcnow() - WINDOW) == {x: 3}
    assert list(counts.cursor.gaps) == [(1, 999), (1_001, 399_999)]
