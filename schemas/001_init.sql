-- 001_init.sql -- the foundation: units, procedures, ratings, audit.
--
-- Times are Unix seconds (INTEGER); the reporting zone is UTC+07:00.
-- Codes (units, procedures, dossiers) are stored verbatim.

CREATE TABLE meta (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL
) STRICT;

-- Administrative units: provinces, departments, communes, centres.
-- Units merged on 1 July 2025 stay (active = 0) so history keeps its names.
CREATE TABLE units (
	code TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	level TEXT NOT NULL CHECK (level = 'province' OR level = 'department' OR
	    level = 'commune' OR level = 'centre' OR level = 'other'),
	parent TEXT REFERENCES units(code),
	stat_code TEXT,			-- mã đơn vị hành chính, when known
	active INTEGER NOT NULL DEFAULT 1 CHECK (active BETWEEN 0 AND 1)
) STRICT;

-- Closure of the hierarchy: every (ancestor, descendant) pair, including
-- (u, u) at depth 0, so "a unit and its subordinates" is one indexed join.
CREATE TABLE unit_tree (
	ancestor TEXT NOT NULL REFERENCES units(code),
	descendant TEXT NOT NULL REFERENCES units(code),
	depth INTEGER NOT NULL,
	PRIMARY KEY (ancestor, descendant)
) STRICT, WITHOUT ROWID;
CREATE INDEX unit_tree_descendant ON unit_tree(descendant);

-- Procedures of the national database (mã TTHC).
CREATE TABLE procedures (
	code TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	field TEXT NOT NULL DEFAULT '',
	level TEXT NOT NULL DEFAULT ''
) STRICT;

