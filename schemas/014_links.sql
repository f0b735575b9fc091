-- 014_links.sql -- a fifth scope for API keys, 16 "links".
--
-- "links": POST /api/v1/dossiers/{code}/rating-link (a rating link for
-- one dossier, for the receipt and the "result returned" notice) and
-- POST /api/v1/counters/{unit}/{number}/serving (the dossier a counter
-- serves now, shown on its kiosk), for the one-stop system.  Keys made
-- before keep what they had (not links).
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
	scopes INTEGER NOT NULL DEFAULT 7 CHECK (scopes BETWEEN 1 AND 31)
) STRICT;
INSERT INTO api_keys_new(id, unit, label, prefix, hash, created_at,
	created_by, last_used_at, revoked_at, scopes)
SELECT id, unit, label, prefix, hash, created_at, created_by,
	last_used_at, revoked_at, scopes FROM api_keys;
DROP TABLE api_keys;
ALTER TABLE api_keys_new RENAME TO api_keys;
