-- 011_setup.sql -- issue 16: a centre set up and run by its own staff.
--
-- Units, counters, officers, the procedures a unit or a counter handles,
-- the questionnaire's versions and who sits at which counter are all
-- changed through core/ (units.c, counters.c, officers.c, procedures.c,
-- instrument.c, duty.c), each change audited in its own transaction.

-- A unit is disabled (active = 0), never deleted: history keeps its name.
ALTER TABLE units ADD COLUMN disabled_at INTEGER;

-- A disabled counter takes no new rating (its QR tokens answer 410, its
-- kiosks are told); its ratings and figures stay.
ALTER TABLE counters ADD COLUMN active INTEGER NOT NULL DEFAULT 1
	CHECK (active BETWEEN 0 AND 1);
ALTER TABLE counters ADD COLUMN disabled_at INTEGER;

ALTER TABLE officers ADD COLUMN disabled_at INTEGER;

-- The procedures a counter handles, within its unit's (unit_procedures):
-- the form offers them first.  None listed: the unit's.
CREATE TABLE counter_procedures (
	unit TEXT NOT NULL,
	counter INTEGER NOT NULL,
	procedure TEXT NOT NULL REFERENCES procedures(code),
	PRIMARY KEY (unit, counter, procedure),
	FOREIGN KEY (unit, counter) REFERENCES counters(unit, number)
) STRICT, WITHOUT ROWID;

-- The questionnaire's versions: who added each and when.  A rating is
-- read with the version in force when it was given: the latest
-- effective_from not after rated_at among the versions created before
-- it arrived (instrument_at(), instrument.h).
ALTER TABLE instruments ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE instruments ADD COLUMN created_by TEXT NOT NULL DEFAULT '';

-- The duty log: who sat at which counter, from when until when (NULL
-- while on duty).  At one counter the spans never overlap, nor those of
-- one officer; a rating at a counter that carries no officer counts for
-- the officer on duty there when it was given (METRICS.md v2), settled
-- when the rating arrives (duty.h).
CREATE TABLE duty (
	id INTEGER PRIMARY KEY,
	unit TEXT NOT NULL,
	counter INTEGER NOT NULL,
	officer TEXT NOT NULL REFERENCES officers(id),
	started_at INTEGER NOT NULL,
	ended_at INTEGER CHECK (ended_at IS NULL OR ended_at > started_at),
	started_by TEXT NOT NULL,	-- audit actor
	ended_by TEXT,
	FOREIGN KEY (unit, counter) REFERENCES counters(unit, number)
) STRICT;
CREATE INDEX duty_counter ON duty(unit, counter, started_at);
CREATE INDEX duty_officer ON duty(officer, started_at);
CREATE UNIQUE INDEX duty_open_counter ON duty(unit, counter)
	WHERE ended_at IS NULL;
CREATE UNIQUE INDEX duty_open_officer ON duty(officer)
	WHERE ended_at IS NULL;

-- A fourth scope for API keys, 8 "duty": POST
-- /api/v1/counters/{unit}/{number}/duty, for a queue system or the
-- one-stop software.  Keys made before keep what they had (not duty).
CREATE TABLE api_keys_new (
	id INTEGER PRIMARY KEY,
	unit TEXT NOT NULL REFERENCES units(code),
	label TEXT NOT NULL DEFAULT '',
	prefix TEXT NOT NULL,
	hash BLOB NOT NULL UNIQUE CHECK (length(hash) = 32),
	created_at INTEGER NOT NULL,
	created_by TEXT NOT NULL,
	last_used_at INTEGER,
	revoked_at INTEGER,
	scopes INTEGER NOT NULL DEFAULT 7 CHECK (scopes BETWEEN 1 AND 15)
) STRICT;
INSERT INTO api_keys_new(id, unit, label, prefix, hash, created_at,
	created_by, last_used_at, revoked_at, scopes)
SELECT id, unit, label, prefix, hash, created_at, created_by,
	last_used_at, revoked_at, scopes FROM api_keys;
DROP TABLE api_keys;
ALTER TABLE api_keys_new RENAME TO api_keys;
