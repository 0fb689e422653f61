"""Read, validate, fingerprint and write the target configuration (TOML).

Validation collects every problem before failing, so a user fixes a file in one pass. Each
problem starts with the dotted key it concerns. Values given as ``env:NAME`` are secrets: they
are read from the environment, never quoted in a message, and left out of the fingerprint.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
import os
import tomllib
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints

from spine_conformance.config.combinations import check_combinations
from spine_conformance.config.model import ACTIONS, ConsumerUnderTestConfig, TargetConfig
from spine_conformance.config.rules import FIELD_RULES, normalise

ENV_PREFIX = "env:"
# TargetConfig fields that record where the values came from; they are not TOML keys.
_PROVENANCE = frozenset({"source", "secret_keys", "secret_env"})
SUITES = ("provider", "exemption", "consumer")
PERSONAL_PREFIXES = ("patient.", "exemption.not_exempt_")
# Who ran it and what they called it: shown in reports, but the same configuration run by another
# tester (or with another run id) is the same configuration in force.
IDENTIFICATION_PREFIX = "assurance."
_SUITE_REQUIREMENTS: dict[str, tuple[str, ...]] = {
    "provider": ("provider.base_url", "provider.asid", "provider.healthcare_service"),
    "exemption": ("exemption.url",),
    # Appointments consumer scenarios also need [provider] (the virtual SSP forwards to it); without
    # it they are not tested, and an RTEC-only consumer can still be assured.
    "consumer": (),
}


class ConfigError(Exception):
    """The configuration cannot be used; ``problems`` lists every reason, one per entry."""

    def __init__(self, problems: list[str], source: str = "") -> None:
        self.problems = list(problems)
        self.source = source
        super().__init__(self._message())

    def _message(self) -> str:
        count = len(self.problems)
        where = f" in {self.source}" if self.source else ""
        header = f"Invalid configuration{where} ({count} problem{'s' if count != 1 else ''}):"
        return "\n".join([header, *(f"  {problem}" for problem in self.problems)])

    def __str__(self) -> str:
        return self._message()


# --- reading -------------------------------------------------------------------------------


def load_config(
    path: str | Path, environ: Mapping[str, str] | None = None, suites: Collection[str] = ()
) -> TargetConfig:
    """Read and validate a TOML configuration file; relative file paths are taken from its folder.

    With ``suites``, what those suites need is checked too, so every problem is reported at once.
    """
    source = str(path)
    try:
        # utf-8-sig: a file saved by an editor that writes a byte-order mark is still TOML.
        text = Path(path).read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ConfigError([f"{source}: not valid UTF-8 text (byte {error.start})"], source) from None
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise ConfigError([f"{source}: cannot read file ({reason})"], source) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        # tomllib's message already ends with "(at line L, column C)".
        raise ConfigError([f"{source}: invalid TOML: {error}"], source) from None
    base_dir = Path(path).absolute().parent
    return config_from_mapping(data, source=source, environ=environ, base_dir=base_dir, suites=suites)


@dataclasses.dataclass
class _Reader:
    """Problems and secret keys collected while reading one configuration."""

    environ: Mapping[str, str]
    base_dir: Path
    problems: list[str] = dataclasses.field(default_factory=list)
    secret_env: dict[str, str] = dataclasses.field(default_factory=dict)
    invalid: set[str] = dataclasses.field(default_factory=set)

    def problem(self, key: str, message: str) -> None:
        self.problems.append(f"{key}: {message}")
        self.invalid.add(key)


_INVALID: Any = object()


def config_from_mapping(
    data: Mapping[str, Any],
    source: str = "",
    environ: Mapping[str, str] | None = None,
    base_dir: Path | None = None,
    suites: Collection[str] = (),
) -> TargetConfig:
    """Validate an already-parsed configuration; raise ConfigError listing every problem."""
    reader = _Reader(
        environ=os.environ if environ is None else environ,
        base_dir=(base_dir or Path.cwd()).absolute(),
    )
    hints = get_type_hints(TargetConfig)
    known = _toml_fields(TargetConfig)
    _report_unknown(reader, "", data, known)
    values: dict[str, Any] = {}
    for name in known:
        if name not in data:
            continue
        if dataclasses.is_dataclass(hints[name]):
            values[name] = _read_section(reader, name, hints[name], data[name])
        else:
            values[name] = _read_value(reader, name, hints[name], data[name])
    check_combinations(reader, values)
    for key, suite in _missing_for_suites(values, suites):
        if key not in reader.invalid:  # a value already reported as wrong is not also "missing"
            reader.problem(key, f"required for the {suite} suite")
    if "consumer" in suites or "all" in suites:
        reader.problems += _consumer_trigger_problems(ConsumerUnderTestConfig(**values.get("consumer_under_test", {})))
    if reader.problems:
        raise ConfigError(reader.problems, source)
    sections = {name: hints[name](**value) for name, value in values.items() if isinstance(value, dict)}
    scalars = {name: value for name, value in values.items() if not isinstance(value, dict)}
    return TargetConfig(
        **scalars,
        **sections,
        source=source,
        secret_keys=tuple(sorted(reader.secret_env)),
        secret_env=tuple(sorted(reader.secret_env.items())),
    )


def _toml_fields(cls: type) -> list[str]:
    return [f.name for f in dataclasses.fields(cls) if f.name not in _PROVENANCE]


def _read_section(reader: _Reader, section: str, cls: type, raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        reader.problem(section, f"expected a table ([{section}]), got {_kind(raw)}")
        return {}
    hints = get_type_hints(cls)
    known = _toml_fields(cls)
    _report_unknown(reader, section + ".", raw, known)
    values = {}
    for name in known:
        if name in raw:
            value = _read_value(reader, f"{section}.{name}", hints[name], raw[name])
            if value is not _INVALID:
                values[name] = value
    return values


def _read_value(reader: _Reader, key: str, expected: Any, raw: Any) -> Any:
    secret = expected is str and isinstance(raw, str) and raw.startswith(ENV_PREFIX)
    if secret:
        raw = _from_environment(reader, key, raw[len(ENV_PREFIX) :])
        if raw is _INVALID:
            return _INVALID
    value, type_problem = _coerce(expected, raw)
    if type_problem:
        reader.problem(key, type_problem)
        return _INVALID
    value = normalise(key, value, reader.base_dir)
    rule = FIELD_RULES.get(key)
    problem = rule(value) if rule else None
    if problem:
        # A secret's value is never quoted; anything else is, because it helps the fix.
        quiet = secret or value in ("", ())
        reader.problem(key, problem if quiet else f"{problem} (got {_show(value)})")
        return _INVALID
    return value


def _from_environment(reader: _Reader, key: str, name: str) -> Any:
    reader.secret_env[key] = name
    if not name:
        reader.problem(key, "'env:' must be followed by an environment variable name")
        return _INVALID
    if name not in reader.environ:
        reader.problem(key, f"environment variable {name} is not set")
        return _INVALID
    return reader.environ[name]


def _report_unknown(reader: _Reader, prefix: str, raw: Mapping[str, Any], known: list[str]) -> None:
    for name, value in raw.items():
        if name in known:
            continue
        section_like = isinstance(value, dict) and not prefix
        what = "unknown section" if section_like else "unknown key"
        reader.problem(f"{prefix}{name}", what + _suggestion(name, known, prefix))


def _suggestion(name: str, known: list[str], prefix: str) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    if close:
        return f" (did you mean '{close[0]}'?)"
    # A key typed under the wrong table (or before any table) is a common slip.
    homes = [key.rsplit(".", 1)[0] for key in _flatten(TargetConfig()) if key.endswith("." + name)]
    homes = [home for home in homes if f"{home}." != prefix]
    return f" (it belongs in [{homes[0]}])" if homes else ""


def _coerce(expected: Any, value: Any) -> tuple[Any, str | None]:
    """The value in the model's type, or a description of the type mismatch."""
    if expected is bool:
        ok = isinstance(value, bool)
    elif expected is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif expected is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        value = float(value) if ok else value
    elif expected is str:
        ok = isinstance(value, str)
    elif get_origin(expected) is tuple and get_args(expected) == (str, ...):
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return tuple(value), None
        return value, f"expected a list of strings, got {_kind(value)}"
    else:  # a model field type this loader does not know; a programming error, not user error
        raise TypeError(f"unsupported configuration field type {expected!r}")
    return (value, None) if ok else (value, f"expected {_EXPECTED[expected]}, got {_kind(value)}")


