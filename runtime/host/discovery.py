"""Finding installed plugins: entry points (group ``slm.plugins``) + plugin.toml.

No plugin code runs here. The entry point names ``module:attr``; the metadata
file sits in that module's package folder, which is found without executing the
package: ``importlib.util.find_spec`` on the *top-level* name only locates it,
and the rest of the dotted path is walked on the file system. (Calling
find_spec on a dotted name would import, i.e. run, the parent packages.) When
that fails (unusual install layouts) the distribution's file list is searched.
"""
from __future__ import annotations

import importlib.util
import logging
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from slm.host.meta import (
    METADATA_FILE,
    NAME_RULE,
    MetadataError,
    read_plugin_toml,
    valid_name,
)
from slm.plugins.sdk import PluginInfo

if TYPE_CHECKING:  # importlib.metadata (and the email package under it) loads when discovery runs
    from importlib import metadata

GROUP = "slm.plugins"
BUILTIN_DISTRIBUTION = "slm-runtime"  # the distribution whose entry points are the built-ins
log = logging.getLogger("slm.plugins")


@dataclass(frozen=True)
class Discovered:
    info: PluginInfo  # a bare placeholder (no examples) when the metadata is unusable
    problem: str | None = None  # why the plugin cannot be used before it ever runs

    @property
    def name(self) -> str:
        return self.info.name


def discover(group: str = GROUP) -> list[Discovered]:
    """Every plugin registered in ``group``, sorted by name, each with its metadata or its problem."""
    by_name: dict[str, list[tuple[metadata.EntryPoint, str | None]]] = {}
    for ep in _entry_points(group):
        dist = _dist_name(ep)
        seen = by_name.setdefault(ep.name, [])
        # The same distribution can be visible twice (an egg-info in the working
        # directory next to an editable install); that is not a conflict.
        if any(other.value == ep.value and _norm(d) == _norm(dist) for other, d in seen):
            continue
        seen.append((ep, dist))
    found = []
    for name in sorted(by_name):
        candidates = by_name[name]
        builtin = [(ep, d) for ep, d in candidates if _norm(d) == BUILTIN_DISTRIBUTION]
        if builtin and len(candidates) > 1:
            # Built-ins win: a package cannot take over (or switch off) a built-in by its name.
            ep, dist = builtin[0]
            found.append(load_entry(name, ep.value, dist, getattr(ep, "dist", None)))
            for other, other_dist in candidates:
                if _norm(other_dist) != BUILTIN_DISTRIBUTION:
                    found.append(_impostor(name, other, other_dist))
            continue
        ep, dist = candidates[0]
        if len({_norm(d) for _, d in candidates}) > 1:
            who = ", ".join(sorted({d or "?" for _, d in candidates}))
            found.append(_broken(name, ep.value, getattr(ep, "dist", None), None,
                                 f"plugin name {name!r} is provided by several packages ({who})"))
            continue
        found.append(load_entry(name, ep.value, dist, getattr(ep, "dist", None)))
    return found


def _impostor(name: str, ep: metadata.EntryPoint, dist_name: str | None) -> Discovered:
    """A package's entry point that takes a built-in's name: listed, never run or routed to."""
    shown = f"{_norm(dist_name) or '?'}/{name}"  # its own key, so the built-in keeps the name
    broken = _broken(shown, ep.value, getattr(ep, "dist", None), None,
                     f"package {dist_name or '?'} registers a plugin under the built-in name {name!r}; "
                     "the built-in is used and this one is ignored")
    return broken


def _entry_points(group: str) -> list[metadata.EntryPoint]:
    """Entry points of ``group`` from every distribution on the path, first copy of each wins.

    Read one distribution at a time: a package with a damaged entry_points.txt
    is skipped (and logged) instead of breaking discovery for all the others.
    """
    from importlib import metadata

    seen: set[str] = set()
    out: list[metadata.EntryPoint] = []
    for dist in metadata.distributions():
        try:
            name = _dist_key(dist)
            if name in seen:
                continue
            seen.add(name)
            out.extend(ep for ep in dist.entry_points if ep.group == group)
        except Exception as exc:  # noqa: BLE001 - any damage in one package's metadata
            log.warning("skipping a package with unreadable entry points (%s): %s", _path_of(dist), exc)
    return out


