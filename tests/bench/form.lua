-- form.lua -- wrk: distinct, valid citizen ratings through POST /q/<token>.
--
--   wrk -s tests/bench/form.lua ... http://127.0.0.1:PORT/q/TOKEN
--
-- Every request is a new rating: its nonce (the rating's id) is the
-- form's own shape, 8 characters of milliseconds then 14 random, in the
-- alphabet whose ASCII order is its value order (lib/crypto.c), so the
-- ids sort by time as the server's own do.  The level cycles 1..5.
-- HAILONG_BENCH_PAGE=1 makes each connection GET the form before every
-- POST (the citizen's path): one "pair" is a GET and a POST.

local alphabet =
    "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
local page = os.getenv("HAILONG_BENCH_PAGE") == "1"
local counter = 0
local get_next = false

local function ch(v)
	return alphabet:sub(v + 1, v + 1)
end

local function nonce()
	local ms = math.floor(os.time() * 1000 + os.clock() * 1000)
	local t = {}
	for i = 8, 1, -1 do
		t[i] = ch(ms % 64)
		ms = math.floor(ms / 64)
	end
	for i = 9, 22 do
		t[i] = ch(math.random(0, 63))
	end
	return table.concat(t)
end

function setup(thread)
	thread:set("seed", math.random(1, 2 ^ 30))
end

function init(args)
	math.randomseed(seed or os.time())
end

function request()
	if page then
		get_next = not get_next
		if get_next then
			return wrk.format("GET", wrk.path)
		end
	end
	counter = counter + 1
	local body = "nonce=" .. nonce() .. "&level=" .. (counter % 5 + 1) ..
	    "&comment=bench"
	return wrk.format("POST", wrk.path, {
		["Content-Type"] = "application/x-www-form-urlencoded",
	}, body)
end

-- done(): the JSON line for tests/bench/bench.py
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "done.lua")
