"""Where a rule comes from: the page, its heading, and whether the page says it.

Every rule about Windows behaviour is a claim, and its :class:`Source` names
the page it rests on: its title, its public address, and where Microsoft
keeps its text (repository and path), the heading the claim is under, and
whether the page **states** the claim or the project **inferred** it from
what the page says. An inferred claim carries its inference in one sentence
and the anchor of its entry in ``docs/interpretation.md``.

>>> page = Page(
...     title="Use Cluster Shared Volumes in a failover cluster",
...     url="https://learn.microsoft.com/en-us/windows-server/failover-clustering/failover-cluster-csvs",
...     repository="MicrosoftDocs/windowsserverdocs",
...     path="WindowsServerDocs/failover-clustering/failover-cluster-csvs.md",
... )
>>> source = Source(page=page, heading="Back up CSV")
>>> source.claim, source.citation
(<Claim.STATED: 'stated'>, 'Back up CSV (MicrosoftDocs/windowsserverdocs: WindowsServerDocs/failover-clustering/failover-cluster-csvs.md)')
>>> Source(page=page, heading="Back up CSV", claim=Claim.INFERRED)
Traceback (most recent call last):
...
ValueError: an inferred claim needs its inference and the anchor of its entry in docs/interpretation.md
"""

from __future__ import annotations

import enum

import attrs

from hyperv_backup._base import public_dir

__all__ = ["Claim", "Page", "Source"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)


class Claim(enum.StrEnum):
    """Whether a page says what a rule claims, or the project reads it from the page."""

    #: The page says it.
    STATED = "stated"
    #: The project's reading of what the page says; the source gives the inference.
    INFERRED = "inferred"


def _address(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not value.startswith("https://"):
        msg = f"{attribute.name} must be an https:// address, got {value!r}"
        raise ValueError(msg)


def _text(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not value.strip():
        msg = f"{attribute.name} must not be empty"
        raise ValueError(msg)


@attrs.frozen(kw_only=True)
class Page:
    """A public page: its title, its address, and where its text is kept.

    ``repository`` and ``path`` name the file of a page whose text Microsoft
    keeps in a public repository (``MicrosoftDocs/windowsserverdocs`` and its
    path); both are ``None`` for a page kept nowhere else (a vendor's page).
    """

    title: str = attrs.field(validator=_text)
    url: str = attrs.field(validator=_address)
    repository: str | None = None
    path: str | None = None

    def __attrs_post_init__(self) -> None:
        if (self.repository is None) is not (self.path is None):
            msg = "a page's repository and path are given together or not at all"
            raise ValueError(msg)

    @property
    def kept_at(self) -> str:
        """Where the page's text is kept, ``repository: path``, or its address when nowhere else."""
        if self.repository is None:
            return self.url
        return f"{self.repository}: {self.path}"


@attrs.frozen(kw_only=True)
class Source:
    """The page and heading a rule rests on, and how it rests on them.

    ``claim`` is :attr:`Claim.STATED` when the page says what the rule
    claims. When it is :attr:`Claim.INFERRED`, ``inference`` says in one
    sentence how the claim follows from the page, and ``anchor`` is the
    anchor of the entry in ``docs/interpretation.md`` that explains it.
    """

    page: Page
    heading: str = attrs.field(validator=_text)
    claim: Claim = Claim.STATED
    inference: str | None = None
    anchor: str | None = None

    def __attrs_post_init__(self) -> None:
        if self.claim is Claim.INFERRED and not (self.inference and self.anchor):
            msg = (
                "an inferred claim needs its inference and the anchor of its entry in "
                "docs/interpretation.md"
            )
            raise ValueError(msg)
        if self.claim is Claim.STATED and (self.inference or self.anchor):
            msg = "a stated claim has no inference; mark it inferred or leave the inference out"
            raise ValueError(msg)

    @property
    def citation(self) -> str:
        """The heading, then where the page is kept, as one line of text."""
        return f"{self.heading} ({self.page.kept_at})"
