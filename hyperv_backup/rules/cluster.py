"""Failover clusters (HVB5xx)."""

from __future__ import annotations

from hyperv_backup.rules import sources
from hyperv_backup.rules.rule import Rule, Severity

__all__ = ["CLUSTER_RULES"]

#: The rules of this family, in ID order.
CLUSTER_RULES: tuple[Rule, ...] = (
    Rule(
        id="HVB501",
        title="Clustered VM on a volume mounted by GUID path",
        severity=Severity.ERROR,
        section=sources.CLUSTER,
        description=(
            "A clustered VM uses a volume mounted by a GUID path. Without KB958184 the whole "
            "backup on the node can fail; with it, only this VM is left out of the backup."
        ),
        remedy=(
            "Install KB958184 on every node, and mount the volume at a drive letter or "
            "folder so that the VM is backed up."
        ),
    ),
    Rule(
        id="HVB502",
        title="Cluster preparation before the backup",
        severity=Severity.WARNING,
        section=sources.CLUSTER,
        description=(
            "The cluster backup table asks for an action before this VM is backed up on "
            "this node (take its cluster resource offline, or move it here)."
        ),
        remedy="Carry out the preparation step, and undo it after the backup.",
    ),
    Rule(
        id="HVB503",
        title="Cluster preparation before the restore",
        severity=Severity.WARNING,
        section=sources.CLUSTER,
        description=(
            "The cluster restore table asks for resources to be taken offline before this VM "
            "is restored on this node."
        ),
        remedy="Take the named cluster resources offline before the restore.",
    ),
    Rule(
        id="HVB504",
        title="Cluster resource states not covered by the guidance",
        severity=Severity.ERROR,
        section=sources.CLUSTER,
        description=(
            "The VM's cluster, configuration and storage resources are in a combination of "
            "states that the guidance's tables do not cover, so no safe preparation is known."
        ),
        remedy=(
            "Bring the resources into a covered state (for example all online) and plan again."
        ),
    ),
    Rule(
        id="HVB505",
        title="VM on a Cluster Shared Volume",
        severity=Severity.INFO,
        section=sources.CLUSTER,
        description=(
            "Files of the VM live on a Cluster Shared Volume, which has its own backup "
            "considerations."
        ),
        remedy=(
            "Plan this VM's backup with Microsoft's separate Cluster Shared Volume guidance "
            "for Windows Server 2008 R2 failover clusters."
        ),
    ),
)
