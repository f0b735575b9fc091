-- 012_why.sql -- issue 17: the counts behind "Why" (METRICS.md version 2).
--
-- The rating rollups (003), their subtree sums (005) and the folded
-- counts (009) gain, in the order of rollup.h's ROLLUP_COLUMNS:
--   reasons_given              valid ratings naming at least one reason
--   visits_answered, visits_sum, visits_one
--                              valid ratings that answered visits; the sum
--                              of their visits; of them, visits = 1
--   <channel>_n, <channel>_sat valid ratings of channel kiosk, qr, web,
--                              import; of them, level >= 4
--   x_burst, x_duplicate, x_misuse, x_spam
--                              ratings of that status (kept, counted in no
--                              figure: "excluded")
-- so a row may now hold only excluded ratings.  A status change moves a
-- rating between the valid counts and x_<status> (rollup.c).
--
-- The reasons, a variable set of codes, have their own rows: per unit,
-- month, procedure, counter and officer (the keys of rollup_procedure and
-- rollup_staff together), reason, the valid ratings naming it.  Reasons
-- are ticked on low scores, so the rows are few; a unit's subtree is read
-- by unit, without a subtree table.  folded_reason keeps them for folded
-- months, by fold.
--
-- The dossier rollups (008) gain `covered` (dossiers with at least one
-- valid rating of their unit or one above naming them: the numerator of
-- coverage_rate) and per dossier channel (counter 1, online 2, post 3)
-- the dossiers, those judged (with due_at), on time, and with a
-- supplement request or a correction.  Any valid rating naming a dossier
-- now raises its month's horizon, as a low one did.

ALTER TABLE rollup_procedure ADD COLUMN reasons_given INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_procedure ADD COLUMN visits_answered INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_procedure ADD COLUMN visits_sum INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_procedure ADD COLUMN visits_one INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_procedure ADD COLUMN kiosk_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_procedure ADD COLUMN kiosk_sat INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_procedure ADD COLUMN qr_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_procedure ADD COLUMN qr_sat INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_procedure ADD COLUMN web_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_procedure ADD COLUMN web_sat INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_procedure ADD COLUMN import_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_procedure ADD COLUMN import_sat INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_procedure ADD COLUMN x_burst INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_procedure ADD COLUMN x_duplicate INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_procedure ADD COLUMN x_misuse INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_procedure ADD COLUMN x_spam INTEGER NOT NULL DEFAULT 0;

ALTER TABLE rollup_staff ADD COLUMN reasons_given INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_staff ADD COLUMN visits_answered INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_staff ADD COLUMN visits_sum INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_staff ADD COLUMN visits_one INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_staff ADD COLUMN kiosk_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_staff ADD COLUMN kiosk_sat INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_staff ADD COLUMN qr_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_staff ADD COLUMN qr_sat INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_staff ADD COLUMN web_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_staff ADD COLUMN web_sat INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_staff ADD COLUMN import_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_staff ADD COLUMN import_sat INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_staff ADD COLUMN x_burst INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_staff ADD COLUMN x_duplicate INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_staff ADD COLUMN x_misuse INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_staff ADD COLUMN x_spam INTEGER NOT NULL DEFAULT 0;

ALTER TABLE rollup_subtree ADD COLUMN reasons_given INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_subtree ADD COLUMN visits_answered INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_subtree ADD COLUMN visits_sum INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_subtree ADD COLUMN visits_one INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_subtree ADD COLUMN kiosk_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_subtree ADD COLUMN kiosk_sat INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_subtree ADD COLUMN qr_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_subtree ADD COLUMN qr_sat INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_subtree ADD COLUMN web_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_subtree ADD COLUMN web_sat INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_subtree ADD COLUMN import_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_subtree ADD COLUMN import_sat INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_subtree ADD COLUMN x_burst INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_subtree ADD COLUMN x_duplicate INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_subtree ADD COLUMN x_misuse INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_subtree ADD COLUMN x_spam INTEGER NOT NULL DEFAULT 0;

