"""Honest waiting: at most `limit` answers are worked on at once; the others wait in arrival order,
are told how many people are ahead of them, and get a clear message once they have waited `max_wait_s`.

Runs on the server's event loop: a waiting request holds no thread.

    line = Admission(limit=4, max_wait_s=60)
    try:
        async for ahead in line.wait():
            show(waiting_text(ahead))
    except Busy as e:
        show(busy_text(e))
    else:
        try: ...answer...
        finally: line.leave()
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncGenerator


class Busy(Exception):
    """The request waited `waited_s` and still had `ahead` people before it."""

    def __init__(self, waited_s: float, ahead: int) -> None:
        super().__init__(f"waited {waited_s:.0f} s with {ahead} ahead")
        self.waited_s = waited_s
        self.ahead = ahead


class Admission:
    def __init__(self, limit: int, max_wait_s: float = 60.0, tick_s: float = 1.0) -> None:
        self.limit = max(1, int(limit))
        self.max_wait_s = max_wait_s
        self.tick_s = tick_s
        self.running = 0
        self._queue: deque[object] = deque()
        self._event: asyncio.Event | None = None

    @property
    def waiting(self) -> int:
        return len(self._queue)

    def _changed(self) -> None:
        ev, self._event = self._event, None
        if ev is not None:
            ev.set()

    async def _next_change(self, timeout: float) -> None:
        if self._event is None:
            self._event = asyncio.Event()
        try:
            await asyncio.wait_for(self._event.wait(), timeout)
        except TimeoutError:
            pass

    async def wait(self) -> AsyncGenerator[int, None]:
        """Wait for a turn, yielding the number of people ahead (being answered or waiting before this
        request) whenever it changes; nothing is yielded when a place is free at once. Returns admitted:
        the caller must `leave()` when done. Raises Busy after `max_wait_s`."""
        ticket = object()
        self._queue.append(ticket)
        loop = asyncio.get_running_loop()
        start = loop.time()
        shown: int | None = None
        try:
            while True:
                if self.running < self.limit and self._queue[0] is ticket:
                    self._queue.popleft()
                    self.running += 1
                    self._changed()
                    return
                ahead = self.running + self._queue.index(ticket)
                waited = loop.time() - start
                if waited >= self.max_wait_s:
                    raise Busy(waited, ahead)
                if ahead != shown:
                    shown = ahead
                    yield ahead
                await self._next_change(min(self.tick_s, self.max_wait_s - waited))
        finally:
            if ticket in self._queue:  # timed out, or the user left while waiting
                self._queue.remove(ticket)
                self._changed()

    def leave(self) -> None:
        self.running = max(0, self.running - 1)
        self._changed()


def waiting_text(ahead: int) -> str:
    """
    >>> waiting_text(12), waiting_text(1)
    ('⏳ 12 people ahead of you; your question is answered as soon as they are.', '⏳ 1 person ahead of you; \
your question is answered as soon as they are.')
    """
    who = "1 person" if ahead == 1 else f"{ahead} people"
    return f"⏳ {who} ahead of you; your question is answered as soon as they are."


def busy_text(e: Busy) -> str:
    """
    >>> busy_text(Busy(60.2, 30))
    'careerbot is busy: your question waited 60 s and 30 people were still ahead of you. Please ask again in a minute.'
    """
    who = "1 person was" if e.ahead == 1 else f"{e.ahead} people were"
    return f"careerbot is busy: your question waited {e.waited_s:.0f} s and {who} still ahead of you. " \
           "Please ask again in a minute."
