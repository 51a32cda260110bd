-- Retention: a resolved case records its outcome (outcome names are not private); a closed case
-- gets a review date by outcome (NULL: kept); a purge blanks what is private and stamps purged_at,
-- keeping the row so anonymous counts and timings survive.
ALTER TABLE cases ADD COLUMN outcome TEXT;
ALTER TABLE cases ADD COLUMN review_at REAL;
ALTER TABLE cases ADD COLUMN purged_at REAL;
CREATE INDEX cases_review ON cases(review_at) WHERE review_at IS NOT NULL AND purged_at IS NULL;
