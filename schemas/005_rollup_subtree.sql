-- 005_rollup_subtree.sql -- a unit's monthly counts with its subordinates'.
--
-- rollup_procedure holds each unit's own counts; a province's month was
-- summed from every (unit, procedure) row of its subtree at read time,
-- a cost that grew with the data.  rollup_subtree holds, for every unit,
-- the sums over all units below it (not its own: those are in
-- rollup_procedure), kept by the writer's hook with the others, so a
-- month of any unit is two ranges of at most one row per procedure each.
-- Rebuilt from rollup_procedure whenever the unit tree is rebuilt
-- (refdata_rebuild_tree()).
CREATE TABLE rollup_subtree (
	ancestor TEXT NOT NULL,
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
	PRIMARY KEY (ancestor, month, procedure)
) STRICT, WITHOUT ROWID;

INSERT INTO rollup_subtree
SELECT t.ancestor, r.month, r.procedure,
	sum(n1), sum(n2), sum(n3), sum(n4), sum(n5), sum(ballot_n),
	sum(ballot_sum), sum(c1_n), sum(c2_n), sum(c3_n), sum(c4_n),
	sum(c5_n), sum(c6_n), sum(c7_n), sum(c8_n), sum(c9_n), sum(c1_sum),
	sum(c2_sum), sum(c3_sum), sum(c4_sum), sum(c5_sum), sum(c6_sum),
	sum(c7_sum), sum(c8_sum), sum(c9_sum), sum(officer_n),
	sum(officer_sum), sum(supplement_answered), sum(supplement_yes),
	sum(online_error_answered), sum(online_error_yes)
FROM rollup_procedure r
JOIN unit_tree t ON t.descendant = r.unit AND t.depth > 0
GROUP BY t.ancestor, r.month, r.procedure;
