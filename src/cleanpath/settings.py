"""Every setting of cleanpath, declared once (name, type, default, help), and where a value
comes from.

Precedence: the command line (or a library argument), then the environment
(``CLEANPATH_<NAME>``, dashes as underscores), then a TOML config file, then the default.
The config file is ``$CLEANPATH_CONFIG`` when set, else ``./cleanpath.toml`` when it exists;
its keys are setting names (dashes or underscores), at the top level or in a ``[cleanpath]``
table. ``cleanpath settings`` prints each setting's value and where it came from (secrets
masked).

>>> resolve("policy", env={}, config={}).value
'us-fcc'
>>> v = resolve("policy", env={"CLEANPATH_POLICY": "uk-huawei"}, config={"policy": "de-5g"})
>>> v.value, v.source
('uk-huawei', 'environment CLEANPATH_POLICY')
>>> resolve("policy", "au-5g", env={"CLEANPATH_POLICY": "uk-huawei"}, config={}).source
'command line'
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cleanpath.errors import InputError

__all__ = [
    "SETTINGS", "Setting", "Value", "config_path", "effective", "read_config", "resolve", "value",
]  # fmt: skip

_KINDS: dict[str, type] = {"str": str, "path": Path, "int": int, "float": float}


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting: ``kind`` is ``str``, ``path``, ``int`` or ``float``."""

    name: str
    kind: str
    default: Any
    help: str
    secret: bool = False

    @property
    def env(self) -> str:
        return "CLEANPATH_" + self.name.upper().replace("-", "_")

    def convert(self, raw: Any, where: str) -> Any:
        """``raw`` as this setting's type; an InputError naming ``where`` if it is not one."""
        if raw is None:
            return None
        number = isinstance(raw, int | float) and not isinstance(raw, bool)
        msg = f"{self.name} must be a {self.kind}, got {raw!r}"
        path = isinstance(raw, Path) and self.kind == "path"
        if not (isinstance(raw, str) or path or (number and self.kind in ("int", "float"))):
            raise InputError(msg, field=where)
        try:
            return _KINDS[self.kind](raw)
        except (TypeError, ValueError):
            raise InputError(msg, field=where) from None


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in (
        Setting("db", "path", Path("cleanpath.duckdb"), "Results database (a DuckDB file)."),
        Setting("policy", "str", "us-fcc", "Policy verdicts are computed under."),
        Setting("weight", "str", "auto", "Link weight: auto, unit, distance or an attribute."),
        Setting("engine", "str", "local", "Exposure engine: local, or dask."),
        Setting("scheduler", "str", None, "Dask scheduler address (tcp://host:port)."),
        Setting("token", "str", None, "Bearer token the web API requires.", secret=True),
        Setting("redfish-password", "str", None, "Password for Redfish services.", secret=True),
    )
}


@dataclass(frozen=True, slots=True)
class Value:
    """A setting's effective value and where it came from."""

    setting: Setting
    value: Any
    source: str

    def shown(self) -> str:
        if self.value is None:
            return "(not set)"
        return "****" if self.setting.secret else str(self.value)


def config_path(env: Mapping[str, str] | None = None, cwd: Path | None = None) -> Path | None:
    """The config file in use: $CLEANPATH_CONFIG, else ./cleanpath.toml if it exists."""
    env = os.environ if env is None else env
    if env.get("CLEANPATH_CONFIG"):
        return Path(env["CLEANPATH_CONFIG"])
    local = (cwd or Path.cwd()) / "cleanpath.toml"
    return local if local.is_file() else None


def read_config(path: Path) -> dict[str, Any]:
    """The settings in a TOML file, keys normalised to setting names; unknown keys and
    unreadable files are InputErrors naming the file (and the key)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read config file: {exc.strerror}", path=str(path)) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"not a TOML file: {exc}", path=str(path)) from None
    table = data.get("cleanpath", data)
    if not isinstance(table, dict):
        raise InputError("[cleanpath] must be a table", path=str(path), field="cleanpath")
    out: dict[str, Any] = {}
    for key, raw in table.items():
        name = key.replace("_", "-")
        if name not in SETTINGS:
            known = ", ".join(sorted(SETTINGS))
            raise InputError(f"unknown setting (known: {known})", path=str(path), field=key)
        out[name] = SETTINGS[name].convert(raw, f"{path}: {key}")
    return out


def resolve(
    name: str,
    given: Any = None,
    *,
    env: Mapping[str, str] | None = None,
    config: Mapping[str, Any] | None = None,
    config_source: str = "config file",
) -> Value:
    """The value of setting ``name``: ``given`` (not None), else the environment, else the
    config file (read from :func:`config_path` unless ``config`` is passed), else the default."""
    s = SETTINGS[name]
    if given is not None:
        return Value(s, s.convert(given, name), "command line")
    env = os.environ if env is None else env
    if env.get(s.env):
        return Value(s, s.convert(env[s.env], s.env), f"environment {s.env}")
    where = config_source
    if config is None:
        path = config_path(env)
        config = read_config(path) if path is not None else {}
        where = f"config {path}"
    if name in config:
        return Value(s, config[name], where)
    return Value(s, s.default, "default")


def value(name: str, given: Any = None) -> Any:
    """Shorthand for ``resolve(name, given).value``."""
    return resolve(name, given).value


def effective(given: Mapping[str, Any] | None = None) -> list[Value]:
    """Every setting's value and source (the config file is read once)."""
    path = config_path()
    config = read_config(path) if path is not None else {}
    given = given or {}
    where = f"config {path}"
    return [resolve(n, given.get(n), config=config, config_source=where) for n in sorted(SETTINGS)]