def _path_of(dist: metadata.Distribution) -> str:
    return str(getattr(dist, "_path", "?"))


def load_entry(name: str, value: str, dist_name: str | None, dist: metadata.Distribution | None = None) -> Discovered:
    """Metadata of one entry point ``name = value``; problems become ``Discovered.problem``."""
    module = value.split(":", 1)[0].strip()
    if not valid_name(name):
        return _broken(name, value, dist, None, f"bad plugin name {name!r} ({NAME_RULE})")
    if ":" not in value or not module:
        return _broken(name, value, dist, None, f"entry point {value!r} must look like 'module:attribute'")
    root = locate_module_dir(module, dist)
    if root is None:
        return _broken(name, value, dist, None, f"cannot find module {module!r} on the path")
    try:
        info = read_plugin_toml(root, entry_point=value, distribution=dist_name)
    except MetadataError as exc:
        return _broken(name, value, dist, root, str(exc))
    if info.name != name:
        return _broken(name, value, dist, root,
                       f"entry point name {name!r} differs from name {info.name!r} in {METADATA_FILE}")
    return Discovered(info)


def locate_module_dir(module: str, dist: metadata.Distribution | None = None) -> Path | None:
    """The folder holding ``module``'s plugin.toml, found without running the module or its parents."""
    parts = module.split(".")
    parent = ".".join(parts[:-1])
    try:
        if len(parts) == 1 or parent in sys.modules or parts[0] == "slm":
            # Nothing of the plugin runs: top-level lookups execute nothing, and
            # an already-imported parent (or slm's own packages) runs no new code.
            spec = importlib.util.find_spec(module)
            return _spec_dir(spec)
        top = importlib.util.find_spec(parts[0])
        locations = list(top.submodule_search_locations or []) if top else []
        found = _walk(locations, parts[1:])
        if found is not None:
            return found
    except (ImportError, ValueError, AttributeError):
        pass
    return _from_dist_files(parts, dist)


def _spec_dir(spec) -> Path | None:
    if spec is None:
        return None
    if spec.submodule_search_locations:
        return Path(list(spec.submodule_search_locations)[0])
    if spec.origin and spec.origin not in ("built-in", "frozen"):
        return Path(spec.origin).parent
    return None


def _walk(locations: list[str], rest: list[str]) -> Path | None:
    dirs = [Path(p) for p in locations]
    for i, part in enumerate(rest):
        last = i == len(rest) - 1
        next_dirs = [d / part for d in dirs if (d / part).is_dir()]
        if last and not next_dirs:
            files = [d for d in dirs if (d / f"{part}.py").is_file()]
            return files[0] if files else None
        if not next_dirs:
            return None
        dirs = next_dirs
    return dirs[0] if dirs else None


def _from_dist_files(parts: list[str], dist: metadata.Distribution | None) -> Path | None:
    if dist is None:
        return None
    wanted = {"/".join(parts) + "/" + METADATA_FILE, "/".join(parts[:-1] + [METADATA_FILE]).lstrip("/")}
    for file in dist.files or ():
        if str(file).replace("\\", "/") in wanted:
            return Path(dist.locate_file(file)).parent
    return None


def _broken(name: str, value: str, dist: metadata.Distribution | None, root: Path | None, problem: str) -> Discovered:
    info = PluginInfo(name=name, version=dist.version if dist is not None else "?", description="", examples=(),
                      model=None, entry_point=value,
                      distribution=dist.metadata["Name"] if dist is not None else None, root=root)
    return Discovered(info, problem)


def _dist_name(ep) -> str | None:
    dist = getattr(ep, "dist", None)
    return _dist_key(dist) if dist is not None else None


def _dist_key(dist: metadata.Distribution) -> str:
    """The distribution's normalised name (PEP 503), read from its dist-info folder's name.

    Asking ``dist.metadata["Name"]`` parses the whole METADATA file of every installed
    package: ~40 ms of each `slm` start-up for a name the folder already carries.
    """
    quick = getattr(dist, "_normalized_name", None)
    return _norm(quick if isinstance(quick, str) and quick else dist.metadata["Name"])


def _norm(name: str | None) -> str:
    return re.sub(r"[-_.]+", "-", name or "").lower()
