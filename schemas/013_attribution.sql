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
-- (rollup_procedure, rollup_subtree, rollup_reason: a flagged rating's
-- "excluded" count too) are moved by the dossier feed's upsert in its
-- transaction, and when the unit tree changes.

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

-- The counts (and reasons) of folded (009_fold.sql) ratings that carry
-- no procedure but a dossier code, by that code: their procedure is the
-- dossier's, read when the figures are (fold.c), so a dossier arriving
-- or moving after the fold still takes them along.  The fold writes
-- these instead of folded_procedure's and folded_reason's '' rows.
-- Columns: rollup.h's ROLLUP_COLUMNS (003, 012).
CREATE TABLE folded_dossier (
	unit TEXT NOT NULL,
	month INTEGER NOT NULL,
	dossier TEXT NOT NULL,
	fold INTEGER NOT NULL REFERENCES rating_folds(id),
	n1 INTEGER NOT NULL,
	n2 INTEGER NOT NULL,
	n3 INTEGER NOT NULL,
	n4 INTEGER NOT NULL,
	n5 INTEGER NOT NULL,
	ballot_n INTEGER NOT NULL,
	ballot_sum INTEGER NOT NULL,
	c1_n INTEGER NOT NULL,
	c2_n INTEGER NOT NULL,
	c3_n INTEGER NOT NULL,
	c4_n INTEGER NOT NULL,
	c5_n INTEGER NOT NULL,
	c6_n INTEGER NOT NULL,
	c7_n INTEGER NOT NULL,
	c8_n INTEGER NOT NULL,
	c9_n INTEGER NOT NULL,
	c1_sum INTEGER NOT NULL,
	c2_sum INTEGER NOT NULL,
	c3_sum INTEGER NOT NULL,
	c4_sum INTEGER NOT NULL,
	c5_sum INTEGER NOT NULL,
	c6_sum INTEGER NOT NULL,
	c7_sum INTEGER NOT NULL,
	c8_sum INTEGER NOT NULL,
	c9_sum INTEGER NOT NULL,
	officer_n INTEGER NOT NULL,
	officer_sum INTEGER NOT NULL,
	supplement_answered INTEGER NOT NULL,
	supplement_yes INTEGER NOT NULL,
	online_error_answered INTEGER NOT NULL,
	online_error_yes INTEGER NOT NULL,
	reasons_given INTEGER NOT NULL,
	visits_answered INTEGER NOT NULL,
	visits_sum INTEGER NOT NULL,
	visits_one INTEGER NOT NULL,
	kiosk_n INTEGER NOT NULL,
	kiosk_sat INTEGER NOT NULL,
	qr_n INTEGER NOT NULL,
	qr_sat INTEGER NOT NULL,
	web_n INTEGER NOT NULL,
	web_sat INTEGER NOT NULL,
	import_n INTEGER NOT NULL,
	import_sat INTEGER NOT NULL,
	x_burst INTEGER NOT NULL,
	x_duplicate INTEGER NOT NULL,
	x_misuse INTEGER NOT NULL,
	x_spam INTEGER NOT NULL,
	PRIMARY KEY (unit, month, dossier, fold)
) STRICT, WITHOUT ROWID;
CREATE INDEX folded_dossier_code ON folded_dossier(dossier);

CREATE TABLE folded_dossier_reason (
	unit TEXT NOT NULL,
	month INTEGER NOT NULL,
	dossier TEXT NOT NULL,
	counter INTEGER NOT NULL,
	officer TEXT NOT NULL,
	reason TEXT NOT NULL,
	fold INTEGER NOT NULL REFERENCES rating_folds(id),
	n INTEGER NOT NULL,
	PRIMARY KEY (unit, month, dossier, counter, officer, reason, fold)
) STRICT, WITHOUT ROWID;
CREATE INDEX folded_dossier_reason_code ON folded_dossier_reason(dossier);

CREATE TRIGGER folded_dossier_no_update BEFORE UPDATE ON folded_dossier
BEGIN
	SELECT RAISE(ABORT, 'folded counts are kept as they are');
END;
CREATE TRIGGER folded_dossier_no_delete BEFORE DELETE ON folded_dossier
BEGIN
	SELECT RAISE(ABORT, 'folded counts are kept as they are');
END;
CREATE TRIGGER folded_dossier_reason_no_update BEFORE UPDATE
	ON folded_dossier_reason
BEGIN
	SELECT RAISE(ABORT, 'folded counts are kept as they are');
