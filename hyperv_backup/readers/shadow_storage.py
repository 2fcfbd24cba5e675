r"""Reading ``vssadmin list shadowstorage``: where each volume keeps its shadow copies."""

from __future__ import annotations

import re

import attrs

from hyperv_backup._base import public_dir
from hyperv_backup.readers._scan import (
    GUID,
    check,
    check_str,
    error,
    is_elision,
    label_value,
    shown,
    split_lines,
)
from hyperv_backup.readers._vssadmin import nothing_listed

__all__ = ["ShadowStorage", "vssadmin_shadow_storage"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)

_VOLUME_PATH = re.compile(rf"\\\\\?\\Volume\{{{GUID}\}}\\", re.IGNORECASE)
_PATH_PREFIX = "\\\\?\\"
_DRIVE = re.compile(r"\(([A-Za-z]:)\)")
_SHARE = re.compile("[0-9]{1,3}%")
_STORAGE_SIZES = ("used", "allocated", "maximum")


@attrs.frozen(kw_only=True)
class ShadowStorage:
    r"""One association of ``vssadmin list shadowstorage``.

    ``for_volume`` is the volume whose shadow copies are kept, and
    ``storage_volume`` the volume that holds them: each is the drive (``"C:"``)
    where vssadmin prints one in parentheses, else the ``\\?\Volume{GUID}\``
    path as printed. The two differ when the shadow copies live on another
    volume. ``used``, ``allocated`` and ``maximum`` are the sizes as printed,
    with any share of the volume (``"2.06 GB (1%)"``, ``"UNBOUNDED (100%)"``).
    """

    for_volume: str
    storage_volume: str
    used: str
    allocated: str
    maximum: str

    def __attrs_post_init__(self) -> None:
        for field in ("for_volume", "storage_volume", "used", "allocated", "maximum"):
            value = getattr(self, field)
            check_str(value, field)
            check(bool(value), field, value, "expected a non-empty string")


def _volume_paths(stripped: str) -> tuple[list[str], bool]:
    """Return the volumes a line names (each its drive, else its path) and whether one is cut."""
    names = []
    for match in _VOLUME_PATH.finditer(stripped):
        start = match.start()
        drive = _DRIVE.fullmatch(stripped, start - 4, start) if start >= 4 else None
        names.append(drive.group(1) if drive else match.group(0))
    return names, stripped.count(_PATH_PREFIX) > len(names)


def _is_size(value: str) -> bool:
    """Whether ``value`` reads as a size: ``1.335 GB``, ``2,06 Go (1 %)``, ``UNBOUNDED (100%)``."""
    core = value
    if core.endswith(")"):
        opening = core.rfind("(")
        if opening < 0 or not _SHARE.fullmatch("".join(core[opening + 1 : -1].split())):
            return False
        core = core[:opening].strip()
    # The one word vssadmin prints for a size, UNBOUNDED, is in capitals.
    return 0 < len(core) <= 40 and (core[0] in "0123456789" or (core.isalpha() and core.isupper()))


@attrs.define
class _StorageDraft:
    start: int
    for_volume: str
    storage_volume: str | None = None
    sizes: list[str] = attrs.Factory(list)


@attrs.define
class _StorageReader:
    """Reads shadow storage associations line by line; one pass, no look-ahead."""

    records: list[ShadowStorage] = attrs.Factory(list)
    draft: _StorageDraft | None = None
    #: After an elision: the rest of the cut association, up to the blank line
    #: that separates associations, is skipped. Its storage volume line would
    #: otherwise look like the start of a new association.
    skipping: bool = False

    def feed(self, number: int, stripped: str) -> None:
        if not stripped:
            self.skipping = False
            return
        if is_elision(stripped):
            self.draft = None
            self.skipping = True
            return
        if self.skipping:
            return
        names, cut = _volume_paths(stripped)
        draft = self.draft
        if draft is None and not names:
            return
        if cut:
            raise error(
                number,
                f"a volume path in {shown(stripped)} is cut off or is not a "
                "\\\\?\\Volume{GUID}\\ path",
            )
        if draft is None:
            if len(names) > 2:
                raise error(number, f"expected at most two volumes on one line, found {len(names)}")
            self.draft = _StorageDraft(number, names[0], names[1] if len(names) == 2 else None)
        elif draft.storage_volume is None:
            if len(names) != 1:
                raise error(
                    number,
                    f"expected the shadow copy storage volume of '{draft.for_volume}' "
                    f"(a \\\\?\\Volume{{GUID}}\\ path), found {shown(stripped)}",
                )
            draft.storage_volume = names[0]
        else:
            self._size(draft, number, stripped, names)

    def _size(self, draft: _StorageDraft, number: int, stripped: str, names: list[str]) -> None:
        which = _STORAGE_SIZES[len(draft.sizes)]
        value = label_value(stripped)
        if names or value is None or not _is_size(value):
            raise error(
                number,
                f"expected the {which} shadow copy storage space of '{draft.for_volume}' "
                f"as 'label: size' (such as '1.335 GB'), found {shown(stripped)}",
            )
        draft.sizes.append(value)
        if len(draft.sizes) == len(_STORAGE_SIZES) and draft.storage_volume is not None:
            used, allocated, maximum = draft.sizes
            self.records.append(
                ShadowStorage(
                    for_volume=draft.for_volume,
                    storage_volume=draft.storage_volume,
                    used=used,
                    allocated=allocated,
                    maximum=maximum,
                )
            )
            self.draft = None

    def finish(self) -> None:
        draft = self.draft
        if draft is not None:
            missing = (
                "storage volume"
                if draft.storage_volume is None
                else f"{_STORAGE_SIZES[len(draft.sizes)]} space"
            )
            raise error(
                draft.start,
                f"the text ends inside the association of '{draft.for_volume}' that "
                f"begins here: its shadow copy {missing} is missing",
            )


def vssadmin_shadow_storage(text: str) -> tuple[ShadowStorage, ...]:
    r"""Read the associations from the output of ``vssadmin list shadowstorage``.

    An association starts at the line naming its volume (``(C:)\\?\Volume{GUID}\``);
    the next volume path, on the same line or the next, is its storage
    volume, and the three ``label: size`` lines after it are the used,
    allocated and maximum space. Lines outside associations, such as their
    heading, are skipped. An elision marker drops the association it cuts and
    every line after it up to the next blank line, which is what separates
    associations. vssadmin's answer that nothing matched gives ``()``.

    Raises :class:`~hyperv_backup.inventory.InventoryError` naming the line
    where an association cannot be read, or the first line of text that is
    not this command's output.
    """
    lines = split_lines(text)
    reader = _StorageReader()
    for number, line in enumerate(lines, 1):
        reader.feed(number, line.strip())
    reader.finish()
    if reader.records:
        return tuple(reader.records)
    return nothing_listed(lines, "'vssadmin list shadowstorage'")
