"""Settings every service shares, read from the environment (pydantic-settings)."""

from __future__ import annotations

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from inson_runtime.kafka import KafkaSecurity


class ServiceSettings(BaseSettings):
    """Connection and runtime settings. A service subclasses this for its own."""

    model_config = SettingsConfigDict(env_prefix="INSON_", extra="ignore")

    service_name: str = "inson"
    # Unprefixed names, as operators and the Makefile use them.
    kafka_bootstrap_servers: str = Field(
        default="127.0.0.1:9092",
        validation_alias=AliasChoices("KAFKA_BOOTSTRAP_SERVERS", "INSON_KAFKA_BOOTSTRAP_SERVERS"),
    )
    # A secured cluster (Strimzi with TLS and SCRAM in production); plaintext
    # by default, as the local broker is.
    kafka_security_protocol: str = Field(
        default="PLAINTEXT",
        pattern=r"^(PLAINTEXT|SSL|SASL_PLAINTEXT|SASL_SSL)$",
        validation_alias=AliasChoices("KAFKA_SECURITY_PROTOCOL", "INSON_KAFKA_SECURITY_PROTOCOL"),
    )
    kafka_sasl_mechanism: str | None = Field(
        default=None,
        validation_alias=AliasChoices("KAFKA_SASL_MECHANISM", "INSON_KAFKA_SASL_MECHANISM"),
    )
    kafka_sasl_username: str | None = Field(
        default=None,
        validation_alias=AliasChoices("KAFKA_SASL_USERNAME", "INSON_KAFKA_SASL_USERNAME"),
    )
    kafka_sasl_password: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("KAFKA_SASL_PASSWORD", "INSON_KAFKA_SASL_PASSWORD"),
    )
    kafka_ssl_cafile: str | None = Field(
        default=None, validation_alias=AliasChoices("KAFKA_SSL_CAFILE", "INSON_KAFKA_SSL_CAFILE")
    )
    mongodb_url: str = Field(
        default="mongodb://127.0.0.1:27017",
        validation_alias=AliasChoices("MONGODB_URL", "INSON_MONGODB_URL"),
    )
    mongodb_database: str | None = None
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    log_level: str = "INFO"
    log_json: bool | None = None
    # How often the outbox relay looks for commits a crash left unpublished,
    # and how old such a commit must be before the sweep takes it (younger
    # ones are still being published by the request that wrote them).
    outbox_sweep_interval_s: float = 2.0
    outbox_grace_s: float = 1.0
    # How long a published commit's marker waits to be removed together with
    # the others published meanwhile (one write). Well below the grace, or
    # another process's sweep would publish such a commit again.
    outbox_clear_linger_s: float = 0.1
    inline_publish_timeout_s: float = 2.0
    # Lanes (one per partition and key) a policy group runs at once in a batch
    # (inson_runtime.consumer); projections run all of a batch's lanes.
    consumer_lanes: int = Field(default=8, ge=1)
    # Crypto-shredding (inson_runtime.privacy): the key-encryption key, base64
    # of 32 bytes (INSON_KEK; without it a development key, with a warning),
    # the key store's database, shared by every service, and how long an
    # unwrapped data key is kept in memory: an erasure is effective in every
    # process after at most this long.
    kek: SecretStr | None = None
    # Production sets this: a service without INSON_KEK then refuses to start
    # instead of sealing with the public development key.
    kek_required: bool = False
    keys_database: str = "inson_keys"
    key_cache_ttl_s: float = 5.0
    # An application with a household of 30 is about 10 KB of JSON.
    max_body_bytes: int = 64 * 1024

    def kafka_security(self) -> KafkaSecurity:
        password = self.kafka_sasl_password.get_secret_value() if self.kafka_sasl_password else None
        return KafkaSecurity(
            protocol=self.kafka_security_protocol,
            sasl_mechanism=self.kafka_sasl_mechanism,
            username=self.kafka_sasl_username,
            password=password,
            ssl_cafile=self.kafka_ssl_cafile,
        )

    @property
    def database_name(self) -> str:
        return self.mongodb_database or f"inson_{self.service_name}"
