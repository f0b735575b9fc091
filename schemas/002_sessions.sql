-- 002_sessions.sql -- staff sessions for the console.
--
-- The cookie carries a random 256-bit token; only its SHA-256 is stored,
-- so a copy of the database gives no one a live session.

CREATE TABLE sessions (
	id INTEGER PRIMARY KEY,
	token_hash BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
	user_id INTEGER NOT NULL REFERENCES users(id),
	csrf TEXT NOT NULL,		-- the token every form of the session carries
	created_at INTEGER NOT NULL,
	last_seen INTEGER NOT NULL,
	client TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX sessions_user ON sessions(user_id);
