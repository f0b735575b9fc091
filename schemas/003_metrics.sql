-- 002_metrics.sql -- the metrics engine: rating rollups, rules, API keys.
--
-- Rollups hold, per unit and month (yyyymm in UTC+07:00), the counts
-- behind every rating figure of shared/METRICS.md, over VALID ratings
-- only.  The writer adds each stored rating in the same transaction
-- (rollup.c); ratings_set_status() moves a rating in or out.  They are
-- derived data: `hailong metrics --recompute` computes the same figures
-- from the raw rows.  Columns, in the order of rollup.h's ROLLUP_COLUMNS:
--   n1..n5                   ratings of level 1..5
--   ballot_n, ballot_sum     ratings that answered all nine criteria; the
--                            sum of their points
--   c<i>_n, c<i>_sum         ratings that answered criterion i; its points
--   officer_n, officer_sum   ratings that answered criteria 1,2,3,4,7;
--                            the sum of those five
--   supplement_answered/_yes, online_error_answered/_yes
--
-- Two rows per rating (the "couple of UPSERTs"): one keyed by procedure
-- (the total is their sum), one keyed by counter and officer (written
-- only when the rating names one of them).

CREATE TABLE rollup_procedure (
	unit TEXT NOT NULL,
	month INTEGER NOT NULL,
	procedure TEXT NOT NULL,	-- '' when the rating named none
	n1 INTEGER NOT NULL, n2 INTEGER NOT NULL, n3 INTEGER NOT NULL,
	n4 INTEGER NOT NULL, n5 INTEGER NOT NULL,
	ballot_n INTEGER NOT NULL, ballot_sum INTEGER NOT NULL,
	c1_n INTEGER NOT NULL, c2_n INTEGER NOT NULL, c3_n INTEGER NOT NULL,
	c4_n INTEGER NOT NULL, c5_n INTEGER NOT NULL, c6_n INTEGER NOT NULL,
	c7_n INTEGER NOT NULL, c8_n INTEGER NOT NULL, c9_n INTEGER NOT NULL,
	c1_sum INTEGER NOT NULL, c2_sum INTEGER NOT NULL,
	c3_sum INTEGER NOT NULL, c4_sum INTEGER NOT NULL,
	c5_sum INTEGER NOT NULL, c6_sum INTEGER NOT NULL,
	c7_sum INTEGER NOT NULL, c8_sum INTEGER NOT NULL,
	c9_sum INTEGER NOT NULL,
	officer_n INTEGER NOT NULL, officer_sum INTEGER NOT NULL,
	supplement_answered INTEGER NOT NULL, supplement_yes INTEGER NOT NULL,
	online_error_answered INTEGER NOT NULL,
	online_error_yes INTEGER NOT NULL,
	PRIMARY KEY (unit, month, procedure)
) STRICT, WITHOUT ROWID;

CREATE TABLE rollup_staff (
	unit TEXT NOT NULL,
	month INTEGER NOT NULL,
	counter INTEGER NOT NULL,	-- 0 when the rating named none
	officer TEXT NOT NULL,		-- '' when the rating named none
	n1 INTEGER NOT NULL, n2 INTEGER NOT NULL, n3 INTEGER NOT NULL,
	n4 INTEGER NOT NULL, n5 INTEGER NOT NULL,
	ballot_n INTEGER NOT NULL, ballot_sum INTEGER NOT NULL,
	c1_n INTEGER NOT NULL, c2_n INTEGER NOT NULL, c3_n INTEGER NOT NULL,
	c4_n INTEGER NOT NULL, c5_n INTEGER NOT NULL, c6_n INTEGER NOT NULL,
	c7_n INTEGER NOT NULL, c8_n INTEGER NOT NULL, c9_n INTEGER NOT NULL,
	c1_sum INTEGER NOT NULL, c2_sum INTEGER NOT NULL,
	c3_sum INTEGER NOT NULL, c4_sum INTEGER NOT NULL,
	c5_sum INTEGER NOT NULL, c6_sum INTEGER NOT NULL,
	c7_sum INTEGER NOT NULL, c8_sum INTEGER NOT NULL,
	c9_sum INTEGER NOT NULL,
	officer_n INTEGER NOT NULL, officer_sum INTEGER NOT NULL,
	supplement_answered INTEGER NOT NULL, supplement_yes INTEGER NOT NULL,
	online_error_answered INTEGER NOT NULL,
	online_error_yes INTEGER NOT NULL,
	PRIMARY KEY (unit, month, counter, officer)
) STRICT, WITHOUT ROWID;

-- The thresholds and 766 point rules behind the flags and points,
-- versioned: the version that applies to month M is the one with the
-- greatest effective_month <= M (the highest version among equals).
-- `body` is JSON, see rules.h.  Version 1 is METRICS.md's defaults.
CREATE TABLE metric_rules (
	version INTEGER PRIMARY KEY,
	effective_month INTEGER NOT NULL
	    CHECK (effective_month BETWEEN 200001 AND 219912),
	body TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	created_by TEXT NOT NULL
) STRICT;
CREATE INDEX metric_rules_effective ON metric_rules(effective_month);
CREATE TRIGGER metric_rules_no_update BEFORE UPDATE ON metric_rules
BEGIN
	SELECT RAISE(ABORT, 'rules are versioned: add a new version');
END;

