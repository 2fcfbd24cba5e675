"""The quick way from a parsed JSON document to the model, for documents with nothing wrong.

Reading an inventory has two paths, and they agree on every input:

* this one builds the model objects straight from the document. At the first
  thing out of the ordinary (a key it does not know, a value of the wrong JSON
  type, a name the model refuses) it gives up with :class:`GiveUp`, without
  saying what was wrong;
* the careful path in :mod:`hyperv_backup.inventory` (a converter with
  detailed validation) runs only then, and reports every problem with its
  path.

On JSON documents both accept the same ones and build equal objects; the
tests check it on generated documents, valid and not. A mapping built in
Python that holds what JSON cannot (a ``str`` subclass, a tuple) is read by
the careful path. The quick path exists because
the careful one spends much of its time on bookkeeping that only matters when
something is wrong: on a valid 20,000-VM inventory it takes about 1.4 times
as long, and setting it up slows every start of the command line.

How it stays quick (each point saves work on every one of the ~10 objects a VM
has):

* the checks for each class are worked out once from the model's type hints
  and kept as a table of small functions, one per field (:func:`builders`);
* a document's keys are looked up in that table, so an unknown key costs
  nothing extra to find;
* enum members are found with a dictionary lookup instead of calling the enum
  class, which the model then accepts as they are;
* each object is made without its ``__init__``, its slots set one by one: the
  converters have checked every type the ``__init__`` would, and the class's
  own value checks (names, ranges, cross-field rules) run through the same
  ``_check`` method its ``__init__`` runs. Nothing is skipped; the type
  checks are done once, here, instead of twice.
"""

from __future__ import annotations

import enum
import functools
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from hyperv_backup.model import Cluster, Host, ModelError

__all__ = ["GiveUp", "build", "builders"]

#: Turns one JSON value into the value a model field takes, or raises GiveUp.
Convert = Callable[[Any], Any]


class GiveUp(Exception):  # noqa: N818 - not an error: a signal to take the careful path
    """Something in the document needs the careful path, which will say what."""


#: From this many VMs on, a document is built by builders written out for
#: each class (:func:`_written_model`), whose setting up (a few milliseconds,
#: once per process) a small document would not repay.
WRITTEN_FROM_VMS = 1_000


def build(
    fields: Mapping[str, Any],
    cls: type[Host] | type[Cluster],
    max_string: int,
    *,
    written: bool | None = None,
) -> Host | Cluster:
    """Build ``cls`` from the fields of a JSON object, or raise :class:`GiveUp`.

    ``written`` chooses the kind of builder; by default, the written-out ones
    from :data:`WRITTEN_FROM_VMS` VMs on.
    """
    if written is None:
        written = _vm_count(fields, cls) >= WRITTEN_FROM_VMS
    built: Host | Cluster = builders(max_string, written=written)[cls](fields)
    return built


def _vm_count(fields: Mapping[str, Any], cls: type[Host] | type[Cluster]) -> int:
    """Count the VMs a document lists, as far as it can be told without reading it."""
    hosts = fields.get("nodes") if cls is Cluster else [fields]
    if type(hosts) is not list:
        return 0
    return sum(
        len(vms) for host in hosts if type(host) is dict and type(vms := host.get("vms")) is list
    )


@functools.lru_cache(maxsize=8)
def builders(max_string: int, *, written: bool = False) -> dict[type, Convert]:
    """Return, per model class, the function that builds it from a JSON object.

    Built once per string limit (in practice there is one): the limit is fixed
    in the string check rather than looked up for every string. With
    ``written``, each class's builder is written out for its fields; both
    kinds build the same objects and give up on the same documents.
    """
    table: dict[type, Convert] = {}
    scalars: dict[Any, Convert] = {
        str: _string_check(max_string),
        bool: _boolean,
        int: _integer,
    }

    def convert_for(hint: Any) -> Convert:
        origin = typing.get_origin(hint)
        if origin is types.UnionType or origin is typing.Union:
            (inner,) = (arg for arg in typing.get_args(hint) if arg is not type(None))
            return _optional(convert_for(inner))
        if origin is tuple or origin is frozenset:
            # A JSON array; the model turns it into its tuple or frozenset, and
            # checks the items' own rules with their indices.
            return _array(convert_for(typing.get_args(hint)[0]))
        if hint in scalars:
            return scalars[hint]
        if issubclass(hint, enum.StrEnum):
            return _member(hint)
        if hint not in table:  # a model class
            table[hint] = (_written_model if written else _model)(hint, convert_for)
        return table[hint]

    convert_for(Host)
    convert_for(Cluster)
    return table


#: Stands for a field the JSON object leaves out.
_MISSING = object()