_EXPECTED: dict[type, str] = {bool: "true or false", int: "an integer", float: "a number", str: "a string"}


def _kind(value: Any) -> str:
    if isinstance(value, list):
        inner = {_kind(item) for item in value if not isinstance(item, str)}
        return f"a list containing {sorted(inner)[0]}" if inner else "a list"
    kinds: list[tuple[type | tuple[type, ...], str]] = [
        (bool, "a boolean"),
        (int, "an integer"),
        (float, "a number"),
        (str, "a string"),
        (dict, "a table"),
    ]
    for kind, description in kinds:
        if isinstance(value, kind):
            return description
    # TOML dates and times are unquoted; every date in this configuration is a quoted string.
    return "a date/time (put it in quotes)"


def _show(value: Any) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(repr(item) for item in value) + "]"
    return repr(value)


def _missing_for_suites(values: Mapping[str, Any], suites: Collection[str]) -> list[tuple[str, str]]:
    """(key, suite) for each key the chosen suites need and the configuration lacks."""
    selected = SUITES if "all" in suites else [suite for suite in SUITES if suite in suites]
    missing: list[tuple[str, str]] = []
    for suite in selected:
        for key in _SUITE_REQUIREMENTS[suite]:
            section, _, name = key.partition(".")
            given = values.get(section, {})
            if not (given.get(name) if isinstance(given, dict) else None):
                missing.append((key, suite))
    return missing