INSERT INTO metric_rules(version, effective_month, body, created_at,
    created_by) VALUES (1, 200001,
    '{"n_min":10,"z":1.96,"flags":{"LOW_SATISFACTION":0.90,'
    || '"HIGH_SUPPLEMENT":0.20,"LOW_ONLINE":0.50,"LATE":0.90},'
    || '"points":{"2.1":{"max":20},"3.3":{"max":6,"target":0.50},'
    || '"4.2":{"max":4},"5.4":{"max":6,"full_at":0.90}}}',
    0, 'METRICS.md');

-- API keys of machines (the one-stop system's feed, other systems):
-- only SHA-256 of the key is kept; `prefix` (its first characters) lets
-- people tell keys apart.  A key sees its unit and every unit below.
CREATE TABLE api_keys (
	id INTEGER PRIMARY KEY,
	unit TEXT NOT NULL REFERENCES units(code),
	label TEXT NOT NULL DEFAULT '',
	prefix TEXT NOT NULL,
	hash BLOB NOT NULL UNIQUE CHECK (length(hash) = 32),
	created_at INTEGER NOT NULL,
	created_by TEXT NOT NULL,
	last_used_at INTEGER,
	revoked_at INTEGER
) STRICT;

-- Ratings stored before this migration: fill their rollups.
-- backfill begin
INSERT INTO rollup_procedure
SELECT unit, month, coalesce(procedure, ''),
	sum(level = 1), sum(level = 2), sum(level = 3), sum(level = 4),
	sum(level = 5),
	sum(nine), sum(CASE WHEN nine THEN c1 + c2 + c3 + c4 + c5 + c6 + c7 +
	    c8 + c9 ELSE 0 END),
	sum(c1 IS NOT NULL), sum(c2 IS NOT NULL), sum(c3 IS NOT NULL),
	sum(c4 IS NOT NULL), sum(c5 IS NOT NULL), sum(c6 IS NOT NULL),
	sum(c7 IS NOT NULL), sum(c8 IS NOT NULL), sum(c9 IS NOT NULL),
	sum(coalesce(c1, 0)), sum(coalesce(c2, 0)), sum(coalesce(c3, 0)),
	sum(coalesce(c4, 0)), sum(coalesce(c5, 0)), sum(coalesce(c6, 0)),
	sum(coalesce(c7, 0)), sum(coalesce(c8, 0)), sum(coalesce(c9, 0)),
	sum(five), sum(CASE WHEN five THEN c1 + c2 + c3 + c4 + c7 ELSE 0 END),
	sum(supplement_reported IS NOT NULL),
	sum(coalesce(supplement_reported, 0)),
	sum(online_error_reported IS NOT NULL),
	sum(coalesce(online_error_reported, 0))
FROM (SELECT *,
	CAST(strftime('%Y%m', rated_at + 25200, 'unixepoch') AS INTEGER)
	    AS month,
	(c1 IS NOT NULL AND c2 IS NOT NULL AND c3 IS NOT NULL AND
	    c4 IS NOT NULL AND c5 IS NOT NULL AND c6 IS NOT NULL AND
	    c7 IS NOT NULL AND c8 IS NOT NULL AND c9 IS NOT NULL) AS nine,
	(c1 IS NOT NULL AND c2 IS NOT NULL AND c3 IS NOT NULL AND
	    c4 IS NOT NULL AND c7 IS NOT NULL) AS five
    FROM ratings WHERE status = 'valid')
GROUP BY unit, month, coalesce(procedure, '');

INSERT INTO rollup_staff
SELECT unit, month, coalesce(counter, 0), coalesce(officer, ''),
	sum(level = 1), sum(level = 2), sum(level = 3), sum(level = 4),
	sum(level = 5),
	sum(nine), sum(CASE WHEN nine THEN c1 + c2 + c3 + c4 + c5 + c6 + c7 +
	    c8 + c9 ELSE 0 END),
	sum(c1 IS NOT NULL), sum(c2 IS NOT NULL), sum(c3 IS NOT NULL),
	sum(c4 IS NOT NULL), sum(c5 IS NOT NULL), sum(c6 IS NOT NULL),
	sum(c7 IS NOT NULL), sum(c8 IS NOT NULL), sum(c9 IS NOT NULL),
	sum(coalesce(c1, 0)), sum(coalesce(c2, 0)), sum(coalesce(c3, 0)),
	sum(coalesce(c4, 0)), sum(coalesce(c5, 0)), sum(coalesce(c6, 0)),
	sum(coalesce(c7, 0)), sum(coalesce(c8, 0)), sum(coalesce(c9, 0)),
	sum(five), sum(CASE WHEN five THEN c1 + c2 + c3 + c4 + c7 ELSE 0 END),
	sum(supplement_reported IS NOT NULL),
	sum(coalesce(supplement_reported, 0)),
	sum(online_error_reported IS NOT NULL),
	sum(coalesce(online_error_reported, 0))
FROM (SELECT *,
	CAST(strftime('%Y%m', rated_at + 25200, 'unixepoch') AS INTEGER)
	    AS month,
	(c1 IS NOT NULL AND c2 IS NOT NULL AND c3 IS NOT NULL AND
	    c4 IS NOT NULL AND c5 IS NOT NULL AND c6 IS NOT NULL AND
	    c7 IS NOT NULL AND c8 IS NOT NULL AND c9 IS NOT NULL) AS nine,
	(c1 IS NOT NULL AND c2 IS NOT NULL AND c3 IS NOT NULL AND
	    c4 IS NOT NULL AND c7 IS NOT NULL) AS five
    FROM ratings WHERE status = 'valid'
	AND (counter IS NOT NULL OR officer IS NOT NULL))
GROUP BY unit, month, coalesce(counter, 0), coalesce(officer, '');
-- backfill end
