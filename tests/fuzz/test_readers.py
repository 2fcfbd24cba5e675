"""Fuzzing the readers of command output, and the cases fuzzing found.

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

from collections.abc import Callable

import attrs
import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from hyperv_backup import (
    InventoryError,
    parse_inventory,
    readers,
)
from tests.fuzz._shared_fuzz import (
    FUZZ,
    _check_problems,
)
from tests.paths import FIXTURES

# --- the fuzz tests: readers of command output ----------------------------------------------


READERS: dict[str, Callable[[str], tuple[object, ...]]] = {
    "vssadmin_writers": readers.vssadmin_writers,
    "vssadmin_shadow_storage": readers.vssadmin_shadow_storage,
    "diskpart_disks": readers.diskpart_disks,
    "diskpart_volumes": readers.diskpart_volumes,
}


SAMPLES_DIR = FIXTURES / "samples"


SAMPLES = sorted(path.read_bytes().decode("utf-8", "replace") for path in SAMPLES_DIR.glob("*.txt"))


def check_reader(reader: Callable[[str], tuple[object, ...]], text: str) -> None:
    """Read ``text``; only a tuple of records or an ``InventoryError`` naming a line is allowed."""
    try:
        records = reader(text)
    except InventoryError as exc:
        _check_problems(exc, text, line_paths=True)
        event("text refused")
        return
    event("records read" if records else "nothing listed")
    assert isinstance(records, tuple)
    assert all(attrs.has(type(record)) for record in records)


def _line_mutation(draw: st.DrawFn, lines: list[str]) -> None:
    where = draw(st.integers(0, len(lines)))
    kind = draw(st.sampled_from(["delete", "repeat", "insert", "edit", "swap", "elide"]))
    if kind == "delete" and where < len(lines):
        del lines[where]
    elif kind == "repeat" and where < len(lines):
        lines.insert(where, lines[where])
    elif kind == "insert":
        lines.insert(
            where,
            draw(
                st.one_of(
                    st.sampled_from(SAMPLES).map(lambda s: s.split("\n")[len(s) % 7] if s else ""),
                    st.text(max_size=40),
                )
            ),
        )
    elif kind == "edit" and where < len(lines):
        line = lines[where]
        at = draw(st.integers(0, len(line)))
        lines[where] = (
            line[:at]
            + draw(
                st.sampled_from(
                    [
                        "",
                        "-",
                        " ",
                        ":",
                        "{",
                        "}",
                        "[",
                        "]",
                        "9" * 12,
                        "\t",
                        "'",
                        "\r",
                        "*",
                        "GB",
                        "%",
                        "٣",
                    ]
                )
            )
            + line[at + draw(st.integers(0, 3)) :]
        )
    elif kind == "swap" and len(lines) >= 2:
        other = draw(st.integers(0, len(lines) - 1))
        where = min(where, len(lines) - 1)
        lines[where], lines[other] = lines[other], lines[where]
    else:
        lines.insert(where, draw(st.sampled_from(["...", "<... more ...>", "…", "[...]"])))


@st.composite
def mutated_samples(draw: st.DrawFn) -> str:
    """Generate a captured command output with one to five line-level mutations."""
    lines = draw(st.sampled_from(SAMPLES)).split("\n")
    for _ in range(draw(st.integers(1, 5))):
        _line_mutation(draw, lines)
    return draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines)


@pytest.mark.parametrize("name", READERS)
@FUZZ
@given(
    text=st.one_of(
        st.text(max_size=400), st.binary(max_size=400).map(lambda b: b.decode("latin-1"))
    )
)
def test_readers_on_arbitrary_text(name: str, text: str) -> None:
    """Each reader, on any text: records or InventoryError."""
    check_reader(READERS[name], text)


@pytest.mark.parametrize("name", READERS)
@FUZZ
@given(text=mutated_samples())
def test_readers_on_mutated_samples(name: str, text: str) -> None:
    """Each reader, on real and made-up captures with lines deleted, repeated, edited."""
    check_reader(READERS[name], text)


def test_samples_are_there() -> None:
    """The reader fuzzing starts from captures of every command."""
    joined = "\n".join(SAMPLES)
    for marker in ("Writer name", "Shadow Copy Storage", "DISKPART", "Volume ###"):
        assert marker.casefold() in joined.casefold(), marker


# --- found by fuzzing ---------------------------------------------------------------------


class _Unprintable(str):
    """A string whose ``repr`` fails, as a caller's own ``str`` subclass might."""

    __slots__ = ()

    def __repr__(self) -> str:
        raise RuntimeError("this value cannot be shown")


def test_a_mapping_whose_kind_cannot_be_printed_is_refused() -> None:
    """Any bad input raises InventoryError, never another exception.

    A parsed mapping may hold ``str`` subclasses whose ``repr`` fails; an unknown
    ``kind`` of that sort is still reported as a problem of ``kind``.
    """
    with pytest.raises(InventoryError, match=r"^os: "):
        parse_inventory({"kind": "host", "name": "HV01", "os": _Unprintable("x")})
    with pytest.raises(InventoryError, match="cannot be shown") as info:
        parse_inventory({"kind": _Unprintable("server")})
    assert info.value.path == "kind"
