"""Django's SQLite backend, with each transaction taken through the server's write gate
(``backstretch.core.write_gate``) where ``backstretch serve`` made one, so a server's writers
queue in turn instead of sleeping and retrying on SQLite's lock. Without a gate (tests,
commands, the development server) it is Django's backend unchanged."""

from __future__ import annotations

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

    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]  # not in django-stubs
        finally:
            self._let_go()

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]  # not in django-stubs
        finally:
            self._let_go()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]  # not in django-stubs
        finally:
            self._let_go()

    def _let_go(self) -> None:
        if self.gated and write_gate.shared is not None:
            self.gated = False
            write_gate.shared.leave()
