"""Linux RAPL energy counters through the powercap sysfs class.

Layout (``/sys/class/powercap``, a flat list of links into the device tree)::

    intel-rapl            control type (no counter)
    intel-rapl:0          package-0   <- top-level zone, what we read
    intel-rapl:0:0        core        <- nested inside package-0: never added
    intel-rapl:0:2        dram
    intel-rapl:1          psys        <- whole platform, contains the packages
    intel-rapl-mmio:0     package-0   <- MMIO mirror of intel-rapl:0: same counter

AMD Zen CPUs use the same driver and layout (an ``amd-rapl`` prefix is accepted
too). To avoid double counting we keep only top-level zones, de-duplicate by
zone name (mirrors and per-die duplicates carry the same name; the MSR
interface wins over MMIO), and sum the ``package-*`` zones; ``psys`` is used
only when there is no package zone (it already includes the packages).

Since Linux 5.10 ``energy_uj`` is readable only by root (CVE-2020-8694,
PLATYPUS). That is detected at discovery and explained with the fix; the meter
then falls back to the CPU-time estimate and records why.
"""
from __future__ import annotations

import errno
import re
from dataclasses import dataclass, field
from pathlib import Path

from slm.energy.sysfs import Reader, read_int, read_opt, read_sysfs

# "<control-type>:<index>[:<subindex>...]"
_ZONE_RE = re.compile(r"^(?P<type>[a-z][a-z0-9-]*):(?P<path>\d+(?::\d+)*)$")
# MSR-based zones first: an MMIO zone of the same name is a mirror of it.
_TYPE_PRIORITY = {"intel-rapl": 0, "amd-rapl": 0, "intel-rapl-mmio": 1}


def permission_fix(root: Path) -> str:
    """The exact commands that let a non-root user read the RAPL counters."""
    return (
        f"to allow reading until the next reboot: sudo chmod a+r {root}/*/energy_uj ; "
        "to make it permanent for a group of trusted users: "
        "sudo groupadd -f powercap && sudo usermod -aG powercap $USER && "
        "echo 'SUBSYSTEM==\"powercap\", ACTION==\"add|change\", "
        "RUN+=\"/bin/chgrp powercap /sys%p/energy_uj\", RUN+=\"/bin/chmod g+r /sys%p/energy_uj\"' "
        "| sudo tee /etc/udev/rules.d/70-powercap.rules && "
        "sudo udevadm control --reload && sudo udevadm trigger --subsystem-match=powercap "
        "(then log in again; the counters were restricted because they leak timing "
        "information, CVE-2020-8694, so grant them only to trusted users)"
    )


@dataclass(frozen=True)
class RaplDomain:
    zone: str                 # directory name, e.g. "intel-rapl:0"
    name: str                 # the zone's name file, e.g. "package-0"
    energy_path: str          # .../energy_uj
    max_range_uj: int | None  # counter range for wrap-around; None if unreadable


@dataclass
class RaplStatus:
    available: bool
    domains: tuple[RaplDomain, ...] = ()
    reason: str | None = None     # why unavailable (one line)
    fix: str | None = None        # what the user can do
    notes: list[str] = field(default_factory=list)  # skipped zones, missing ranges

    @property
    def permission_denied(self) -> bool:
        return bool(self.reason and "Permission denied" in self.reason)


def _zone_sort_key(zone: str, ctype: str, index: tuple[int, ...]) -> tuple:
    return (_TYPE_PRIORITY.get(ctype, 2), index, zone)


