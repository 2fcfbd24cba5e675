"""The decisions: the walk of the checks, outcomes, findings, plans and restores.

* :mod:`~hyperv_backup.decide.evaluate`: the one walk of an inventory that runs
  the checks of the rule catalogue and gives every VM its outcome and decision;
* :mod:`~hyperv_backup.decide.results`: what the walk answers for a VM
  (:class:`~hyperv_backup.BackupOutcome`, :class:`~hyperv_backup.BackupModeDecision`);
* :mod:`~hyperv_backup.decide.mode` and :mod:`~hyperv_backup.decide.outcome`:
  the answer for one VM;
* :mod:`~hyperv_backup.decide.cluster`: the cluster tables asked for one VM;
* :mod:`~hyperv_backup.decide.checks`: the findings about an inventory as it stands;
* :mod:`~hyperv_backup.decide.plan` and :mod:`~hyperv_backup.decide.restore`: the
  ordered steps (:mod:`~hyperv_backup.decide.steps`) of a backup and of a restore.

Everything here is a pure function of the model and the rule catalogue, the
layers below. The public names are those of the package root
(``hyperv_backup.backup_plan``), imported from these modules on first use;
this file imports none of them, so that a command that needs one decision does not
load the others.
"""

from hyperv_backup._base import public_dir

__all__: list[str] = []

#: ``dir()`` of the package lists its public modules only.
__dir__ = public_dir(__name__, __all__)
