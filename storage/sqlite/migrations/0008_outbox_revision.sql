-- How often a pending outbox row was rewritten (UnitOfWork.edit before it went out). The worker
-- sends the revision it read; if the row was rewritten while that send was on its way, marking
-- it sent finds a newer revision and the worker queues an edit, so the change is not lost.
ALTER TABLE outbox ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
