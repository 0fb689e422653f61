"""The target configuration as typed, immutable values (keys fixed by DESIGN.md).

Loading and validation live in :mod:`spine_conformance.config.load`; this module only says
what a valid configuration looks like and what every default is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spine_conformance.interactions import DEFAULT_SLOT_INTERACTION


@dataclass(frozen=True)
class ProviderConfig:
    base_url: str = ""
    asid: str = ""
    ssp_url: str = ""
    healthcare_service: str = ""
    slot_window_days: int = 7
    # A service the provider knows that has no free slot at all (its search must be an empty searchset);
    # "" = none: that scenario is not tested.
    service_without_free_slots: str = ""


@dataclass(frozen=True)
class ConsumerConfig:
    asid: str = "200000000359"
    ods_code: str = "A11111"
    endpoint_url: str = "https://consumer.example/"
    sds_user_id: str = "111222333444"
    sds_role_profile_id: str = "UNK"
    # Practitioner details put in requesting_practitioner (a real user, never a "system" user).
    practitioner_family: str = "Assurance"
    practitioner_given: tuple[str, ...] = ("Tester",)
    practitioner_prefix: tuple[str, ...] = ("Dr",)
    organization_name: str = "Spine Conformance Test Organisation"
    device_model: str = "spine-conformance"
    device_version: str = "0.1.0"


@dataclass(frozen=True)
class PatientConfig:
    nhs_number: str = "9434765919"
    family: str = "Parker"
    given: tuple[str, ...] = ("Jane",)
    birth_date: str = "2010-01-01"
    postcode: str = "NE3 2JH"
    gender: str = "female"


@dataclass(frozen=True)
class ExemptionConfig:
    url: str = ""
    prescription_id: str = "471BC8-P83027-34B75X"
    # A second test patient the service knows to have NO exemption (for the 404 scenario).
    not_exempt_nhs_number: str = "9000000009"
    not_exempt_family: str = "Unexempt"
    not_exempt_birth_date: str = "1980-06-15"
    not_exempt_postcode: str = "LS1 4HR"


@dataclass(frozen=True)
class ValidateConfig:
    base_url: str = ""


@dataclass(frozen=True)
class SpecChoices:
    slot_conflict_status: int = 422
    token_error_status: int = 403
    slot_interaction: str = DEFAULT_SLOT_INTERACTION
    practitioner_required: bool = False
    # Booking edition: the seed pages ("1") or the later 2.x pages ("2").
    edition: str = "1"
    # A search for busy, or free and busy, slots: "edition" (the seed pages: answered or refused with 400;
    # the 2.x pages: answered), "supported" (answered, in either edition) or "refused" (400; seed only).
    busy_search: str = "edition"
    # Assurance packs whose own rules also apply (requirements with that `profile` in the catalogue).
    profiles: tuple[str, ...] = ()


@dataclass(frozen=True)
class TlsConfig:
    verify: bool = True
    ca_bundle: str = ""
    client_cert: str = ""
    client_key: str = ""
    # A client certificate the target's client CA issued that has expired (with its key), so TLS-03 can
    # show the target refuses it; "" = that scenario is not tested (the harness cannot make one itself).
    expired_client_cert: str = ""
    expired_client_key: str = ""


@dataclass(frozen=True)
class HttpConfig:
    timeout_s: float = 30.0
    # Bodies larger than this are not read in full: the check fails with a clear message instead.
    max_body_bytes: int = 5 * 1024 * 1024


@dataclass(frozen=True)
class LoadConfig:
    """``spine-conformance load``: defaults for a run, the limits it may not exceed, what it judges."""

    users: int = 10  # simulated consumers (--users)
    spawn_rate: float = 10.0  # consumers started per second (--spawn-rate)
    duration_s: int = 60  # how long the load lasts (--duration)
    # Hard limits: a run asking for more is refused (exit 2), so a typo cannot flood a shared target.
    max_users: int = 100
    max_duration_s: int = 600
    max_workers: int = 8
    race_share: float = 0.2  # share of consumer iterations that are deliberate races for one slot or version
    race_size: int = 4  # contenders in each race
    validate_share: float = 0.1  # share of response bodies also run through the FHIR validator
    think_time_ms: int = 100  # longest random pause between a consumer's steps (0 = none)
    latency_budget_ms: int = 1000  # each interaction's latency_percentile must be within this
    latency_percentile: int = 95
    # Each consumer books for its own synthetic patient (NHS numbers in the 999 test range), so no one
    # patient gathers thousands of appointments; false = everyone books for [patient].
    synthetic_patients: bool = True
    worker_wait_s: int = 60  # how long a master waits for its workers to connect


ACTIONS = ("search_slots", "book", "cancel", "read", "search_appointments", "check_exemption")


@dataclass(frozen=True)
class ConsumerUnderTestConfig:
    """How to make the consumer under test act, and how long to give it."""

    trigger: str = "command"
    # trigger = "command": one shell command template per action ("" = action not supported).
    search_slots: str = ""
    book: str = ""
    cancel: str = ""
    read: str = ""
    search_appointments: str = ""
    check_exemption: str = ""
    # trigger = "http": the action and its parameters are POSTed as JSON to this URL.
    hook_url: str = ""
    action_timeout_s: float = 60.0  # longest an action (command, hook call) may take
    manual_timeout_s: float = 300.0  # trigger = "manual": how long to wait for the tester
    quiet_period_s: float = 2.0  # how long to watch for unprompted requests (RTEC-CLI-02)
    slow_response_s: float = 8.0  # how slow the virtual RTEC answers in the timeout scenario
    fallback_within_s: float = 5.0  # how soon the consumer must give up after an RTEC failure
    fallback_pattern: str = "(?i)declaration"  # what its output must say when it falls back
    unavailable_pattern: str = "(?i)unavailable"  # what its output must say when RTEC fails (RTEC-CLI-13)
    # States (virtual.states) the consumer cannot be put into: those scenarios are not tested, with that reason.
    unsupported_states: tuple[str, ...] = ()

    def command(self, action: str) -> str:
        return str(getattr(self, action)) if action in ACTIONS else ""


@dataclass(frozen=True)
class AssuranceConfig:
    """What is under test and who ran it: printed in every report, never used to decide anything."""

    system: str = ""  # the product under test, e.g. "Acme PAS"
    system_version: str = ""
    tester: str = ""  # a person or team, as the evidence pack should name them
    environment: str = ""  # e.g. "supplier integration (INT)"
    run_id: str = ""  # "" = one is made for each run (UTC time and a random suffix)


@dataclass(frozen=True)
class TargetConfig:
    name: str = "Unnamed target"
    assurance: AssuranceConfig = field(default_factory=AssuranceConfig)
    provider: ProviderConfig = field(default_factory=ProviderConfig)
    consumer: ConsumerConfig = field(default_factory=ConsumerConfig)
    patient: PatientConfig = field(default_factory=PatientConfig)
    exemption: ExemptionConfig = field(default_factory=ExemptionConfig)
    validate: ValidateConfig = field(default_factory=ValidateConfig)
    spec: SpecChoices = field(default_factory=SpecChoices)
    tls: TlsConfig = field(default_factory=TlsConfig)
    http: HttpConfig = field(default_factory=HttpConfig)
    consumer_under_test: ConsumerUnderTestConfig = field(default_factory=ConsumerUnderTestConfig)
    load: LoadConfig = field(default_factory=LoadConfig)
    # Where the configuration came from (a path, or "embedded demonstrator"); not a TOML key.
    source: str = ""
    # Dotted keys whose values were given as ``env:NAME`` (secrets): reports leave them out of
    # fingerprints and never print their values. Not a TOML key.
    secret_keys: tuple[str, ...] = ()
    # (dotted key, variable NAME) for each of those, so the configuration can be written back as
    # ``env:NAME`` instead of the secret itself. Not a TOML key.
    secret_env: tuple[tuple[str, str], ...] = ()
