"""The careful way from a parsed JSON document to the model: every problem, with its path.

A converter with detailed validation and strict hooks (no coercion: ``"false"``
is not ``false``, ``1`` is not ``"1"``) builds the model and collects every
problem it meets into a tree of errors, which :func:`structure` turns into an
:class:`~hyperv_backup.inventory.InventoryError` with one path per problem.

:mod:`hyperv_backup.inventory` runs it only when the quick path
(:mod:`hyperv_backup.inventory._quick`) gives up on a document, and to write
inventories out; it is imported then, so that reading a valid inventory (and
starting the command line) does not pay for building the converter.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from hyperv_backup.inventory._problems import (
    CURRENT_LIMITS,
    InventoryError,
    Problem,
    describe,
    join,
    shorten,
)
from hyperv_backup.model import (
    VM,
    BackupApplication,
    Checkpoint,
    Cluster,
    Disk,
    Host,
    ModelError,
    safe_repr,
)

__all__ = ["CONVERTER", "structure"]


def _strict_str(value: object, _: type) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {describe(value)}")
    limit = CURRENT_LIMITS.get().max_string
    if len(value) > limit:
        raise ValueError(f"a string of {len(value)} characters is longer than the limit of {limit}")
    # JSON may escape half of a surrogate pair ("\ud800"): such text cannot be written
    # out again. ASCII, the common case, is checked without encoding.
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            msg = f"not valid Unicode: a lone surrogate at character {exc.start}"
            raise ValueError(msg) from None
    return value


def _strict_bool(value: object, _: type) -> bool:
    if type(value) is not bool:
        raise TypeError(f"expected true or false, got {describe(value)}")
    return value


def _strict_int(value: object, _: type) -> int:
    if type(value) is not int:
        raise TypeError(f"expected an integer, got {describe(value)}")
    return value


def _structure_enum(value: object, cls: type[enum.StrEnum]) -> enum.StrEnum:
    if isinstance(value, str):
        try:
            return cls(value)
        except ValueError:
            pass
    allowed = ", ".join(repr(m.value) for m in cls)
    shown = safe_repr(shorten(value)) if isinstance(value, str) else describe(value)
    hint = _did_you_mean(value, [m.value for m in cls]) if isinstance(value, str) else ""
    raise ValueError(f"expected one of {allowed}, got {shown}{hint}")


def _did_you_mean(given: str, known: Sequence[str]) -> str:
    """Return ``"; did you mean 'x'?"`` for the one of ``known`` that ``given`` most likely meant.

    The same word in another case first (PowerShell writes ``Running`` where
    the inventory says ``running``), then a close spelling. Only ever called
    for a value already refused: reading a valid inventory never comes here.
    """
    folded = given.casefold().replace("-", "_").replace(" ", "_")
    same = [word for word in known if word.casefold() == folded]
    if not same and len(given) <= _SHOWN_LENGTH:
        import difflib  # noqa: PLC0415 - only a refused word needs it

        lowered = {word.casefold(): word for word in known}
        same = [lowered[w] for w in difflib.get_close_matches(folded, list(lowered), n=1)]
    return f"; did you mean {same[0]!r}?" if same else ""


#: Words longer than this are not compared with the known ones (no close spelling is that long).
_SHOWN_LENGTH = 60


#: The longest time string read: any ISO 8601 time is shorter (the quick path agrees).
MAX_TIME_LENGTH = 64


def _structure_time(value: object, _: type) -> datetime:
    example = "such as '2024-05-06T21:14:07Z'"
    if not isinstance(value, str):
        raise TypeError(f"expected a date and time as a string, {example}, got {describe(value)}")
    try:
        if len(value) > MAX_TIME_LENGTH:
            raise ValueError
        time = datetime.fromisoformat(value)
    except ValueError:
        shown = safe_repr(shorten(value))
        raise ValueError(f"expected a date and time in ISO 8601, {example}, got {shown}") from None
    return time if time.tzinfo is not None else time.replace(tzinfo=UTC)


def _time_text(time: datetime) -> str:
    return time.isoformat().replace("+00:00", "Z")


def _enum_value(member: enum.StrEnum) -> str:
    return member.value


def _is_collection(cls: Any) -> bool:
    return _is_tuple(cls) or _is_frozenset(cls)


def _collection_hook(cls: Any, converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
    item_type = cls.__args__[0]
    item_hook = converter.get_structure_hook(item_type)
    build = cls.__origin__

    def structure(value: Any, _: Any) -> Any:
        # Only a JSON array will do: a string or an object is iterable too.
        if not isinstance(value, list | tuple):
            raise TypeError(f"expected an array, got {describe(value)}")
        items = []
        errors: list[Exception] = []
        for index, item in enumerate(value):
            try:
                items.append(item_hook(item, item_type))
            except Exception as exc:  # collected and reported with their index
                exc.__notes__ = [
                    *getattr(exc, "__notes__", []),
                    IterableValidationNote(f"Structuring {cls} @ index {index}", index, item_type),
                ]
                errors.append(exc)
        if errors:
            raise IterableValidationError(f"While structuring {cls!r}", errors, cls)
        return build(items)

    return structure


def _is_tuple(cls: Any) -> bool:
    return getattr(cls, "__origin__", None) is tuple


def _is_frozenset(cls: Any) -> bool:
    return getattr(cls, "__origin__", None) is frozenset


def _is_model(cls: Any) -> bool:
    return isinstance(cls, type) and attrs.has(cls)


def _model_hook(cls: Any, converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
    generated = make_dict_structure_fn(cls, converter)

    def structure(value: Any, _: Any) -> Any:
        if not isinstance(value, Mapping):
            raise TypeError(f"expected an object, got {describe(value)}")
        return generated(value, cls)

    return structure


def _make_converter() -> cattrs.Converter:
    converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    # cattrs coerces by default ("false" -> True, 1 -> "1"): a silent wrong answer
    # for a rules engine. Only the JSON type itself is accepted.
    converter.register_structure_hook(str, _strict_str)
    converter.register_structure_hook(bool, _strict_bool)
    converter.register_structure_hook(int, _strict_int)
    # Registered on StrEnum itself: it comes before str in an enum's MRO, so the
    # strict str hook above does not catch enum fields first.
    converter.register_structure_hook(enum.StrEnum, _structure_enum)
    converter.register_structure_hook(datetime, _structure_time)
    converter.register_unstructure_hook(datetime, _time_text)
    converter.register_structure_hook_factory(_is_collection, _collection_hook)
    converter.register_structure_hook_factory(_is_model, _model_hook)
    # StrEnum before str in the MRO: members are written as plain strings.
    converter.register_unstructure_hook(enum.StrEnum, _enum_value)
    converter.register_unstructure_hook_func(
        _is_tuple, lambda items: [converter.unstructure(i) for i in items]
    )
    # Sets are written sorted, so one model always gives the same document.
    converter.register_unstructure_hook_func(_is_frozenset, sorted)
    # The facts added for Windows Server 2012 and later are written only when
    # set, so an inventory that does not use them is written as before.
    # In the order of LATER_FIELDS (a set's order would change from run to run).
    for cls in dict.fromkeys([*LATER_FIELDS, *WRITTEN_WHEN_SET]):
        fields = (*LATER_FIELDS.get(cls, ()), *WRITTEN_WHEN_SET.get(cls, ()))
        omitted: dict[str, Any] = {name: override(omit_if_default=True) for name in fields}
        converter.register_unstructure_hook(
            cls, make_dict_unstructure_fn(cls, converter, **omitted)
        )
    return converter


#: The fields each class gained for the profiles of Windows Server 2012 and later.
LATER_FIELDS: Mapping[type, tuple[str, ...]] = {
    # A class before the classes that hold it directly: an object's hook is
    # looked up when the hook of the class holding it is made.
    BackupApplication: (
        "uses_wmi_backup",
        "ignores_non_snapshottable_disks",
        "backup_target",
        "churn_percent",
    ),
    Host: ("file_server_vss_agent", "file_servers", "host_volumes"),
    Cluster: ("functional_level",),
    # A checkpoint's name is all an inventory of the guidance's era could say of it.
    Checkpoint: ("snapshot_type", "created_at", "parent", "disk_paths"),
    VM: (
        "generation",
        "configuration_version",
        "checkpoint_type",
        "guest_os",
        "vss_daemon",
        "scsi_controller",
        "fibre_channel_adapters",
        "replication_role",
        "replication_ready",
        "snapshot_file_location",
        "integration_services_current",
        "writable_file_systems",
        "checkpoints",
        "avhdx_files",
        "change_tracking_files",
    ),
    Disk: ("shared", "file_size", "chain"),
}


#: Other fields written only when set, so that an inventory without them is written as before.
WRITTEN_WHEN_SET: Mapping[type, tuple[str, ...]] = {Host: ("collected_at",)}


CONVERTER = _make_converter()


def _problems(exc: BaseException, path: str) -> Iterator[Problem]:
    """Turn cattrs' tree of errors into problems with paths."""
    if isinstance(exc, ClassValidationError | IterableValidationError):
        for sub in exc.exceptions:
            child = path
            for note in getattr(sub, "__notes__", ()):
                if isinstance(note, AttributeValidationNote):
                    child = join(path, note.name)
                elif isinstance(note, IterableValidationNote):
                    child = f"{path}[{note.index}]"
            if isinstance(sub, KeyError) and child != path:
                yield Problem(child, "required field missing")
            else:
                yield from _problems(sub, child)
    elif isinstance(exc, ForbiddenExtraKeysError):
        known = [field.name for field in attrs.fields(exc.cl)] if attrs.has(exc.cl) else []
        for key in sorted(exc.extra_fields, key=str):
            # A mapping built in Python may have keys that are not strings.
            name: object = key
            hint = _did_you_mean(name, known) if isinstance(name, str) else ""
            yield Problem(join(path, key), f"unknown field{hint}")
    elif isinstance(exc, ModelError):
        yield Problem(join(path, exc.path) if exc.path else path, exc.reason)
    else:
        yield Problem(path, str(exc))


def structure(fields: Mapping[str, Any], cls: type[Host] | type[Cluster]) -> Host | Cluster:
    """Build ``cls`` from ``fields``, or raise :class:`InventoryError` listing every problem."""
    try:
        return CONVERTER.structure(fields, cls)
    except (ClassValidationError, ModelError, TypeError, ValueError) as exc:
        raise InventoryError(list(_problems(exc, ""))) from None
