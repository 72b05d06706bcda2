"""``auditor.toml`` (or ``[tool.auditor]`` in pyproject.toml): rule selection, severities,
rule options and waivers. Found upward from the working directory; ``--config`` wins."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .findings import Finding, Severity


class ConfigError(Exception):
    """A config file that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Waiver:
    rule: str
    reason: str
    location: str = ""
    expires: dt.date | None = None

    def covers(self, finding: Finding, today: dt.date) -> bool:
        if self.expires and today > self.expires:
            return False
        if self.rule.upper() not in (finding.rule, "ALL") and self.rule != finding.name:
            return False
        if not self.location:
            return True
        return self.location in finding.location.key() or self.location == finding.fingerprint


@dataclass(frozen=True)
class Config:
    select: list[str] = field(default_factory=lambda: ["ALL"])
    ignore: list[str] = field(default_factory=list)
    fail_on: Severity = Severity.HIGH
    severity: dict[str, Severity] = field(default_factory=dict)
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    waivers: list[Waiver] = field(default_factory=list)
    path: Path | None = None
    raw: dict[str, Any] = field(default_factory=dict)


DEFAULT_CONFIG = Path(__file__).with_name("default_config.toml")


def find_config(start: Path | None = None) -> Path | None:
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "auditor.toml"
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                if "auditor" in tomllib.loads(pyproject.read_text("utf-8")).get("tool", {}):
                    return pyproject
            except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError):
                continue
    return None


def load_config(path: str | Path | None = None, *, discover: bool = True) -> Config:
    """The config at ``path``, else the one found upward, else the defaults."""
    if path is None and discover:
        path = find_config()
    if path is None:
        return Config()
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such config file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML ({exc})") from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("auditor", {})
    return config_from_dict(data, path)


def _strings(value: Any, where: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise ValueError(f"{where} must be a list of strings")


def _severity(value: Any, where: str) -> Severity:
    try:
        return Severity(str(value).lower())
    except ValueError:
        raise ValueError(f"{where}: unknown severity {value!r} "
                         f"(one of {', '.join(s.value for s in Severity)})") from None


def config_from_dict(data: dict[str, Any], path: Path | None = None) -> Config:
    from auditor.rules import find_rule, matches, ALL_RULES  # noqa: I001 - avoid import cycle

    where = str(path) if path else "config"
    try:
        select = _strings(data.get("select", ["ALL"]), "select")
        ignore = _strings(data.get("ignore", []), "ignore")
        for selector in select + ignore:
            if not any(matches(rule, selector) for rule in ALL_RULES):
                raise ValueError(f"no rule matches {selector!r}")
        severity = {}
        for key, value in (data.get("severity") or {}).items():
            rule = find_rule(key)
            if rule is None:
                raise ValueError(f"[severity]: unknown rule {key!r}")
            severity[rule.code] = _severity(value, f"[severity] {key}")
        options = {}
        for key, value in (data.get("rules") or {}).items():
            rule = find_rule(key)
            if rule is None:
                raise ValueError(f"[rules.{key}]: unknown rule")
            if not isinstance(value, dict):
                raise ValueError(f"[rules.{key}] must be a table")
            unknown = set(value) - set(rule.config_keys)
            if unknown:
                raise ValueError(f"[rules.{key}]: unknown option(s) {', '.join(sorted(unknown))}"
                                 f" (known: {', '.join(rule.config_keys) or 'none'})")
            options[rule.code] = value
        waivers = []
        for i, item in enumerate(data.get("waivers") or []):
            if not isinstance(item, dict) or not item.get("rule") or not item.get("reason"):
                raise ValueError(f"waivers[{i}] needs a rule and a reason")
            expires = item.get("expires")
            if isinstance(expires, str):
                expires = dt.date.fromisoformat(expires)
            waivers.append(Waiver(str(item["rule"]), str(item["reason"]),
                                  str(item.get("location", "")), expires))
        fail_on = _severity(data.get("fail_on", "high"), "fail_on")
    except ValueError as exc:
        raise ConfigError(f"{where}: {exc}") from None
    return Config(select, ignore, fail_on, severity, options, waivers, path, data)
