-- 003_kiosks.sql -- counter kiosks: enrolment, keys, replay guard, health.
--
-- A kiosk is registered by `hailong kiosk add` with a one-time code
-- (only its SHA-256 is kept, so the code itself is never on disk); it
-- exchanges the code for its id and secret (`hailong-kiosk enroll`),
-- then signs every request with the secret (include/hailong/kiosksig.h).

CREATE TABLE kiosks (
	id TEXT PRIMARY KEY,		-- "k" and 10 hex digits
	unit TEXT NOT NULL REFERENCES units(code),
	counter INTEGER NOT NULL,
	officer TEXT REFERENCES officers(id),
	faces INTEGER NOT NULL DEFAULT 5 CHECK (faces = 3 OR faces = 5),
	created_at INTEGER NOT NULL,
	code_hash BLOB NOT NULL UNIQUE CHECK (length(code_hash) = 32),
	code_expires INTEGER NOT NULL,
	enrolled_at INTEGER,		-- NULL until the code is used
	secret BLOB CHECK (secret IS NULL OR length(secret) = 32),
	revoked_at INTEGER,		-- NULL while trusted
	-- the replay guard: every signed request must carry a larger nonce
	last_nonce INTEGER NOT NULL DEFAULT 0,
	last_seen INTEGER,		-- last authenticated request
	-- the last heartbeat: what the device says about itself
	heartbeat_at INTEGER,
	version TEXT,
	backlog INTEGER,		-- ratings waiting in its outbox
	oldest_unsent INTEGER,		-- rated_at of the oldest of them
	problems INTEGER,		-- conflicts and rejections it keeps
	max_seq INTEGER NOT NULL DEFAULT 0, -- highest sequence number seen
	FOREIGN KEY (unit, counter) REFERENCES counters(unit, number)
) STRICT;
CREATE INDEX kiosks_unit ON kiosks(unit, counter);
