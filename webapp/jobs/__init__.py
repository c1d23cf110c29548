"""Background work that runs itself: periodic tasks and jobs started from pages.

* :mod:`webapp.jobs.periodic` — what runs on a schedule (the introductions sweep, mail delivery,
  model retraining) and the claim of each time slot, so several schedulers run a slot once;
* :mod:`webapp.jobs.queue` — the RQ queue on Redis (``REDIS_URL``) that carries the work to
  job workers on any host and retries a job whose worker crashed;
* :mod:`webapp.jobs.runner` — ``flask jobs``: the scheduler beside an RQ worker, or, without
  Redis, one process that claims slots in the database and runs the same functions itself.

The work itself lives in the services; a job is a thin call of one.
"""
