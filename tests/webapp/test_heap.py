"""A worker's long-lived heap is frozen out of the cycle collector once its matching state is in:
later collections walk only what requests made; a state replaced later is still collected."""

from __future__ import annotations

import gc
import weakref

import pytest

from webapp import heap
from webapp.services import demo_seed, matching


@pytest.fixture
def freezing(app):
    app.config["PUENTE_FREEZE_HEAP"] = True
    demo_seed.seed_profiles(20, 120, 20, seed=3)
    matching.forget_state()
    yield app
    gc.unfreeze()  # the next test starts with every object collectable again


def walked() -> int:
    """Return how many objects a full collection walks (the frozen ones are not)."""
    return len(gc.get_objects())


def test_a_workers_first_state_freezes_what_it_holds(freezing):
    before = walked()
    state = matching.matching_state()
    assert gc.get_freeze_count() > 10_000  # the modules, the app, the ORM and the state
    assert walked() < before / 10
    assert not any(obj is state for obj in gc.get_objects())  # frozen, never walked again
    assert matching.matching_state() is state  # the same state serves the next ranking


def test_a_replaced_state_is_collected_even_in_a_cycle(freezing):
    first = matching.matching_state()
    first.cycle = first  # held by itself only: reference counting alone would never free it
    gone = weakref.ref(first)
    del first
    matching.forget_state()
    second = matching.matching_state()
    assert gone() is None
    assert not any(obj is second for obj in gc.get_objects())


def test_without_the_setting_nothing_is_frozen(app):
    demo_seed.seed_profiles(5, 30, 5, seed=3)
    matching.forget_state()
    matching.matching_state()
    assert gc.get_freeze_count() == 0


class Node:
    """An object that can hold itself."""


def test_settle_keeps_what_is_frozen_unless_told_to_thaw():
    kept = Node()
    try:
        assert heap.settle() > 0 and not any(obj is kept for obj in gc.get_objects())
        heap.settle()
        assert not any(obj is kept for obj in gc.get_objects())  # nothing thawed: still frozen
        kept.loop = kept
        gone = weakref.ref(kept)
        heap.settle()
        del kept
        gc.collect()
        assert gone() is not None  # a frozen cycle waits ...
        heap.settle(thaw=True)
        assert gone() is None  # ... for a settle that thaws
    finally:
        gc.unfreeze()
