"""Discovery's result kept from one process to the next, keyed by what it was read from.

Finding the plugins means asking importlib.metadata for every installed distribution's
entry points and parsing each plugin's plugin.toml: ~5-10 ms of every `slm` process that
routes or answers (importlib.metadata's import included), for a result that changes only
when something is installed, removed or edited. The cache file (``plugins.json`` under
SLM_HOME/cache, one per interpreter and ``sys.path``) holds the discovered plugins with the stamp of everything they came from:

* the interpreter and ``sys.path`` itself (another venv, another working directory);
* each path entry's (device, inode, size, mtime_ns): installing or removing a package
  adds or removes a folder there;
* each distribution's ``entry_points.txt`` stamp there (an egg-info rewritten in place);
* each plugin's plugin.toml stamp (an edited built-in, an editable plugin's checkout).

Taking the stamp costs a directory listing per path entry and one stat per distribution
(~0.5 ms). Any difference, a damaged file or a plugin that did not serialise cleanly
means the ordinary discovery runs (and writes a new record); the cache can only skip
work, never change what is found.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from pathlib import Path

from slm.adapters import AdapterRef
from slm.atomic_file import write_atomic
from slm.plugins.sdk import Permissions, PluginInfo

FILE_PREFIX = "plugins-"  # + a hash of the interpreter and sys.path: `slm` and `python -m slm` keep one each
_LAYOUT = 2  # 2: the records are `slm plugins info --json`'s form (meta.info_to_dict)
_PARSERS = ("discovery.py", "meta.py", "discovery_cache.py")  # slm.host modules that build the records
PARSER_DIR = os.path.dirname(os.path.abspath(__file__))
_METADATA_DIRS = (".dist-info", ".egg-info")
# A file changed this recently may change again within the file system's timestamp
# granularity with the same size: such a stamp proves nothing, so no record is written
# (as git treats "racily clean" entries).
RACY_NS = 2_000_000_000


def _stat(path: str) -> list[int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns]


def stamp() -> dict:
    """What discovery reads, cheaply: the path, its entries and their distributions' entry points."""
    entries = []
    for entry in sys.path:
        folder = entry or "."
        record = {"path": entry, "stat": _stat(folder)}
        if os.path.isdir(folder):
            try:
                names = sorted(n for n in os.listdir(folder) if n.endswith(_METADATA_DIRS))
            except OSError:
                names = []
            record["dists"] = {n: _stat(os.path.join(folder, n, "entry_points.txt")) for n in names}
        entries.append(record)
    # and the code that turns what it read into plugin records: an edited meta.py in an editable
    # install changes no file above, yet must rediscover
    code = {name: _stat(os.path.join(PARSER_DIR, name)) for name in _PARSERS}
    return {"layout": _LAYOUT, "python": sys.version, "entries": entries, "code": code}


def file_name() -> str:
    """This interpreter's and path's record (another venv or working directory gets its own)."""
    digest = hashlib.sha256(json.dumps([sys.executable, sys.version, sys.path]).encode()).hexdigest()[:12]
    return f"{FILE_PREFIX}{digest}.json"


def load(path: Path, current: dict, discovered_type) -> list | None:
    """The cached discovery when ``current`` (stamp()) and every plugin.toml still match, else None."""
    try:
        record = json.loads(Path(path).read_text(encoding="utf-8"))
        if not isinstance(record, dict) or record.get("stamp") != current:
            return None
        if any(_stat(name) != st for name, st in record["files"].items()):
            return None
        return [discovered_type(_info(d["info"]), d["problem"]) for d in record["plugins"]]
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None  # missing, damaged, another layout: discover again


def save(path: Path, current: dict, found: list) -> None:
    """Write the record (an unwritable folder only costs the next process a discovery)."""
    files = {}
    for d in found:
        if d.info.root is not None:
            name = str(Path(d.info.root) / "plugin.toml")
            files[name] = _stat(name)
    stats = [*files.values()]
    for entry in current["entries"]:
        stats += [entry["stat"], *entry.get("dists", {}).values()]
    if any(racy(st) for st in stats):
        return
    try:
        record = {"stamp": current, "files": files,
                  "plugins": [{"info": _plain(d.info), "problem": d.problem} for d in found]}
        # what is read back must be what was found: anything that does not round-trip is not kept
        if [_info(p["info"]) for p in record["plugins"]] != [d.info for d in found]:
            return
        text = json.dumps(record, ensure_ascii=False)
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text)  # another process reads the old record or the new one
    except (OSError, ValueError, TypeError, AttributeError):
        pass


def racy(st: list[int] | None) -> bool:
    """Was this (stat) modified too recently for its stamp to be trusted?"""
    return st is not None and st[3] > time.time_ns() - RACY_NS


def _plain(info: PluginInfo) -> dict:
    # imported only when a record is written: a hit never needs the parser
    from slm.host.meta import info_to_dict

    return info_to_dict(info)


def _info(data: dict) -> PluginInfo:
    return PluginInfo(
        name=data["name"], version=data["version"], description=data["description"],
        examples=tuple(data["examples"]), model=data["model"], permissions=Permissions(**data["permissions"]),
        sensitivity=data["sensitivity"], timeout_s=data["timeout_s"], accepts=data["accepts"] or "",
        entry_point=data["entry_point"], distribution=data["distribution"],
        root=None if data["root"] is None else Path(data["root"]),
        adapters=tuple(AdapterRef(a["adapter"], a["scale"]) for a in data["adapters"]))
