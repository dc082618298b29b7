"""Rules broken by a command. Each names the rule so that callers can report it."""

from __future__ import annotations


class DomainError(Exception):
    """A command was refused; nothing was recorded.

    ``rule`` is a stable, machine-readable name of the rule that was broken and
    ``field`` the input it concerns, when there is one.
    """

    rule: str = "domain-rule"
    status: int = 422

    def __init__(self, detail: str, *, field: str | None = None, rule: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field
        if rule is not None:
            self.rule = rule


class InvalidCommand(DomainError):
    """The command's input breaks a rule of the domain (422)."""

    rule = "invalid-command"


class AppealNotFound(DomainError):
    """No appeal has the given id (404)."""

    rule = "appeal-not-found"
    status = 404


class ConflictError(DomainError):
    """The command conflicts with the appeal's current state (409)."""

    rule = "conflict"
    status = 409


class AlreadyAssigned(ConflictError):
    rule = "already-assigned"


class AppealClosed(ConflictError):
    rule = "appeal-closed"


class VersionConflict(ConflictError):
    """Someone else changed the appeal since the caller read it."""

    rule = "version-conflict"


class IdempotencyKeyReused(DomainError):
    """An idempotency key was sent again with a different request."""

    rule = "idempotency-key-reused"
