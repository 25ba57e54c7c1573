"""WebAuthn ceremonies with py_webauthn: options out as base64url JSON, responses in as
JSON text. Resident key and user verification are required throughout."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass

from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import bytes_to_base64url
from webauthn.helpers.exceptions import (
    InvalidAuthenticationResponse,
    InvalidRegistrationResponse,
)
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from server.settings import Settings

TIMEOUT_MS = 300_000  # five minutes: people with access needs may take a while


class CeremonyFailed(Exception):
    """The response does not prove what it must (origin, challenge, signature, UV)."""


class SignCountWentBack(CeremonyFailed):
    """A correctly signed response whose counter did not go up: a cloned authenticator."""

    def __init__(self, stored: int, received: int) -> None:
        super().__init__(f"sign count {received} is not above {stored}")
        self.stored = stored
        self.received = received


@dataclass(frozen=True)
class NewPasskey:
    credential_id: str
    public_key: bytes
    sign_count: int
    transports: list[str]


def _b64decode(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def registration_options(settings: Settings, owner_id: str, user_name: str,
                         display_name: str, existing: list[str]) -> tuple[str, str]:
    """(options JSON for the browser, the challenge to keep)."""
    options = generate_registration_options(
        rp_id=settings.rp_id, rp_name=settings.council_name, user_id=owner_id.encode(),
        user_name=user_name, user_display_name=display_name, timeout=TIMEOUT_MS,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.REQUIRED),
        exclude_credentials=[PublicKeyCredentialDescriptor(id=_b64decode(c)) for c in existing],
    )
    return options_to_json(options), bytes_to_base64url(options.challenge)


def authentication_options(settings: Settings) -> tuple[str, str]:
    # No allow list: the browser offers the person's discoverable passkeys, no username.
    options = generate_authentication_options(
        rp_id=settings.rp_id, timeout=TIMEOUT_MS,
        user_verification=UserVerificationRequirement.REQUIRED)
    return options_to_json(options), bytes_to_base64url(options.challenge)


def parse(credential_json: str) -> dict[str, object]:
    try:
        credential = json.loads(credential_json)
    except ValueError:
        raise CeremonyFailed("not JSON") from None
    if not isinstance(credential, dict) or not isinstance(credential.get("id"), str):
        raise CeremonyFailed("no credential id")
    return credential


def challenge_of(credential: dict[str, object]) -> str:
    """The challenge the browser signed, read from clientDataJSON (verified later)."""
    try:
        response = credential["response"]
        assert isinstance(response, dict)
        client_data = json.loads(_b64decode(str(response["clientDataJSON"])))
        return str(client_data["challenge"])
    except (KeyError, ValueError, AssertionError, TypeError):
        raise CeremonyFailed("no challenge") from None


def user_handle_of(credential: dict[str, object]) -> str | None:
    response = credential.get("response")
    handle = response.get("userHandle") if isinstance(response, dict) else None
    return _b64decode(handle).decode("utf-8", "replace") if isinstance(handle, str) else None


def verify_registration(settings: Settings, credential_json: str,
                        challenge: str) -> NewPasskey:
    try:
        verified = verify_registration_response(
            credential=credential_json, expected_challenge=_b64decode(challenge),
            expected_origin=settings.origin, expected_rp_id=settings.rp_id,
            require_user_verification=True)
    except (InvalidRegistrationResponse, ValueError, KeyError, TypeError) as exc:
        raise CeremonyFailed(str(exc)) from None
    transports = (parse(credential_json).get("response") or {}).get("transports")  # type: ignore[union-attr]
    return NewPasskey(bytes_to_base64url(verified.credential_id),
                      verified.credential_public_key, verified.sign_count,
                      [str(t) for t in transports] if isinstance(transports, list) else [])


def verify_authentication(settings: Settings, credential_json: str, challenge: str,
                          public_key: bytes, stored_count: int) -> int:
    """The new sign count. py_webauthn checks the counter before the signature, so a
    counter failure is checked again with the counter ignored: only a correctly signed
    response that went back is reported as SignCountWentBack."""
    def verify(current: int) -> int:
        return verify_authentication_response(
            credential=credential_json, expected_challenge=_b64decode(challenge),
            expected_rp_id=settings.rp_id, expected_origin=settings.origin,
            credential_public_key=public_key, credential_current_sign_count=current,
            require_user_verification=True).new_sign_count

    try:
        return verify(stored_count)
    except (InvalidAuthenticationResponse, ValueError, KeyError, TypeError) as exc:
        if "sign count" not in str(exc):
            raise CeremonyFailed(str(exc)) from None
    try:
        received = verify(0)
    except (InvalidAuthenticationResponse, ValueError, KeyError, TypeError) as exc:
        raise CeremonyFailed(str(exc)) from None
    raise SignCountWentBack(stored_count, received)
