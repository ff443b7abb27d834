"""Batch publication: articles → per issue a PDF with previews and an audio edition, redone only
where something changed, in parallel processes or on a Dask cluster.

    plan.py      the tasks: per issue its PDF, per article its audio, per issue its feed; each
                 with a digest of what it is made from
    records.py   build.json in each issue folder: what each task was last made from
    tasks.py     one task, in whatever process or worker runs it: never raises, returns an Outcome
    workers.py   worker processes (a task that kills its worker fails alone) or Dask
    run.py       build(): runs the tasks that are not up to date, records each finished one
    index.py     index.json and index.html over every issue in the output folder

A task is up to date when `OUT/<issue>/build.json` records its digest and its files exist. The
digest covers the articles' content, the template, the fonts, the settings and the version, so
a re-run redoes only what changed; inside an edited article only the sections it touched are
synthesised and encoded again (the others' files stay). Every file is written atomically and a
task is recorded only after its files are in place: a run killed at any point (even kill -9)
leaves whole files, and the next run finishes the rest.
"""

from .plan import Task, plan
from .run import BuildReport, build
from .tasks import Outcome, execute

__all__ = ["BuildReport", "Outcome", "Task", "build", "execute", "plan"]
