"""The quick way from a parsed JSON document to the model, for documents with nothing wrong.

Reading an inventory has two paths, and they agree on every input:

* this one builds the model objects straight from the document. At the first
  thing out of the ordinary (a key it does not know, a value of the wrong JSON
  type, a name the model refuses) it gives up with :class:`GiveUp`, without
  saying what was wrong;
* the careful path in :mod:`hyperv_backup.inventory` (a converter with
  detailed validation, which builds each object with its ``__init__``) runs
  only then, and reports every problem with its path.

On JSON documents both accept the same ones and build equal objects; the
tests check it on generated documents, valid and not. A mapping built in
Python that holds what JSON cannot (a ``str`` subclass, a tuple) is read by
the careful path. The quick path exists because the careful one spends much
of its time on bookkeeping that only matters when something is wrong: on a
valid 20,000-VM inventory it takes nearly three times as long, and setting
it up slows every start of the command line.

Each model class has one builder, written out for its fields as attrs writes
a class's ``__init__`` (:func:`builders`):

* one look-up in the JSON object per field, and the type check of its value
  written inline: no call per value, no loop over a table of fields;
* enum members are found with a dictionary lookup instead of calling the enum
  class, which the model then accepts as they are;
* the object is made without its ``__init__``, its slots set one by one
  (through a stand-in class, :func:`_stand_in`): the builder has checked
  every type the ``__init__`` would, and the class's own value checks (names,
  ranges, cross-field rules) run through the same ``_check`` method its
  ``__init__`` runs. Nothing is skipped; the type checks are done once, here,
  instead of twice.

The builders' source is registered with :mod:`linecache` under a name that
says which class each builds, so a traceback through one shows its lines.
"""

from __future__ import annotations

import enum
import functools
import linecache
import types
import typing
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import attrs

from hyperv_backup.model import Cluster, Host, ModelError

__all__ = ["GiveUp", "build", "builders", "source_name"]

#: Turns one JSON value into the value a model field takes, or raises GiveUp.
Convert = Callable[[Any], Any]


class GiveUp(Exception):  # noqa: N818 - not an error: a signal to take the careful path
    """Something in the document needs the careful path, which will say what."""


def build(
    fields: Mapping[str, Any], cls: type[Host] | type[Cluster], max_string: int
) -> Host | Cluster:
    """Build ``cls`` from the fields of a JSON object, or raise :class:`GiveUp`."""
    built: Host | Cluster = builders(max_string)[cls](fields)
    return built


@functools.lru_cache(maxsize=8)
def builders(max_string: int) -> dict[type, Convert]:
    """Return, per model class, the function that builds it from a JSON object.

    Built once per string limit (in practice there is one), for the classes
    an inventory can hold.
    """
    table: dict[type, Convert] = {}
    string = _string_check(max_string)

    def convert_for(hint: Any) -> Convert:
        """Return the converter of an item of an array: a string, or an object of a model class."""
        if hint is str:
            return string
        if hint not in table:
            table[hint] = _builder(hint, convert_for, max_string)
        return table[hint]

    convert_for(Host)
    convert_for(Cluster)
    return table


def source_name(cls: type) -> str:
    """Return the name under which the source of ``cls``'s builder is kept in :mod:`linecache`."""
    return f"<quick builder of {cls.__module__}.{cls.__qualname__}>"


#: What an array left out of a JSON object is read as. Never changed.
_EMPTY: list[Any] = []


def _builder(cls: type, convert_for: Callable[[Any], Convert], max_string: int) -> Convert:
    """Write out, compile and return the builder of ``cls``.

    For each field, in order: its value is looked up (a field left out is read
    as the JSON spelling of its default), its JSON type checked, and its slot
    set on an object of the stand-in class. The object then becomes an
    instance of ``cls``, and the class's own value checks run, through the
    ``_check(typed=True)`` that its ``__init__`` runs too (with
    ``typed=False``). A key that is no field, a required field left out, a
    value of the wrong type or one the checks refuse gives up.
    """
    hints = typing.get_type_hints(cls)
    fields = attrs.fields(cls)
    cells: dict[str, Any] = {
        "_cls": cls,
        "_StandIn": _stand_in(cls),
        "_new": object.__new__,
        "_names": frozenset(field.name for field in fields),
        "_check": cls._check,  # type: ignore[attr-defined]
        "_GiveUp": GiveUp,
        "_ModelError": ModelError,
        "_max": max_string,
        "_encodes": _encodes,
        "_EMPTY": _EMPTY,
    }
    lines = [
        "    def build(value):",
        "        if type(value) is not dict or not _names.issuperset(value):",
        "            raise _GiveUp",
        "        built = _new(_StandIn)",
    ]
    for n, field in enumerate(fields):
        lines += _field_lines(
            cls, n, field, hints[field.name], cells=cells, convert_for=convert_for
        )
    lines += [
        "        built.__class__ = _cls",
        "        try:",
        "            _check(built, typed=True)",
        "        except _ModelError:",
        "            raise _GiveUp from None",
        "        return built",
        "    return build",
    ]
    source = f"def make({', '.join(cells)}):\n" + "\n".join(lines) + "\n"
    filename = source_name(cls)
    namespace: dict[str, Any] = {}
    exec(compile(source, filename, "exec"), namespace)  # noqa: S102 - source written above
    # As attrs does for the methods it writes: a traceback shows these lines.
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    builder: Convert = namespace["make"](**cells)
    return builder


