"""The library's own exceptions, so callers can tell a user error from a bug."""

from __future__ import annotations


class GridGraphError(Exception):
    """Base class of every error gridgraph raises on purpose."""


class IntegrityError(GridGraphError):
    """A write would break the ontology: unknown kind, bad endpoint, dangling relationship."""


class NodeNotFound(GridGraphError, KeyError):
    """A node id that the store does not hold."""

    def __str__(self) -> str:  # KeyError quotes its argument; a message reads better
        return str(self.args[0]) if self.args else "node not found"


class StoreUnavailable(GridGraphError):
    """The store cannot be opened or reached (bad path, server down, wrong password)."""


class StoreError(GridGraphError):
    """The store refused or could not finish an operation; the message is one line and says
    what to do (for example, a unit of work larger than the server's transaction memory)."""
