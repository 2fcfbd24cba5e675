"""The sources the rules cite: the headings of Microsoft's Hyper-V "Planning for Backup".

A rule's ``section`` is one of these headings. The guidance was written for
Windows Server 2008 and 2008 R2.
"""

from __future__ import annotations

__all__ = ["CLUSTER", "ONLINE", "OPTIONS", "RESTORE", "SCOPE", "STORAGE"]

SCOPE = "Planning for Backup"
OPTIONS = "Understanding backup options and considerations"
STORAGE = "Storage considerations"
ONLINE = "Understanding online and offline backups"
RESTORE = "Understanding the restore process"
CLUSTER = "Considerations about clustered virtual machines"
