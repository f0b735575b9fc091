-- 019_alerts.sql -- alerts: events, subscriptions and their outbox.
--
-- An event is written in the transaction of what caused it (a rating
-- stored by the writer, a check run by the sender thread or a command);
-- in the same transaction it is fanned out into one delivery per
-- matching subscription, so an event is never lost between the two.
-- The sender thread claims a delivery, sends it, and marks it; a
-- delivery found claimed at start (a crash mid-send) is sent again with
-- the same idempotency key (webhooks) and Message-ID (e-mail), so the
-- receiver can recognise it.

-- Staff accounts' e-mail addresses (alerts and digests go there).
ALTER TABLE users ADD COLUMN email TEXT;

-- Who wants which events of which units, and how.
CREATE TABLE alert_subscriptions (
	id INTEGER PRIMARY KEY,
	-- a staff account (its e-mail, its role and unit scope apply) ...
	username TEXT REFERENCES users(username),
	-- ... or a bare e-mail address, or a webhook
	email TEXT,
	webhook_url TEXT,
	webhook_secret TEXT,
	-- what a subscription without an account may see (phones: admin,
	-- manager); an account's own role is used instead
	role TEXT NOT NULL DEFAULT 'viewer' CHECK (role = 'admin' OR
	    role = 'manager' OR role = 'reporter' OR role = 'viewer'),
	unit TEXT NOT NULL REFERENCES units(code),
	events TEXT NOT NULL DEFAULT 'all',	-- "all" or "kind,kind"
	-- each event at once, a daily digest, or a weekly one (Mondays)
	mode TEXT NOT NULL DEFAULT 'now' CHECK (mode = 'now' OR
	    mode = 'digest' OR mode = 'weekly'),
	digest_hour INTEGER NOT NULL DEFAULT 7 CHECK (digest_hour BETWEEN
	    0 AND 23),	-- Asia/Ho_Chi_Minh
	created_at INTEGER NOT NULL,
	created_by TEXT NOT NULL,
	removed_at INTEGER,
	CHECK ((username IS NOT NULL) + (email IS NOT NULL) +
	    (webhook_url IS NOT NULL) = 1),
	CHECK ((webhook_url IS NULL) = (webhook_secret IS NULL))
) STRICT;

-- What happened.  `detail` is compact JSON; it may name a callback but
-- never holds a phone number or a comment's text (those are read at
-- send time, for the roles that may see them).
CREATE TABLE alert_events (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL,
	-- NULL: the whole installation (a backup, the disk), for admins
	unit TEXT REFERENCES units(code),
	subject TEXT NOT NULL DEFAULT '',	-- "procedure:1.001", "kiosk:k.."
	detail TEXT NOT NULL DEFAULT '{}',
	created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX alert_events_at ON alert_events(created_at);

-- The outbox: one row per event and subscriber (mode now), or per
-- digest (event_id NULL, digest_day set).
CREATE TABLE alert_deliveries (
	id INTEGER PRIMARY KEY,
	event_id INTEGER REFERENCES alert_events(id),
	subscription_id INTEGER NOT NULL REFERENCES alert_subscriptions(id),
	digest_day TEXT,			-- YYYY-MM-DD (Hanoi time)
	state TEXT NOT NULL DEFAULT 'pending' CHECK (state = 'pending' OR
	    state = 'sending' OR state = 'sent' OR state = 'failed'),
	attempts INTEGER NOT NULL DEFAULT 0,
	next_attempt_at INTEGER NOT NULL,	-- milliseconds since 1970
	claimed_at INTEGER,
	delivered_at INTEGER,
	last_error TEXT,
	idempotency_key TEXT NOT NULL UNIQUE,
	CHECK ((event_id IS NULL) <> (digest_day IS NULL)),
	UNIQUE (event_id, subscription_id),
	UNIQUE (subscription_id, digest_day)
) STRICT;
CREATE INDEX alert_deliveries_due ON alert_deliveries(state,
    next_attempt_at);

-- The last state each periodic check saw, so a change is one event:
-- "flag:UNIT:procedure:1.001:LOW_SATISFACTION", "kiosk:k..", "disk".
CREATE TABLE alert_state (
	key TEXT PRIMARY KEY,
	value INTEGER NOT NULL,
	since INTEGER NOT NULL
) STRICT;
