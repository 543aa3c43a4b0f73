"""Checkpoints of SQLite's write-ahead log, in a thread beside the writers.

In WAL mode a commit appends its pages to the ``-wal`` file; a checkpoint later copies
them into the database file and syncs both files. SQLite runs that checkpoint inside
whichever commit takes the log past ``wal_autocheckpoint`` pages: at SQLite's 1,000
pages, every 40th posting waited 6-20 ms for the disk (``bench/ledger_post.py``). An
engine on a database file gets a :class:`Checkpointer` instead: every :data:`EVERY`
commits it wakes a thread that runs a PASSIVE checkpoint on a connection of its own
(SQLite releases the GIL while it copies and syncs; a PASSIVE checkpoint never blocks a
reader or a writer), and the writers go on. Their own automatic checkpoint stays on at
a higher mark, as the backstop should the thread fall behind. Wakes that come while
the thread is still busy are one checkpoint: it copies whatever the log holds by then.
"""

from __future__ import annotations

import logging
import sqlite3
import threading

EVERY = 100  # commits between two checkpoints (a posting writes about 24 pages)

log = logging.getLogger("hansa.db")


class Checkpointer:
    """Checkpoints the database file *path* after every :data:`EVERY` commits."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._commits = 0
        self._wake = threading.Event()
        self._stopped = False
        self._thread: threading.Thread | None = None
        self._starting = threading.Lock()
        self.checkpoints = 0  # how many ran (for tests and diagnostics)

    def committed(self, *_: object) -> None:
        """Count a commit (an engine ``commit`` event); every :data:`EVERY`, wake the
        thread, started on first use (a command that commits a few times never starts
        it, and SQLite checkpoints when its last connection closes)."""
        self._commits += 1
        if self._commits % EVERY:
            return
        if self._thread is None:
            with self._starting:
                if self._thread is None and not self._stopped:
                    self._thread = threading.Thread(
                        target=self._run, name="hansa-checkpoint", daemon=True
                    )
                    self._thread.start()
        self._wake.set()

    def stop(self) -> None:
        """End the thread (when the engine goes away); it closes its connection."""
        self._stopped = True
        self._wake.set()

    def _run(self) -> None:
        try:
            conn = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            log.warning("cannot open %s to checkpoint it: %s", self._path, exc)
            return
        try:
            conn.execute("PRAGMA synchronous = NORMAL")
            while True:
                self._wake.wait()
                self._wake.clear()
                if self._stopped:
                    return
                try:
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                    self.checkpoints += 1
                except sqlite3.Error as exc:  # busy or gone: the writers' backstop remains
                    log.debug("checkpoint of %s skipped: %s", self._path, exc)
        finally:
            conn.close()
