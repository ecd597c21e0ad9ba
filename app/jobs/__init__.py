"""Running jobs: the Redis queue (RQ), the code a worker runs, workers, and batches.

A job's row in the database (``app.store.jobs``) is the truth; RQ only carries the
job's id to one worker. See docs/jobs.md.
"""