def discover(root: Path, *, reader: Reader = read_sysfs) -> RaplStatus:
    """Find the RAPL domains to read under ``root`` and check they are readable."""
    root = Path(root)
    if not root.is_dir():
        return RaplStatus(False, reason=f"no powercap directory at {root} (not Linux, or the kernel has no RAPL driver)",
                          fix="on Linux: sudo modprobe intel_rapl_msr (Intel and AMD Zen); "
                              "virtual machines do not expose RAPL")
    candidates: list[tuple[tuple, str, str]] = []  # (sort key, zone, name)
    notes: list[str] = []
    try:
        entries = sorted(p.name for p in root.iterdir())
    except OSError as exc:
        return RaplStatus(False, reason=f"cannot list {root}: {exc.strerror}")
    for entry in entries:
        match = _ZONE_RE.match(entry)
        if not match:
            continue  # a control type directory such as "intel-rapl"
        ctype = match["type"]
        if "rapl" not in ctype:
            continue  # other powercap drivers (e.g. dtpm) have no energy counter we trust
        index = tuple(int(i) for i in match["path"].split(":"))
        if len(index) != 1:
            continue  # nested zone (core, uncore, dram inside a package): counted by its parent
        name = read_opt(reader, str(root / entry / "name"))
        if not name:
            notes.append(f"{entry}: no readable name, skipped")
            continue
        candidates.append((_zone_sort_key(entry, ctype, index), entry, name))
    if not candidates:
        return RaplStatus(False, reason=f"no RAPL zones under {root} (CPU or kernel without RAPL, or a virtual machine)",
                          fix="on Linux: sudo modprobe intel_rapl_msr; virtual machines do not expose RAPL")

    seen: dict[str, str] = {}
    unique: list[tuple[str, str]] = []
    for _, zone, name in sorted(candidates):
        if name in seen:
            notes.append(f"{zone} ({name}) mirrors {seen[name]}, not counted twice")
            continue
        seen[name] = zone
        unique.append((zone, name))

    packages = [(z, n) for z, n in unique if n.startswith("package")]
    psys = [(z, n) for z, n in unique if n == "psys"]
    chosen = packages or psys
    if not chosen:
        names = ", ".join(n for _, n in unique)
        return RaplStatus(False, reason=f"RAPL zones found ({names}) but no package or psys zone", notes=notes)
    if packages and psys:
        notes.append("psys zone ignored: it contains the package zones")

    domains: list[RaplDomain] = []
    for zone, name in chosen:
        energy_path = str(root / zone / "energy_uj")
        try:
            read_int(reader, energy_path)
        except PermissionError:
            return RaplStatus(
                False, reason=f"{energy_path}: Permission denied (since Linux 5.10 the RAPL energy "
                              "counters are readable only by root)",
                fix=permission_fix(root), notes=notes)
        except OSError as exc:
            why = exc.strerror or str(exc)
            if exc.errno in (errno.EISDIR, errno.EINVAL):
                why = "not a file"
            return RaplStatus(False, reason=f"cannot read {energy_path}: {why}", notes=notes)
        except ValueError:
            return RaplStatus(False, reason=f"{energy_path} does not hold an integer", notes=notes)
        max_path = str(root / zone / "max_energy_range_uj")
        try:
            max_range = read_int(reader, max_path)
            if max_range <= 0:
                raise ValueError
        except (OSError, ValueError):
            max_range = None
            notes.append(f"{max_path} unreadable: a counter wrap inside a window cannot be corrected "
                         "(that window falls back to the estimate)")
        domains.append(RaplDomain(zone, name, energy_path, max_range))
    return RaplStatus(True, tuple(domains), notes=notes)


class RaplCounter:
    """Reads the chosen domains; converts two snapshots into joules."""

    __slots__ = ("_paths", "_reader", "domains")

    def __init__(self, domains: tuple[RaplDomain, ...], *, reader: Reader = read_sysfs):
        self.domains = domains
        self._paths = tuple(d.energy_path for d in domains)
        self._reader = reader

    def snapshot(self) -> tuple[int, ...]:
        """Raw microjoule counters. Raises OSError/ValueError if a read fails or a value is impossible."""
        reader = self._reader
        values = tuple(int(reader(p)) for p in self._paths)
        for domain, value in zip(self.domains, values):
            if value < 0 or (domain.max_range_uj is not None and value > domain.max_range_uj):
                raise ValueError(f"{domain.energy_path} reads {value}, outside 0..{domain.max_range_uj or 'max'}")
        return values

    def joules(self, before: tuple[int, ...], after: tuple[int, ...]) -> tuple[float | None, str | None]:
        """Energy between two snapshots, correcting one wrap per domain.

        Returns (joules, None) or (None, reason) when a wrap cannot be corrected.
        """
        total_uj = 0
        for domain, b, a in zip(self.domains, before, after):
            delta = a - b
            if delta < 0:
                if domain.max_range_uj is None:
                    return None, (f"RAPL counter {domain.zone} wrapped during the request and its "
                                  "max_energy_range_uj is unreadable")
                delta += domain.max_range_uj
            total_uj += delta
        return total_uj / 1e6, None
