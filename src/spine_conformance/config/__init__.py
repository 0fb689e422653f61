"""Target configuration: the typed model, and loading/validating/writing it as TOML."""

from spine_conformance.config.load import (
    ConfigError,
    config_fingerprint,
    config_from_mapping,
    dump_toml,
    load_config,
    problems_for_suites,
)
from spine_conformance.config.model import (
    ConsumerConfig,
    ConsumerUnderTestConfig,
    ExemptionConfig,
    HttpConfig,
    LoadConfig,
    PatientConfig,
    ProviderConfig,
    SpecChoices,
    TargetConfig,
    TlsConfig,
    ValidateConfig,
)

__all__ = [
    "ConfigError",
    "ConsumerConfig",
    "ConsumerUnderTestConfig",
    "ExemptionConfig",
    "HttpConfig",
    "LoadConfig",
    "PatientConfig",
    "ProviderConfig",
    "SpecChoices",
    "TargetConfig",
    "TlsConfig",
    "ValidateConfig",
    "config_fingerprint",
    "config_from_mapping",
    "dump_toml",
    "load_config",
    "problems_for_suites",
]
