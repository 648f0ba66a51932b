"""Settings for a secured Kafka reach FastStream and aiokafka in their own terms."""

from __future__ import annotations

import ssl

import pytest
from faststream.security import SASLScram512
from inson_runtime.kafka import PLAINTEXT, KafkaSecurity
from inson_runtime.settings import ServiceSettings


def test_plaintext_is_the_default_and_adds_nothing() -> None:
    assert ServiceSettings().kafka_security() == PLAINTEXT
    assert PLAINTEXT.for_faststream() is None
    assert PLAINTEXT.for_aiokafka() == {}


def test_strimzi_scram_over_tls_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
    monkeypatch.setenv("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
    monkeypatch.setenv("KAFKA_SASL_USERNAME", "intake")
    monkeypatch.setenv("KAFKA_SASL_PASSWORD", "s3cret")
    settings = ServiceSettings()
    assert "s3cret" not in repr(settings)  # a SecretStr

    security = settings.kafka_security()
    broker_side = security.for_faststream()
    assert isinstance(broker_side, SASLScram512)
    assert broker_side.username == "intake" and broker_side.use_ssl
    client_side = security.for_aiokafka()
    assert client_side["security_protocol"] == "SASL_SSL"
    assert client_side["sasl_mechanism"] == "SCRAM-SHA-512"
    assert client_side["sasl_plain_password"] == "s3cret"
    assert isinstance(client_side["ssl_context"], ssl.SSLContext)


def test_sasl_without_credentials_or_with_an_unknown_mechanism_is_refused() -> None:
    with pytest.raises(ValueError, match="USERNAME"):
        KafkaSecurity(protocol="SASL_SSL", sasl_mechanism="SCRAM-SHA-512").for_faststream()
    with pytest.raises(ValueError, match="MECHANISM"):
        KafkaSecurity(
            protocol="SASL_PLAINTEXT", sasl_mechanism="MD5", username="u", password="p"
        ).for_faststream()


def test_an_unknown_protocol_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAFKA_SECURITY_PROTOCOL", "TELEGRAPH")
    with pytest.raises(ValueError, match=r"KAFKA_SECURITY_PROTOCOL|kafka_security_protocol"):
        ServiceSettings()