#: The inline test that a value (``item``) is not of a scalar type.
_WRONG = {
    str: "type(item) is not str or len(item) > _max or not (item.isascii() or _encodes(item))",
    bool: "type(item) is not bool",
    int: "type(item) is not int",
}


def _field_lines(
    cls: type,
    n: int,
    field: attrs.Attribute[Any],
    hint: Any,
    *,
    cells: dict[str, Any],
    convert_for: Callable[[Any], Convert],
) -> list[str]:
    """Return the lines that read field number ``n`` of ``cls`` and set it on ``built``."""
    optional = False
    if typing.get_origin(hint) in (types.UnionType, typing.Union):
        (hint,) = (arg for arg in typing.get_args(hint) if arg is not type(None))
        optional = True
    array = typing.get_origin(hint) in (tuple, frozenset)
    if field.default is attrs.NOTHING and optional:
        # null is allowed, but the key must be there.
        cells["_MISSING"] = _MISSING
        lines = [
            f"        item = value.get({field.name!r}, _MISSING)",
            "        if item is _MISSING:",
            "            raise _GiveUp",
        ]
    else:
        # A required field left out is read as null, which its check refuses.
        lines = [f"        item = value.get({field.name!r}{_default(cls, field, array=array)})"]
    # Each kind's check; with `optional`, null passes it.
    guard = "item is not None and " if optional else ""
    if array:
        cells[f"_c{n}"] = convert_for(typing.get_args(hint)[0])
        lines += [
            f"        if {guard}type(item) is not list:",
            "            raise _GiveUp",
            f"        built.{field.name} = {'None if item is None else ' if optional else ''}"
            f"tuple(map(_c{n}, item))",
        ]
    elif hint is datetime:
        cells["_time"] = _time
        none = "None if item is None else " if optional else ""
        lines.append(f"        built.{field.name} = {none}_time(item)")
    elif hint in _WRONG:
        lines += [
            f"        if {guard}({_WRONG[hint]}):",
            "            raise _GiveUp",
            f"        built.{field.name} = item",
        ]
    elif issubclass(hint, enum.StrEnum):
        cells[f"_m{n}"] = {member.value: member for member in hint}.get
        indent = "    " if optional else ""
        if optional:
            lines.append("        if item is not None:")
        lines += [
            # type() first: a list or an object cannot be looked up in a dict.
            f"        {indent}item = _m{n}(item) if type(item) is str else None",
            f"        {indent}if item is None:",
            f"            {indent}raise _GiveUp",
            f"        built.{field.name} = item",
        ]
    else:  # a model class
        cells[f"_c{n}"] = convert_for(hint)
        value = f"None if item is None else _c{n}(item)" if optional else f"_c{n}(item)"
        lines.append(f"        built.{field.name} = {value}")
    return lines


#: Stands for a field the JSON object leaves out, where null is allowed but the field required.
_MISSING = object()


def _default(cls: type, field: attrs.Attribute[Any], *, array: bool) -> str:
    """Return ``", "`` and the JSON spelling of a field's default, or nothing for a required field.

    Only what JSON can spell is taken: a factory default, or a collection
    that is not empty, is refused.
    """
    default = field.default
    if default is attrs.NOTHING or default is None:
        return ""
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        msg = f"{cls.__name__}.{field.name} has a factory default; the quick path takes values"
        raise TypeError(msg)
    if array and not default and isinstance(default, tuple | frozenset):
        return ", _EMPTY"
    if isinstance(default, enum.StrEnum):
        return f", {default.value!r}"
    if type(default) in (bool, int, str):
        return f", {default!r}"
    msg = f"{cls.__name__}.{field.name} has a default JSON cannot spell: {default!r}"
    raise TypeError(msg)


def _stand_in(cls: type) -> type:
    """Return a subclass of ``cls`` whose objects' slots are set like those of any class.

    A frozen class refuses ``obj.field = value``, so its slots can only be set
    through their descriptors, one call each. The stand-in adds nothing to
    ``cls`` but the ordinary way of setting attributes, which the interpreter
    makes quick for slots; once every field is set, the object is made an
    instance of ``cls`` itself (``__class__`` assignment, allowed as the two
    classes lay their objects out alike) before its checks run. On the ~10
    objects of every VM this halves the cost of setting their fields.
    """
    stand_in: type = type(
        f"{cls.__name__}Builder",
        (cls,),
        {
            "__slots__": (),
            "__setattr__": object.__setattr__,
            "__delattr__": object.__delattr__,
            "__module__": __name__,
        },
    )
    return stand_in


def _time(value: Any) -> datetime:
    """Read a time written in ISO 8601 (``2024-05-06T21:14:07Z``); one without a zone is UTC."""
    if type(value) is not str or len(value) > 64:
        raise GiveUp
    try:
        time = datetime.fromisoformat(value)
    except ValueError:
        raise GiveUp from None
    return time if time.tzinfo is not None else time.replace(tzinfo=UTC)


def _encodes(text: str) -> bool:
    """Tell whether ``text`` can be written as UTF-8 (it holds no half of a surrogate pair)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _string_check(max_string: int) -> Convert:
    def string(value: Any) -> str:
        # ASCII, the common case, cannot hold half of a surrogate pair.
        if type(value) is not str or len(value) > max_string:
            raise GiveUp
        if not (value.isascii() or _encodes(value)):
            raise GiveUp
        return value

    return string
