-- 008_dossier_rollup.sql -- monthly dossier counts kept beside the dossiers.
--
-- A month's dossier figures (METRICS.md, "Dossier figures") were counted
-- from the raw dossiers received in it, with a lookup of low ratings for
-- each: a province's month is some 80,000 dossiers.  These tables hold
-- the same counts per (unit, month, procedure), and per (ancestor, month,
-- procedure) for every unit's subordinates as rollup_subtree does, judged
-- as at a time T after everything the database knows of the month:
-- a finished dossier ends at finished_at, an open one at the month's end,
-- and every valid rating of level <= 2 carrying its code makes it bad.
-- dossier_upsert() takes away a dossier's old counts and adds its new
-- ones; a low rating becoming valid or not (the writer, ratings_set_status)
-- moves its dossier in or out of `bad`.
--
-- They are the figures at any T after everything the month's dossiers
-- hold (every received_at, finished_at and low rating), with one
-- correction while the month runs (T before its end): an open dossier is
-- judged at T, not at the month's end, so the open ones due between T and
-- the end are on time, not late (dossiers_open, a partial index, finds
-- them).  dossier_horizon holds, per month, that earliest T (it only
-- grows).  metrics_compute() reads these tables when as_of is at or after
-- it, and counts the raw dossiers otherwise (a figure "as of" a past
-- time).  Columns, in the order of rollup.c's DC_COLUMNS, are
-- metric_counts' dossier fields.

CREATE TABLE dossier_rollup (
	unit TEXT NOT NULL,
	month INTEGER NOT NULL,
	procedure TEXT NOT NULL,
	dossiers INTEGER NOT NULL, online INTEGER NOT NULL,
	full_online INTEGER NOT NULL, judged INTEGER NOT NULL,
	on_time INTEGER NOT NULL, supplement INTEGER NOT NULL,
	multi_supplement INTEGER NOT NULL, correction INTEGER NOT NULL,
	supplement_or_correction INTEGER NOT NULL,
	digitized INTEGER NOT NULL, bad INTEGER NOT NULL,
	PRIMARY KEY (unit, month, procedure)
) STRICT, WITHOUT ROWID;

CREATE TABLE dossier_rollup_subtree (
	ancestor TEXT NOT NULL,
	month INTEGER NOT NULL,
	procedure TEXT NOT NULL,
	dossiers INTEGER NOT NULL, online INTEGER NOT NULL,
	full_online INTEGER NOT NULL, judged INTEGER NOT NULL,
	on_time INTEGER NOT NULL, supplement INTEGER NOT NULL,
	multi_supplement INTEGER NOT NULL, correction INTEGER NOT NULL,
	supplement_or_correction INTEGER NOT NULL,
	digitized INTEGER NOT NULL, bad INTEGER NOT NULL,
	PRIMARY KEY (ancestor, month, procedure)
) STRICT, WITHOUT ROWID;

CREATE TABLE dossier_horizon (
	month INTEGER PRIMARY KEY,
	horizon INTEGER NOT NULL	-- the earliest T the rollups hold at
) STRICT;

-- Open dossiers, with every column the running month's correction reads
-- (metrics.c, OPEN_SQL): a province's 15,000 candidates in 10 ms, no
-- table lookups.
CREATE INDEX dossiers_open ON dossiers(unit, received_at, due_at,
	supplement_seconds, supplement_requests, complaint, procedure, code)
WHERE finished_at IS NULL;

-- Dossiers stored before this migration.
-- backfill begin
CREATE TEMP TABLE dossier_judged AS
SELECT d.unit, d.procedure, d.channel, d.full_online, d.digitized,
	d.received_at,
	d.supplement_requests, d.corrections, d.complaint, d.due_at,
	d.finished_at, d.month,
	(d.due_at IS NOT NULL AND d.supplement_requests <= 1 AND
	    coalesce(d.finished_at, CAST(strftime('%s', printf('%04d-%02d-01',
	    d.month / 100, d.month % 100), '+1 month') AS INTEGER) - 25200)
	    - d.supplement_seconds <= d.due_at) AS on_time,
	(SELECT max(r.rated_at) FROM ratings r WHERE r.dossier = d.code AND
	    r.status = 'valid' AND r.level <= 2) AS low_at
FROM (SELECT *, CAST(strftime('%Y%m', received_at + 25200, 'unixepoch')
	AS INTEGER) AS month FROM dossiers) d;

INSERT INTO dossier_rollup
SELECT unit, month, procedure, count(*), sum(channel = 2), sum(full_online),
	sum(due_at IS NOT NULL), sum(on_time), sum(supplement_requests >= 1),
	sum(supplement_requests >= 2), sum(corrections >= 1),
	sum(supplement_requests >= 1 OR corrections >= 1), sum(digitized),
	sum(complaint = 1 OR (due_at IS NOT NULL AND NOT on_time) OR
	    low_at IS NOT NULL)
FROM dossier_judged GROUP BY unit, month, procedure;

INSERT INTO dossier_rollup_subtree
SELECT t.ancestor, r.month, r.procedure, sum(dossiers), sum(online),
	sum(full_online), sum(judged), sum(on_time), sum(supplement),
	sum(multi_supplement), sum(correction),
	sum(supplement_or_correction), sum(digitized), sum(bad)
FROM dossier_rollup r
JOIN unit_tree t ON t.descendant = r.unit AND t.depth > 0
GROUP BY t.ancestor, r.month, r.procedure;

INSERT INTO dossier_horizon
SELECT month, max(h) FROM (
	SELECT month, finished_at + 1 AS h FROM dossier_judged
	WHERE finished_at IS NOT NULL
	UNION ALL
	SELECT month, low_at + 1 FROM dossier_judged WHERE low_at IS NOT NULL
	UNION ALL
	SELECT month, received_at + 1 FROM dossier_judged)
GROUP BY month;

DROP TABLE dossier_judged;
-- backfill end
