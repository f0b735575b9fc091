-- 010_security.sql -- issue 22: what one unit's key may do to another's
-- data, and what an API key may do at all.

-- What an API key may do, a set of bits (apikey.h): 1 read the figures
-- (GET /api/v1/metrics), 2 import dossiers and ratings (POST
-- /api/v1/dossiers, /api/v1/ratings), 4 submit subordinates' signed
-- reports (POST /api/v1/reports).  Keys made before this migration keep
-- all three: what they could do before.
ALTER TABLE api_keys ADD COLUMN scopes INTEGER NOT NULL DEFAULT 7
	CHECK (scopes BETWEEN 1 AND 7);

-- A rating may name only a dossier of its own unit or a unit below it
-- (ratings_dossier_foreign(), ratings.h); every channel refuses the
-- others from now on, and a low rating makes a dossier bad only when it
-- was given by the dossier's unit or a unit above it (METRICS.md "Bad",
-- metrics.c, rollup.c).  The ratings stored before that name another
-- unit's dossier -- by the dossier's unit, or while the dossier is
-- unknown by the unit of this tree its code's agency prefix names -- are
-- marked here,
-- for staff to see; they stay in the chain and in their own unit's
-- rating figures, and no longer make the other unit's dossier bad.
CREATE TABLE ratings_foreign_dossier (
	seq INTEGER PRIMARY KEY,	-- ratings.seq
	dossier_unit TEXT NOT NULL,	-- whose dossier it named
	marked_at INTEGER NOT NULL
) STRICT;

INSERT INTO ratings_foreign_dossier
SELECT r.seq, d.unit, CAST(strftime('%s', 'now') AS INTEGER)
FROM ratings r JOIN dossiers d ON d.code = r.dossier
WHERE NOT EXISTS (SELECT 1 FROM unit_tree t
	WHERE t.descendant = d.unit AND t.ancestor = r.unit);

INSERT INTO ratings_foreign_dossier
SELECT seq, p, CAST(strftime('%s', 'now') AS INTEGER)
FROM (SELECT r.seq, r.unit,
	substr(r.dossier, 1, instr(r.dossier, '-') - 1) AS p
	FROM ratings r WHERE r.dossier IS NOT NULL AND r.dossier <> ''
	AND NOT EXISTS (SELECT 1 FROM dossiers d WHERE d.code = r.dossier))
WHERE substr(p, 1, 1) IN ('H', 'G') AND substr(p, 2, 2) GLOB '[0-9][0-9]'
	AND substr(p, 2) NOT GLOB '*[^0-9.]*'
	AND p <> unit
	AND EXISTS (SELECT 1 FROM units u WHERE p = u.code OR
	    substr(p, 1, length(u.code) + 1) = u.code || '.')
	AND CASE WHEN EXISTS (SELECT 1 FROM units WHERE code = p)
	    THEN NOT EXISTS (SELECT 1 FROM unit_tree t
		WHERE t.descendant = p AND t.ancestor = unit)
	    ELSE substr(p, 1, length(unit) + 1) <> unit || '.' END;

-- The dossier rollups (008) again, with "bad" counting only the low
-- ratings of the dossier's own unit and those above it.  A horizon only
-- grows.
-- backfill begin
DELETE FROM dossier_rollup;
DELETE FROM dossier_rollup_subtree;

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
	    r.status = 'valid' AND r.level <= 2 AND r.unit IN
	    (SELECT ancestor FROM unit_tree WHERE descendant = d.unit))
	    AS low_at
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
WHERE true GROUP BY month
ON CONFLICT(month) DO UPDATE SET horizon = max(horizon, excluded.horizon);

DROP TABLE dossier_judged;
-- backfill end

