"""Fuzzing the inventory reader: only Host, Cluster or InventoryError comes out.

Any bad input to :func:`parse_inventory` raises
:class:`InventoryError` naming the place, and never another exception type.
The readers of ``vssadmin`` and ``diskpart`` text promise the same. These
tests feed them valid documents damaged in many ways, and arbitrary bytes and
text, and check that each call either returns a result or raises
``InventoryError``; a document that is read must also survive a round trip.

The number of cases per test comes from ``HVB_FUZZ_EXAMPLES`` (default 200,
small enough for every run of the suite); ``docs/testing.md`` shows how to run
a large campaign by hand.
"""

from __future__ import annotations

import codecs
import copy
import json
import math
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import attrs
from hypothesis import event, given
from hypothesis import strategies as st

from hyperv_backup import (
    Cluster,
    Host,
    InventoryError,
    dump_inventory,
    example_names,
    load_example,
    parse_inventory,
)
from tests.fuzz._shared_fuzz import (
    _SHORT,
    FUZZ,
    _check_problems,
)
from tests.inventory.test_quick import paths_agree
from tests.strategies import inventories

T = TypeVar("T")


# --- the oracle ------------------------------------------------------------------------


class Shown(Generic[T]):
    """A generated input whose ``repr`` is cut short.

    Hypothesis prints the input of a failing case; a document holding a
    million-character string would make that report useless (and Hypothesis
    warns about it, which this suite turns into an error).
    """

    __slots__ = ("value",)

    def __init__(self, value: T) -> None:
        self.value = value

    def __repr__(self) -> str:
        return _SHORT.repr(self.value)


def check_inventory_input(data: str | bytes | dict[str, Any]) -> Host | Cluster | None:
    """Read ``data``; only a result or an ``InventoryError`` is allowed.

    A document that is read must come back equal from its own dump, given as
    a mapping and as JSON text. A rejection must name at least one problem
    and stay a message of reasonable size. A mapping of JSON values gets the
    same answer from the quick and the careful way of reading it.
    """
    if isinstance(data, dict) and _json_values_only(data):
        paths_agree(data)
    try:
        inventory = parse_inventory(data)
    except InventoryError as exc:
        _check_problems(exc, data)
        event("inventory refused")
        return None
    event("inventory read")
    assert isinstance(inventory, Host | Cluster)
    dumped = dump_inventory(inventory)
    assert parse_inventory(dumped) == inventory
    assert parse_inventory(json.dumps(dumped)) == inventory
    return inventory


def _json_values_only(value: object) -> bool:
    """Whether ``value`` holds only what parsed JSON holds (the quick path wants no more).

    Walked with a stack, not recursion: fuzzed documents may nest very deeply.
    """
    stack = [value]
    while stack:
        item = stack.pop()
        if type(item) is dict:
            if not all(type(key) is str for key in item):
                return False
            stack.extend(item.values())
        elif type(item) is list:
            stack.extend(item)
        elif item is not None and type(item) not in {str, int, float, bool}:
            return False
    return True


# --- a JSON writer that can also write what json.dumps refuses to ----------------------


@attrs.frozen
class Pairs:
    """An object written with these key/value pairs in order; keys may repeat."""

    items: tuple[tuple[str, Any], ...]


def _short(text: str) -> str:
    return repr(text) if len(text) <= 40 else f"{text[:40]!r}... ({len(text)} characters)"


@attrs.frozen
class Raw:
    """JSON text written as is (``NaN``, a 5,000-digit integer, deep nesting).

    Its ``repr`` is short: Hypothesis writes strategies that hold it in reports.
    """

    text: str = attrs.field(repr=_short)
    #: The same value as Python builds it, for the mapping form of the document.
    value: Callable[[], Any]


def to_text(value: Any) -> str:
    """Write ``value`` as JSON text, with :class:`Pairs` and :class:`Raw` as they say."""
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, Pairs):
        return "{" + ",".join(f"{json.dumps(k)}:{to_text(v)}" for k, v in value.items) + "}"
    if isinstance(value, dict):
        return to_text(Pairs(tuple(value.items())))
    if isinstance(value, list):
        return "[" + ",".join(to_text(v) for v in value) + "]"
    return json.dumps(value)


