-- 010_security.sql -- issue 22: what one unit's key may do to another's
-- data, and what an API key may do at all.

-- What an API key may do, a set of bits (apikey.h): 1 read the figures
-- (GET /api/v1/metrics), 2 import dossiers and ratings (POST
-- /api/v1/dossiers, /api/v1/ratings), 4 submit subordinates' signed
-- reports (POST /api/v1/reports).  Keys made before this migration keep
-- all three: what they could do before.
ALTER TABLE api_keys ADD COLUMN scopes INTEGER NOT NULL DEFAULT 7
	CHECK (scopes BETWEEN 1 AND 7);
