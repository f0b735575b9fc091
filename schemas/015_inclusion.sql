-- 015_inclusion.sql -- issue 18 "Inclusion": who rated, and with whose help.
--
-- ratings gain
--   requester  NULL when the citizen did not say; 1 người dân (citizen),
--              2 doanh nghiệp (business) -- rating.h enum rating_requester
--   assisted   1 when a helper of the community digital-technology team
--              (tổ công nghệ số cộng đồng) entered the rating for the
--              citizen, else 0
-- Both enter the hash chain only when set (rating_canonical(), rating.h):
-- the rows stored before have requester NULL and assisted 0, so their
-- canonical bytes, and every chain link, stay as they were.
--
-- The rating rollups (003, 012), their subtree sums (005) and the folded
-- counts (009, 013's folded_dossier) gain, in the order of rollup.h's ROLLUP_COLUMNS, over valid
-- ratings:
--   citizen_n, citizen_sat     requester citizen; of them, level >= 4
--   business_n, business_sat   requester business; of them, level >= 4
--   assisted_n, assisted_sat   assisted; of them, level >= 4
-- "Not said" is the rest: N - citizen_n - business_n, (n4 + n5) -
-- citizen_sat - business_sat, so it needs no column.
--
-- Backfill: every rating stored before this migration has no requester
-- and no assisted mark, so all six counts are 0 for every existing row,
-- folded months included: the DEFAULT 0 of the new columns is already
-- the right value, and there is nothing to recompute.

ALTER TABLE ratings ADD COLUMN requester INTEGER
	CHECK (requester BETWEEN 1 AND 2);
ALTER TABLE ratings ADD COLUMN assisted INTEGER NOT NULL DEFAULT 0
	CHECK (assisted BETWEEN 0 AND 1);

-- 010's trigger, with the two new columns: only status changes.
DROP TRIGGER ratings_immutable;
CREATE TRIGGER ratings_immutable BEFORE UPDATE OF
	seq, id, unit, counter, officer, procedure, dossier, channel, level,
	c1, c2, c3, c4, c5, c6, c7, c8, c9, supplement_reported,
	online_error_reported, visits, reasons, rated_at, received_at,
	initial_status, source, dossier_token, chain, requester, assisted
	ON ratings
BEGIN
	SELECT RAISE(ABORT, 'ratings are immutable; only status changes');
END;


ALTER TABLE rollup_procedure ADD COLUMN citizen_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_procedure ADD COLUMN citizen_sat INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_procedure ADD COLUMN business_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_procedure ADD COLUMN business_sat INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_procedure ADD COLUMN assisted_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_procedure ADD COLUMN assisted_sat INTEGER NOT NULL DEFAULT 0;

ALTER TABLE rollup_staff ADD COLUMN citizen_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_staff ADD COLUMN citizen_sat INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_staff ADD COLUMN business_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_staff ADD COLUMN business_sat INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_staff ADD COLUMN assisted_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_staff ADD COLUMN assisted_sat INTEGER NOT NULL DEFAULT 0;

ALTER TABLE rollup_subtree ADD COLUMN citizen_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_subtree ADD COLUMN citizen_sat INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_subtree ADD COLUMN business_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_subtree ADD COLUMN business_sat INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_subtree ADD COLUMN assisted_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_subtree ADD COLUMN assisted_sat INTEGER NOT NULL DEFAULT 0;

ALTER TABLE folded_procedure ADD COLUMN citizen_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE folded_procedure ADD COLUMN citizen_sat INTEGER NOT NULL DEFAULT 0;
ALTER TABLE folded_procedure ADD COLUMN business_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE folded_procedure ADD COLUMN business_sat INTEGER NOT NULL DEFAULT 0;
ALTER TABLE folded_procedure ADD COLUMN assisted_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE folded_procedure ADD COLUMN assisted_sat INTEGER NOT NULL DEFAULT 0;

ALTER TABLE folded_staff ADD COLUMN citizen_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE folded_staff ADD COLUMN citizen_sat INTEGER NOT NULL DEFAULT 0;
ALTER TABLE folded_staff ADD COLUMN business_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE folded_staff ADD COLUMN business_sat INTEGER NOT NULL DEFAULT 0;
ALTER TABLE folded_staff ADD COLUMN assisted_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE folded_staff ADD COLUMN assisted_sat INTEGER NOT NULL DEFAULT 0;

ALTER TABLE folded_dossier ADD COLUMN citizen_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE folded_dossier ADD COLUMN citizen_sat INTEGER NOT NULL DEFAULT 0;
ALTER TABLE folded_dossier ADD COLUMN business_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE folded_dossier ADD COLUMN business_sat INTEGER NOT NULL DEFAULT 0;
ALTER TABLE folded_dossier ADD COLUMN assisted_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE folded_dossier ADD COLUMN assisted_sat INTEGER NOT NULL DEFAULT 0;
