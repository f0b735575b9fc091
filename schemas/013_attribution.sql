-- 013_attribution.sql -- a rating counts for its dossier's procedure.
--
-- METRICS.md version 2, "Which procedure and officer a rating counts
-- for": a rating that carries no procedure but names a dossier counts
-- for that dossier's procedure as soon as the dossier is known (received
-- before T), whenever it arrived, and moves with it when the feed
-- re-sends it under another procedure.  Only a dossier of the rating's
-- unit or a unit below it counts (010_security.sql).  The rating rows
-- never change: the procedure is derived (rollup.c,
-- rollup_procedure_of()), and the rating rollups keyed by procedure
-- (rollup_procedure, rollup_subtree) are moved by the dossier feed's
-- upsert in its transaction.

-- Per month of ratings, the earliest T at which the rating rollups hold
-- the attribution: after the received_at of every dossier that lent its
-- procedure to a rating of the month and was received after that rating
-- (the rollups count it at once; "as of" a T before it, it is not known
-- yet).  It only grows.  metrics_compute() reads the rating rollups only
-- at or after it.
CREATE TABLE attribution_horizon (
	month INTEGER PRIMARY KEY,
	horizon INTEGER NOT NULL
) STRICT;

-- The counts of folded (009_fold.sql) valid ratings that carry no
-- procedure but a dossier code, by that code: their procedure is the
-- dossier's, read when the figures are (fold.c), so a dossier arriving
-- or moving after the fold still takes them along.  The fold writes
-- these instead of folded_procedure's '' row.
CREATE TABLE folded_dossier (
	unit TEXT NOT NULL,
	month INTEGER NOT NULL,
	dossier TEXT NOT NULL,
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
	PRIMARY KEY (unit, month, dossier, fold)
) STRICT, WITHOUT ROWID;
CREATE INDEX folded_dossier_code ON folded_dossier(dossier);
CREATE TRIGGER folded_dossier_no_update BEFORE UPDATE ON folded_dossier
BEGIN
	SELECT RAISE(ABORT, 'folded counts are kept as they are');
END;
CREATE TRIGGER folded_dossier_no_delete BEFORE DELETE ON folded_dossier
BEGIN
	SELECT RAISE(ABORT, 'folded counts are kept as they are');
END;

-- Ratings stored before this migration: those attributed now move from
-- the '' rows to their dossier's procedure.  (Ratings folded before it
-- kept no dossier code: they stay under '', in the rollups and in
-- folded_procedure alike.)
-- backfill begin
CREATE TEMP TABLE attributed AS
SELECT r.*, d.procedure AS dproc, d.received_at AS drecv,
	CAST(strftime('%Y%m', r.rated_at + 25200, 'unixepoch') AS INTEGER)
	    AS month,
	(c1 IS NOT NULL AND c2 IS NOT NULL AND c3 IS NOT NULL AND
	    c4 IS NOT NULL AND c5 IS NOT NULL AND c6 IS NOT NULL AND
	    c7 IS NOT NULL AND c8 IS NOT NULL AND c9 IS NOT NULL) AS nine,
	(c1 IS NOT NULL AND c2 IS NOT NULL AND c3 IS NOT NULL AND
	    c4 IS NOT NULL AND c7 IS NOT NULL) AS five
FROM ratings r JOIN dossiers d ON d.code = r.dossier
WHERE r.status = 'valid' AND r.procedure IS NULL
	AND EXISTS (SELECT 1 FROM unit_tree t
	    WHERE t.ancestor = r.unit AND t.descendant = d.unit);

INSERT INTO rollup_procedure(
	n1, n2, n3, n4, n5, ballot_n, ballot_sum, c1_n, c2_n, c3_n, c4_n, c5_n,
	c6_n, c7_n, c8_n, c9_n, c1_sum, c2_sum, c3_sum, c4_sum, c5_sum, c6_sum,
	c7_sum, c8_sum, c9_sum, officer_n, officer_sum, supplement_answered,
	supplement_yes, online_error_answered, online_error_yes,
	unit, month, procedure)
SELECT -sum(level = 1), -sum(level = 2), -sum(level = 3), -sum(level = 4),
	-sum(level = 5),
	-sum(nine), -sum(CASE WHEN nine THEN c1 + c2 + c3 + c4 + c5 + c6 + c7 +
	    c8 + c9 ELSE 0 END),
	-sum(c1 IS NOT NULL), -sum(c2 IS NOT NULL), -sum(c3 IS NOT NULL),
	-sum(c4 IS NOT NULL), -sum(c5 IS NOT NULL), -sum(c6 IS NOT NULL),
	-sum(c7 IS NOT NULL), -sum(c8 IS NOT NULL), -sum(c9 IS NOT NULL),
	-sum(coalesce(c1, 0)), -sum(coalesce(c2, 0)), -sum(coalesce(c3, 0)),
	-sum(coalesce(c4, 0)), -sum(coalesce(c5, 0)), -sum(coalesce(c6, 0)),
	-sum(coalesce(c7, 0)), -sum(coalesce(c8, 0)), -sum(coalesce(c9, 0)),
	-sum(five), -sum(CASE WHEN five THEN c1 + c2 + c3 + c4 + c7 ELSE 0 END),
	-sum(supplement_reported IS NOT NULL),
	-sum(coalesce(supplement_reported, 0)),
	-sum(online_error_reported IS NOT NULL),
	-sum(coalesce(online_error_reported, 0)),
	unit, month, ''
