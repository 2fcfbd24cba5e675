"""The decisions: online or offline, the cluster tables, findings, plans and restores.

* :mod:`~hyperv_backup.decide.mode`: whether a VM is backed up online or offline;
* :mod:`~hyperv_backup.decide.cluster`: the cluster backup and restore tables;
* :mod:`~hyperv_backup.decide.checks`: the findings about an inventory as it stands;
* :mod:`~hyperv_backup.decide.plan` and :mod:`~hyperv_backup.decide.restore`: the
  ordered steps (:mod:`~hyperv_backup.decide.steps`) of a backup and of a restore.

``check`` and ``backup_plan`` share one pass over the inventory
(``_evaluate``). Everything here is a pure function of the model and the rule
catalogue, the layers below.

The public names are those of the package root (``hyperv_backup.backup_plan``),
imported from these modules on first use; this file imports nothing, so that
a command that needs one decision does not load the others.
"""