-- The idempotency key of a rating is unique per channel AND UNIT (it was
-- per channel): two communes both number their paper ballots from 0001,
-- and one unit's import ids must not collide with another's.  SQLite
-- cannot drop a UNIQUE constraint, so the table is rebuilt (its recipe:
-- store.c runs migrations with foreign keys off and checks them before
-- COMMIT).  Every row is copied as it is -- seq, the chained fields and
-- chain -- so `hailong verify-chain` walks the same links.
CREATE TABLE ratings_new (
	seq INTEGER PRIMARY KEY,
	id TEXT NOT NULL,		-- idempotency key, unique per channel and unit
	unit TEXT NOT NULL REFERENCES units(code),
	counter INTEGER,
	officer TEXT,
	procedure TEXT REFERENCES procedures(code),
	dossier TEXT,
	channel TEXT NOT NULL CHECK (channel = 'kiosk' OR channel = 'qr' OR
	    channel = 'web' OR channel = 'import'),
	level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
	c1 INTEGER CHECK (c1 BETWEEN 0 AND 2),
	c2 INTEGER CHECK (c2 BETWEEN 0 AND 2),
	c3 INTEGER CHECK (c3 BETWEEN 0 AND 2),
	c4 INTEGER CHECK (c4 BETWEEN 0 AND 2),
	c5 INTEGER CHECK (c5 BETWEEN 0 AND 2),
	c6 INTEGER CHECK (c6 BETWEEN 0 AND 2),
	c7 INTEGER CHECK (c7 BETWEEN 0 AND 2),
	c8 INTEGER CHECK (c8 BETWEEN 0 AND 2),
	c9 INTEGER CHECK (c9 BETWEEN 0 AND 2),
	supplement_reported INTEGER CHECK (supplement_reported BETWEEN 0 AND 1),
	online_error_reported INTEGER CHECK (online_error_reported BETWEEN 0 AND 1),
	visits INTEGER CHECK (visits BETWEEN 1 AND 99),
	reasons TEXT,
	rated_at INTEGER NOT NULL,
	received_at INTEGER NOT NULL,
	status TEXT NOT NULL CHECK (status = 'valid' OR status = 'burst' OR
	    status = 'duplicate' OR status = 'misuse' OR status = 'spam'),
	initial_status TEXT NOT NULL,
	source TEXT NOT NULL DEFAULT '',
	dossier_token INTEGER NOT NULL DEFAULT 0,
	chain BLOB NOT NULL,
	UNIQUE (channel, unit, id)
) STRICT;

INSERT INTO ratings_new(seq, id, unit, counter, officer, procedure, dossier,
	channel, level, c1, c2, c3, c4, c5, c6, c7, c8, c9,
	supplement_reported, online_error_reported, visits, reasons, rated_at,
	received_at, status, initial_status, source, dossier_token, chain)
SELECT seq, id, unit, counter, officer, procedure, dossier,
	channel, level, c1, c2, c3, c4, c5, c6, c7, c8, c9,
	supplement_reported, online_error_reported, visits, reasons, rated_at,
	received_at, status, initial_status, source, dossier_token, chain
FROM ratings ORDER BY seq;

DROP TABLE ratings;
ALTER TABLE ratings_new RENAME TO ratings;

CREATE INDEX ratings_dossier ON ratings(dossier) WHERE dossier IS NOT NULL;

CREATE TRIGGER ratings_immutable BEFORE UPDATE OF
	seq, id, unit, counter, officer, procedure, dossier, channel, level,
	c1, c2, c3, c4, c5, c6, c7, c8, c9, supplement_reported,
	online_error_reported, visits, reasons, rated_at, received_at,
	initial_status, source, dossier_token, chain ON ratings
BEGIN
	SELECT RAISE(ABORT, 'ratings are immutable; only status changes');
END;

-- 009's: deleted only by a fold, never the low rating of a dossier.
CREATE TRIGGER ratings_no_delete BEFORE DELETE ON ratings
WHEN (OLD.dossier IS NOT NULL AND OLD.level <= 2)
	OR NOT EXISTS (SELECT 1 FROM ratings_fold_open o
	    JOIN ratings_folded f ON f.fold = o.fold
	    WHERE f.seq = OLD.seq AND f.chain = OLD.chain
	    AND f.rated_at = OLD.rated_at
	    AND o.month = CAST(strftime('%Y%m', OLD.rated_at + 25200,
		'unixepoch') AS INTEGER))
BEGIN
	SELECT RAISE(ABORT,
	    'ratings are never deleted, only folded by hailong retention');
END;
