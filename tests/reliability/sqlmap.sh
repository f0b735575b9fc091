#!/bin/sh
# sqlmap.sh -- Debian's sqlmap against a real hailong server: the citizens'
# form, the machine APIs (with an API key), the login form and the
# console (with a session).  Exit 0 when sqlmap finds no injection, 1 when
# it finds one (or cannot run).  `make sqlmap` runs it; the commands and
# their results are recorded in tests/reliability/README.md.
#
#   tests/reliability/sqlmap.sh [BUILD]     SQLMAP_LEVEL=1..5 SQLMAP_RISK=1..3
#                                           SQLMAP_ONLY="form login ..."
#
# Every request carries a random X-Forwarded-For (sqlmap's xforwardedfor
# tamper) and the server trusts 127.0.0.1 as a proxy, so the per-client
# rate limits do not turn sqlmap's probes into 429s that would hide what
# the handlers do with them.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-build}
case $build in /*) ;; *) build=$here/$build ;; esac
bin=$build/bin/hailong
level=${SQLMAP_LEVEL:-2}
risk=${SQLMAP_RISK:-1}
command -v sqlmap >/dev/null || { echo "sqlmap: not installed (tools/deps.sh test)"; exit 1; }

work=$(mktemp -d /tmp/hailong-sqlmap-XXXXXX)
db=$work/hailong.db
out=$here/tests/out/sqlmap
mkdir -p "$out"
"$bin" init --db "$db" --demo >"$work/init.txt" 2>/dev/null || exit 1
password=$(sed -n 's/.*admin login: admin \/ \(\S*\).*/\1/p' "$work/init.txt")
token=$("$bin" qr --db "$db" --unit H21.227 --counter 1 --format url |
    sed 's|.*/q/||')
key=$("$bin" apikey add --db "$db" --unit H21.227 --label sqlmap 2>/dev/null |
    tail -n 1)
"$bin" serve --db "$db" --listen 127.0.0.1:0 --rate-limit-per-min 0 \
    --trusted-proxies 127.0.0.1 >"$work/port" 2>"$work/serve.log" &
spid=$!
trap 'kill $spid 2>/dev/null; wait $spid 2>/dev/null; rm -rf "$work"' EXIT INT TERM
for _ in 1 2 3 4 5 6 7 8 9 10; do
	grep -q listening "$work/port" 2>/dev/null && break
	sleep 0.5
done
base=$(sed -n 's/^listening on \(http:\/\/[^ ]*\).*/\1/p' "$work/port")
[ -n "$base" ] || { echo "sqlmap: the server did not start"; exit 1; }

# an officer's session for the console
jar=$work/jar
curl -s -c "$jar" -b "$jar" "$base/login" >"$work/login.html"
csrf=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$work/login.html" |
    head -n 1)
curl -s -c "$jar" -b "$jar" -o /dev/null --data-urlencode "username=admin" \
    --data-urlencode "password=$password" --data-urlencode "csrf=$csrf" \
    "$base/login"
session=$(awk '$6 == "hl_session" { print $7 }' "$jar")
[ -n "$session" ] || { echo "sqlmap: could not log in"; exit 1; }

nonce=AAAAAAAAAAAAAAAAAAAAAA
month=$(date +%Y-%m)
common="--batch --level=$level --risk=$risk --tamper=xforwardedfor \
--output-dir=$work/sqlmap --disable-coloring --flush-session"
threads=--threads=2
status=0
n=0
total=0

