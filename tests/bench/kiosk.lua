-- kiosk.lua -- wrk: signed kiosk batches into POST /api/v1/kiosk/ratings.
--
--   HAILONG_BENCH_KIOSKS=FILE HAILONG_BENCH_BATCH=50 \
--   wrk -s tests/bench/kiosk.lua ... http://127.0.0.1:PORT/api/v1/kiosk/ratings
--
-- FILE has one enrolled kiosk per line, "ID SECRET_HEX".  Every request
-- is signed as include/hailong/kiosksig.h says (HMAC-SHA256 over the
-- method, path, kiosk, time, nonce and the SHA-256 of the body), with
-- SHA-256 written here in LuaJIT's bit operations: wrk has no crypto.
--
-- A kiosk's nonces must rise, and two requests of one kiosk in flight at
-- once could arrive out of order.  So run one wrk thread per connection
-- (-t N -c N, HAILONG_BENCH_THREADS=N): each thread owns its kiosks and
-- has one request in flight at a time, as a real kiosk does.  Every
-- rating has a fresh UUID.

local bit = require("bit")
local band, bor, bxor, bnot = bit.band, bit.bor, bit.bxor, bit.bnot
local rshift, lshift, ror, tobit = bit.rshift, bit.lshift, bit.ror, bit.tobit

local K = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
}
for i = 1, 64 do
	K[i] = tobit(K[i])
end

local w = {}

-- SHA-256 of a Lua string; returns the 32 raw bytes.
local function sha256(msg)
	local len = #msg
	local pad = 64 - ((len + 9) % 64)
	if pad == 64 then
		pad = 0
	end
	local bits = len * 8
	msg = msg .. "\128" .. string.rep("\0", pad) ..
	    string.char(0, 0, 0, 0,
		band(rshift(bits, 24), 255), band(rshift(bits, 16), 255),
		band(rshift(bits, 8), 255), band(bits, 255))
	local h0, h1, h2, h3 = tobit(0x6a09e667), tobit(0xbb67ae85),
	    tobit(0x3c6ef372), tobit(0xa54ff53a)
	local h4, h5, h6, h7 = tobit(0x510e527f), tobit(0x9b05688c),
	    tobit(0x1f83d9ab), tobit(0x5be0cd19)
	local byte = string.byte
	for off = 1, #msg, 64 do
		for i = 0, 15 do
			local a, b, c, d = byte(msg, off + i * 4, off + i * 4 + 3)
			w[i] = bor(lshift(a, 24), lshift(b, 16), lshift(c, 8), d)
		end
		for i = 16, 63 do
			local x, y = w[i - 15], w[i - 2]
			local s0 = bxor(ror(x, 7), ror(x, 18), rshift(x, 3))
			local s1 = bxor(ror(y, 17), ror(y, 19), rshift(y, 10))
			w[i] = tobit(w[i - 16] + s0 + w[i - 7] + s1)
		end
		local a, b, c, d, e, f, g, h = h0, h1, h2, h3, h4, h5, h6, h7
		for i = 0, 63 do
			local S1 = bxor(ror(e, 6), ror(e, 11), ror(e, 25))
			local ch = bxor(band(e, f), band(bnot(e), g))
			local t1 = tobit(h + S1 + ch + K[i + 1] + w[i])
			local S0 = bxor(ror(a, 2), ror(a, 13), ror(a, 22))
			local maj = bxor(band(a, b), band(a, c), band(b, c))
			local t2 = tobit(S0 + maj)
			h, g, f, e = g, f, e, tobit(d + t1)
			d, c, b, a = c, b, a, tobit(t1 + t2)
		end
		h0, h1, h2, h3 = tobit(h0 + a), tobit(h1 + b), tobit(h2 + c),
		    tobit(h3 + d)
		h4, h5, h6, h7 = tobit(h4 + e), tobit(h5 + f), tobit(h6 + g),
		    tobit(h7 + h)
	end
	local out = {}
	for _, v in ipairs({ h0, h1, h2, h3, h4, h5, h6, h7 }) do
		out[#out + 1] = string.char(band(rshift(v, 24), 255),
		    band(rshift(v, 16), 255), band(rshift(v, 8), 255), band(v, 255))
	end
	return table.concat(out)
end

local function hex(s)
	return (s:gsub(".", function(c)
		return string.format("%02x", string.byte(c))
	end))
