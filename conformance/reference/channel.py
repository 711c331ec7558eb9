"""waitress's HTTP channel without the busy loop while a request runs.

waitress asks its event loop to watch a channel for writability whenever output is buffered, also while
a worker thread still runs the request. That worker flushes its own writes (``send_bytes`` is 1) and wakes
the loop when it could not send everything and when it finishes, so the loop gains nothing from watching:
the socket is writable at once, the loop spins, and the spin takes the interpreter lock from the workers
(about a fifth of the reference's CPU in a full run). This channel is watched only when the loop has
something to do: no request running, a close to make, or output over the high watermark (a worker then
waits for the loop to drain it).
"""

from __future__ import annotations

from waitress.channel import HTTPChannel


class TaskFlushedChannel(HTTPChannel):
    """An ``HTTPChannel`` the event loop does not poll for writing while its worker serves a request."""

    def writable(self) -> bool:
        """Whether the event loop should flush this channel now."""
        if self.will_close or self.close_when_flushed:
            return True
        if self.requests and self.total_outbufs_len <= self.adj.outbuf_high_watermark:
            return False  # the worker flushes its own output and wakes the loop when it is done
        return bool(self.total_outbufs_len)