# --- suites --------------------------------------------------------------------------------


def problems_for_suites(config: TargetConfig, suites: Collection[str]) -> list[str]:
    """What the configuration lacks for the selected suites ("all" selects every suite)."""
    unknown = [suite for suite in suites if suite not in _SUITE_REQUIREMENTS and suite != "all"]
    problems = [f"suite {suite!r}: unknown suite (expected {', '.join(SUITES)} or all)" for suite in unknown]
    selected = SUITES if "all" in suites else [suite for suite in SUITES if suite in suites]
    flat = _flatten(config)
    for suite in selected:
        for key in _SUITE_REQUIREMENTS[suite]:
            if not flat[key]:
                problems.append(f"{key}: required for the {suite} suite")
    if "consumer" in selected:
        problems += _consumer_trigger_problems(config.consumer_under_test)
    return problems


def _consumer_trigger_problems(under_test: ConsumerUnderTestConfig) -> list[str]:
    """The consumer suite needs a way to make the consumer act."""
    if under_test.trigger == "http" and not under_test.hook_url:
        return ['consumer_under_test.hook_url: required when trigger = "http"']
    if under_test.trigger == "command" and not any(under_test.command(action) for action in ACTIONS):
        return [f'consumer_under_test: trigger = "command" needs at least one action command ({", ".join(ACTIONS)})']
    return []


def _flatten(config: TargetConfig) -> dict[str, Any]:
    """Every TOML key of the configuration as dotted key -> value."""
    flat: dict[str, Any] = {}
    for name in _toml_fields(TargetConfig):
        value = getattr(config, name)
        if dataclasses.is_dataclass(value):
            for inner in _toml_fields(type(value)):
                flat[f"{name}.{inner}"] = getattr(value, inner)
        else:
            flat[name] = value
    return flat


# --- fingerprint and writing ----------------------------------------------------------------


def config_fingerprint(config: TargetConfig) -> str:
    """SHA-256 of the configuration's canonical JSON, without provenance, secrets or patient details.

    The fingerprint is printed in reports; a plain hash of low-entropy identifiers (a date of birth,
    a postcode) could be reversed, so the test patients are left out.
    """
    secrets = set(config.secret_keys)
    canonical = {
        key: value
        for key, value in _flatten(config).items()
        if key not in secrets and not key.startswith((*PERSONAL_PREFIXES, IDENTIFICATION_PREFIX))
    }
    text = json.dumps(
        {key: list(value) if isinstance(value, tuple) else value for key, value in canonical.items()},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def dump_toml(config: TargetConfig) -> str:
    """The configuration as TOML that load_config reads back equal; secrets stay ``env:NAME``."""
    env_names = dict(config.secret_env)
    lines: list[str] = []
    for name in _toml_fields(TargetConfig):
        value = getattr(config, name)
        if not dataclasses.is_dataclass(value):
            lines.append(f"{name} = {_toml_value(env_names, name, value)}")
            continue
        lines += ["", f"[{name}]"]
        for inner in _toml_fields(type(value)):
            key = f"{name}.{inner}"
            lines.append(f"{inner} = {_toml_value(env_names, key, getattr(value, inner))}")
    return "\n".join(lines) + "\n"


def _toml_value(env_names: Mapping[str, str], key: str, value: Any) -> str:
    if key in env_names:
        return _toml_string(ENV_PREFIX + env_names[key])
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml_string(item) for item in value) + "]"
    raise TypeError(f"{key}: cannot write {type(value).__name__} as TOML")


_SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def _toml_string(text: str) -> str:
    """A TOML basic string; other control characters (and DEL) must be \\u escapes."""
    out = []
    for char in text:
        if char in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'
