-- Members who recused themselves from a case (/recuse): skipped like any conflicted member.
ALTER TABLE cases ADD COLUMN recused TEXT NOT NULL DEFAULT '[]';
