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
        return self.location in finding.location.key() or self.location in (
            finding.fingerprint, finding.legacy_fingerprint)  # waivers written before v2


@dataclass(frozen=True)
class SiteConfig:
    """One ``[[sites]]`` entry of the inventory: a unit whose website is audited."""

    id: str
    name: str
    urls: list[str]
    unit_type: str | None = None
    site_code: str | None = None
    max_pages: int = 2000
    max_depth: int = 6
    delay: float = 1.0
    concurrency: int = 2
    max_time: float = 3600.0
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    waivers: list[Waiver] = field(default_factory=list)


@dataclass(frozen=True)
class Config:
    select: list[str] = field(default_factory=lambda: ["ALL"])
    ignore: list[str] = field(default_factory=list)
    fail_on: Severity = Severity.HIGH
    severity: dict[str, Severity] = field(default_factory=dict)
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    waivers: list[Waiver] = field(default_factory=list)
    sites: list[SiteConfig] = field(default_factory=list)
    #: 整改期限: working days from the notice date.
    rectification_days: int = 10
    path: Path | None = None
    raw: dict[str, Any] = field(default_factory=dict)
    #: [score]: the 检查指标 scoring (full_marks, pass_mark, deductions, caps; auditor.score).
    score: dict[str, Any] = field(default_factory=dict)

    def site(self, site_id: str) -> SiteConfig | None:
        return next((s for s in self.sites if s.id == site_id), None)

    def for_site(self, site: SiteConfig) -> Config:
        """This config with the site's rule options and waivers layered on top."""
        options = {code: dict(values) for code, values in self.rule_options.items()}
        for code, values in site.rule_options.items():
            options.setdefault(code, {}).update(values)
        return Config(self.select, self.ignore, self.fail_on, self.severity, options,
                      self.waivers + site.waivers, self.sites, self.rectification_days,
                      self.path, self.raw, self.score)


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
        raise ConfigError(f"{path}：配置文件不存在") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}：无法读取（{exc}）") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}：不是有效的 TOML（{exc}）") from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("auditor", {})
    return config_from_dict(data, path)


