"""Rules broken by a command. Each names the rule and the field so that callers can
report it; nothing here knows about HTTP (api/problems.py maps the kinds to statuses)."""

from __future__ import annotations


class DomainError(Exception):
    """A command was refused; nothing was recorded.

    ``rule`` is a stable, machine-readable name of the rule that was broken and
    ``field`` the input it concerns, when there is one.
    """

    rule: str = "domain-rule"

    def __init__(self, detail: str, *, field: str | None = None, rule: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field
        if rule is not None:
            self.rule = rule


class InvalidCommand(DomainError):
    """The command's input breaks a rule of the domain (422)."""

    rule = "invalid-command"


class NotFound(DomainError):
    """What the command or query names does not exist, or is not the caller's to see
    (an appeal outside their offices is not revealed)."""

    rule = "not-found"


class NotPermitted(DomainError):
    """The caller's role does not allow this."""

    rule = "not-permitted"


class NoLongerAvailable(DomainError):
    """It existed, but is gone for good (personal data erased)."""

    rule = "no-longer-available"


class AppealNotFound(NotFound):
    """No appeal has the given id."""

    rule = "appeal-not-found"


class ConflictError(DomainError):
    """The command conflicts with the current state of what it acts on."""

    rule = "conflict"


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
