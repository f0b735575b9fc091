-- 007_reports.sql -- signed monthly reports: those received from
-- subordinate units (POST /api/v1/reports) and those this unit made.
--
-- Received reports are history: every accepted submission stays, with
-- the exact bytes that were signed; the current one for a unit and month
-- is the latest accepted (the largest id).  Nothing is updated or
-- deleted.

CREATE TABLE reports_received (
	id INTEGER PRIMARY KEY,
	unit TEXT NOT NULL REFERENCES units(code),
	month INTEGER NOT NULL CHECK (month BETWEEN 200001 AND 219912),
	json BLOB NOT NULL,		-- report.json, byte for byte
	p7s BLOB NOT NULL,		-- report.json.p7s (DER)
	sha256 TEXT NOT NULL,		-- of json, hex
	as_of INTEGER NOT NULL,		-- the report's own as_of
	signer TEXT NOT NULL,		-- certificate subject
	signer_fingerprint TEXT NOT NULL,
	received_at INTEGER NOT NULL,
	actor TEXT NOT NULL		-- who delivered it ("apikey:3")
) STRICT;
CREATE INDEX reports_received_unit_month
	ON reports_received(unit, month, id);
CREATE INDEX reports_received_month ON reports_received(month, unit);

CREATE TRIGGER reports_received_no_update BEFORE UPDATE ON reports_received
BEGIN
	SELECT RAISE(ABORT, 'received reports are history; submit a new one');
END;
CREATE TRIGGER reports_received_no_delete BEFORE DELETE ON reports_received
BEGIN
	SELECT RAISE(ABORT, 'received reports are history; submit a new one');
END;

-- Reports this server built in the console: the signed bytes, and what
-- became of them upward.
CREATE TABLE reports_made (
	id INTEGER PRIMARY KEY,
	unit TEXT NOT NULL REFERENCES units(code),
	month INTEGER NOT NULL CHECK (month BETWEEN 200001 AND 219912),
	json BLOB NOT NULL,
	sha256 TEXT NOT NULL,
	p7s BLOB,			-- NULL until signed
	built_at INTEGER NOT NULL,
	built_by TEXT NOT NULL,
	signed_at INTEGER,
	submitted_at INTEGER,
	receipt TEXT			-- the parent's answer, JSON
) STRICT;
CREATE INDEX reports_made_unit_month ON reports_made(unit, month, id);
