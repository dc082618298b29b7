"""Signed bearer tokens (JWT, HS256) with key ids, so keys can be rotated."""

from __future__ import annotations

from datetime import timedelta

import jwt

from domain.access import Principal, Role
from domain.clock import Clock
from domain.text import hostile_character
from infra.adapters.clock import system_clock
from infra.adapters.settings import Settings

ALGORITHM = "HS256"
# How long a token may live from its issue, unless the settings say otherwise.
MAX_LIFETIME = timedelta(hours=24)
# A token "issued" later than now by more than this was not issued by a sane clock.
LEEWAY_SECONDS = 60


class InvalidToken(Exception):
    """The token is missing, malformed, unsigned, signed with an unknown key, expired,
    or names an unknown role."""


class TokenService:
    def __init__(
        self,
        keys: dict[str, str],
        active_kid: str,
        issuer: str,
        clock: Clock = system_clock,
        max_lifetime: timedelta = MAX_LIFETIME,
    ) -> None:
        """``clock`` dates new tokens; it is the real one even where the services run on
        a chosen day, because the JWT library checks expiry against real time."""
        if active_kid not in keys:
            raise ValueError(f"the active key id {active_kid!r} is not among the keys")
        self.keys = keys
        self.active_kid = active_kid
        self.issuer = issuer
        self.clock = clock
        self.max_lifetime = max_lifetime

    @classmethod
    def from_settings(cls, settings: Settings) -> TokenService:
        return cls(
            settings.jwt_keys,
            settings.jwt_active_kid,
            settings.jwt_issuer,
            max_lifetime=timedelta(hours=settings.jwt_max_lifetime_hours),
        )

    def mint(
        self, *, sub: str, role: Role, office: str, ttl: timedelta = timedelta(hours=8)
    ) -> str:
        if ttl > self.max_lifetime:
            raise ValueError(f"a token lives at most {self.max_lifetime}, not {ttl}")
        now = self.clock()
        claims = {
            "sub": sub,
            "role": role.value,
            "office": office,
            "iss": self.issuer,
            "iat": now,
            "exp": now + ttl,
        }
        return jwt.encode(
            claims,
            self.keys[self.active_kid],
            algorithm=ALGORITHM,
            headers={"kid": self.active_kid},
        )

    def verify(self, token: str) -> Principal:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise InvalidToken(f"malformed token: {exc}") from None
        if header.get("alg") != ALGORITHM:
            raise InvalidToken(f"tokens must be signed with {ALGORITHM}")
        key = self.keys.get(str(header.get("kid")))
        if key is None:
            raise InvalidToken("the token was signed with an unknown key")
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[ALGORITHM],
                issuer=self.issuer,
                options={"require": ["exp", "iat", "sub", "iss"]},
            )
        except jwt.ExpiredSignatureError:
            raise InvalidToken("the token has expired; get a new one") from None
        except jwt.PyJWTError as exc:
            raise InvalidToken(f"invalid token: {exc}") from None
        self._check_registered_claims(claims)
        try:
            role = Role(str(claims.get("role")))
        except ValueError:
            raise InvalidToken(f"unknown role {claims.get('role')!r}") from None
        office = claims.get("office")
        if not isinstance(office, str) or not office:
            raise InvalidToken("the token names no office")
        return Principal(sub=claims["sub"], role=role, office=office)

    def _check_registered_claims(self, claims: dict[str, object]) -> None:
        """What the JWT library lets pass: times as text, a token issued in the future or
        living longer than allowed, a subject that is not a name."""
        times: dict[str, int] = {}
        for name in ("exp", "iat", "nbf"):
            value = claims.get(name)
            if value is None and name == "nbf":
                continue
            if not isinstance(value, int) or isinstance(value, bool):
                raise InvalidToken(f"invalid token: {name} must be a number of seconds")
            times[name] = value
        now = self.clock().timestamp()
        if times["iat"] > now + LEEWAY_SECONDS:
            raise InvalidToken("invalid token: it was issued in the future")
        if times["exp"] - times["iat"] > self.max_lifetime.total_seconds():
            raise InvalidToken(
                f"invalid token: it lives longer than {self.max_lifetime}; get a shorter one"
            )
        sub = claims.get("sub")
        if (
            not isinstance(sub, str)
            or not sub.strip()
            or len(sub) > 128
            or hostile_character(sub, multiline=False)
        ):
            raise InvalidToken("invalid token: sub must name the user (1 to 128 characters)")
