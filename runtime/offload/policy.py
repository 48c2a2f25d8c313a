"""Where a request runs: on this device or in the cloud.

Local first. ``decide`` sends a request to the cloud only when one of the
rules below holds AND the plugin's offload permission and the user allow it:

    rule             condition (from OffloadFacts)                       kind
    local_failure    a local attempt failed (validation, missing model)  hard
    no_plugin        router found no plugin, no general model installed  hard
    model_missing    the plugin's / requested model is not on the device hard
    context          prompt + expected output tokens > model context     hard
    memory           model needs more memory than is free                hard
    battery          on battery below settings.battery_min_percent       soft
    energy           predicted joules > settings.energy_budget_j         soft

A *hard* rule means the device cannot answer: when offload is not allowed
``decide`` raises OffloadRefusedError with one clear line. A *soft* rule means
the device could answer but should not; when offload is not allowed the
request simply stays local (and the log says why it was not offloaded).

``--cloud`` (facts.force_cloud) forces offload, ``--local-only`` never
offloads, and a plugin whose permission is ``never`` never leaves the device
whatever the flags. Every decision carries a log line (also logged on the
``slm.offload`` logger) and, when it goes to the cloud, the reason.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from slm.errors import OffloadRefusedError, UsageError
from slm.plugins.sdk import OFFLOAD_CHOICES as PERMISSIONS  # one list of permissions

log = logging.getLogger("slm.offload")



def offload_permission(info, settings) -> str:
    """The permission a request runs under: the plugin's, or the user's stricter choice.

    ``[plugins.NAME] offload = ...`` in config.toml may tighten a plugin (to ``redact``
    or ``never``) or, for a plugin that may offload at all, send it raw
    (``allowed-raw``): turning redaction off is only ever the user's explicit choice.
    With no plugin (a bare model, --cloud with no route) the request is ``allowed``:
    it may leave, redacted.
    """
    declared = info.permissions.offload if info is not None else "allowed"
    table = (getattr(settings, "plugin_config", None) or {}).get(info.name if info is not None else "", {})
    chosen = table.get("offload") if isinstance(table, dict) else None
    if chosen is None:
        return declared
    if chosen not in PERMISSIONS:
        raise UsageError(f"[plugins.{info.name}] offload must be one of {', '.join(PERMISSIONS)}, got {chosen!r}")
    if declared == "never":
        return "never"  # a plugin that keeps its data here is not overridden into the cloud
    return chosen


@dataclass
class OffloadFacts:
    plugin: str | None
    permission: str = "allowed"          # see offload_permission ("allowed" if no plugin)
    routed_none: bool = False            # router said no plugin fits
    general_model_present: bool = True   # a local general model is configured and present
    model_present: bool | None = None    # the plugin's/requested model is on the device
    prompt_tokens: int | None = None
    n_ctx: int | None = None
    expected_output_tokens: int = 256
    free_memory_bytes: int | None = None
    model_memory_bytes: int | None = None
    on_battery: bool | None = None
    battery_percent: float | None = None
    predicted_joules: float | None = None
    local_failure: str | None = None     # reason a local attempt failed
    local_only: bool = False
    force_cloud: bool = False


@dataclass(frozen=True)
class Decision:
    where: str                 # "local" | "cloud"
    reason: str | None         # why it goes to the cloud (None when local)
    log: str                   # one line for the request log, always set
    rule: str | None = None    # the rule that fired (table above), "forced" for --cloud


def _gb(n: int) -> str:
    return f"{n / 1e9:.2f} GB"


def _rules(facts: OffloadFacts, settings) -> list[tuple[str, str, bool]]:
    """(rule, reason, hard) for every condition that holds, most decisive first."""
    out: list[tuple[str, str, bool]] = []
    if facts.local_failure:
        out.append(("local_failure", f"local attempt failed: {facts.local_failure}", True))
    if facts.routed_none and not facts.general_model_present:
        out.append(("no_plugin", "no plugin fits the prompt and no local general model is installed "
                    "(pull one and set inference.general_model / SLM_GENERAL_MODEL)", True))
    if facts.model_present is False:
        who = f"plugin {facts.plugin!r}'s model" if facts.plugin else "the model"
        out.append(("model_missing", f"{who} is not on this device", True))
    if facts.prompt_tokens is not None and facts.n_ctx:
        need = facts.prompt_tokens + max(0, facts.expected_output_tokens)
        if need > facts.n_ctx:
            out.append(("context", f"prompt ({facts.prompt_tokens} tokens) + expected output "
                        f"({facts.expected_output_tokens}) exceeds the local context ({facts.n_ctx})", True))
    if facts.free_memory_bytes is not None and facts.model_memory_bytes is not None:
        if facts.model_memory_bytes > facts.free_memory_bytes:
            out.append(("memory", f"not enough free memory: the model needs {_gb(facts.model_memory_bytes)}, "
                        f"{_gb(facts.free_memory_bytes)} free", True))
    if facts.on_battery and facts.battery_percent is not None and facts.battery_percent < settings.battery_min_percent:
        out.append(("battery", f"on battery at {facts.battery_percent:.0f}% "
                    f"(below {settings.battery_min_percent:.0f}%)", False))
    budget = settings.energy_budget_j
    if budget is not None and facts.predicted_joules is not None and facts.predicted_joules > budget:
        out.append(("energy", f"predicted energy {facts.predicted_joules:.1f} J exceeds the budget {budget:.1f} J",
                    False))
    return out


_NO_CLOUD = "no cloud is configured (set SLM_CLOUD_BASE_URL or cloud.base_url)"


def _why_not(facts: OffloadFacts, settings) -> str | None:
    """Why offload is not allowed for this request, or None when it is."""
    if facts.permission == "never":
        return f"plugin {facts.plugin!r} never sends data to the cloud"
    if facts.local_only:
        return "--local-only is set"
    if not settings.offload_enabled:
        return "offload is disabled (offload.enabled / SLM_OFFLOAD)"
    if not settings.cloud_base_url:
        return _NO_CLOUD
    return None


def decide(facts: OffloadFacts, settings) -> Decision:
    """Pick local or cloud for one request; raise OffloadRefusedError when neither can answer."""
    if facts.permission not in PERMISSIONS:
        raise UsageError(f"unknown offload permission {facts.permission!r} (expected one of {', '.join(PERMISSIONS)})")
    if facts.force_cloud and facts.local_only:
        raise UsageError("--cloud and --local-only contradict each other: pick one")
    who = f"plugin={facts.plugin}" if facts.plugin else "plugin=none"

    if facts.force_cloud:
        if facts.permission == "never":
            raise OffloadRefusedError(
                f"--cloud refused: plugin {facts.plugin!r} never sends data to the cloud",
                hint="run without --cloud to answer on this device")
        # --cloud is explicit consent: it overrides offload.enabled = false, so the only
        # blocker left (never and --local-only are handled above) is a missing cloud.
        if not settings.cloud_base_url:
            raise OffloadRefusedError(f"--cloud refused: {_NO_CLOUD}")
        return _done(Decision("cloud", "forced by --cloud", f"offload: cloud ({who}, forced by --cloud)", "forced"))

    fired = _rules(facts, settings)
    if not fired:
        return _done(Decision("local", None, f"offload: local ({who}, device can answer)"))
    rule, reason, _ = fired[0]
    blocker = _why_not(facts, settings)
    if blocker is None:
        reason_log = f"{reason}; redacted" if facts.permission == "redact" else reason
        return _done(Decision("cloud", reason, f"offload: cloud ({who}, {rule}: {reason_log})", rule))
    hard_reason = next((why for _, why, hard in fired if hard), None)
    if hard_reason:
        raise OffloadRefusedError(f"this device cannot answer: {hard_reason}, and {blocker}")
    return _done(Decision("local", None, f"offload: local ({who}, {rule}: {reason}, but {blocker})", rule))


def _done(decision: Decision) -> Decision:
    log.info("%s", decision.log)
    return decision