ALTER TABLE folded_procedure ADD COLUMN reasons_given INTEGER NOT NULL DEFAULT 0;
ALTER TABLE folded_procedure ADD COLUMN visits_answered INTEGER NOT NULL DEFAULT 0;
ALTER TABLE folded_procedure ADD COLUMN visits_sum INTEGER NOT NULL DEFAULT 0;
ALTER TABLE folded_procedure ADD COLUMN visits_one INTEGER NOT NULL DEFAULT 0;
ALTER TABLE folded_procedure ADD COLUMN kiosk_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE folded_procedure ADD COLUMN kiosk_sat INTEGER NOT NULL DEFAULT 0;
ALTER TABLE folded_procedure ADD COLUMN qr_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE folded_procedure ADD COLUMN qr_sat INTEGER NOT NULL DEFAULT 0;
ALTER TABLE folded_procedure ADD COLUMN web_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE folded_procedure ADD COLUMN web_sat INTEGER NOT NULL DEFAULT 0;
ALTER TABLE folded_procedure ADD COLUMN import_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE folded_procedure ADD COLUMN import_sat INTEGER NOT NULL DEFAULT 0;
ALTER TABLE folded_procedure ADD COLUMN x_burst INTEGER NOT NULL DEFAULT 0;
ALTER TABLE folded_procedure ADD COLUMN x_duplicate INTEGER NOT NULL DEFAULT 0;
ALTER TABLE folded_procedure ADD COLUMN x_misuse INTEGER NOT NULL DEFAULT 0;
ALTER TABLE folded_procedure ADD COLUMN x_spam INTEGER NOT NULL DEFAULT 0;

ALTER TABLE folded_staff ADD COLUMN reasons_given INTEGER NOT NULL DEFAULT 0;
ALTER TABLE folded_staff ADD COLUMN visits_answered INTEGER NOT NULL DEFAULT 0;
ALTER TABLE folded_staff ADD COLUMN visits_sum INTEGER NOT NULL DEFAULT 0;
ALTER TABLE folded_staff ADD COLUMN visits_one INTEGER NOT NULL DEFAULT 0;
ALTER TABLE folded_staff ADD COLUMN kiosk_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE folded_staff ADD COLUMN kiosk_sat INTEGER NOT NULL DEFAULT 0;
ALTER TABLE folded_staff ADD COLUMN qr_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE folded_staff ADD COLUMN qr_sat INTEGER NOT NULL DEFAULT 0;
ALTER TABLE folded_staff ADD COLUMN web_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE folded_staff ADD COLUMN web_sat INTEGER NOT NULL DEFAULT 0;
ALTER TABLE folded_staff ADD COLUMN import_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE folded_staff ADD COLUMN import_sat INTEGER NOT NULL DEFAULT 0;
ALTER TABLE folded_staff ADD COLUMN x_burst INTEGER NOT NULL DEFAULT 0;
ALTER TABLE folded_staff ADD COLUMN x_duplicate INTEGER NOT NULL DEFAULT 0;
ALTER TABLE folded_staff ADD COLUMN x_misuse INTEGER NOT NULL DEFAULT 0;
ALTER TABLE folded_staff ADD COLUMN x_spam INTEGER NOT NULL DEFAULT 0;

ALTER TABLE dossier_rollup ADD COLUMN covered INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossier_rollup ADD COLUMN counter_dossiers INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossier_rollup ADD COLUMN counter_judged INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossier_rollup ADD COLUMN counter_on_time INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossier_rollup ADD COLUMN counter_soc INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossier_rollup ADD COLUMN online_dossiers INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossier_rollup ADD COLUMN online_judged INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossier_rollup ADD COLUMN online_on_time INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossier_rollup ADD COLUMN online_soc INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossier_rollup ADD COLUMN post_dossiers INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossier_rollup ADD COLUMN post_judged INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossier_rollup ADD COLUMN post_on_time INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossier_rollup ADD COLUMN post_soc INTEGER NOT NULL DEFAULT 0;

ALTER TABLE dossier_rollup_subtree ADD COLUMN covered INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossier_rollup_subtree ADD COLUMN counter_dossiers INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossier_rollup_subtree ADD COLUMN counter_judged INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossier_rollup_subtree ADD COLUMN counter_on_time INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossier_rollup_subtree ADD COLUMN counter_soc INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossier_rollup_subtree ADD COLUMN online_dossiers INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossier_rollup_subtree ADD COLUMN online_judged INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossier_rollup_subtree ADD COLUMN online_on_time INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossier_rollup_subtree ADD COLUMN online_soc INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossier_rollup_subtree ADD COLUMN post_dossiers INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossier_rollup_subtree ADD COLUMN post_judged INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossier_rollup_subtree ADD COLUMN post_on_time INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossier_rollup_subtree ADD COLUMN post_soc INTEGER NOT NULL DEFAULT 0;

