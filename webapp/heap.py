"""Keep the long-lived heap out of Python's cycle collector.

A worker holds some 300,000 objects that live as long as it does: the modules, the app, the
ORM's mappers and the matching state. CPython's collector walks all of them in each full
collection, and a request allocates enough for its in-flight objects to be promoted to the
oldest generation, so full collections keep coming: on the ``/matches`` page one every ~400
requests, 98 ms each (0.25 ms a request on average, and a 98 ms stall for the requests
queued behind it). :func:`settle` collects once, then freezes what survived
(``gc.freeze``): frozen objects are never walked again, so later collections see only what
requests made (a few thousand objects). Nothing is kept alive by it: reference counting
still frees a frozen object nobody holds; only a frozen *cycle* waits, until a
:func:`settle` with ``thaw`` unfreezes everything and collects it.

The web app settles the heap each time a worker installs a matching state (its first ranking,
then a new model or snapshot: rare, and costly anyway), thawing first when it replaces one
(``PUENTE_FREEZE_HEAP``). ``make run``'s gunicorn freezes the preloaded app before it forks
its workers, as the ``gc.freeze`` documentation advises, so their collections do not write to
the pages they share with the master; a worker's first settle leaves those frozen.
"""

from __future__ import annotations

import gc

__all__ = ["settle"]


def settle(*, thaw: bool = False) -> int:
    """Collect, then freeze the survivors; return how many objects are frozen.

    With ``thaw``, what an earlier settle froze is collected too (an object dropped since
    may be part of a cycle); without, it stays frozen and is not walked.
    """
    if thaw:
        gc.unfreeze()
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
