-- 006_reviews.sql -- reviews: a flagged procedure or counter, run to an action.
--
-- A manager opens a review on a procedure (of the unit and the units
-- below it) or on one of the unit's counters, for the month whose
-- figures raised the flag; it has an owner (a staff account that sees
-- the unit), a due date and notes, and moves open -> in_progress ->
-- resolved, the last step only with the action taken.  The server
-- enforces the order (server/reviews.c); every step is a row of
-- review_events and an entry of the audit log.
CREATE TABLE reviews (
	id INTEGER PRIMARY KEY,
	unit TEXT NOT NULL REFERENCES units(code),
	procedure TEXT REFERENCES procedures(code),
	counter INTEGER,
	month INTEGER NOT NULL CHECK (month BETWEEN 200001 AND 219912),
	flags TEXT NOT NULL DEFAULT '',	-- flags raised when opened, "A,B"
	owner TEXT NOT NULL,		-- users.username
	due_date TEXT NOT NULL CHECK (length(due_date) = 10),	-- YYYY-MM-DD
	notes TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL DEFAULT 'open' CHECK (status = 'open' OR
	    status = 'in_progress' OR status = 'resolved'),
	action TEXT NOT NULL DEFAULT '',	-- what was done (resolved)
	created_at INTEGER NOT NULL,
	created_by TEXT NOT NULL,
	updated_at INTEGER NOT NULL,
	resolved_at INTEGER,
	CHECK ((procedure IS NOT NULL) + (counter IS NOT NULL) = 1),
	CHECK (status <> 'resolved' OR (action <> '' AND
	    resolved_at IS NOT NULL)),
	FOREIGN KEY (unit, counter) REFERENCES counters(unit, number)
) STRICT;
CREATE INDEX reviews_unit ON reviews(unit, status);
CREATE INDEX reviews_procedure ON reviews(procedure) WHERE procedure IS NOT NULL;

CREATE TABLE review_events (
	id INTEGER PRIMARY KEY,
	review INTEGER NOT NULL REFERENCES reviews(id),
	at INTEGER NOT NULL,
	actor TEXT NOT NULL,
	from_status TEXT NOT NULL DEFAULT '',	-- '' when opened
	to_status TEXT NOT NULL,
	note TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX review_events_review ON review_events(review, id);
CREATE TRIGGER review_events_no_update BEFORE UPDATE ON review_events
BEGIN
	SELECT RAISE(ABORT, 'review history is append-only');
END;
CREATE TRIGGER review_events_no_delete BEFORE DELETE ON review_events
BEGIN
	SELECT RAISE(ABORT, 'review history is append-only');
END;
