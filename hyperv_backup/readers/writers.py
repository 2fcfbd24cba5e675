"""Reading ``vssadmin list writers``: the VSS writers, their state and last error."""

from __future__ import annotations

import re
from collections.abc import Iterable

import attrs

from hyperv_backup._base import public_dir
from hyperv_backup.readers._scan import (
    check_guid,
    check_number,
    check_str,
    error,
    is_elision,
    label_value,
    normal_guid,
    shown,
    split_lines,
)
from hyperv_backup.readers._vssadmin import nothing_listed

__all__ = ["HYPERV_WRITER_ID", "VssWriter", "hyperv_writer", "vssadmin_writers"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)

#: The writer id of the Hyper-V VSS writer, the same on every host and language.
HYPERV_WRITER_ID = "66841cd4-6ded-4f4b-8f17-fd23f8ddc3de"

_STATE = re.compile(r"\[([0-9]{1,9})\].*")
_WRITER_FIELDS = ("writer id", "writer instance id", "state", "last error")


@attrs.frozen(kw_only=True)
class VssWriter:
    """One writer of ``vssadmin list writers``.

    ``writer_id`` names the kind of writer (the same on every host);
    ``instance_id`` names this running instance. Both are lower-case GUIDs
    without braces. ``state`` is the number vssadmin prints in brackets (a
    ``VSS_WRITER_STATE``: 1 is stable, 6 to 15 are failures); ``last_error`` is
    the text after the last label, as printed and in the display language.
    """

    name: str
    writer_id: str
    instance_id: str
    state: int
    last_error: str

    def __attrs_post_init__(self) -> None:
        check_str(self.name, "name")
        check_guid(self.writer_id, "writer_id")
        check_guid(self.instance_id, "instance_id")
        check_number(self.state, "state")
        check_str(self.last_error, "last_error")


def hyperv_writer(writers: Iterable[VssWriter]) -> VssWriter | None:
    """Return the Hyper-V VSS writer among ``writers``, found by its writer id, or ``None``.

    >>> hyperv_writer([]) is None
    True
    """
    return next((w for w in writers if w.writer_id == HYPERV_WRITER_ID), None)


def _quoted(stripped: str) -> str | None:
    """Return the name of a ``label: 'name'`` line, the first line of a writer record."""
    value = label_value(stripped)
    if value is None or len(value) < 2 or value[0] != "'" or value[-1] != "'":
        return None
    return value[1:-1]


@attrs.define
class _WriterDraft:
    start: int
    name: str
    ids: list[str] = attrs.Factory(list)
    state: int | None = None


@attrs.define
class _WriterReader:
    """Reads writer records line by line; one pass, no look-ahead."""

    records: list[VssWriter] = attrs.Factory(list)
    draft: _WriterDraft | None = None
    after_elision: bool = False

    def feed(self, number: int, stripped: str) -> None:
        if not stripped:
            return
        if is_elision(stripped):
            self.draft = None
            self.after_elision = True
        elif self.draft is None:
            self._begin(number, stripped)
        else:
            self._continue(self.draft, number, stripped)

    def _begin(self, number: int, stripped: str) -> None:
        name = _quoted(stripped)
        if name is not None:
            self.draft = _WriterDraft(number, name)
            self.after_elision = False
            return
        value = label_value(stripped)
        # An id or a state without its writer's name line means a damaged record,
        # unless an elision just cut that record's head off.
        if (
            value is not None
            and not self.after_elision
            and (normal_guid(value) is not None or _STATE.fullmatch(value) is not None)
        ):
            raise error(
                number,
                f"found {shown(stripped)} outside a writer record; expected the "
                "writer's name line (such as \"Writer name: '<name>'\") before it",
            )

    def _continue(self, draft: _WriterDraft, number: int, stripped: str) -> None:
        field = _WRITER_FIELDS[len(draft.ids) + (draft.state is not None)]
        value = label_value(stripped)
        if value is None or _quoted(stripped) is not None:
            raise error(
                number,
                f"expected the {field} of writer {shown(draft.name)} as 'label: value', "
                f"found {shown(stripped)}",
            )
        if len(draft.ids) < 2:
            guid = normal_guid(value)
            if guid is None:
                raise error(
                    number,
                    f"expected the {field} of writer {shown(draft.name)} as a {{GUID}}, "
                    f"found {shown(stripped)}",
                )
            draft.ids.append(guid)
        elif draft.state is None:
            state = _STATE.fullmatch(value)
            if state is None:
                raise error(
                    number,
                    f"expected the state of writer {shown(draft.name)} as a number in "
                    f"brackets such as '[1] Stable', found {shown(stripped)}",
                )
            draft.state = int(state.group(1))
        else:
            if not value or normal_guid(value) is not None or _STATE.fullmatch(value) is not None:
                raise error(
                    number,
                    f"expected the last error of writer {shown(draft.name)} (such as "
                    f"'No error'), found {shown(stripped)}",
                )
            self.records.append(
                VssWriter(
                    name=draft.name,
                    writer_id=draft.ids[0],
                    instance_id=draft.ids[1],
                    state=draft.state,
                    last_error=value,
                )
            )
            self.draft = None

    def finish(self) -> None:
        draft = self.draft
        if draft is not None:
            field = _WRITER_FIELDS[len(draft.ids) + (draft.state is not None)]
            raise error(
                draft.start,
                f"the text ends inside the record of writer {shown(draft.name)} that begins "
                f"here: its {field} is missing",
            )


def vssadmin_writers(text: str) -> tuple[VssWriter, ...]:
    """Read the writers from the output of ``vssadmin list writers``.

    Each record is five lines: the writer name in single quotes, the writer
    id and the instance id as ``{GUID}``, the state as ``[n] text`` and the
    last error, each after a label and a colon. Lines outside records are
    skipped. vssadmin's answer that no writer matched gives ``()``.

    Raises :class:`~hyperv_backup.inventory.InventoryError` naming the line
    where a record cannot be read, or the first line of text that is not this
    command's output.
    """
    lines = split_lines(text)
    reader = _WriterReader()
    for number, line in enumerate(lines, 1):
        reader.feed(number, line.strip())
    reader.finish()
    if reader.records:
        return tuple(reader.records)
    return nothing_listed(lines, "'vssadmin list writers'")