CREATE TABLE rollup_reason (
	unit TEXT NOT NULL,
	month INTEGER NOT NULL,
	procedure TEXT NOT NULL,	-- '' when the rating named none
	counter INTEGER NOT NULL,	-- 0 when the rating named none
	officer TEXT NOT NULL,		-- '' when the rating named none
	reason TEXT NOT NULL,
	n INTEGER NOT NULL,
	PRIMARY KEY (unit, month, procedure, counter, officer, reason)
) STRICT, WITHOUT ROWID;

CREATE TABLE folded_reason (
	unit TEXT NOT NULL,
	month INTEGER NOT NULL,
	procedure TEXT NOT NULL,
	counter INTEGER NOT NULL,
	officer TEXT NOT NULL,
	reason TEXT NOT NULL,
	fold INTEGER NOT NULL REFERENCES rating_folds(id),
	n INTEGER NOT NULL,
	PRIMARY KEY (unit, month, procedure, counter, officer, reason, fold)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER folded_reason_no_update BEFORE UPDATE ON folded_reason
BEGIN
	SELECT RAISE(ABORT, 'folded counts are kept as they are');
END;
CREATE TRIGGER folded_reason_no_delete BEFORE DELETE ON folded_reason
BEGIN
	SELECT RAISE(ABORT, 'folded counts are kept as they are');
END;

-- Ratings stored before this migration: the new counts of their rows
-- (the folded ones' are gone with them: 0), the subtree sums again, the
-- reasons, and the dossier rollups and horizons again from the dossiers.
-- backfill begin
CREATE TEMP TABLE why_rated AS
SELECT *, status = 'valid' AS valid,
	CAST(strftime('%Y%m', rated_at + 25200, 'unixepoch') AS INTEGER)
	    AS month
FROM ratings;

INSERT INTO rollup_procedure(unit, month, procedure, n1, n2, n3, n4, n5, ballot_n, ballot_sum, c1_n, c2_n, c3_n, c4_n, c5_n, c6_n, c7_n, c8_n, c9_n, c1_sum, c2_sum, c3_sum, c4_sum, c5_sum, c6_sum, c7_sum, c8_sum, c9_sum, officer_n, officer_sum, supplement_answered, supplement_yes, online_error_answered, online_error_yes,
	reasons_given, visits_answered, visits_sum, visits_one, kiosk_n, kiosk_sat, qr_n, qr_sat, web_n, web_sat, import_n, import_sat, x_burst, x_duplicate, x_misuse, x_spam)
SELECT unit, month, coalesce(procedure, ''), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	sum(valid AND coalesce(reasons, '') <> ''),
	sum(valid AND visits IS NOT NULL),
	sum(CASE WHEN valid THEN coalesce(visits, 0) ELSE 0 END),
	sum(valid AND coalesce(visits, 0) = 1),
	sum(valid AND channel = 'kiosk'), sum(valid AND channel = 'kiosk' AND level >= 4),
	sum(valid AND channel = 'qr'), sum(valid AND channel = 'qr' AND level >= 4),
	sum(valid AND channel = 'web'), sum(valid AND channel = 'web' AND level >= 4),
	sum(valid AND channel = 'import'), sum(valid AND channel = 'import' AND level >= 4),
	sum(status = 'burst'), sum(status = 'duplicate'), sum(status = 'misuse'),
	sum(status = 'spam')
FROM why_rated WHERE true GROUP BY unit, month, coalesce(procedure, '')
ON CONFLICT(unit, month, procedure) DO UPDATE SET
	reasons_given = excluded.reasons_given,
	visits_answered = excluded.visits_answered,
	visits_sum = excluded.visits_sum,
	visits_one = excluded.visits_one,
	kiosk_n = excluded.kiosk_n,
	kiosk_sat = excluded.kiosk_sat,
	qr_n = excluded.qr_n,
	qr_sat = excluded.qr_sat,
	web_n = excluded.web_n,
	web_sat = excluded.web_sat,
	import_n = excluded.import_n,
	import_sat = excluded.import_sat,
	x_burst = excluded.x_burst,
	x_duplicate = excluded.x_duplicate,
	x_misuse = excluded.x_misuse,
	x_spam = excluded.x_spam;

INSERT INTO rollup_staff(unit, month, counter, officer, n1, n2, n3, n4, n5, ballot_n, ballot_sum, c1_n, c2_n, c3_n, c4_n, c5_n, c6_n, c7_n, c8_n, c9_n, c1_sum, c2_sum, c3_sum, c4_sum, c5_sum, c6_sum, c7_sum, c8_sum, c9_sum, officer_n, officer_sum, supplement_answered, supplement_yes, online_error_answered, online_error_yes,
	reasons_given, visits_answered, visits_sum, visits_one, kiosk_n, kiosk_sat, qr_n, qr_sat, web_n, web_sat, import_n, import_sat, x_burst, x_duplicate, x_misuse, x_spam)
SELECT unit, month, coalesce(counter, 0), coalesce(officer, ''), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	sum(valid AND coalesce(reasons, '') <> ''),
	sum(valid AND visits IS NOT NULL),
	sum(CASE WHEN valid THEN coalesce(visits, 0) ELSE 0 END),
	sum(valid AND coalesce(visits, 0) = 1),
	sum(valid AND channel = 'kiosk'), sum(valid AND channel = 'kiosk' AND level >= 4),
	sum(valid AND channel = 'qr'), sum(valid AND channel = 'qr' AND level >= 4),
	sum(valid AND channel = 'web'), sum(valid AND channel = 'web' AND level >= 4),
	sum(valid AND channel = 'import'), sum(valid AND channel = 'import' AND level >= 4),
	sum(status = 'burst'), sum(status = 'duplicate'), sum(status = 'misuse'),
	sum(status = 'spam')
FROM why_rated WHERE counter IS NOT NULL OR officer IS NOT NULL
GROUP BY unit, month, coalesce(counter, 0), coalesce(officer, '')
ON CONFLICT(unit, month, counter, officer) DO UPDATE SET
	reasons_given = excluded.reasons_given,
	visits_answered = excluded.visits_answered,
	visits_sum = excluded.visits_sum,
	visits_one = excluded.visits_one,
	kiosk_n = excluded.kiosk_n,
	kiosk_sat = excluded.kiosk_sat,
	qr_n = excluded.qr_n,
	qr_sat = excluded.qr_sat,
	web_n = excluded.web_n,
	web_sat = excluded.web_sat,
	import_n = excluded.import_n,
	import_sat = excluded.import_sat,
	x_burst = excluded.x_burst,
	x_duplicate = excluded.x_duplicate,
	x_misuse = excluded.x_misuse,
	x_spam = excluded.x_spam;

DELETE FROM rollup_subtree;
INSERT INTO rollup_subtree(ancestor, month, procedure, n1, n2, n3, n4, n5, ballot_n, ballot_sum, c1_n, c2_n, c3_n, c4_n, c5_n, c6_n, c7_n, c8_n, c9_n, c1_sum, c2_sum, c3_sum, c4_sum, c5_sum, c6_sum, c7_sum, c8_sum, c9_sum, officer_n, officer_sum, supplement_answered, supplement_yes, online_error_answered, online_error_yes, reasons_given, visits_answered, visits_sum, visits_one, kiosk_n, kiosk_sat, qr_n, qr_sat, web_n, web_sat, import_n, import_sat, x_burst, x_duplicate, x_misuse, x_spam)
SELECT t.ancestor, r.month, r.procedure, sum(n1), sum(n2), sum(n3), sum(n4), sum(n5), sum(ballot_n), sum(ballot_sum), sum(c1_n), sum(c2_n), sum(c3_n), sum(c4_n), sum(c5_n), sum(c6_n), sum(c7_n), sum(c8_n), sum(c9_n), sum(c1_sum), sum(c2_sum), sum(c3_sum), sum(c4_sum), sum(c5_sum), sum(c6_sum), sum(c7_sum), sum(c8_sum), sum(c9_sum), sum(officer_n), sum(officer_sum), sum(supplement_answered), sum(supplement_yes), sum(online_error_answered), sum(online_error_yes), sum(reasons_given), sum(visits_answered), sum(visits_sum), sum(visits_one), sum(kiosk_n), sum(kiosk_sat), sum(qr_n), sum(qr_sat), sum(web_n), sum(web_sat), sum(import_n), sum(import_sat), sum(x_burst), sum(x_duplicate), sum(x_misuse), sum(x_spam)
FROM rollup_procedure r
JOIN unit_tree t ON t.descendant = r.unit AND t.depth > 0
GROUP BY t.ancestor, r.month, r.procedure;

DELETE FROM rollup_reason;
INSERT INTO rollup_reason(unit, month, procedure, counter, officer, reason, n)
SELECT r.unit, r.month, coalesce(r.procedure, ''), coalesce(r.counter, 0),
	coalesce(r.officer, ''), j.value, count(*)
FROM why_rated r,
	json_each('["' || replace(r.reasons, ',', '","') || '"]') j
WHERE r.valid AND coalesce(r.reasons, '') <> ''
GROUP BY r.unit, r.month, coalesce(r.procedure, ''), coalesce(r.counter, 0),
	coalesce(r.officer, ''), j.value;

DROP TABLE why_rated;

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
	    AS low_at,
	(SELECT max(r.rated_at) FROM ratings r WHERE r.dossier = d.code AND
	    r.status = 'valid' AND r.unit IN
	    (SELECT ancestor FROM unit_tree WHERE descendant = d.unit))
	    AS rated_at
FROM (SELECT *, CAST(strftime('%Y%m', received_at + 25200, 'unixepoch')
	AS INTEGER) AS month FROM dossiers) d;

INSERT INTO dossier_rollup(unit, month, procedure, dossiers, online, full_online, judged, on_time, supplement, multi_supplement, correction, supplement_or_correction, digitized, bad, covered, counter_dossiers, counter_judged, counter_on_time, counter_soc, online_dossiers, online_judged, online_on_time, online_soc, post_dossiers, post_judged, post_on_time, post_soc)
SELECT unit, month, procedure, count(*), sum(channel = 2), sum(full_online),
	sum(due_at IS NOT NULL), sum(on_time), sum(supplement_requests >= 1),
	sum(supplement_requests >= 2), sum(corrections >= 1),
	sum(supplement_requests >= 1 OR corrections >= 1), sum(digitized),
	sum(complaint = 1 OR (due_at IS NOT NULL AND NOT on_time) OR
	    low_at IS NOT NULL),
	sum(rated_at IS NOT NULL),
	sum(channel = 1), sum(channel = 1 AND due_at IS NOT NULL),
	sum(channel = 1 AND on_time),
	sum(channel = 1 AND (supplement_requests >= 1 OR corrections >= 1)),
	sum(channel = 2), sum(channel = 2 AND due_at IS NOT NULL),
	sum(channel = 2 AND on_time),
	sum(channel = 2 AND (supplement_requests >= 1 OR corrections >= 1)),
	sum(channel = 3), sum(channel = 3 AND due_at IS NOT NULL),
	sum(channel = 3 AND on_time),
	sum(channel = 3 AND (supplement_requests >= 1 OR corrections >= 1))
FROM dossier_judged GROUP BY unit, month, procedure;

INSERT INTO dossier_rollup_subtree(ancestor, month, procedure, dossiers, online, full_online, judged, on_time, supplement, multi_supplement, correction, supplement_or_correction, digitized, bad, covered, counter_dossiers, counter_judged, counter_on_time, counter_soc, online_dossiers, online_judged, online_on_time, online_soc, post_dossiers, post_judged, post_on_time, post_soc)
SELECT t.ancestor, r.month, r.procedure, sum(dossiers), sum(online), sum(full_online), sum(judged), sum(on_time), sum(supplement), sum(multi_supplement), sum(correction), sum(supplement_or_correction), sum(digitized), sum(bad), sum(covered), sum(counter_dossiers), sum(counter_judged), sum(counter_on_time), sum(counter_soc), sum(online_dossiers), sum(online_judged), sum(online_on_time), sum(online_soc), sum(post_dossiers), sum(post_judged), sum(post_on_time), sum(post_soc)
FROM dossier_rollup r
JOIN unit_tree t ON t.descendant = r.unit AND t.depth > 0
GROUP BY t.ancestor, r.month, r.procedure;

INSERT INTO dossier_horizon
SELECT month, max(h) FROM (
	SELECT month, finished_at + 1 AS h FROM dossier_judged
	WHERE finished_at IS NOT NULL
	UNION ALL
	SELECT month, rated_at + 1 FROM dossier_judged WHERE rated_at IS NOT NULL
	UNION ALL
	SELECT month, received_at + 1 FROM dossier_judged)
WHERE true GROUP BY month
ON CONFLICT(month) DO UPDATE SET horizon = max(horizon, excluded.horizon);

DROP TABLE dossier_judged;
-- backfill end