def _strings(value: Any, where: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise ValueError(f"{where} 应为字符串列表")


def _severity(value: Any, where: str) -> Severity:
    try:
        return Severity(str(value).lower())
    except ValueError:
        raise ValueError(f"{where}：未知的严重程度 {value!r}"
                         f"（可选：{'、'.join(s.value for s in Severity)}）") from None


def config_from_dict(data: dict[str, Any], path: Path | None = None) -> Config:
    from auditor.rules import find_rule, matches, ALL_RULES  # noqa: I001 - avoid import cycle

    where = str(path) if path else "config"
    try:
        select = _strings(data.get("select", ["ALL"]), "select")
        ignore = _strings(data.get("ignore", []), "ignore")
        for selector in select + ignore:
            if not any(matches(rule, selector) for rule in ALL_RULES):
                raise ValueError(f"没有与 {selector!r} 相符的规则")
        severity = {}
        for key, value in (data.get("severity") or {}).items():
            rule = find_rule(key)
            if rule is None:
                raise ValueError(f"[severity]：未知规则 {key!r}")
            severity[rule.code] = _severity(value, f"[severity] {key}")
        options = {}
        for key, value in (data.get("rules") or {}).items():
            rule = find_rule(key)
            if rule is None:
                raise ValueError(f"[rules.{key}]：未知规则")
            if not isinstance(value, dict):
                raise ValueError(f"[rules.{key}] 应为表（table）")
            unknown = set(value) - set(rule.config_keys)
            if unknown:
                raise ValueError(f"[rules.{key}]：未知选项 {'、'.join(sorted(unknown))}"
                                 f"（可用：{'、'.join(rule.config_keys) or '无'}）")
            options[rule.code] = value
        fail_on = _severity(data.get("fail_on", "high"), "fail_on")
        waivers = [_waiver(item, f"waivers[{i}]") for i, item in enumerate(data.get("waivers") or [])]
        sites = [_site(item, i, find_rule) for i, item in enumerate(data.get("sites") or [])]
        ids = [s.id for s in sites]
        if len(set(ids)) != len(ids):
            raise ValueError(f"[[sites]]：站点编号重复 {sorted(i for i in ids if ids.count(i) > 1)[0]!r}")
        days = data.get("rectification_days", 10)
        if not isinstance(days, int) or not 1 <= days <= 365:
            raise ValueError("rectification_days 应为整数个工作日（1–365）")
        for code, values in options.items():
            problem = find_rule(code).option_problem(values)
            if problem:
                raise ValueError(f"[rules.{code}]: {problem}")
        score = _score(data.get("score") or {})
    except ValueError as exc:
        raise ConfigError(f"{where}: {exc}") from None
    return Config(select, ignore, fail_on, severity, options, waivers, sites, days, path, data,
                  score)


def _score(table: Any) -> dict[str, Any]:
    """[score]: numbers only, known keys only (see auditor/default_config.toml)."""
    from auditor.score import DEFAULT_SCORE

    if not isinstance(table, dict):
        raise ValueError("[score] 应为表（table）")
    for key, value in table.items():
        if key not in DEFAULT_SCORE:
            raise ValueError(f"[score]：未知键 {key!r}（可用：{'、'.join(DEFAULT_SCORE)}）")
        if isinstance(DEFAULT_SCORE[key], dict):
            if not isinstance(value, dict):
                raise ValueError(f"[score.{key}] 应为表（table）")
            for name, number in value.items():
                if name not in DEFAULT_SCORE[key]:
                    raise ValueError(f"[score.{key}]：未知键 {name!r}"
                                     f"（可用：{'、'.join(DEFAULT_SCORE[key])}）")
                if isinstance(number, bool) or not isinstance(number, (int, float)) \
                        or number < 0:
                    raise ValueError(f"[score.{key}] {name} 应为不小于 0 的数")
        elif isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise ValueError(f"[score] {key} 应为不小于 0 的数")
    return table


def _waiver(item: Any, where: str) -> Waiver:
    if not isinstance(item, dict) or not item.get("rule") or not item.get("reason"):
        raise ValueError(f"{where} 需要 rule（规则）和 reason（理由）")
    expires = item.get("expires")
    if isinstance(expires, str):
        try:
            expires = dt.date.fromisoformat(expires)
        except ValueError:
            raise ValueError(f"{where}：expires {expires!r} 不是日期（应为 YYYY-MM-DD）") from None
    return Waiver(str(item["rule"]), str(item["reason"]), str(item.get("location", "")), expires)


def _site(item: Any, index: int, find_rule) -> SiteConfig:
    from auditor.vocabulary import unit_type_key

    where = f"[[sites]] #{index + 1}"
    if not isinstance(item, dict):
        raise ValueError(f"{where} 应为表（table）")
    site_id = str(item.get("id") or "").strip()
    if not site_id:
        raise ValueError(f"{where} 需要 id（站点编号）")
    where = f"[[sites]] {site_id!r}"
    urls = item.get("urls") or ([item["url"]] if item.get("url") else [])
    if isinstance(urls, str):
        urls = [urls]
    if not urls or not all(isinstance(u, str) and u.startswith(("http://", "https://"))
                           for u in urls):
        raise ValueError(f"{where} 需要 urls = [\"http(s)://…\"]（起始网址）")
    unit_type = item.get("unit_type")
    if unit_type is not None:
        try:
            unit_type = unit_type_key(str(unit_type))
        except ValueError as exc:
            raise ValueError(f"{where}: {exc}") from None
    options = {}
    for key, value in (item.get("rules") or {}).items():
        rule = find_rule(key)
        if rule is None or not isinstance(value, dict):
            raise ValueError(f"{where}：[rules.{key}] 不是已知规则的选项表")
        options[rule.code] = value
    numbers = {}
    for key, default, kind in (("max_pages", 2000, int), ("max_depth", 6, int),
                               ("delay", 1.0, float), ("concurrency", 2, int),
                               ("max_time", 3600.0, float)):
        value = item.get(key, default)
        if not isinstance(value, (int, float)) or value < 0:
            raise ValueError(f"{where}：{key} 应为不小于 0 的数")
        numbers[key] = kind(value)
    numbers["concurrency"] = min(max(numbers["concurrency"], 1), 2)
    return SiteConfig(site_id, str(item.get("name") or site_id), urls, unit_type,
                      str(item["site_code"]) if item.get("site_code") else None,
                      rule_options=options,
                      waivers=[_waiver(w, f"{where} waivers[{i}]")
                               for i, w in enumerate(item.get("waivers") or [])], **numbers)
