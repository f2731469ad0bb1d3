"""Django's SQLite backend, with each transaction taken through the server's write gate
(``backstretch.core.write_gate``) where ``backstretch serve`` made one, so a server's writers
queue in turn instead of sleeping and retrying on SQLite's lock. Without a gate (tests,
commands, the development server) it is Django's backend unchanged."""

from __future__ import annotations

from collections.abc import Callable

from django.db.backends.sqlite3 import base

from backstretch.core import write_gate


class DatabaseWrapper(base.DatabaseWrapper):
    gated = False  # whether this connection's open transaction holds the gate

    def _start_transaction_under_autocommit(self) -> None:
        gate = write_gate.shared
        if gate is not None and not self.gated:
            self.gated = gate.enter()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]  # not in django-stubs
        except BaseException:
            self._let_go()
            raise

    # A transaction ends by commit, rollback or the connection closing: each gives the gate back.
    def _commit(self) -> None:
        self._ending(super()._commit)  # type: ignore[misc]  # not in django-stubs

    def _rollback(self) -> None:
        self._ending(super()._rollback)  # type: ignore[misc]  # not in django-stubs

    def _close(self) -> None:
        self._ending(super()._close)  # type: ignore[misc]  # not in django-stubs

    def _ending(self, end: Callable[[], None]) -> None:
        try:
            end()
        finally:
            self._let_go()

    def _let_go(self) -> None:
        if self.gated and write_gate.shared is not None:
            self.gated = False
            write_gate.shared.leave()
