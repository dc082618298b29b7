"""Applicants' identities live apart from the events: events carry a pseudonymous
reference, the registry holds the person. Erasing a person is then a matter of the
registry, and Kafka payloads never need personal data."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import asdict, dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, Protocol

from domain.bin import validate_bin
from domain.errors import ConflictError, InvalidCommand
from domain.iin import validate_iin

MAX_CO_APPLICANTS = 200


class ApplicantKind(StrEnum):
    INDIVIDUAL = "individual"  # a citizen or resident identified by IIN
    LEGAL_ENTITY = "legal_entity"  # identified by BIN, acting through its representative
    FOREIGNER = "foreigner"  # a foreigner or stateless person, by an identity document


class DocumentType(StrEnum):
    PASSPORT = "passport"
    RESIDENCE_PERMIT = "residence_permit"
    STATELESS_CERTIFICATE = "stateless_certificate"
    OTHER = "other"


@dataclass(frozen=True)
class IdentityDocument:
    """A foreigner's or stateless person's document: its type, number and issuing country
    (ISO 3166-1 alpha-2; ``XX`` for a stateless person's certificate)."""

    type: str
    number: str
    country: str


@dataclass(frozen=True)
class Representative:
    """Who acts for the applicant: a legal entity's representative, or anyone acting
    under a power of attorney (``power_of_attorney``: its number and date)."""

    name: str
    iin: str | None = None
    position: str | None = None
    power_of_attorney: str | None = None


@dataclass(frozen=True)
class Applicant:
    """Who appeals: a natural person (IIN), a legal entity (BIN, its name, its
    representative) or a foreigner or stateless person (an identity document);
    possibly through a representative, possibly with others (a collective appeal, whose
    contact is this applicant). An appeal is anonymous only when there is none."""

    name: str
    iin: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    kind: str = ApplicantKind.INDIVIDUAL
    bin: str | None = None
    document: IdentityDocument | None = None
    representative: Representative | None = None
    co_applicants: tuple[Applicant, ...] = field(default_factory=tuple)

    @property
    def identity(self) -> str:
        """What identifies the applicant, for the registry's keyed digest (an IIN alone,
        as it has always been, so that existing people keep their references)."""
        if self.kind == ApplicantKind.LEGAL_ENTITY:
            return f"bin:{str(self.bin).strip()}"
        if self.kind == ApplicantKind.FOREIGNER:
            assert self.document is not None
            doc = self.document
            return f"doc:{doc.country.upper()}:{doc.type}:{doc.number.strip().upper()}"
        return str(self.iin).strip()

    def as_record(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> Applicant:
        """From ``as_record`` (or the identity of a person stored before kinds existed)."""
        document = data.get("document")
        representative = data.get("representative")
        return cls(
            name=data["name"],
            iin=data.get("iin"),
            phone=data.get("phone"),
            email=data.get("email"),
            address=data.get("address"),
            kind=data.get("kind") or ApplicantKind.INDIVIDUAL,
            bin=data.get("bin"),
            document=IdentityDocument(**document) if document else None,
            representative=Representative(**representative) if representative else None,
            co_applicants=tuple(cls.from_record(c) for c in data.get("co_applicants") or ()),
        )


def check_applicant(applicant: Applicant, *, today: date, field: str = "applicant") -> None:
    """Refuse an applicant who cannot be identified as their kind requires."""
    if not applicant.name.strip():
        raise InvalidCommand(
            f"{field}.name must not be blank.", field=f"{field}.name", rule="text-required"
        )
    kinds = [k.value for k in ApplicantKind]
    if applicant.kind not in kinds:
        raise InvalidCommand(
            f"{field}.kind must be one of: {', '.join(kinds)}.",
            field=f"{field}.kind",
            rule="unknown-applicant-kind",
        )
    if applicant.kind == ApplicantKind.INDIVIDUAL:
        if not applicant.iin:
            raise _missing(field, "iin", "A natural person is identified by an IIN.")
        validate_iin(applicant.iin, today=today, field=f"{field}.iin")
    elif applicant.kind == ApplicantKind.LEGAL_ENTITY:
        if not applicant.bin:
            raise _missing(field, "bin", "A legal entity is identified by its BIN.")
        validate_bin(applicant.bin, field=f"{field}.bin")
        if applicant.representative is None:
            raise _missing(
                field, "representative", "A legal entity appeals through its representative."
            )
    else:
        _check_document(applicant.document, field)
    if applicant.representative is not None:
        _check_representative(applicant.representative, today, f"{field}.representative")
    if len(applicant.co_applicants) > MAX_CO_APPLICANTS:
        raise InvalidCommand(
            f"A collective appeal lists at most {MAX_CO_APPLICANTS} co-applicants.",
            field=f"{field}.co_applicants",
            rule="too-many-co-applicants",
        )
    identities = {applicant.identity}
    for n, other in enumerate(applicant.co_applicants):
        where = f"{field}.co_applicants[{n}]"
        if other.co_applicants:
            raise InvalidCommand(
                "A co-applicant has no co-applicants of their own.",
                field=where,
                rule="nested-co-applicants",
            )
        check_applicant(other, today=today, field=where)
        if other.identity in identities:
            raise InvalidCommand(
                "The same person is listed twice.", field=where, rule="co-applicant-repeated"
            )
        identities.add(other.identity)


def _missing(field: str, name: str, why: str) -> InvalidCommand:
    return InvalidCommand(f"{why} Give {field}.{name}.", field=f"{field}.{name}", rule="missing")


def _check_document(document: IdentityDocument | None, field: str) -> None:
    if document is None:
        raise _missing(
            field, "document", "A foreigner or stateless person is identified by a document."
        )
    types = [t.value for t in DocumentType]
    if document.type not in types:
        raise InvalidCommand(
            f"{field}.document.type must be one of: {', '.join(types)}.",
            field=f"{field}.document.type",
            rule="unknown-document-type",
        )
    number = document.number.strip()
    if not number or len(number) > 40 or not number.replace("-", "").replace(" ", "").isalnum():
        raise InvalidCommand(
            "A document number is 1 to 40 letters and digits (spaces and hyphens allowed).",
            field=f"{field}.document.number",
            rule="invalid-document-number",
        )
    country = document.country
    if len(country) != 2 or not (country.isascii() and country.isalpha()):
        raise InvalidCommand(
            "The issuing country is a two-letter ISO 3166-1 code (XX when stateless).",
            field=f"{field}.document.country",
            rule="invalid-country",
        )


def _check_representative(rep: Representative, today: date, field: str) -> None:
    if not rep.name.strip():
        raise InvalidCommand(
            f"{field}.name must not be blank.", field=f"{field}.name", rule="text-required"
        )
    if rep.iin is not None:
        validate_iin(rep.iin, today=today, field=f"{field}.iin")


class Enrolment(Protocol):
    """A person registered by a command: their reference and their key's sealer, known
    at once; the identity itself is written with the command's events, in the same
    transaction, or not at all (a refused command leaves no trace in the registry)."""

    @property
    def ref(self) -> str: ...

    def seal(self, text: str) -> str:
        """``text`` sealed with the person's key (no lookup: the enrolment holds it)."""
        ...

    def recorded(self) -> None:
        """Called once the events are saved: raises if the identity was not written
        with them (so that an accepted appeal can never lose its applicant)."""
        ...


class EnrolmentRaced(ConflictError):
    """Another command registered the same person first, between this one's lookup and
    its save; nothing of this one was written, and it is tried again."""

    rule = "enrolment-raced"


class ApplicantRegistry(Protocol):
    """Stores applicants' identities; one applicant (by IIN, BIN or document) always gets
    the same reference."""

    def register(self, applicant: Applicant) -> str:
        """Store (or refresh) the person's identity and return their reference."""
        ...

    def enrol(self, applicant: Applicant) -> Enrolment:
        """The person's reference and sealer, their identity to be written with the
        events of the command that saves them (``AppealsService.save(...,
        enrolment=...)``)."""
        ...

    def lookup(self, ref: str) -> Applicant | None:
        """The person behind a reference, or None when unknown or erased."""
        ...

    def seal(self, ref: str, text: str) -> str:
        """``text`` encrypted with the person's own key, as a token to store in events.
        Writes nothing. Once the person is erased, nothing about them is kept again:
        the text is replaced by ``ERASED_TEXT``, so their appeals can still be worked.
        A reference with no identity on record gets a key of its own on first use."""
        ...

    def unseal(self, token: str) -> str | None:
        """The text of a sealed token, or None once its person has been erased."""
        ...

    def known(self, ref: str) -> bool:
        """Whether anything is on record for ``ref``: an identity, or texts sealed for a
        reference given without one (a booking's)."""
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


def iin_digest(secret: bytes, identity: str) -> str:
    """A keyed digest, so that the registry can find an applicant by IIN (or BIN, or
    document) without an index of them, and a leaked table cannot be reversed by
    hashing every possible number."""
    return hmac.new(secret, identity.encode(), hashlib.sha256).hexdigest()


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
        self.erased: set[str] = set()

    def register(self, applicant: Applicant) -> str:
        digest = iin_digest(self.secret, applicant.identity)
        ref = self.by_digest.setdefault(digest, new_reference())
        self.people[ref] = applicant
        return ref

    def enrol(self, applicant: Applicant) -> Enrolment:
        digest = iin_digest(self.secret, applicant.identity)
        return InMemoryEnrolment(self, self.by_digest.get(digest) or new_reference(), applicant)

    def lookup(self, ref: str) -> Applicant | None:
        return self.people.get(ref)

    def seal(self, ref: str, text: str) -> str:
        if ref in self.erased:
            return ERASED_TEXT
        token = f"{SEALED_PREFIX}{ref}:{len(self.sealed)}"
        self.sealed[token] = text
        return token

    def unseal(self, token: str) -> str | None:
        if sealed_ref(token) in self.erased:
            return None
        return self.sealed.get(token)

    def known(self, ref: str) -> bool:
        return ref in self.people or any(sealed_ref(t) == ref for t in self.sealed)

    def erase(self, ref: str, *, erased_by: str = "system") -> bool:
        if not self.known(ref):
            return False
        self.people.pop(ref, None)
        self.erased.add(ref)
        self.by_digest = {d: r for d, r in self.by_digest.items() if r != ref}
        self.sealed = {t: v for t, v in self.sealed.items() if sealed_ref(t) != ref}
        return True


@dataclass
class InMemoryEnrolment:
    """The dict registry's enrolment: written when the command's events are saved."""

    registry: InMemoryApplicants
    ref: str
    applicant: Applicant

    def seal(self, text: str) -> str:
        return self.registry.seal(self.ref, text)

    def recorded(self) -> None:
        digest = iin_digest(self.registry.secret, self.applicant.identity)
        self.registry.by_digest.setdefault(digest, self.ref)
        self.registry.people[self.ref] = self.applicant
