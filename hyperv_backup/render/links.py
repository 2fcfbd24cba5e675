"""Where the reports link to: each rule's entry in the reference pages, each source's public page.

A rule ID links to its entry in ``rules.md`` under one base address: the
folder of the documentation, ``docs/`` (relative, so that a report opened in a
checkout finds it) unless the environment variable ``HYPERV_BACKUP_DOCS_URL``
names another (the address where the documentation is published). A source
links to the public address of the page it cites, never to where its text
is kept in a repository.

>>> rule_url("HVB616", base="https://example.org/hyperv-backup/docs")
'https://example.org/hyperv-backup/docs/rules.md#hvb616'
"""

from __future__ import annotations

import os

from hyperv_backup._base import public_dir
from hyperv_backup.rules import Source

__all__ = ["DOCS_URL", "DOCS_URL_VARIABLE", "docs_url", "rule_url", "source_text", "source_url"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)

#: The base address of the documentation when no other is set: the folder of a checkout.
DOCS_URL = "docs/"

#: The environment variable that sets the base address of the documentation.
DOCS_URL_VARIABLE = "HYPERV_BACKUP_DOCS_URL"


def docs_url() -> str:
    """Return the base address of the documentation: ``HYPERV_BACKUP_DOCS_URL``, else :data:`DOCS_URL`.

    Read on each call, so that a report made after the variable changes follows it.
    """
    return os.environ.get(DOCS_URL_VARIABLE, "").strip() or DOCS_URL


def rule_url(rule_id: str, *, base: str | None = None) -> str:
    """Return the address of a rule's entry in ``rules.md``, under ``base`` (by default :func:`docs_url`).

    >>> rule_url("HVB102", base="docs/")
    'docs/rules.md#hvb102'
    """
    root = docs_url() if base is None else base
    return f"{root.rstrip('/')}/rules.md#{rule_id.lower()}"


def source_url(source: Source) -> str:
    """Return the public address of the page a source cites."""
    return source.page.url


def source_text(source: Source) -> str:
    """Return what a link to a source says: the heading, and the title of its page when it is another.

    >>> from hyperv_backup.rules.pages import CSV_PAGE, GUIDANCE, STORAGE
    >>> source_text(Source(page=GUIDANCE, heading=STORAGE))
    'Storage considerations'
    >>> source_text(Source(page=CSV_PAGE, heading="Back up CSV"))
    'Back up CSV, in Use Cluster Shared Volumes in a failover cluster'
    """
    from hyperv_backup.rules.pages import GUIDANCE  # noqa: PLC0415 - the rules layer's data

    page = source.page
    if page is GUIDANCE or source.heading == page.title:
        return source.heading
    return f"{source.heading}, in {page.title}"
