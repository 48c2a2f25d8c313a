"""Typed errors. Each failure a user can hit has its own class; the CLI turns
any SlmError into one line on stderr and its ``exit_code``.

exit codes: 0 ok, 1 user-fixable error, 2 usage error.
"""
from __future__ import annotations


class SlmError(Exception):
    """Base of every error slm raises on purpose."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def one_line(self) -> str:
        text = self.message if not self.hint else f"{self.message} ({self.hint})"
        return " ".join(text.split())  # never more than one line


def from_os_error(exc: OSError) -> "SlmError | None":
    """The one-line error for a file-system fault a user can fix (disk full, read-only or
    unwritable folder), naming the path and the fix; None for any other OSError."""
    import errno

    where = exc.filename or "a file under SLM_HOME"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskSpaceError(f"the disk is full (writing {where})",
                              hint="free some space and run the command again (a pull resumes where it stopped)")
    if exc.errno == errno.EROFS:
        return StorageError(f"{where} is on a read-only file system",
                            hint="point SLM_HOME at a folder slm may write to")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return StorageError(f"permission denied: {where}", hint="point SLM_HOME at a folder slm may write to")
    return None


class UsageError(SlmError):
    exit_code = 2


class ConfigError(SlmError):
    """The config file or an environment variable holds a bad value."""


# --- models -----------------------------------------------------------------
class ModelError(SlmError):
    pass


class UnknownModelError(ModelError):
    """The name is neither a catalog entry nor an ORG/REPO/FILE spec."""


class ModelNotPresentError(ModelError):
    """The model is known but not on this device."""


class OfflineError(ModelError):
    """A download was needed but the hub is unreachable or offline mode is on."""


class RemoteNotFoundError(ModelError):
    """The hub answered 404 for the repo, revision or file."""


class DownloadError(ModelError):
    pass


class HashMismatchError(ModelError):
    pass


class ChatTemplateError(ModelError):
    """The model file's chat template cannot be rendered (broken, hostile, or too costly)."""


class UnverifiedModelError(ModelError):
    """The file's bytes could not be checked against any published hash, and verified files are required."""


class StorageError(SlmError):
    """A file slm must write cannot be written (read-only or unwritable folder)."""


class DiskSpaceError(ModelError):
    pass


class CorruptModelError(ModelError):
    """A file on disk is truncated, not a GGUF/ONNX file, or fails its hash."""


class AdapterError(ModelError):
    """A LoRA adapter cannot be applied: not an adapter, damaged, or made for another base."""


class NotAnAdapterError(AdapterError):
    """The file is a sound GGUF but not a LoRA adapter (general.type / adapter.type)."""


class AdapterMismatchError(AdapterError):
    """The adapter was made for another architecture or other tensor shapes than its base."""


class CorruptAdapterError(AdapterError, CorruptModelError):
    """The adapter file is truncated or not a valid GGUF."""


class ModelInUseError(ModelError):
    """A stored file a plugin declares (an adapter) is not removed without --force."""


class PackError(ModelError):
    """An offline model pack is malformed or fails verification."""


# --- inference ----------------------------------------------------------------
class BackendError(SlmError):
    pass


class ContextOverflowError(BackendError):
    pass


class ModelInputError(BackendError):
    """The inputs do not match the model's signature (names, dtypes, shapes)."""


# --- plugins / routing --------------------------------------------------------
class PluginError(SlmError):
    pass


class PluginNotFoundError(PluginError):
    pass


class PluginBrokenError(PluginError):
    """The plugin failed to import, raised, or ran past its time limit."""


class LocalAnswerFailedError(PluginError):
    """A plugin's local answer failed validation after retries (offload may help)."""


class KbError(PluginError):
    """The local document index cannot be read or written, or a path to index is missing."""


class RouterError(SlmError):
    pass


# --- offload --------------------------------------------------------------------
class OffloadError(SlmError):
    pass


class OffloadRefusedError(OffloadError):
    """Policy or permissions forbid sending this request to the cloud."""


class CloudError(OffloadError):
    pass


class CloudAuthError(CloudError):
    pass


class CloudUnreachableError(CloudError):
    """Connection refused, DNS failure or timeout: the request may be queued."""


class CloudUnavailableError(CloudUnreachableError):
    """The cloud kept answering 429/5xx after the allowed retries (queue and retry later)."""


class CloudNotFoundError(CloudError):
    """HTTP 404: the endpoint or the configured cloud model does not exist."""


class QueueError(SlmError):
    pass


class EnergyError(SlmError):
    pass
