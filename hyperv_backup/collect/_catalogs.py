"""The Windows Server Backup catalogue ``host.ps1 -Catalog`` exports beside its document.

The host document's ``BackupCatalog`` section names the file the catalogue
went to (beside the document), how many backup sets it holds, and why it
could not be read when it could not (Windows Server Backup not installed, no
backup yet). :func:`read_catalog` reads that section; :func:`kept_catalogue`
turns the files of every host of an inventory into one catalogue in the
product-neutral format, each restore point naming the host it was taken on
(``Get-WBBackupSet`` does not say), which ``check --backups`` reads.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import attrs

from hyperv_backup.collect._documents import PSValue, bad, shown
from hyperv_backup.inventory import InventoryError, Problem
from hyperv_backup.model import Catalogue
from hyperv_backup.readers import dump_restore_points, wbbackupset_json

__all__ = ["CatalogExport", "kept_catalogue", "read_catalog"]

#: Characters a file name in ``BackupCatalog.File`` must not hold: it names a file beside the document.
_NOT_IN_A_NAME = frozenset('/\\:*?"<>|\0')


@attrs.frozen(kw_only=True)
class CatalogExport:
    """The catalogue one host document says it exported, and where it is.

    ``file`` is a file name, beside the host document; ``count`` how many
    backup sets it holds; ``error`` why the catalogue could not be read (its
    ``count`` is then 0).
    """

    host: str
    file: str
    count: int
    error: str | None


def read_catalog(doc: PSValue, host: str) -> CatalogExport | None:
    """Read a host document's ``BackupCatalog`` section; ``None`` when there is none."""
    section = doc.opt("BackupCatalog")
    if section.is_null:
        return None
    name_node = section.get("File")
    name = name_node.text()
    if name in {".", ".."} or _NOT_IN_A_NAME.intersection(name):
        raise bad(
            name_node.path, f"expected the name of a file beside the document, got {shown(name)}"
        )
    count_node = section.get("Count")
    count = count_node.integer()
    if count < 0:
        raise bad(count_node.path, f"expected a count, got {count}")
    return CatalogExport(host=host, file=name, count=count, error=section.opt("Error").opt_text())


def kept_catalogue(
    files: Sequence[bytes | str], hosts: Sequence[str], names: Sequence[str] = ()
) -> tuple[str, tuple[int, ...]]:
    """Put the catalogues of several hosts into one; return its JSON text and each file's set count.

    Each file is what ``host.ps1 -Catalog`` wrote (``Get-WBBackupSet``'s sets
    as JSON), of the host ``hosts[i]``; each restore point is kept naming it.
    A damaged file raises :class:`~hyperv_backup.inventory.InventoryError`
    naming it (by ``names[i]`` when given, else ``catalogs[i]``), and no
    half-kept catalogue is made.

    >>> text, counts = kept_catalogue(['[{"VersionId": "12/06/2026-22:10", '
    ...     '"Application": [{"Component": [{"VMName": "SQL01"}]}]}]'], ["HV01"])
    >>> counts, json.loads(text)["restore_points"][0]["host"]
    ((1,), 'HV01')
    """
    catalogues = []
    counts = []
    for index, data in enumerate(files):
        label = names[index] if index < len(names) else f"catalogs[{index}]"
        try:
            read = wbbackupset_json(data, host=hosts[index])
        except InventoryError as exc:
            raise InventoryError(
                [Problem(f"{label}{_joined(p.path)}", p.message) for p in exc.problems],
                count=exc.count,
            ) from None
        catalogues.append(read.catalogue)
        counts.append(read.versions)
    joined = Catalogue(points=[p for c in catalogues for p in c.points])
    return json.dumps(dump_restore_points(joined), indent=1, ensure_ascii=True) + "\n", tuple(
        counts
    )


def _joined(path: str) -> str:
    if not path:
        return ""
    return path if path.startswith("[") else f".{path}"
