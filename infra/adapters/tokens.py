"""Signed bearer tokens (JWT, HS256) with key ids, so keys can be rotated."""

from __future__ import annotations

from datetime import timedelta

import jwt

from domain.access import Principal, Role
from domain.clock import Clock
from infra.adapters.clock import system_clock

ALGORITHM = "HS256"


class InvalidToken(Exception):
    """The token is missing, malformed, unsigned, signed with an unknown key, expired,
    or names an unknown role."""


class TokenService:
    def __init__(
        self, keys: dict[str, str], active_kid: str, issuer: str, clock: Clock = system_clock
    ) -> None:
        """``clock`` dates new tokens; it is the real one even where the services run on
        a chosen day, because the JWT library checks expiry against real time."""
        if active_kid not in keys:
            raise ValueError(f"the active key id {active_kid!r} is not among the keys")
        self.keys = keys
        self.active_kid = active_kid
        self.issuer = issuer
        self.clock = clock

    def mint(
        self, *, sub: str, role: Role, office: str, ttl: timedelta = timedelta(hours=8)
    ) -> str:
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
        try:
            role = Role(str(claims.get("role")))
        except ValueError:
            raise InvalidToken(f"unknown role {claims.get('role')!r}") from None
        office = claims.get("office")
        if not isinstance(office, str) or not office:
            raise InvalidToken("the token names no office")
        return Principal(sub=str(claims["sub"]), role=role, office=office)