FROM attributed WHERE true GROUP BY unit, month
ON CONFLICT(unit, month, procedure) DO UPDATE SET
	n1 = n1 + excluded.n1, n2 = n2 + excluded.n2, n3 = n3 + excluded.n3,
	n4 = n4 + excluded.n4, n5 = n5 + excluded.n5,
	ballot_n = ballot_n + excluded.ballot_n,
	ballot_sum = ballot_sum + excluded.ballot_sum,
	c1_n = c1_n + excluded.c1_n, c2_n = c2_n + excluded.c2_n,
	c3_n = c3_n + excluded.c3_n, c4_n = c4_n + excluded.c4_n,
	c5_n = c5_n + excluded.c5_n, c6_n = c6_n + excluded.c6_n,
	c7_n = c7_n + excluded.c7_n, c8_n = c8_n + excluded.c8_n,
	c9_n = c9_n + excluded.c9_n, c1_sum = c1_sum + excluded.c1_sum,
	c2_sum = c2_sum + excluded.c2_sum, c3_sum = c3_sum + excluded.c3_sum,
	c4_sum = c4_sum + excluded.c4_sum, c5_sum = c5_sum + excluded.c5_sum,
	c6_sum = c6_sum + excluded.c6_sum, c7_sum = c7_sum + excluded.c7_sum,
	c8_sum = c8_sum + excluded.c8_sum, c9_sum = c9_sum + excluded.c9_sum,
	officer_n = officer_n + excluded.officer_n,
	officer_sum = officer_sum + excluded.officer_sum,
	supplement_answered = supplement_answered + excluded.supplement_answered,
	supplement_yes = supplement_yes + excluded.supplement_yes,
	online_error_answered = online_error_answered + excluded.online_error_answered,
	online_error_yes = online_error_yes + excluded.online_error_yes;

INSERT INTO rollup_procedure(
	n1, n2, n3, n4, n5, ballot_n, ballot_sum, c1_n, c2_n, c3_n, c4_n, c5_n,
	c6_n, c7_n, c8_n, c9_n, c1_sum, c2_sum, c3_sum, c4_sum, c5_sum, c6_sum,
	c7_sum, c8_sum, c9_sum, officer_n, officer_sum, supplement_answered,
	supplement_yes, online_error_answered, online_error_yes,
	unit, month, procedure)
SELECT sum(level = 1), sum(level = 2), sum(level = 3), sum(level = 4),
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
	sum(coalesce(online_error_reported, 0)),
	unit, month, dproc
FROM attributed WHERE true GROUP BY unit, month, dproc
ON CONFLICT(unit, month, procedure) DO UPDATE SET
	n1 = n1 + excluded.n1, n2 = n2 + excluded.n2, n3 = n3 + excluded.n3,
	n4 = n4 + excluded.n4, n5 = n5 + excluded.n5,
	ballot_n = ballot_n + excluded.ballot_n,
	ballot_sum = ballot_sum + excluded.ballot_sum,
	c1_n = c1_n + excluded.c1_n, c2_n = c2_n + excluded.c2_n,
	c3_n = c3_n + excluded.c3_n, c4_n = c4_n + excluded.c4_n,
	c5_n = c5_n + excluded.c5_n, c6_n = c6_n + excluded.c6_n,
	c7_n = c7_n + excluded.c7_n, c8_n = c8_n + excluded.c8_n,
	c9_n = c9_n + excluded.c9_n, c1_sum = c1_sum + excluded.c1_sum,
	c2_sum = c2_sum + excluded.c2_sum, c3_sum = c3_sum + excluded.c3_sum,
	c4_sum = c4_sum + excluded.c4_sum, c5_sum = c5_sum + excluded.c5_sum,
	c6_sum = c6_sum + excluded.c6_sum, c7_sum = c7_sum + excluded.c7_sum,
	c8_sum = c8_sum + excluded.c8_sum, c9_sum = c9_sum + excluded.c9_sum,
	officer_n = officer_n + excluded.officer_n,
	officer_sum = officer_sum + excluded.officer_sum,
	supplement_answered = supplement_answered + excluded.supplement_answered,
	supplement_yes = supplement_yes + excluded.supplement_yes,
	online_error_answered = online_error_answered + excluded.online_error_answered,
	online_error_yes = online_error_yes + excluded.online_error_yes;

DELETE FROM rollup_subtree;
INSERT INTO rollup_subtree(
	n1, n2, n3, n4, n5, ballot_n, ballot_sum, c1_n, c2_n, c3_n, c4_n, c5_n,
	c6_n, c7_n, c8_n, c9_n, c1_sum, c2_sum, c3_sum, c4_sum, c5_sum, c6_sum,
	c7_sum, c8_sum, c9_sum, officer_n, officer_sum, supplement_answered,
	supplement_yes, online_error_answered, online_error_yes,
	ancestor, month, procedure)
SELECT 	sum(n1), sum(n2), sum(n3), sum(n4), sum(n5), sum(ballot_n),
	sum(ballot_sum), sum(c1_n), sum(c2_n), sum(c3_n), sum(c4_n), sum(c5_n),
	sum(c6_n), sum(c7_n), sum(c8_n), sum(c9_n), sum(c1_sum), sum(c2_sum),
	sum(c3_sum), sum(c4_sum), sum(c5_sum), sum(c6_sum), sum(c7_sum),
	sum(c8_sum), sum(c9_sum), sum(officer_n), sum(officer_sum),
	sum(supplement_answered), sum(supplement_yes),
	sum(online_error_answered), sum(online_error_yes),
	t.ancestor, r.month, r.procedure
FROM rollup_procedure r
JOIN unit_tree t ON t.descendant = r.unit AND t.depth > 0
GROUP BY t.ancestor, r.month, r.procedure;

INSERT INTO attribution_horizon(month, horizon)
SELECT month, max(drecv) + 1 FROM attributed WHERE drecv >= rated_at
GROUP BY month
ON CONFLICT(month) DO UPDATE SET horizon = max(horizon, excluded.horizon);

DROP TABLE attributed;
-- backfill end
