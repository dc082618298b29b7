"""Applicants' identities live apart from the events: events carry a pseudonymous
reference, the registry holds the person. Erasing a person is then a matter of the
registry, and Kafka payloads never need personal data."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Applicant:
    iin: str
    name: str
    phone: str | None = None
    email: str | None = None
    address: str | None = None


class ApplicantRegistry(Protocol):
    """Stores applicants' identities; one person (by IIN) always gets the same reference."""

    def register(self, applicant: Applicant) -> str:
        """Store (or refresh) the person's identity and return their reference."""
        ...

    def lookup(self, ref: str) -> Applicant | None:
        """The person behind a reference, or None when unknown or erased."""
        ...

    def seal(self, ref: str, text: str) -> str:
        """``text`` encrypted with the person's own key, as a token to store in events.
        Writes nothing."""
        ...

    def unseal(self, token: str) -> str | None:
        """The text of a sealed token, or None once its person has been erased."""
        ...

    def erase(self, ref: str, *, erased_by: str = "system") -> bool:
        """Destroy the person's identity and key (crypto-shredding): every token sealed
        for them becomes unreadable. False if there was nobody to erase."""
        ...


SEALED_PREFIX = "sealed:v1:"
ERASED_TEXT = "[erased]"


def is_sealed(text: str) -> bool:
    return text.startswith(SEALED_PREFIX)


def sealed_ref(token: str) -> str:
    """The person a sealed token belongs to."""
    return token.removeprefix(SEALED_PREFIX).split(":", 1)[0]


def iin_digest(secret: bytes, iin: str) -> str:
    """A keyed digest, so that the registry can find a person by IIN without an index
    of IINs, and a leaked table cannot be reversed by hashing every possible IIN."""
    return hmac.new(secret, iin.encode(), hashlib.sha256).hexdigest()


_REFERENCE_ALPHABET = "abcdefghjkmnpqrstvwxyz"


def new_reference() -> str:
    """A random reference of letters only: it can never be mistaken for an IIN."""
    return "appl-" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(20))


class InMemoryApplicants:
    """The registry in a dict: for unit tests and examples."""

    def __init__(self, secret: bytes = b"test") -> None:
        self.secret = secret
        self.by_digest: dict[str, str] = {}
        self.people: dict[str, Applicant] = {}
        self.sealed: dict[str, str] = {}

    def register(self, applicant: Applicant) -> str:
        digest = iin_digest(self.secret, applicant.iin)
        ref = self.by_digest.setdefault(digest, new_reference())
        self.people[ref] = applicant
        return ref

    def lookup(self, ref: str) -> Applicant | None:
        return self.people.get(ref)

    def seal(self, ref: str, text: str) -> str:
        token = f"{SEALED_PREFIX}{ref}:{len(self.sealed)}"
        self.sealed[token] = text
        return token

    def unseal(self, token: str) -> str | None:
        if sealed_ref(token) not in self.people:
            return None
        return self.sealed.get(token)

    def erase(self, ref: str, *, erased_by: str = "system") -> bool:
        if ref not in self.people:
            return False
        del self.people[ref]
        self.by_digest = {d: r for d, r in self.by_digest.items() if r != ref}
        self.sealed = {t: v for t, v in self.sealed.items() if sealed_ref(t) != ref}
        return True
