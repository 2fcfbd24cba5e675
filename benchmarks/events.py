"""Time reading event logs, per event, against what reading the same bytes costs at least.

Run from the repository root, with the package and its test extra installed::

    python benchmarks/events.py                 # 20,000 events, 7 runs
    python benchmarks/events.py --events 50000 --runs 11

It writes the same events three ways (``tests/readers/evtx_writer.py`` for the
``.evtx`` file, whose records the ``evtx`` library renders as the XML export)
and times, interleaved, in CPU time (``time.process_time``) with the
collector paused in every stage:

* ``.evtx``: :func:`hyperv_backup.readers.evtx_events` against the ``evtx``
  library's own JSON route (``records_json()`` and ``json.loads`` of each
  record), the target being at most 1.5x;
* XML: :func:`hyperv_backup.readers.event_xml` against ``defusedxml``'s
  ``iterparse`` of the same text, at most 2x;
* Get-WinEvent JSON: :func:`hyperv_backup.readers.winevent_json` against
  ``json.loads`` of the same text, at most 2x.

It prints the median (and minimum) time per event of each and the ratios, and
checks that the three readers read the same events.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import defusedxml.ElementTree
from evtx import PyEvtxParser

from hyperv_backup.readers import event_xml, evtx_events, winevent_json
from tests.readers.evtx_writer import EvtxRecord, event_element, write_evtx

#: The targets: each reader's time per event as a multiple of its floor's.
TARGETS = {"evtx": 1.5, "xml": 2.0, "json": 2.0}

T0 = datetime(2026, 12, 6, 2, 0, 1, tzinfo=UTC)
VMMS = "Microsoft-Windows-Hyper-V-VMMS"
VML = ("VmlEventLog", "http://www.microsoft.com/Windows/Virtualization/Events")


def _records(count: int) -> list[EvtxRecord]:
    """Return ``count`` records: Hyper-V events with ``<UserData>``, VSS ones with ``<EventData>``."""
    records = []
    for n in range(1, count + 1):
        stamp = T0 + timedelta(seconds=n)
        if n % 2:
            element = event_element(
                provider=VMMS,
                event_id=18012,
                level=2,
                time_created=stamp,
                record_id=n,
                channel=f"{VMMS}-Admin",
                computer="HV01",
                user_data=(*VML, [("VmName", f"VM{n % 500}"), ("VmId", f"{n:08d}-1234")]),
            )
        else:
            element = event_element(
                provider="VSS",
                event_id=8229,
                level=3,
                time_created=stamp,
                record_id=n,
                channel="Application",
                computer="HV01",
                data=[(None, "0x800423f4"), ("Writer", "Microsoft Hyper-V VSS Writer")],
            )
        records.append(EvtxRecord(n, stamp, element))
    return records


def _winevent(event: Any) -> dict[str, Any]:
    """Return the object ``Get-WinEvent | ConvertTo-Json`` writes for ``event``."""
    milliseconds = int(event.time_created.timestamp() * 1000)
    return {
        "Id": event.event_id,
        "ProviderName": event.provider,
        "Level": event.level,
        "TimeCreated": f"/Date({milliseconds})/",
        "MachineName": event.computer,
        "LogName": event.channel,
        "RecordId": event.record_id,
        "Properties": [{"Value": value} for _, value in event.data],
        "Message": None,
    }


def inputs(count: int) -> tuple[bytes, str, str]:
    """Return the same ``count`` events as an ``.evtx`` file, an XML export and Get-WinEvent JSON."""
    data = write_evtx(_records(count))
    parser = PyEvtxParser(io.BytesIO(data), number_of_threads=1)
    # Each record as the library renders it, less its XML declaration: one export.
    xml = "\n".join(
        record["data"].split("?>", 1)[-1].strip() for record in parser.records()
    )
    events = evtx_events(data)
    text = json.dumps([_winevent(event) for event in events], indent=1)
    return data, xml, text


def _library_json(data: bytes) -> list[Any]:
    parser = PyEvtxParser(io.BytesIO(data), number_of_threads=1)
    return [json.loads(record["data"]) for record in parser.records_json()]


def _iterparse(xml: str) -> int:
    source = io.BytesIO(f"<events>{xml}</events>".encode())
    count = 0
    for _, element in defusedxml.ElementTree.iterparse(source, events=("end",)):
        count += 1
        if element.tag.endswith("}Event"):
            element.clear()
    return count


def _time(action: Callable[[], Any]) -> float:
    gc.collect()
    gc.disable()
    try:
        start = time.process_time()
        result = action()
        elapsed = time.process_time() - start
    finally:
        gc.enable()
    del result
    return elapsed


def main() -> None:
    """Write the events, time each reader and its floor, print the figures per event."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    data, xml, text = inputs(args.events)
    read = {
        "evtx": evtx_events(data).events,
        "xml": event_xml(xml).events,
        "json": winevent_json(text).events,
    }
    # The same events whichever way they came (JSON's values are named by position).
    assert read["evtx"] == read["xml"], "the .evtx and XML readers disagree"
    assert len(read["json"]) == len(read["evtx"])
    stages: dict[str, Callable[[], Any]] = {
        "evtx: evtx_events": lambda: evtx_events(data),
        "evtx: the library's JSON route": lambda: _library_json(data),
        "xml: event_xml": lambda: event_xml(xml),
        "xml: defusedxml iterparse": lambda: _iterparse(xml),
        "json: winevent_json": lambda: winevent_json(text),
        "json: json.loads": lambda: json.loads(text),
    }
    for action in stages.values():  # one untimed round: everything imported and set up
        action()
    times: dict[str, list[float]] = {name: [] for name in stages}
    for _ in range(args.runs):
        for name, action in stages.items():
            times[name].append(_time(action))
    per_event = {name: statistics.median(t) / args.events * 1e6 for name, t in times.items()}
    minimum = {name: min(t) / args.events * 1e6 for name, t in times.items()}
    print(f"{args.events} events, CPU time per event, median (min) of {args.runs} runs")
    for name in stages:
        print(f"  {name:<32} {per_event[name]:7.2f} us  ({minimum[name]:.2f})")
    names = list(stages)
    for (ours, floor), (kind, limit) in zip(
        zip(names[::2], names[1::2], strict=True), TARGETS.items(), strict=True
    ):
        ratio = per_event[ours] / per_event[floor]
        verdict = "met" if ratio <= limit else "NOT met"
        print(
            f"  {kind}: {ratio:.2f}x (of the minimums {minimum[ours] / minimum[floor]:.2f}x), "
            f"at most {limit:.1f}x: {verdict}"
        )


if __name__ == "__main__":
    main()