run() {
	# run NAME sqlmap-args...
	name=$1
	shift
	# SQLMAP_ONLY="login console": those runs only
	case " ${SQLMAP_ONLY:-$name} " in
	*" $name "*) ;;
	*) return 0 ;;
	esac
	n=$((n + 1))
	log=$out/$name.log
	echo "== sqlmap $name: sqlmap $* $threads $common" |
	    sed "s|$key|KEY|g; s|$session|SESSION|g; s|$work|WORK|g"
	before=$(grep -c 'event=request' "$work/serve.log")
	# shellcheck disable=SC2086
	sqlmap "$@" $threads $common >"$log" 2>&1
	rc=$?
	reqs=$(($(grep -c 'event=request' "$work/serve.log") - before))
	total=$((total + reqs))
	if grep -qiE 'is vulnerable|appears to be .*injectable|sqlmap identified the following injection' "$log"; then
		echo "   INJECTION FOUND (log: tests/out/sqlmap/$name.log)"
		grep -iE 'injectable|Parameter:' "$log" | head -n 10
		status=1
	elif grep -q 'all tested parameters do not appear to be injectable' "$log"; then
		echo "   no injection found: $reqs requests answered by the server"
	else
		echo "   sqlmap did not finish (rc $rc, log: tests/out/sqlmap/$name.log)"
		tail -n 5 "$log"
		status=1
	fi
}

# 1. the public form: every field of the body, and the token in the path
run form -u "$base/q/$token" --method POST \
    --data "nonce=$nonce&level=5&procedure=1.001193&c1=2&visits=1&comment=ok&phone=&consent=0&website=" \
    -p "nonce,level,procedure,c1,visits,comment,phone,consent,website"
run form-token -u "$base/q/${token}*?lang=vi"
# 2. the APIs with a key: the metrics query, the dossier and rating feeds
run api-metrics -u "$base/api/v1/metrics?unit=H21.227&month=$month&unit_only=1" \
    --headers="Authorization: Bearer $key" -p "unit,month,unit_only,as_of"
run api-dossiers -u "$base/api/v1/dossiers" --method POST \
    --headers="Authorization: Bearer $key" \
    --data '[{"code":"H21.227-261130-0001","procedure":"1.001193","unit":"H21.227","channel":2,"received_at":"2026-11-30T08:00:00+07:00","supplement_requests":0,"updated_at":"2026-11-30T08:00:00+07:00"}]'
run api-ratings -u "$base/api/v1/ratings" --method POST \
    --headers="Authorization: Bearer $key" \
    --data '[{"id":"sqlmap-1","unit":"H21.227","procedure":"1.001193","level":4,"rated_at":"2026-11-30T08:00:00+07:00"}]'
# 3. the login form (its CSRF token fetched fresh for every probe); an
#    unknown user, so that probes never lock a real account
threads=    # --csrf-url works one request at a time
run login -u "$base/login" --method POST \
    --data "username=nobody&password=x&csrf=x" -p "username,password" \
    --csrf-token=csrf --csrf-url="$base/login" --ignore-code=401
threads=--threads=2
run login-next -u "$base/login?next=/admin&lang=vi" -p "next,lang"
# 4. the console with the admin's session: every filter of its pages
run console -u "$base/admin/units/H21.227?month=$month&lang=vi" \
    --cookie="hl_session=$session" -p "month,lang" --skip=hl_session
run console-procedures \
    -u "$base/admin/units/H21.227/procedures?month=$month&sort=satisfied&dir=asc&flag=any&field=x" \
    --cookie="hl_session=$session" -p "month,sort,dir,flag,field" \
    --skip=hl_session
run console-procedure \
    -u "$base/admin/units/H21.227/procedures/1.001193?month=$month" \
    --cookie="hl_session=$session" -p "month" --skip=hl_session
run console-comments \
    -u "$base/admin/units/H21.227/comments?month=$month&procedure=1.001193&level=1&page=1" \
    --cookie="hl_session=$session" -p "month,procedure,level,page" \
    --skip=hl_session
run console-reviews -u "$base/admin/units/H21.227/reviews?status=open" \
    --cookie="hl_session=$session" -p "status" --skip=hl_session
run console-audit \
    -u "$base/admin/units/H21.227/audit?action=login&page=1" \
    --cookie="hl_session=$session" -p "action,page" --skip=hl_session
run console-reports -u "$base/admin/units/H21.227/reports?month=$month" \
    --cookie="hl_session=$session" -p "month" --skip=hl_session
kill $spid
wait $spid
echo "sqlmap: $n runs, $total requests, level $level risk $risk -- $([ $status -eq 0 ] && echo 'no injection found' || echo FAILED)"
exit $status
