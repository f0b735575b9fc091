-- 009_fold.sql -- old raw ratings folded into monthly counts (retention).
--
-- `hailong retention --fold-months N` (option retention_fold_months)
-- folds each whole month older than N months (fold.h): the month's
-- ratings are deleted, with their comments, callbacks and consents,
-- except the low ratings (level <= 2) of a dossier, which the dossier
-- figure "bad" of METRICS.md needs, and those with a callback still
-- open.  What stays of a deleted rating:
--   * its counts, in folded_procedure and folded_staff (the columns and
--     keys of rollup_procedure and rollup_staff, over VALID ratings,
--     plus the fold that wrote them), so `metrics --recompute` still
--     gives the figures the rollups give;
--   * its seq, rated_at and chain value, in ratings_folded, so the chain
--     walk stays continuous and the anchor of every signed report (the
--     chain value of the last rating before the period's end) can still
--     be checked: a folded link is taken as given, the next stored row
--     is re-hashed from it.
-- Every fold is one transaction, one row of rating_folds and one audit
-- entry "ratings.fold" with the same counts and digest.  The rollups are
-- not touched.
--
-- meta 'fold_through' (yyyymm) is the fold horizon: every ingest path
-- refuses a rating rated in or before it (writer.c), because the
-- idempotency key of a folded rating is gone and a re-sent copy would be
-- counted twice.  It only moves forward.

-- One fold: one month's ratings deleted in one transaction.
CREATE TABLE rating_folds (
	id INTEGER PRIMARY KEY,
	month INTEGER NOT NULL CHECK (month BETWEEN 200001 AND 219912),
	at INTEGER NOT NULL,
	actor TEXT NOT NULL,
	folded INTEGER NOT NULL,	-- rows deleted, now in ratings_folded
	valid INTEGER NOT NULL,		-- of them valid: in folded_*
	kept INTEGER NOT NULL,		-- rows of the month kept: dossier, level <= 2
	held INTEGER NOT NULL,		-- rows kept for now: a callback still open
	texts INTEGER NOT NULL,		-- comments deleted
	callbacks INTEGER NOT NULL,	-- callbacks deleted
	consents INTEGER NOT NULL,	-- consents deleted
	-- SHA-256 over the folded rows in seq order, 48 bytes each: seq and
	-- rated_at as 8-byte big-endian integers, then chain (fold.h)
	digest BLOB NOT NULL CHECK (length(digest) = 32)
) STRICT;
CREATE INDEX rating_folds_month ON rating_folds(month);
CREATE TRIGGER rating_folds_no_update BEFORE UPDATE ON rating_folds
BEGIN
	SELECT RAISE(ABORT, 'folds are history');
END;
CREATE TRIGGER rating_folds_no_delete BEFORE DELETE ON rating_folds
BEGIN
	SELECT RAISE(ABORT, 'folds are history');
END;

-- The links of deleted ratings.  A rowid table, not WITHOUT ROWID: seq
-- is the rowid, so a row costs about 48 bytes (55 WITHOUT ROWID,
-- measured with 200,000 rows).
CREATE TABLE ratings_folded (
	seq INTEGER PRIMARY KEY,
	rated_at INTEGER NOT NULL,
	fold INTEGER NOT NULL REFERENCES rating_folds(id),
	chain BLOB NOT NULL CHECK (length(chain) = 32)
) STRICT;
CREATE TRIGGER ratings_folded_no_update BEFORE UPDATE ON ratings_folded
BEGIN
	SELECT RAISE(ABORT, 'folded ratings are kept as they are');
END;
CREATE TRIGGER ratings_folded_no_delete BEFORE DELETE ON ratings_folded
BEGIN
	SELECT RAISE(ABORT, 'folded ratings are kept as they are');
END;

-- The counts of the deleted VALID ratings, by fold: a month folded in
-- two runs (a callback was open at the first) has two rows per key.
CREATE TABLE folded_procedure (
	unit TEXT NOT NULL,
	month INTEGER NOT NULL,
	procedure TEXT NOT NULL,	-- '' when the rating named none
	fold INTEGER NOT NULL REFERENCES rating_folds(id),
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
	PRIMARY KEY (unit, month, procedure, fold)
) STRICT, WITHOUT ROWID;

CREATE TABLE folded_staff (
	unit TEXT NOT NULL,
	month INTEGER NOT NULL,
	counter INTEGER NOT NULL,	-- 0 when the rating named none
	officer TEXT NOT NULL,		-- '' when the rating named none
	fold INTEGER NOT NULL REFERENCES rating_folds(id),
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
	PRIMARY KEY (unit, month, counter, officer, fold)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER folded_procedure_no_update BEFORE UPDATE ON folded_procedure
BEGIN
	SELECT RAISE(ABORT, 'folded counts are kept as they are');
END;
CREATE TRIGGER folded_procedure_no_delete BEFORE DELETE ON folded_procedure
BEGIN
	SELECT RAISE(ABORT, 'folded counts are kept as they are');
END;
CREATE TRIGGER folded_staff_no_update BEFORE UPDATE ON folded_staff
BEGIN
	SELECT RAISE(ABORT, 'folded counts are kept as they are');
END;
CREATE TRIGGER folded_staff_no_delete BEFORE DELETE ON folded_staff
BEGIN
	SELECT RAISE(ABORT, 'folded counts are kept as they are');
END;

-- The fold being written, only inside its transaction (fold.c inserts
-- the row first and deletes it before COMMIT).  A rating may be deleted
-- only while its month's fold is open here, once its seq, rated_at and
-- chain are in ratings_folded under that fold, and never when it is the
-- low rating of a dossier.  So `DELETE FROM ratings`, typed by mistake
-- or run by a program that means well, still fails: nothing is open,
-- and even an open fold lets go only of rows whose link is kept.
CREATE TABLE ratings_fold_open (
	fold INTEGER PRIMARY KEY,
	month INTEGER NOT NULL
) STRICT;

-- Deleting a rating makes SQLite look for consents that still name it
-- (a foreign key): without an index, a scan of consents per rating.
CREATE INDEX consents_rating ON consents(rating_seq);

DROP TRIGGER ratings_no_delete;
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
