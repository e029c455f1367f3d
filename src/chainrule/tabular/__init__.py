"""The table job: reading tables, preprocessing, the training recipe and run folders.

One floor above :mod:`chainrule.train` (the general fit loop): the command line,
the estimators, the playground and model export all come here for "a table in,
a trained run folder out". ``job`` turns settings into data and a model, ``recipe``
names losses, optimizers and schedules, ``table`` reads CSV files, ``run`` saves
and loads run folders.
"""
from . import job, recipe, run, table

__all__ = ["job", "recipe", "run", "table"]
