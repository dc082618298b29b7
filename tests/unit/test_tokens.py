"""Bearer tokens and the settings that guard their keys."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from datetime import timedelta

import jwt
import pytest
from pydantic import ValidationError

from domain.access import Action, Principal, Role
from domain.offices import OfficeDirectory
from infra.adapters.clock import system_clock
from infra.adapters.settings import PROJECT_ROOT, Settings
from infra.adapters.tokens import InvalidToken, TokenService

KEY = "k" * 40
KEK = base64.urlsafe_b64encode(bytes(range(32))).decode()


@pytest.fixture
def tokens() -> TokenService:
    return TokenService({"k1": KEY, "old": "o" * 40}, "k1", "appeals")


def test_minted_token_verifies_to_its_principal(tokens: TokenService) -> None:
    token = tokens.mint(sub="sup.1", role=Role.SUPERVISOR, office="REG-ALA")
    assert tokens.verify(token) == Principal("sup.1", Role.SUPERVISOR, "REG-ALA")


def forged(claims: dict[str, object], key: str = KEY, kid: str = "k1", alg: str = "HS256") -> str:
    base = {
        "sub": "x",
        "role": "auditor",
        "office": "GPO",
        "iss": "appeals",
        "iat": system_clock(),
        "exp": system_clock() + timedelta(hours=1),
    }
    base.update(claims)
    return jwt.encode(base, key, algorithm=alg, headers={"kid": kid})


@pytest.mark.parametrize(
    ("token", "message"),
    [
        (forged({"exp": system_clock() - timedelta(seconds=5)}), "expired"),
        (forged({}, key="wrong" * 8), "invalid"),
        (forged({}, kid="nobody"), "unknown key"),
        (forged({"role": "emperor"}), "unknown role"),
        (forged({"office": ""}), "no office"),
        (forged({"iss": "someone-else"}), "invalid"),
        (forged({}, alg="HS512"), "HS256"),
        ("not.a.token", "malformed"),
        # Registered claims, strictly: numbers of seconds, a sane issue time and lifetime.
        (forged({"exp": str(int((system_clock() + timedelta(hours=1)).timestamp()))}), "exp"),
        (forged({"iat": str(int(system_clock().timestamp()))}), "iat"),
        (forged({"nbf": "0"}), "nbf"),
        (forged({"exp": None}), "exp"),
        (forged({"iat": system_clock() + timedelta(hours=1)}), "future|not yet valid"),
        (forged({"exp": system_clock() + timedelta(hours=25)}), "longer"),
        (forged({"sub": ""}), "sub"),
        (forged({"sub": "a\u0000b"}), "sub"),
        (forged({"sub": 42}), "[Ss]ub"),
    ],
)
def test_bad_tokens_are_refused(tokens: TokenService, token: str, message: str) -> None:
    with pytest.raises(InvalidToken, match=message):
        tokens.verify(token)


def test_unsigned_alg_none_token_is_refused(tokens: TokenService) -> None:
    unsigned = jwt.encode(
        {
            "sub": "x",
            "role": "administrator",
            "office": "GPO",
            "iss": "appeals",
            "iat": 1,
            "exp": 4102444800,
        },
        key=None,
        algorithm="none",
        headers={"kid": "k1"},
    )
    with pytest.raises(InvalidToken):
        tokens.verify(unsigned)


def test_rotated_out_key_still_verifies_until_removed(tokens: TokenService) -> None:
    old = TokenService({"old": "o" * 40}, "old", "appeals").mint(
        sub="a", role=Role.AUDITOR, office="GPO"
    )
    assert tokens.verify(old).sub == "a"
    with pytest.raises(InvalidToken, match="unknown key"):
        TokenService({"k1": KEY}, "k1", "appeals").verify(old)


def test_settings_refuse_default_secrets_outside_development() -> None:
    with pytest.raises(ValidationError, match="development secrets"):
        Settings(environment="production")
    own_kek = {"key_encryption_keys": {"k": KEK}, "active_key_encryption_key": "k"}
    with pytest.raises(ValidationError, match="32 characters"):
        Settings(
            environment="production",
            jwt_keys={"a": "short"},
            jwt_active_kid="a",
            pseudonym_key="p" * 40,
            **own_kek,
        )
    with pytest.raises(ValidationError, match="development secrets"):
        Settings(
            environment="production",
            jwt_keys={"a": "s" * 40},
            jwt_active_kid="a",
            pseudonym_key="p" * 40,
        )
    ok = Settings(
        environment="production",
        jwt_keys={"a": "s" * 40},
        jwt_active_kid="a",
        pseudonym_key="p" * 40,
        **own_kek,
    )
    assert ok.environment == "production"


@pytest.mark.parametrize(
    ("keks", "active", "message"),
    [
        ({"k": "c2hvcnQ="}, "k", "32 random bytes"),
        ({"k": "not base64 at all!"}, "k", "32 random bytes"),
        ({"k": KEK}, "other", "not among"),
    ],
)
def test_key_encryption_keys_are_checked(keks: dict[str, str], active: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Settings(key_encryption_keys=keks, active_key_encryption_key=active)


def test_the_api_is_never_served_with_the_development_keys_unless_said(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("APPEALS_ENVIRONMENT", raising=False)
    unset = Settings()
    assert unset.environment is None and unset.uses_development_secrets
    with pytest.raises(RuntimeError, match="APPEALS_ENVIRONMENT"):
        unset.check_servable()
    Settings(environment="development").check_servable()
    own = Settings(
        jwt_keys={"a": "s" * 40},
        jwt_active_kid="a",
        pseudonym_key="p" * 40,
        key_encryption_keys={"k": KEK},
        active_key_encryption_key="k",
    )
    own.check_servable()
    # The command that serves it refuses to start, saying what to set.
    done = subprocess.run(
        [sys.executable, "-m", "infra", "api", "--port", "0"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={k: v for k, v in os.environ.items() if k != "APPEALS_ENVIRONMENT"}
        | {"DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"},
    )
    assert done.returncode != 0
    assert "APPEALS_ENVIRONMENT" in done.stdout + done.stderr


def test_scoping_follows_the_office_hierarchy() -> None:
    offices = OfficeDirectory.default()
    almaty = Principal("s", Role.SUPERVISOR, "REG-ALA")
    assert almaty.sees("DIS-ALA-MEDEU", offices) and almaty.sees("REG-ALA", offices)
    assert not almaty.sees("REG-AST", offices) and not almaty.sees("GPO", offices)
    assert Principal("g", Role.SUPERVISOR, "GPO").sees("DIS-AST-YESIL", offices)
    assert not Principal("a", Role.AUDITOR, "GPO").may(Action.WORK_APPEAL)
    assert Principal("r", Role.REGISTRAR, "REG-ALA").may(Action.RECEIVE_APPEAL)


def test_token_command_mints_a_token_the_service_accepts() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "infra", "token", "--role", "auditor", "--office", "GPO"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    s = Settings()
    principal = TokenService.from_settings(s).verify(done.stdout.strip())
    assert (principal.role, principal.office) == (Role.AUDITOR, "GPO")
    refused = subprocess.run(
        [sys.executable, "-m", "infra", "token", "--role", "emperor", "--office", "GPO"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 2 and "Unknown role" in refused.stderr