end

local function unhex(s)
	return (s:gsub("..", function(h)
		return string.char(tonumber(h, 16))
	end))
end

local function xorpad(key, v)
	return (key:gsub(".", function(c)
		return string.char(bxor(string.byte(c), v))
	end))
end

-- HMAC-SHA256 with a key of at most 64 bytes; the pads are made once.
local function hmac_pads(key)
	key = key .. string.rep("\0", 64 - #key)
	return xorpad(key, 0x36), xorpad(key, 0x5c)
end

local function hmac(ipad, opad, text)
	return sha256(opad .. sha256(ipad .. text))
end

-- wrk setup: each thread gets its own share of the kiosks.
local threads = {}

function setup(thread)
	thread:set("index", #threads)
	threads[#threads + 1] = thread
end

local kiosks, turn, batch, path = {}, 0, 50, "/api/v1/kiosk/ratings"
local rnd = {}

local function uuid()
	for i = 1, 16 do
		rnd[i] = math.random(0, 255)
	end
	rnd[7] = bor(band(rnd[7], 0x0f), 0x40)
	rnd[9] = bor(band(rnd[9], 0x3f), 0x80)
	local h = hex(string.char(unpack(rnd)))
	return h:sub(1, 8) .. "-" .. h:sub(9, 12) .. "-" .. h:sub(13, 16) ..
	    "-" .. h:sub(17, 20) .. "-" .. h:sub(21, 32)
end

function init(args)
	-- the digest this file computes is checked before it signs anything
	local want = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
	assert(hex(sha256("abc")) == want, "kiosk.lua: SHA-256 is wrong")
	local ip, op = hmac_pads("key")
	assert(hex(hmac(ip, op, "The quick brown fox jumps over the lazy dog")) ==
	    "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8",
	    "kiosk.lua: HMAC-SHA256 is wrong")
	local nthreads = tonumber(os.getenv("HAILONG_BENCH_THREADS") or "1")
	batch = tonumber(os.getenv("HAILONG_BENCH_BATCH") or "50")
	math.randomseed(os.time() * 1000 + index)
	-- the clock in microseconds when wrk started (Lua has only seconds):
	-- above every nonce of an earlier run, which used one a request
	local floor = tonumber(os.getenv("HAILONG_BENCH_NONCE_FLOOR"))
	local n = 0
	for line in io.lines(os.getenv("HAILONG_BENCH_KIOSKS")) do
		local id, secret = line:match("^(%S+) (%x+)$")
		if id ~= nil then
			if n % nthreads == index then
				local ipad, opad = hmac_pads(unhex(secret))
				kiosks[#kiosks + 1] = { id = id, ipad = ipad,
				    opad = opad, nonce = floor }
			end
			n = n + 1
		end
	end
	if #kiosks == 0 then
		error("kiosk.lua: no kiosks for thread " .. index)
	end
end

function request()
	turn = turn % #kiosks + 1
	local k = kiosks[turn]
	local now = os.time()
	local stamp = os.date("!%Y-%m-%dT%H:%M:%SZ", now)
	local items = {}
	for i = 1, batch do
		items[i] = '{"id":"' .. uuid() .. '","seq":1,"level":' ..
		    (i % 5 + 1) .. ',"reasons":[],"rated_at":"' .. stamp ..
		    '","burst":false}'
	end
	local body = '{"ratings":[' .. table.concat(items, ",") .. ']}'
	local nonce = k.nonce + 1
	k.nonce = nonce
	local text = table.concat({ "hailong-kiosk-v1", "POST", path, "", k.id,
	    tostring(now), string.format("%.0f", nonce), hex(sha256(body)) },
	    "\n")
	local auth = string.format(
	    "HL1-HMAC-SHA256 kiosk=%s, time=%d, nonce=%.0f, sig=%s", k.id, now,
	    nonce, hex(hmac(k.ipad, k.opad, text)))
	return wrk.format("POST", path, {
		["Content-Type"] = "application/json",
		["Authorization"] = auth,
	}, body)
end

-- The first few refusals of each thread, for the reader of a failed run.
local told = 0

function response(status, headers, body)
	if status >= 300 and told < 3 then
		told = told + 1
		io.stderr:write("kiosk.lua: ", status, " ", body, "\n")
	end
end

-- done(): the JSON line for tests/bench/bench.py
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "done.lua")
