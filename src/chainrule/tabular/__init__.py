"""The table job: reading tables, preprocessing, the training recipe and run folders.

One floor above :mod:`chainrule.train` (the general fit loop): the command line,
the estimators, the playground and model export all come here for "a table in,
a trained run folder out". ``read`` reads tables (CSV, gzip, Parquet,
DataFrames), ``preprocess`` turns raw columns into model inputs (fitted on the
training split, stored as JSON: reuse it as ``Preprocessor().fit(columns)``,
``transform``, ``to_dict``/``from_dict``), ``table`` chooses the target and the
task, ``job`` turns settings into data and a model, ``recipe`` names losses,
optimizers and schedules, ``report`` prints the metric table, ``run`` saves and
loads run folders.
"""
from . import job, preprocess, read, recipe, report, run, table

__all__ = ["job", "preprocess", "read", "recipe", "report", "run", "table"]
