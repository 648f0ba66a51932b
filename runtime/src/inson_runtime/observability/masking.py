"""Masking of personal data in log events.

Citizens' data (PINFL, names, phones, health, income...) must never reach log storage, which
has wider access and longer retention than the event store. Masking happens at the last step
before rendering, so every source - structlog calls, stdlib loggers of libraries, tracebacks -
goes through it. We prefer masking too much over leaking: a log line with a spurious `***` is
a nuisance, a leaked PINFL is an incident.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import re
import secrets
import threading
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum
from functools import lru_cache
from typing import Any, Final
from uuid import UUID

from structlog.typing import EventDict, WrappedLogger

MASK: Final = "***"

# Normalised form: snake_case, lower. Keys in events are normalised the same way before lookup,
# so `firstName`, `First-Name` and `FIRST_NAME` all hit `first_name`.
PERSONAL_KEYS: frozenset[str] = frozenset(
    {
        # identity
        "pinfl", "jshshir", "inn", "passport", "passport_number", "passport_series",
        "document_number", "id_card", "birth_certificate",
        "first_name", "last_name", "middle_name", "patronymic", "surname", "full_name",
        "given_name", "family_name", "maiden_name", "fio", "name", "names",
        "birth_date", "date_of_birth", "dob", "birthday", "birth_place", "place_of_birth",
        "photo", "signature",
        # contact and location
        "phone", "phone_number", "mobile", "mobile_number", "telephone", "tel",
        "email", "email_address", "address", "street", "house", "house_number",
        "apartment", "flat",
        # special categories (health) and economic situation
        "health", "diagnosis", "diagnoses", "disability", "disability_group", "medical",
        "illness", "income", "salary", "wage", "pension",
        "card_number", "bank_account", "account_number", "iban",
        # free text written by case workers or citizens
        "text", "free_text", "note", "notes", "comment", "comments", "remarks",
        # pydantic echoes offending input back in validation errors
        "input", "input_value",
        # credentials: not personal data, but equally never to be logged
        "password", "secret", "token", "access_token", "refresh_token", "api_key",
        "authorization",
    }
)  # fmt: skip

# Too generic to match as a part of a longer key: `topic_name`, `db_health`, `house_keeping`.
_EXACT_ONLY_KEYS: Final = frozenset(
    {"name", "names", "text", "note", "notes", "comment", "comments", "remarks", "health",
     "house", "input", "tel", "mobile", "flat", "token", "inn", "medical", "secret"}
)  # fmt: skip

_NEVER_TOUCHED: Final = frozenset({"_record", "_from_structlog", "exc_info"})
_SAFE_ON_FAILURE: Final = ("timestamp", "level", "logger", "service", "correlation_id")
_MAX_DEPTH: Final = 16

# Per process and never persisted: a fingerprint lets one correlate lines of one process
# without a way back to the value. A plain hash would not do, PINFLs can be enumerated.
_FINGERPRINT_KEY: Final = secrets.token_bytes(32)
_settings = {"fingerprints": True}
_lock = threading.Lock()

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_D = "[0-9]"
_VALUE_PATTERNS: Final = re.compile(
    r"(?P<email>[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,})"
    r"|(?<![A-Za-z0-9])(?<![0-9][.,])(?:"
    rf"(?P<card>{_D}{{4}}(?:[ \-]?{_D}{{4}}){{3}})"
    rf"|(?P<pinfl>{_D}{{14}})"
    rf"|(?P<phone>(?:\+?998[ \-]?)?\(?{_D}{{2}}\)?[ \-]?{_D}{{3}}[ \-]?{_D}{{2}}[ \-]?{_D}{{2}})"
    rf"|(?P<passport>[A-Z]{{2}} ?{_D}{{7}})"
    r")(?![A-Za-z0-9])"
)
_MARKER = re.compile(r"\*\*\*(?:#[0-9a-f]{8})?")


def _normalise_key(key: str) -> str:
    return _CAMEL.sub("_", key.strip()).lower().replace("-", "_").replace(" ", "_")


def _build_key_value_pattern(keys: frozenset[str]) -> re.Pattern[str]:
    """`name='Ali'`, `"pinfl": "..."`, `Phone: ...` inside free text (reprs, errors, URLs)."""

    def alternation(names: frozenset[str]) -> str:
        ordered = sorted(names, key=len, reverse=True)
        return "|".join(re.escape(n).replace("_", "[_-]?") for n in ordered)

    affix, exact = keys - _EXACT_ONLY_KEYS, keys & _EXACT_ONLY_KEYS
    key = rf"(?:[a-z0-9]+_)*(?:{alternation(affix)})(?:_[a-z0-9]+)*|{alternation(exact)}"
    # `=` only without spaces (kwargs, reprs, query strings), so that source lines quoted in
    # tracebacks like `name = row.name` stay readable.
    return re.compile(
        rf"(?P<k>(?<![a-z0-9_])(?:{key})(?![a-z0-9_])[\"']?(?:\s*:\s*|=))"
        r"(?P<v>\"[^\"]*\"|'[^']*'|[^\s,;&(){}\[\]\"']+)",
        re.IGNORECASE,
    )


_key_value_pattern = _build_key_value_pattern(PERSONAL_KEYS)


def register_personal_keys(*keys: str) -> frozenset[str]:
    """Add field names whose values are personal; returns the resulting key set."""
    global PERSONAL_KEYS, _key_value_pattern
    added = {_normalise_key(k) for k in keys}
    if "" in added:
        raise ValueError("personal key names must not be empty")
    with _lock:
        PERSONAL_KEYS = PERSONAL_KEYS | added
        _key_value_pattern = _build_key_value_pattern(PERSONAL_KEYS)
        is_personal_key.cache_clear()
    return PERSONAL_KEYS


def personal_keys() -> frozenset[str]:
    """The current key set; `from ... import PERSONAL_KEYS` would miss later registrations."""
    return PERSONAL_KEYS


def set_fingerprints(enabled: bool) -> None:
    """Off: every masked value becomes a bare `***`, lines can no longer be correlated."""
    _settings["fingerprints"] = enabled


@lru_cache(maxsize=4096)
def is_personal_key(key: str) -> bool:
    normalised = _normalise_key(key)
    if normalised in PERSONAL_KEYS:
        return True
    parts = normalised.split("_")
    for i in range(1, len(parts)):
        for candidate in ("_".join(parts[:i]), "_".join(parts[i:])):
            if candidate in PERSONAL_KEYS and candidate not in _EXACT_ONLY_KEYS:
                return True
    return False


def _canonical(raw: str) -> str:
    # The same phone written two ways should get the same fingerprint.
    text = raw.strip().strip("'\"").lower()
    digits = re.sub(r"[\s()+\-]", "", text)
    if digits.isdigit():
        return digits[3:] if len(digits) == 12 and digits.startswith("998") else digits
    return text


def marker(raw: str) -> str:
    """`***`, or `***#<hmac>` for identifiers (PINFL, phone, e-mail, passport, card).

    Low-entropy values (names, booleans, disability groups) never get a fingerprint: equal
    fingerprints would let anyone knowing one citizen's value learn everybody else's.
    """
    if not _settings["fingerprints"] or not _VALUE_PATTERNS.fullmatch(raw.strip().strip("'\"")):
        return MASK
    digest = hmac.new(_FINGERPRINT_KEY, _canonical(raw).encode(), hashlib.sha256).hexdigest()
    return f"{MASK}#{digest[:8]}"


def _mask_whole(value: Any) -> Any:
    if value is None or value == "":
        return value
    if isinstance(value, str) and _MARKER.fullmatch(value):
        return value
    if isinstance(value, str | int | float | Decimal | date | UUID):
        return marker(str(value))
    return MASK  # structures under a personal key: nothing of them is worth keeping


def _replace_key_value(match: re.Match[str]) -> str:
    value = match.group("v")
    if _MARKER.fullmatch(value.strip("'\"")):
        return match.group(0)
    quote = value[0] if value[0] in "'\"" else ""
    return f"{match.group('k')}{quote}{marker(value)}{quote}"


def _replace_value(match: re.Match[str]) -> str:
    return marker(match.group(0))


def mask_text(text: str) -> str:
    """Mask personal data recognisable by its shape or by a `key=value` next to it."""
    if not text:
        return text
    return _VALUE_PATTERNS.sub(_replace_value, _key_value_pattern.sub(_replace_key_value, text))


def _as_plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    model_dump = getattr(value, "model_dump", None)
    if callable(model_dump):
        try:
            return model_dump(mode="json")
        except Exception:  # a broken model must not break logging
            return None
    return None


def mask_value(value: Any, depth: int = 0) -> Any:
    """Masked copy of any value, going into mappings, sequences, dataclasses and models."""
    if value is None or isinstance(value, bool | float):
        return value
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, int):
        return marker(str(value)) if _VALUE_PATTERNS.fullmatch(str(value)) else value
    if depth >= _MAX_DEPTH:
        return MASK
    if isinstance(value, Mapping):
        return mask_mapping(value, depth + 1)
    if isinstance(value, list | tuple | set | frozenset):
        return [mask_value(item, depth + 1) for item in value]
    if isinstance(value, datetime | date | time | timedelta | UUID | Decimal | Enum):
        return value
    if isinstance(value, bytes | bytearray | memoryview):
        return f"<{len(value)} bytes>"
    if isinstance(value, BaseException):
        return mask_text(f"{type(value).__name__}: {value}")
    plain = _as_plain(value)
    if plain is not None:
        return mask_value(plain, depth + 1)
    return mask_text(str(value))


def mask_mapping(mapping: Mapping[Any, Any], depth: int = 0) -> dict[Any, Any]:
    masked: dict[Any, Any] = {}
    for key, value in mapping.items():
        if isinstance(key, str) and key in _NEVER_TOUCHED:
            masked[key] = value
        elif isinstance(key, str) and is_personal_key(key):
            masked[mask_text(key)] = _mask_whole(value)
        else:
            new_key = mask_text(key) if isinstance(key, str) else key
            masked[new_key] = mask_value(value, depth)
    return masked


def mask_personal_data(logger: WrappedLogger, method_name: str, event_dict: EventDict) -> EventDict:
    """structlog processor; must run after `format_exc_info` so the traceback text is masked."""
    try:
        return mask_mapping(event_dict)
    except Exception as exc:  # losing a line beats losing the service or leaking
        safe = {k: event_dict[k] for k in _SAFE_ON_FAILURE if k in event_dict}
        return {**safe, "event": "log_line_dropped_masking_failed", "error": type(exc).__name__}
