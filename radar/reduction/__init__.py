"""The reduction: transcripts in, the RADaR tables out, and the analyst's work read back.

One module per thing the reduction handles; import from the module itself
(``from radar.reduction.run import run_reduce``), so that a command loads only
what it runs. The names users meet first are also on :mod:`radar` and
:mod:`radar.study`.

* :mod:`~radar.reduction.records`: the decisions, records and results (frozen);
* :mod:`~radar.reduction.segments`: turns numbered, speakers resolved, defaults set;
* :mod:`~radar.reduction.tables`: phases 1 to 3 and the hidden state;
* :mod:`~radar.reduction.workbook`: the sheets of ``radar-tables.xlsx``;
* :mod:`~radar.reduction.readback`: the analyst's cells and the tables as they are now;
* :mod:`~radar.reduction.history`: kept versions, the audit log, what changed;
* :mod:`~radar.reduction.reconciliation`: the team's decisions applied;
* :mod:`~radar.reduction.run`: the ``reduce`` run itself;
* :mod:`~radar.reduction.edits`: a code renamed, cells written from Python;
* :mod:`~radar.reduction.status`: whether the tables are out of date.
"""
