"""Disks and VMs: their names, attachments and shadow storage.

Every check made at construction raises :class:`ModelError`, a ``ValueError``
whose ``path`` is the field concerned (relative to the object being built),
whose ``value`` is the bad value, and whose message names both.
"""

from __future__ import annotations

from typing import Any

import pytest

from hyperv_backup.model import (
    Attachment,
    Disk,
    ModelError,
    VhdType,
)
from tests.model._shared_model import (
    _vhd,
)

# --- disks -----------------------------------------------------------------------------


@pytest.mark.parametrize("attachment", [Attachment.PASS_THROUGH, Attachment.GUEST_ISCSI])
@pytest.mark.parametrize(
    ("field", "value"),
    [("path", "D:\\VMs\\data.vhd"), ("vhd_type", VhdType.FIXED), ("vhd_type", "fixed")],
)
def test_vhd_fields_only_on_virtual_hard_disk(
    attachment: Attachment, field: str, value: str
) -> None:
    """The fields path and vhd_type describe a virtual hard disk file: any other disk rejects them."""
    kwargs: dict[str, Any] = {field: value}
    with pytest.raises(ModelError) as info:
        Disk(name="Data", attachment=attachment, **kwargs)
    error = info.value
    assert error.path == field
    assert error.value == value
    assert str(error).startswith(f"{field}: ")
    assert repr(error.value) in str(error)
    assert attachment.value in str(error)


def test_vhd_fields_allowed_on_virtual_hard_disk() -> None:
    """A virtual hard disk may have a path and a VHD type; other disks may leave them unset."""
    disk = _vhd(path="D:\\VMs\\data.vhdx", vhd_type=VhdType.DIFFERENCING)
    assert (disk.path, disk.vhd_type) == ("D:\\VMs\\data.vhdx", VhdType.DIFFERENCING)
    for attachment in (Attachment.PASS_THROUGH, Attachment.GUEST_ISCSI):
        other = Disk(name="Data", attachment=attachment)
        assert (other.path, other.vhd_type) == (None, None)