def to_python(value: Any) -> Any:
    """Build the value ``json.loads`` would give for :func:`to_text` (repeated keys: last wins)."""
    if isinstance(value, Raw):
        return value.value()
    if isinstance(value, Pairs):
        return {k: to_python(v) for k, v in value.items}
    if isinstance(value, dict):
        return {k: to_python(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_python(v) for v in value]
    return value


def _nested_lists(depth: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(depth):
        value = [value]
    return value


def _nested_objects(depth: int) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for _ in range(depth):
        value = {"a": value}
    return value


def _deep(depth: int, brackets: str) -> Raw:
    if brackets == "[]":
        return Raw("[" * depth + "]" * depth, lambda: _nested_lists(depth))
    return Raw('{"a":' * depth + "{}" + "}" * depth, lambda: _nested_objects(depth))


#: Values JSON allows only by extension, or that strain a reader.
ODD_RAW = (
    Raw("NaN", lambda: math.nan),
    Raw("Infinity", lambda: math.inf),
    Raw("-Infinity", lambda: -math.inf),
    Raw("1e400", lambda: math.inf),
    Raw("-0", lambda: 0),
    Raw("-0.0", lambda: -0.0),
    Raw("1" * 5000, lambda: 10**5000 // 9),
    Raw("1" * 4300, lambda: 10**4300 // 9),
    Raw("123456789012345678901234567890", lambda: 123456789012345678901234567890),
)


#: Values of every JSON type, with the edge cases a reader trips on.
JSON_VALUES = st.one_of(
    st.sampled_from([None, True, False, 0, 1, -1, 4094, 4095, 2**31, 2**63, 1.0, 1.5, -0.0, 1e308]),
    st.sampled_from(["", " ", "\u3000", "\x00", "\ud800", "RUNNING", "Host", "online", "KB"]),
    st.sampled_from(["host", "cluster", "virtual_hard_disk", "pass_through", "C:", "c:"]),
    st.text(max_size=12),
    st.integers(),
    st.floats(allow_nan=False),
    st.sampled_from(ODD_RAW),
    st.builds(
        _deep, st.sampled_from([2, 50, 500, 990, 1000, 5000, 50_000]), st.sampled_from(["[]", "{}"])
    ),
    st.lists(st.sampled_from([None, 1, "x", {}, []]), max_size=3),
    st.dictionaries(
        st.sampled_from(["name", "state", "kind", "x"]), st.sampled_from([1, "x", None]), max_size=2
    ),
)


#: Keys a typo or a newer collector would bring: near misses of the real field names.
UNKNOWN_KEYS = st.one_of(
    st.sampled_from(
        [
            "Name",
            "nmae",
            "names",
            "VMs",
            "vm",
            "kind ",
            " name",
            "os_version",
            "disk",
            "Volumes",
            "",
            "__proto__",
            "\u212a",
        ]
    ),
    st.text(max_size=10),
)


#: String lengths around the limit on a single string, and far past it.
HUGE_LENGTHS = st.sampled_from([32_767, 32_768, 100_000, 1_000_000])


# --- structural mutations of a document ------------------------------------------------


Slot = tuple[Any, Any]  # (container, key or index)


def _slots(value: Any) -> list[Slot]:
    """Every place in ``value`` that holds a value, in document order."""
    found: list[Slot] = []
    stack: list[Any] = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key in node:
                found.append((node, key))
                stack.append(node[key])
        elif isinstance(node, list):
            for index, item in enumerate(node):
                found.append((node, index))
                stack.append(item)
    return found


def _objects(value: Any) -> list[dict[str, Any]]:
    found = [value] if isinstance(value, dict) else []
    found += [c[k] for c, k in _slots(value) if isinstance(c[k], dict)]
    return found


def _pick(draw: st.DrawFn, items: list[Any]) -> Any:
    """Draw one of ``items``, or ``None`` when there is none."""
    return items[draw(st.integers(0, len(items) - 1))] if items else None


def delete_key(draw: st.DrawFn, document: dict[str, Any]) -> None:
    """Leave a field out: required ones must be missed, optional ones defaulted."""
    target = _pick(draw, [o for o in _objects(document) if o])
    if target is not None:
        del target[_pick(draw, list(target))]


def add_unknown_key(draw: st.DrawFn, document: dict[str, Any]) -> None:
    """Add a key no object has: a typo must not pass silently."""
    target = _pick(draw, _objects(document))
    target[draw(UNKNOWN_KEYS)] = draw(JSON_VALUES)


def change_value(draw: st.DrawFn, document: dict[str, Any]) -> None:
    """Put a value of another type (or an odd one of the same type) somewhere."""
    slots = _slots(document)
    if slots:
        container, key = _pick(draw, slots)
        container[key] = draw(JSON_VALUES)


def huge_string(draw: st.DrawFn, document: dict[str, Any]) -> None:
    """Replace a string, or a key, with a very long one."""
    text = draw(st.sampled_from("AŞ€😀 ")) * draw(HUGE_LENGTHS)
    target = _pick(draw, _objects(document))
    if target and draw(st.booleans()):
        key = _pick(draw, list(target))
        target[key] = text
    else:
        target[text] = draw(JSON_VALUES)


def duplicate_key(draw: st.DrawFn, document: dict[str, Any]) -> None:
    """Write one key twice in an object (parsed, it must be refused, not "last one wins")."""
    slots = [(c, k) for c, k in _slots(document) if isinstance(c[k], dict) and c[k]]
    if not slots:
        return
    container, key = _pick(draw, slots)
    items = list(container[key].items())
    repeated = _pick(draw, items)
    again = (repeated[0], draw(st.one_of(st.just(repeated[1]), JSON_VALUES)))
    items.insert(draw(st.integers(0, len(items))), again)
    container[key] = Pairs(tuple(items))


def insert_non_number(draw: st.DrawFn, document: dict[str, Any]) -> None:
    """Put ``NaN``, an infinity or an over-long integer somewhere."""
    slots = _slots(document)
    if slots:
        container, key = _pick(draw, slots)
        container[key] = draw(st.sampled_from(ODD_RAW))


def duplicate_item(draw: st.DrawFn, document: dict[str, Any]) -> None:
    """Repeat an item of an array: duplicate VMs, disks, volumes, nodes, networks."""
    arrays = [c[k] for c, k in _slots(document) if isinstance(c[k], list) and c[k]]
    if arrays:
        array = _pick(draw, arrays)
        array.insert(draw(st.integers(0, len(array))), copy.deepcopy(_pick(draw, array)))


def move_subtree(draw: st.DrawFn, document: dict[str, Any]) -> None:
    """Copy one part of the document over another (a VM where a disk belongs)."""
    slots = _slots(document)
    if len(slots) >= 2:
        source_container, source_key = _pick(draw, slots)
        container, key = _pick(draw, slots)
        container[key] = copy.deepcopy(source_container[source_key])


def change_case(draw: st.DrawFn, document: dict[str, Any]) -> None:
    """Change the case of a string: names compared with and without regard to case."""
    slots = [(c, k) for c, k in _slots(document) if isinstance(c[k], str)]
    if slots:
        container, key = _pick(draw, slots)
        container[key] = draw(st.sampled_from([str.upper, str.lower, str.swapcase]))(container[key])


def swap_strings(draw: st.DrawFn, document: dict[str, Any]) -> None:
    """Put one string of the document in place of another (a name where another is meant)."""
    slots = [(c, k) for c, k in _slots(document) if isinstance(c[k], str)]
    if len(slots) >= 2:
        source_container, source_key = _pick(draw, slots)
        container, key = _pick(draw, slots)
        container[key] = source_container[source_key]


MUTATIONS = (
    delete_key,
    add_unknown_key,
    change_value,
    huge_string,
    duplicate_key,
    insert_non_number,
    duplicate_item,
    move_subtree,
    change_case,
    swap_strings,
)


def _example_documents() -> list[dict[str, Any]]:
    return [dump_inventory(load_example(name)) for name in example_names()]


_EXAMPLE_DOCUMENTS = _example_documents()

#: The examples are drawn by index: a strategy over the documents themselves
#: has a repr of tens of kilobytes, which Hypothesis warns about when it shows one.
BASE_DOCUMENTS = st.one_of(
    st.integers(0, len(_EXAMPLE_DOCUMENTS) - 1).map(_EXAMPLE_DOCUMENTS.__getitem__),
    inventories().map(dump_inventory),
)


@st.composite
def mutated_documents(draw: st.DrawFn) -> dict[str, Any]:
    """Generate a valid document with one to four structural mutations applied."""
    document: dict[str, Any] = copy.deepcopy(draw(BASE_DOCUMENTS))
    for mutation in draw(st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=4)):
        mutation(draw, document)
    return document


# --- mutations of the text and its bytes -----------------------------------------------


#: How a document may be encoded: (codec, byte-order mark written before it).
ENCODINGS: tuple[tuple[str, bytes], ...] = (
    ("utf-8", b""),
    ("utf-8", codecs.BOM_UTF8),
    ("utf-16-le", codecs.BOM_UTF16_LE),
    ("utf-16-be", codecs.BOM_UTF16_BE),
    ("utf-16-le", b""),
    ("utf-16-be", b""),
    ("utf-32-le", codecs.BOM_UTF32_LE),
    ("utf-32-be", codecs.BOM_UTF32_BE),
    ("utf-32-le", b""),
    ("utf-32-be", b""),
    ("latin-1", b""),
    ("cp1252", b""),
)


def _encode(text: str, codec: str, bom: bytes) -> bytes:
    errors = "replace" if codec in {"latin-1", "cp1252"} else "surrogatepass"
    return bom + text.encode(codec, errors)


def _text_mutation(draw: st.DrawFn, text: str) -> str:
    where = draw(st.integers(0, len(text)))
    kind = draw(st.sampled_from(["truncate", "insert", "delete", "splice", "wrap"]))
    if kind == "truncate":
        return text[:where]
    if kind == "insert":
        inserted = draw(st.sampled_from(TEXT_INSERTS))
        return text[:where] + inserted + text[where:]
    if kind == "delete":
        return text[:where] + text[where + draw(st.integers(1, 20)) :]
    if kind == "splice":
        return text[:where] + text[draw(st.integers(0, len(text))) :]
    before = draw(st.sampled_from(["[", " ", "\ufeff", "\ufeff\ufeff"]))
    return before + text + draw(st.sampled_from(["", "]", " x", "{}"]))


#: Characters and words a damaged JSON text gains: syntax, marks, controls, a lone surrogate.
TEXT_INSERTS = [
    '"',
    ",",
    "{",
    "}",
    "[",
    "]",
    ":",
    "\\",
    "\ufeff",
    "NaN",
    "\x00",
    "\x1b",
    "\t",
    "\r",
    "\u2028",
    "\ud800",
]


def _byte_mutation(draw: st.DrawFn, data: bytes) -> bytes:
    if not data:
        return data
    buffer = bytearray(data)
    kind = draw(st.sampled_from(["flip", "truncate", "insert", "bom"]))
    where = draw(st.integers(0, len(buffer) - 1))
    if kind == "flip":
        buffer[where] ^= 1 << draw(st.integers(0, 7))
    elif kind == "truncate":
        del buffer[where:]
    elif kind == "insert":
        buffer[where:where] = draw(st.binary(min_size=1, max_size=4))
    else:
        buffer[0:0] = draw(
            st.sampled_from([codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF32_BE])
        )
    return bytes(buffer)


# --- the fuzz tests: inventories -----------------------------------------------------------


@st.composite
def damaged_texts(draw: st.DrawFn) -> Shown[tuple[str, bytes]]:
    """Generate a mutated document as text, damaged further, and as encoded, damaged bytes."""
    text = to_text(draw(mutated_documents()))
    for _ in range(draw(st.integers(0, 2))):
        text = _text_mutation(draw, text)
    codec, bom = draw(st.sampled_from(ENCODINGS))
    encoded = _encode(text, codec, bom)
    for _ in range(draw(st.integers(0, 2))):
        encoded = _byte_mutation(draw, encoded)
    return Shown((text, encoded))


@FUZZ
@given(damaged_texts())
def test_mutated_documents_as_text_and_bytes(damaged: Shown[tuple[str, bytes]]) -> None:
    """A damaged document, as text or encoded bytes, is read or refused with InventoryError."""
    text, encoded = damaged.value
    check_inventory_input(text)
    check_inventory_input(encoded)


@FUZZ
@given(mutated_documents().map(Shown))
def test_mutated_documents_as_mappings(document: Shown[dict[str, Any]]) -> None:
    """The same damage handed over as an already parsed mapping is refused just as cleanly."""
    check_inventory_input(to_python(document.value))


@FUZZ
@given(st.binary(max_size=2_000))
def test_arbitrary_bytes(data: bytes) -> None:
    """Any bytes at all."""
    check_inventory_input(data)


@FUZZ
@given(st.text(max_size=500))
def test_arbitrary_text(text: str) -> None:
    """Any text at all, lone surrogates and control characters included."""
    check_inventory_input(text)


FIELD_NAMES = sorted(
    {
        field
        for document in _example_documents()
        for container, field in _slots(document)
        if isinstance(container, dict)
    }
)


#: JSON values whose objects use the real field names: they reach deep into the reader.
SHAPED_VALUES = st.recursive(
    JSON_VALUES,
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(st.sampled_from(FIELD_NAMES), children, max_size=5),
    ),
    max_leaves=20,
)


@FUZZ
@given(
    st.sampled_from(["host", "cluster"]),
    st.dictionaries(st.sampled_from(FIELD_NAMES), SHAPED_VALUES, max_size=6).map(Shown),
)
def test_documents_of_real_field_names_and_random_values(
    kind: str, fields: Shown[dict[str, Any]]
) -> None:
    """Objects whose keys are real field names and whose values are anything."""
    document = {"kind": kind, **fields.value}
    check_inventory_input(to_python(document))
    check_inventory_input(to_text(document))