END;
CREATE TRIGGER folded_dossier_reason_no_delete BEFORE DELETE
	ON folded_dossier_reason
BEGIN
	SELECT RAISE(ABORT, 'folded counts are kept as they are');
END;

-- Ratings stored before this migration: those attributed now move from
-- the '' rows to their dossier's procedure, counts and reasons.
-- (Ratings folded before it kept no dossier code: they stay under '', in
-- the rollups and in the folded counts alike.)
-- backfill begin
CREATE TEMP TABLE attributed AS
SELECT r.*, d.procedure AS dproc, d.received_at AS drecv,
	r.status = 'valid' AS valid,
	CAST(strftime('%Y%m', r.rated_at + 25200, 'unixepoch') AS INTEGER)
	    AS month,
	(c1 IS NOT NULL AND c2 IS NOT NULL AND c3 IS NOT NULL AND
	    c4 IS NOT NULL AND c5 IS NOT NULL AND c6 IS NOT NULL AND
	    c7 IS NOT NULL AND c8 IS NOT NULL AND c9 IS NOT NULL) AS nine,
	(c1 IS NOT NULL AND c2 IS NOT NULL AND c3 IS NOT NULL AND
	    c4 IS NOT NULL AND c7 IS NOT NULL) AS five
FROM ratings r JOIN dossiers d ON d.code = r.dossier
WHERE r.procedure IS NULL
	AND EXISTS (SELECT 1 FROM unit_tree t
	    WHERE t.ancestor = r.unit AND t.descendant = d.unit);

INSERT INTO rollup_procedure(
	n1, n2, n3, n4, n5, ballot_n, ballot_sum, c1_n, c2_n, c3_n, c4_n, c5_n,
	c6_n, c7_n, c8_n, c9_n, c1_sum, c2_sum, c3_sum, c4_sum, c5_sum, c6_sum,
	c7_sum, c8_sum, c9_sum, officer_n, officer_sum, supplement_answered,
	supplement_yes, online_error_answered, online_error_yes, reasons_given,
	visits_answered, visits_sum, visits_one, kiosk_n, kiosk_sat, qr_n,
	qr_sat, web_n, web_sat, import_n, import_sat, x_burst, x_duplicate,
	x_misuse, x_spam,
	unit, month, procedure)
SELECT
	-sum(valid AND level = 1), -sum(valid AND level = 2),
	-sum(valid AND level = 3), -sum(valid AND level = 4),
	-sum(valid AND level = 5), -sum(valid AND nine),
	-sum(CASE WHEN valid AND nine THEN c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 ELSE 0 END),
	-sum(valid AND c1 IS NOT NULL), -sum(valid AND c2 IS NOT NULL),
	-sum(valid AND c3 IS NOT NULL), -sum(valid AND c4 IS NOT NULL),
	-sum(valid AND c5 IS NOT NULL), -sum(valid AND c6 IS NOT NULL),
	-sum(valid AND c7 IS NOT NULL), -sum(valid AND c8 IS NOT NULL),
	-sum(valid AND c9 IS NOT NULL), -sum(valid * coalesce(c1, 0)),
	-sum(valid * coalesce(c2, 0)), -sum(valid * coalesce(c3, 0)),
	-sum(valid * coalesce(c4, 0)), -sum(valid * coalesce(c5, 0)),
	-sum(valid * coalesce(c6, 0)), -sum(valid * coalesce(c7, 0)),
	-sum(valid * coalesce(c8, 0)), -sum(valid * coalesce(c9, 0)),
	-sum(valid AND five),
	-sum(CASE WHEN valid AND five THEN c1 + c2 + c3 + c4 + c7 ELSE 0 END),
	-sum(valid AND supplement_reported IS NOT NULL),
	-sum(valid * coalesce(supplement_reported, 0)),
	-sum(valid AND online_error_reported IS NOT NULL),
	-sum(valid * coalesce(online_error_reported, 0)),
	-sum(valid AND coalesce(reasons, '') <> ''),
	-sum(valid AND visits IS NOT NULL), -sum(valid * coalesce(visits, 0)),
	-sum(valid AND coalesce(visits, 0) = 1),
	-sum(valid AND channel = 'kiosk'),
	-sum(valid AND channel = 'kiosk' AND level >= 4),
	-sum(valid AND channel = 'qr'),
	-sum(valid AND channel = 'qr' AND level >= 4),
	-sum(valid AND channel = 'web'),
	-sum(valid AND channel = 'web' AND level >= 4),
	-sum(valid AND channel = 'import'),
	-sum(valid AND channel = 'import' AND level >= 4),
	-sum(status = 'burst'), -sum(status = 'duplicate'),
	-sum(status = 'misuse'), -sum(status = 'spam'),
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
	online_error_yes = online_error_yes + excluded.online_error_yes,
	reasons_given = reasons_given + excluded.reasons_given,
	visits_answered = visits_answered + excluded.visits_answered,
	visits_sum = visits_sum + excluded.visits_sum,
	visits_one = visits_one + excluded.visits_one,
	kiosk_n = kiosk_n + excluded.kiosk_n,
	kiosk_sat = kiosk_sat + excluded.kiosk_sat,
	qr_n = qr_n + excluded.qr_n, qr_sat = qr_sat + excluded.qr_sat,
	web_n = web_n + excluded.web_n, web_sat = web_sat + excluded.web_sat,
	import_n = import_n + excluded.import_n,
	import_sat = import_sat + excluded.import_sat,
	x_burst = x_burst + excluded.x_burst,
	x_duplicate = x_duplicate + excluded.x_duplicate,
	x_misuse = x_misuse + excluded.x_misuse,
	x_spam = x_spam + excluded.x_spam;

