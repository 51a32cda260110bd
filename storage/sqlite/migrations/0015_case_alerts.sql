-- A taken case whose reporter asked for help again (a check-in's "I need help"): when that new
-- alert was raised, until someone acknowledges it (NULL: no alert waiting).
ALTER TABLE cases ADD COLUMN alert_at REAL;