-- Which procedures a unit offers (the form's picker); none listed means
-- every procedure.
CREATE TABLE unit_procedures (
	unit TEXT NOT NULL REFERENCES units(code),
	procedure TEXT NOT NULL REFERENCES procedures(code),
	PRIMARY KEY (unit, procedure)
) STRICT, WITHOUT ROWID;

CREATE TABLE counters (
	unit TEXT NOT NULL REFERENCES units(code),
	number INTEGER NOT NULL CHECK (number BETWEEN 1 AND 999),
	name TEXT NOT NULL,
	PRIMARY KEY (unit, number)
) STRICT, WITHOUT ROWID;

CREATE TABLE officers (
	id TEXT PRIMARY KEY,
	unit TEXT NOT NULL REFERENCES units(code),
	name TEXT NOT NULL,
	counter INTEGER,
	active INTEGER NOT NULL DEFAULT 1 CHECK (active BETWEEN 0 AND 1)
) STRICT;

-- Keys for the MACs of QR tokens; a retired key no longer verifies.
CREATE TABLE token_keys (
	kid INTEGER PRIMARY KEY CHECK (kid BETWEEN 1 AND 65535),
	secret BLOB NOT NULL CHECK (length(secret) = 32),
	created_at INTEGER NOT NULL,
	retired_at INTEGER
) STRICT;

-- The rating instrument (criteria, options, reasons: the province's
-- wording) and the consent texts, versioned so old ratings keep theirs.
CREATE TABLE instruments (
	version INTEGER PRIMARY KEY,
	effective_from INTEGER NOT NULL,
	body TEXT NOT NULL		-- JSON, schemas/instrument.schema.json
) STRICT;

CREATE TABLE consent_texts (
	version INTEGER PRIMARY KEY,
	purpose TEXT NOT NULL,
	text_vi TEXT NOT NULL,
	text_en TEXT NOT NULL,
	retention_days INTEGER NOT NULL,
	created_at INTEGER NOT NULL
) STRICT;

-- Every rating ever received, in arrival order.  `chain` is
-- SHA-256(previous row's chain || canonical bytes of this row), see
-- rating_canonical() in include/hailong/rating.h.  Only `status` may
-- change after insert (staff marking spam/misuse), and that is audited.
CREATE TABLE ratings (
	seq INTEGER PRIMARY KEY,
	id TEXT NOT NULL,		-- idempotency key, unique per channel
	unit TEXT NOT NULL REFERENCES units(code),
	counter INTEGER,
	officer TEXT,
	procedure TEXT REFERENCES procedures(code),
	dossier TEXT,
	channel TEXT NOT NULL CHECK (channel = 'kiosk' OR channel = 'qr' OR
	    channel = 'web' OR channel = 'import'),
	level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
	c1 INTEGER CHECK (c1 BETWEEN 0 AND 2),
	c2 INTEGER CHECK (c2 BETWEEN 0 AND 2),
	c3 INTEGER CHECK (c3 BETWEEN 0 AND 2),
	c4 INTEGER CHECK (c4 BETWEEN 0 AND 2),
	c5 INTEGER CHECK (c5 BETWEEN 0 AND 2),
	c6 INTEGER CHECK (c6 BETWEEN 0 AND 2),
	c7 INTEGER CHECK (c7 BETWEEN 0 AND 2),
	c8 INTEGER CHECK (c8 BETWEEN 0 AND 2),
	c9 INTEGER CHECK (c9 BETWEEN 0 AND 2),
	supplement_reported INTEGER CHECK (supplement_reported BETWEEN 0 AND 1),
	online_error_reported INTEGER CHECK (online_error_reported BETWEEN 0 AND 1),
	visits INTEGER CHECK (visits BETWEEN 1 AND 99),
	reasons TEXT,
	rated_at INTEGER NOT NULL,
	received_at INTEGER NOT NULL,
	status TEXT NOT NULL CHECK (status = 'valid' OR status = 'burst' OR
	    status = 'duplicate' OR status = 'misuse' OR status = 'spam'),
	initial_status TEXT NOT NULL,
	source TEXT NOT NULL DEFAULT '',
	dossier_token INTEGER NOT NULL DEFAULT 0,
	chain BLOB NOT NULL,
	UNIQUE (channel, id)
) STRICT;
CREATE INDEX ratings_dossier ON ratings(dossier) WHERE dossier IS NOT NULL;

CREATE TRIGGER ratings_no_delete BEFORE DELETE ON ratings
BEGIN
	SELECT RAISE(ABORT, 'ratings are never deleted');
END;
CREATE TRIGGER ratings_immutable BEFORE UPDATE OF
	seq, id, unit, counter, officer, procedure, dossier, channel, level,
	c1, c2, c3, c4, c5, c6, c7, c8, c9, supplement_reported,
	online_error_reported, visits, reasons, rated_at, received_at,
	initial_status, source, dossier_token, chain ON ratings
BEGIN
	SELECT RAISE(ABORT, 'ratings are immutable; only status changes');
END;

-- Free text, apart from the chained row so that it can be erased.
CREATE TABLE rating_texts (
	seq INTEGER PRIMARY KEY REFERENCES ratings(seq),
	unit TEXT NOT NULL,
	rated_at INTEGER NOT NULL,
	comment TEXT NOT NULL
) STRICT;
CREATE INDEX rating_texts_unit ON rating_texts(unit, rated_at);

-- Evidence of each consent: which text, when, through which channel.
CREATE TABLE consents (
	id INTEGER PRIMARY KEY,
	rating_seq INTEGER REFERENCES ratings(seq),
	purpose TEXT NOT NULL,
	text_version INTEGER NOT NULL REFERENCES consent_texts(version),
	channel TEXT NOT NULL,
	given_at INTEGER NOT NULL,
	withdrawn_at INTEGER
) STRICT;

-- A citizen who asked to be called back, with the number they gave.
CREATE TABLE callbacks (
	id INTEGER PRIMARY KEY,
	rating_seq INTEGER NOT NULL UNIQUE REFERENCES ratings(seq),
	consent_id INTEGER NOT NULL REFERENCES consents(id),
	phone TEXT,			-- NULL once erased
	status TEXT NOT NULL DEFAULT 'open' CHECK (status = 'open' OR
	    status = 'closed'),
	closed_at INTEGER,
	erased_at INTEGER
) STRICT;

-- Dossiers of the one-stop system (filled by the dossier feed).
CREATE TABLE dossiers (
	code TEXT PRIMARY KEY,
	procedure TEXT NOT NULL REFERENCES procedures(code),
	unit TEXT NOT NULL REFERENCES units(code),
	channel INTEGER NOT NULL CHECK (channel BETWEEN 1 AND 3),
	received_at INTEGER NOT NULL,
	due_at INTEGER,
	finished_at INTEGER,
	supplement_requests INTEGER NOT NULL DEFAULT 0
	    CHECK (supplement_requests >= 0),
	supplement_seconds INTEGER NOT NULL DEFAULT 0
	    CHECK (supplement_seconds >= 0),
	corrections INTEGER NOT NULL DEFAULT 0 CHECK (corrections >= 0),
	full_online INTEGER NOT NULL DEFAULT 0 CHECK (full_online BETWEEN 0 AND 1),
	digitized INTEGER NOT NULL DEFAULT 0 CHECK (digitized BETWEEN 0 AND 1),
	complaint INTEGER NOT NULL DEFAULT 0 CHECK (complaint BETWEEN 0 AND 1),
	updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX dossiers_unit_received ON dossiers(unit, received_at);

-- Staff accounts (the console).  Scoped to a unit and its subordinates.
CREATE TABLE users (
	id INTEGER PRIMARY KEY,
	username TEXT NOT NULL UNIQUE,
	unit TEXT NOT NULL REFERENCES units(code),
	role TEXT NOT NULL CHECK (role = 'admin' OR role = 'manager' OR
	    role = 'reporter' OR role = 'viewer'),
	name TEXT NOT NULL,
	password TEXT NOT NULL,		-- scrypt, see password_hash()
	must_change INTEGER NOT NULL DEFAULT 0,
	failed_logins INTEGER NOT NULL DEFAULT 0,
	locked_until INTEGER NOT NULL DEFAULT 0,
	active INTEGER NOT NULL DEFAULT 1,
	created_at INTEGER NOT NULL
) STRICT;

-- Append-only and hash-chained: chain = SHA-256(previous chain ||
-- canonical bytes), see audit.h.
CREATE TABLE audit (
	seq INTEGER PRIMARY KEY,
	at INTEGER NOT NULL,
	actor TEXT NOT NULL,
	action TEXT NOT NULL,
	target TEXT NOT NULL DEFAULT '',
	detail TEXT NOT NULL DEFAULT '',
	chain BLOB NOT NULL
) STRICT;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
	SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
	SELECT RAISE(ABORT, 'the audit log is append-only');
END;