INSERT INTO rollup_procedure(
	n1, n2, n3, n4, n5, ballot_n, ballot_sum, c1_n, c2_n, c3_n, c4_n, c5_n,
	c6_n, c7_n, c8_n, c9_n, c1_sum, c2_sum, c3_sum, c4_sum, c5_sum, c6_sum,
	c7_sum, c8_sum, c9_sum, officer_n, officer_sum, supplement_answered,
	supplement_yes, online_error_answered, online_error_yes, reasons_given,
	visits_answered, visits_sum, visits_one, kiosk_n, kiosk_sat, qr_n,
	qr_sat, web_n, web_sat, import_n, import_sat, x_burst, x_duplicate,
	x_misuse, x_spam,
	unit, month, procedure)
SELECT
	sum(valid AND level = 1), sum(valid AND level = 2),
	sum(valid AND level = 3), sum(valid AND level = 4),
	sum(valid AND level = 5), sum(valid AND nine),
	sum(CASE WHEN valid AND nine THEN c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 ELSE 0 END),
	sum(valid AND c1 IS NOT NULL), sum(valid AND c2 IS NOT NULL),
	sum(valid AND c3 IS NOT NULL), sum(valid AND c4 IS NOT NULL),
	sum(valid AND c5 IS NOT NULL), sum(valid AND c6 IS NOT NULL),
	sum(valid AND c7 IS NOT NULL), sum(valid AND c8 IS NOT NULL),
	sum(valid AND c9 IS NOT NULL), sum(valid * coalesce(c1, 0)),
	sum(valid * coalesce(c2, 0)), sum(valid * coalesce(c3, 0)),
	sum(valid * coalesce(c4, 0)), sum(valid * coalesce(c5, 0)),
	sum(valid * coalesce(c6, 0)), sum(valid * coalesce(c7, 0)),
	sum(valid * coalesce(c8, 0)), sum(valid * coalesce(c9, 0)),
	sum(valid AND five),
	sum(CASE WHEN valid AND five THEN c1 + c2 + c3 + c4 + c7 ELSE 0 END),
	sum(valid AND supplement_reported IS NOT NULL),
	sum(valid * coalesce(supplement_reported, 0)),
	sum(valid AND online_error_reported IS NOT NULL),
	sum(valid * coalesce(online_error_reported, 0)),
	sum(valid AND coalesce(reasons, '') <> ''),
	sum(valid AND visits IS NOT NULL), sum(valid * coalesce(visits, 0)),
	sum(valid AND coalesce(visits, 0) = 1),
	sum(valid AND channel = 'kiosk'),
	sum(valid AND channel = 'kiosk' AND level >= 4),
	sum(valid AND channel = 'qr'),
	sum(valid AND channel = 'qr' AND level >= 4),
	sum(valid AND channel = 'web'),
	sum(valid AND channel = 'web' AND level >= 4),
	sum(valid AND channel = 'import'),
	sum(valid AND channel = 'import' AND level >= 4),
	sum(status = 'burst'), sum(status = 'duplicate'),
	sum(status = 'misuse'), sum(status = 'spam'),
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
	online_error_yes = online_error_yes + excluded.online_error_yes,
	reasons_given = reasons_given + excluded.reasons_given,
	visits_answered = visits_answered + excluded.visits_answered,
	visits_sum = visits_sum + excluded.visits_sum,
	visits_one = visits_one + excluded.visits_one,
	kiosk_n = kiosk_n + excluded.kiosk_n,
	kiosk_sat = kiosk_sat + excluded.kiosk_sat,
	qr_n = qr_n + excluded.qr_n, qr_sat = qr_sat + excluded.qr_sat,
	web_n = web_n + excluded.web_n, web_sat = web_sat + excluded.web_sat,
	import_n = import_n + excluded.import_n,
	import_sat = import_sat + excluded.import_sat,
	x_burst = x_burst + excluded.x_burst,
	x_duplicate = x_duplicate + excluded.x_duplicate,
	x_misuse = x_misuse + excluded.x_misuse,
	x_spam = x_spam + excluded.x_spam;