def _model(cls: type, convert_for: Callable[[Any], Convert]) -> Convert:
    """Return the builder of ``cls``: its slots set from the JSON object, then its value checks.

    The object is made without its ``__init__``: each field's converter has
    already given it the type the ``__init__`` would check (an enum member, a
    tuple of built objects, a ``bool``), so only the class's own value checks
    run, through the ``_check(typed=True)`` that its ``__init__`` runs too
    (with ``typed=False``). A field left out takes its default; a required one
    left out, or a key that is no field, gives up.
    """
    hints = typing.get_type_hints(cls)
    fields = attrs.fields(cls)
    entries = {f.name: (convert_for(hints[f.name]), vars(cls)[f.name].__set__) for f in fields}
    lookup = entries.get
    defaults = {
        f.name: (_default(cls, f), entries[f.name][1])
        for f in fields
        if f.default is not attrs.NOTHING
    }
    required = frozenset(f.name for f in fields if f.default is attrs.NOTHING)
    names = frozenset(entries)
    count = len(names)
    new = object.__new__
    check = cls._check  # type: ignore[attr-defined]

    def build(value: Any) -> Any:
        # A JSON object is a dict; anything else (including other mappings
        # passed from Python) is left to the careful path.
        if type(value) is not dict:
            raise GiveUp
        built: Any = new(cls)
        for key, item in value.items():
            entry = lookup(key)
            if entry is None:  # an unknown field
                raise GiveUp
            convert, store = entry
            store(built, convert(item))
        if len(value) != count:
            missing = names - value.keys()
            if not required.isdisjoint(missing):
                raise GiveUp
            for name in missing:
                default, store = defaults[name]
                store(built, default)
        try:
            check(built, typed=True)
        except ModelError:
            raise GiveUp from None
        return built

    return build


def _default(cls: type, field: attrs.Attribute[Any]) -> Any:
    """Return a field's default value; a factory default is refused (none is built per object)."""
    if isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
        msg = f"{cls.__name__}.{field.name} has a factory default; the quick path takes values"
        raise TypeError(msg)
    return field.default


def _written_model(cls: type, convert_for: Callable[[Any], Convert]) -> Convert:
    """Return the builder of ``cls`` that :func:`_model` returns, written out for its fields.

    It is written out for the class's fields, one look-up each, as attrs
    writes a class's ``__init__``: the loop of :func:`_model` over the object's
    keys, with a table look-up for each, costs a third more on the ~10 objects
    of every VM, but needs no code compiled first.
    """
    hints = typing.get_type_hints(cls)
    fields = attrs.fields(cls)
    cells: dict[str, Any] = {
        "_cls": cls,
        "_new": object.__new__,
        "_names": frozenset(field.name for field in fields),
        "_check": cls._check,  # type: ignore[attr-defined]
        "_GiveUp": GiveUp,
        "_ModelError": ModelError,
        "_M": _MISSING,
    }
    lines = [
        "    def build(value):",
        "        if type(value) is not dict or not _names.issuperset(value):",
        "            raise _GiveUp",
        "        built = _new(_cls)",
    ]
    for n, field in enumerate(fields):
        convert = convert_for(hints[field.name])
        inner = getattr(convert, "inner", None)
        cells[f"c{n}"] = convert if inner is None else inner
        cells[f"s{n}"] = vars(cls)[field.name].__set__
        value = f"c{n}(item)" if inner is None else f"None if item is None else c{n}(item)"
        lines.append(f"        item = value.get({field.name!r}, _M)")
        if field.default is attrs.NOTHING:
            lines += ["        if item is _M:", "            raise _GiveUp"]
            lines.append(f"        s{n}(built, {value})")
        else:
            cells[f"d{n}"] = _default(cls, field)
            lines += [
                "        if item is _M:",
                f"            s{n}(built, d{n})",
                "        else:",
                f"            s{n}(built, {value})",
            ]
    lines += [
        "        try:",
        "            _check(built, typed=True)",
        "        except _ModelError:",
        "            raise _GiveUp from None",
        "        return built",
        "    return build",
    ]
    source = f"def make({', '.join(cells)}):\n" + "\n".join(lines) + "\n"
    namespace: dict[str, Any] = {}
    exec(compile(source, f"<quick builder of {cls.__name__}>", "exec"), namespace)  # noqa: S102
    build: Convert = namespace["make"](**cells)
    return build


def _string_check(max_string: int) -> Convert:
    def string(value: Any) -> str:
        if type(value) is not str or len(value) > max_string:
            raise GiveUp
        # Half of a surrogate pair cannot be written out again; ASCII, the
        # common case, cannot hold one, and is told apart without encoding.
        if not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise GiveUp from None
        return value

    return string


def _boolean(value: Any) -> bool:
    if type(value) is not bool:
        raise GiveUp
    return value


def _integer(value: Any) -> int:
    if type(value) is not int:  # a bool is not an integer here
        raise GiveUp
    return value


def _member(cls: type[enum.StrEnum]) -> Convert:
    members = {member.value: member for member in cls}.get

    def member(value: Any) -> enum.StrEnum:
        # type() first: a list or an object cannot be looked up in a dict.
        found = members(value) if type(value) is str else None
        if found is None:
            raise GiveUp
        return found

    return member


def _optional(convert: Convert) -> Convert:
    def optional(value: Any) -> Any:
        return None if value is None else convert(value)

    # The written-out builders test for None themselves and call the converter inside.
    optional.inner = convert  # type: ignore[attr-defined]
    return optional


def _array(convert: Convert) -> Convert:
    def array(value: Any) -> tuple[Any, ...]:
        if type(value) is not list:
            raise GiveUp
        # map() runs the conversions without a frame of its own for the loop.
        return tuple(map(convert, value))

    return array
