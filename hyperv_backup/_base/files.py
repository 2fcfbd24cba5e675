"""Writing files so that a reader sees the old content or the new, never a part.

:func:`write_atomically` writes each file under a temporary name in its own
folder, flushes it to the disk, then renames it over the target, which the
operating system does in one step. If anything fails (the disk fills, the
folder cannot be written), the previous files are left as they were and no
temporary file is left behind. Several files given together are written as a
set: if the last cannot be put in place, the ones before it are put back.

Every option of the command line that writes a file (``collect -o``, and
those to come) writes through here.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Sequence
from pathlib import Path

__all__ = ["write_atomically"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _target(path: Path) -> Path:
    """Write through a symbolic link to what it names, as an ordinary write would.

    Only a regular file is replaced: a FIFO, a device, a directory or a
    stream such as ``/dev/stdout`` would be replaced by a file of the same
    name, so the write is refused with an :class:`OSError` naming the path.
    """
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        raise OSError(errno.EINVAL, "not a regular file; only files are written", str(path))
    return path.resolve() if path.is_symlink() else path


def _temporary(path: Path, data: bytes) -> Path:
    """Write ``data`` beside ``path`` under a temporary name; return that name."""
    import tempfile  # noqa: PLC0415 - only a command that writes a file needs it

    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    temporary = Path(name)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        # mkstemp makes the file readable by its owner only; a file written the
        # ordinary way is readable as the umask allows, or keeps the old file's mode.
        mode = path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask()
        temporary.chmod(mode)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def write_atomically(files: Sequence[tuple[str | os.PathLike[str], bytes]]) -> None:
    """Write each ``(path, data)`` so that all of them are replaced, or none is.

    Raises the :class:`OSError` that stopped it, with every target as it was.
    """
    targets = [_target(Path(path)) for path, _ in files]
    temporaries: list[Path] = []
    backups: list[tuple[Path, Path | None]] = []
    try:
        for target, (_, data) in zip(targets, files, strict=True):
            temporaries.append(_temporary(target, data))
        for target, temporary in zip(targets, temporaries, strict=True):
            backups.append((target, _backup(target)))
            temporary.replace(target)
    except BaseException:
        for temporary in temporaries:
            temporary.unlink(missing_ok=True)
        # Put back the files already replaced, last first.
        for target, backup in reversed(backups[:-1] if backups else []):
            with contextlib.suppress(OSError):
                if backup is None:
                    target.unlink(missing_ok=True)
                else:
                    backup.replace(target)
        _drop_backups(backups)
        raise
    _drop_backups(backups)


def _backup(target: Path) -> Path | None:
    """Keep the file about to be replaced under a second name, to put it back on failure."""
    if not target.exists():
        return None
    import tempfile  # noqa: PLC0415 - see _temporary

    name = tempfile.mktemp(dir=target.parent, prefix=f".{target.name}.", suffix=".old")  # noqa: S306 - a hard link fails if the name was taken meanwhile
    try:
        os.link(target, name)
    except OSError:  # a file system without hard links: no way back, but no harm either
        return None
    return Path(name)


def _drop_backups(backups: Sequence[tuple[Path, Path | None]]) -> None:
    for _, backup in backups:
        if backup is not None:
            with contextlib.suppress(OSError):
                backup.unlink(missing_ok=True)