DELETE FROM rollup_subtree;
INSERT INTO rollup_subtree(
	n1, n2, n3, n4, n5, ballot_n, ballot_sum, c1_n, c2_n, c3_n, c4_n, c5_n,
	c6_n, c7_n, c8_n, c9_n, c1_sum, c2_sum, c3_sum, c4_sum, c5_sum, c6_sum,
	c7_sum, c8_sum, c9_sum, officer_n, officer_sum, supplement_answered,
	supplement_yes, online_error_answered, online_error_yes, reasons_given,
	visits_answered, visits_sum, visits_one, kiosk_n, kiosk_sat, qr_n,
	qr_sat, web_n, web_sat, import_n, import_sat, x_burst, x_duplicate,
	x_misuse, x_spam,
	ancestor, month, procedure)
SELECT
	sum(n1), sum(n2), sum(n3), sum(n4), sum(n5), sum(ballot_n),
	sum(ballot_sum), sum(c1_n), sum(c2_n), sum(c3_n), sum(c4_n), sum(c5_n),
	sum(c6_n), sum(c7_n), sum(c8_n), sum(c9_n), sum(c1_sum), sum(c2_sum),
	sum(c3_sum), sum(c4_sum), sum(c5_sum), sum(c6_sum), sum(c7_sum),
	sum(c8_sum), sum(c9_sum), sum(officer_n), sum(officer_sum),
	sum(supplement_answered), sum(supplement_yes),
	sum(online_error_answered), sum(online_error_yes), sum(reasons_given),
	sum(visits_answered), sum(visits_sum), sum(visits_one), sum(kiosk_n),
	sum(kiosk_sat), sum(qr_n), sum(qr_sat), sum(web_n), sum(web_sat),
	sum(import_n), sum(import_sat), sum(x_burst), sum(x_duplicate),
	sum(x_misuse), sum(x_spam),
	t.ancestor, r.month, r.procedure
FROM rollup_procedure r
JOIN unit_tree t ON t.descendant = r.unit AND t.depth > 0
GROUP BY t.ancestor, r.month, r.procedure;

CREATE TEMP TABLE attributed_reason AS
SELECT a.unit, a.month, a.dproc, coalesce(a.counter, 0) AS counter,
	coalesce(a.officer, '') AS officer, j.value AS reason, count(*) AS n
FROM attributed a,
	json_each('["' || replace(a.reasons, ',', '","') || '"]') j
WHERE a.valid AND coalesce(a.reasons, '') <> ''
GROUP BY a.unit, a.month, a.dproc, coalesce(a.counter, 0),
	coalesce(a.officer, ''), j.value;

INSERT INTO rollup_reason(unit, month, procedure, counter, officer, reason,
	n)
SELECT unit, month, '', counter, officer, reason, -sum(n)
FROM attributed_reason WHERE true
GROUP BY unit, month, counter, officer, reason
ON CONFLICT(unit, month, procedure, counter, officer, reason) DO UPDATE
SET n = n + excluded.n;

INSERT INTO rollup_reason(unit, month, procedure, counter, officer, reason,
	n)
SELECT unit, month, dproc, counter, officer, reason, n
FROM attributed_reason WHERE true
ON CONFLICT(unit, month, procedure, counter, officer, reason) DO UPDATE
SET n = n + excluded.n;

INSERT INTO attribution_horizon(month, horizon)
SELECT month, max(drecv) + 1 FROM attributed WHERE drecv >= rated_at
GROUP BY month
ON CONFLICT(month) DO UPDATE SET horizon = max(horizon, excluded.horizon);

DROP TABLE attributed_reason;
DROP TABLE attributed;
-- backfill end
