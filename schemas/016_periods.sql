-- 016_periods.sql -- reports of a quarter or a year, and the deadline
-- after which a subordinate's report counts as late.
--
-- A report's period: `kind` 'm' (a month: `month` is it), 'q' (a
-- quarter) or 'y' (a year): `month` is then the period's first month.
ALTER TABLE reports_received ADD COLUMN kind TEXT NOT NULL DEFAULT 'm'
	CHECK (kind = 'm' OR kind = 'q' OR kind = 'y');
ALTER TABLE reports_made ADD COLUMN kind TEXT NOT NULL DEFAULT 'm'
	CHECK (kind = 'm' OR kind = 'q' OR kind = 'y');
CREATE INDEX reports_received_kind ON reports_received(kind, month, unit);

-- A subordinate's report of a period is due `days` days after the
-- period's end (in +07:00); received later, it is late.  Versioned like
-- metric_rules: the version that applies to a period is the one with the
-- greatest effective month <= the period's last month (the highest
-- version among equals).  Version 1: 5 days, from 2000-01.
CREATE TABLE report_deadline_rules (
	version INTEGER PRIMARY KEY,
	effective_month INTEGER NOT NULL
	    CHECK (effective_month BETWEEN 200001 AND 219912),
	days INTEGER NOT NULL CHECK (days BETWEEN 0 AND 366),
	created_at INTEGER NOT NULL,
	actor TEXT NOT NULL
) STRICT;
CREATE TRIGGER report_deadline_rules_no_update BEFORE UPDATE
	ON report_deadline_rules
BEGIN
	SELECT RAISE(ABORT, 'rules are versioned: add a new version');
END;
INSERT INTO report_deadline_rules(version, effective_month, days,
    created_at, actor) VALUES (1, 200001, 5, 0, 'migration:016');
