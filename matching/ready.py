"""The match pool of public listing data, kept ready in process memory (issue 14).

Why: building the candidates from the database costs about twenty queries and most of a
request's time (seconds at 100k listings), yet it depends only on *public listing data*, which
changes when an editor publishes, not when a resident asks. The PF rule forbids keeping
anything about the person (docs/privacy.md); it does not forbid preparing public listings
ahead. So each process holds one pool and rebuilds it lazily, on the first match after a change.

When the pool is out of date — one rule with the cached public answers (core/public_cache.py):
its stamp is the public content version, bumped by the signals in exchange/apps.py (publish,
unpublish, move, save or delete of a page, view restrictions, members, vocabulary, areas). A
request reads the version with one cache get (never a write), so every gunicorn process sees
a change made in any of them. Also the date: upcoming slots are counted from today (JST), so
the first match of a new day rebuilds. And age: a pool is never older than the cached public
answers may be (PUBLIC_CACHE_TIMEOUT), which bounds an evicted version.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import date, datetime

from core import public_cache
from matching.candidates import live_candidates
from matching.pool import CandidatePool


@dataclass(frozen=True)
class _Ready:
    stamp: tuple[str, int | None]
    today: date
    built: float  # time.monotonic()
    pool: CandidatePool


_ready: _Ready | None = None
_building = threading.Lock()


def ready_pool(now: datetime) -> CandidatePool:
    """The pool of the listings residents see as of `now` (JST), built only when out of date."""
    global _ready
    stamp, today = public_cache.version_stamp(), now.date()
    ready = _ready
    if ready is not None and _fresh(ready, stamp, today):
        return ready.pool
    with _building:  # one thread builds; the others of this process wait and reuse its pool
        ready = _ready
        if ready is not None and _fresh(ready, stamp, today):
            return ready.pool
        # The stamp was read before the data: a change committed meanwhile bumps the version
        # again, so this pool is rebuilt on the next request rather than kept.
        pool = CandidatePool(live_candidates(now))
        _ready = _Ready(stamp, today, time.monotonic(), pool)
        return pool


def _fresh(ready: _Ready, stamp: tuple[str, int | None], today: date) -> bool:
    return (
        ready.stamp == stamp
        and ready.today == today
        and time.monotonic() - ready.built < public_cache.timeout()
    )
