"""The foundation every layer may import: it imports nothing else of the package.

* :mod:`~hyperv_backup._base.errors`: the one base class of the package's errors;
* :mod:`~hyperv_backup._base.display`: the notebook display hooks the model and
  results inherit, which find their renderers through a hook the package root sets;
* :mod:`~hyperv_backup._base.lazy`: public names imported from their module on first use;
* :mod:`~hyperv_backup._base.gc`: pausing the cyclic garbage collector while a
  large model is built;
* :mod:`~hyperv_backup._base.slots`: building frozen attrs objects by their slots,
  for the objects made by the ten thousand.
"""
