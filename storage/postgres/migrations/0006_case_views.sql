-- Indexes for the team's views and the transparency report, as SQLite's migration 0020
-- (storage/postgres/case_views.py).
CREATE INDEX cases_handler ON cases(handler, state) WHERE handler IS NOT NULL;
CREATE INDEX cases_alert ON cases(alert_at) WHERE alert_at IS NOT NULL;
CREATE INDEX cases_updated ON cases(updated_at);
CREATE INDEX cases_created ON cases(created_at);
