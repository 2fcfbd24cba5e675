"""The XML the ``evtx`` library renders for a record: read by the standard parser unless it declares."""

from __future__ import annotations

import defusedxml.ElementTree
import pytest

from hyperv_backup.inventory import InventoryError
from hyperv_backup.readers import evtx
from hyperv_backup.readers._events import event_from_element

_RECORD = (
    '<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System>'
    '<Provider Name="VSS"/><EventID Qualifiers="0">8229</EventID><Level>3</Level>'
    '<TimeCreated SystemTime="2026-12-06T02:00:09.0000000Z"/><EventRecordID>7</EventRecordID>'
    "<Channel>Application</Channel><Computer>HV01</Computer></System>"
    '<EventData><Data>0x800423f4</Data><Data Name="Writer">w &amp; &#233;</Data></EventData></Event>'
)


def test_a_record_without_declarations_reads_as_defusedxml_reads_it() -> None:
    expected = event_from_element(defusedxml.ElementTree.fromstring(_RECORD), "record 7")
    assert evtx._event(_RECORD, "record 7") == expected
    assert expected.data == (("1", "0x800423f4"), ("Writer", "w & \u00e9"))


def test_a_record_that_declares_an_entity_is_refused_by_defusedxml() -> None:
    declared = '<!DOCTYPE Event [<!ENTITY a "b">]>' + _RECORD.replace("HV01", "&a;")
    with pytest.raises(InventoryError, match=r"record 7: the record's XML cannot be read"):
        evtx._event(declared, "record 7")


def test_xml_that_is_not_well_formed_is_an_error_either_way() -> None:
    with pytest.raises(InventoryError, match=r"record 7: the record's XML cannot be read"):
        evtx._event(_RECORD[:-3], "record 7")
