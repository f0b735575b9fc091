#!/bin/sh
# run.sh -- run test layers against the binaries in BUILD, then one summary.
#
#   tests/run.sh BUILD [unit] [api] [e2e] [fuzz] [reliability]
#                                          (no layer: all of them)
#   HL_REL_FULL=1: the long reliability runs (make reliability)
#
# Each layer prints its own lines; the last line of the run is
#   make test: <layer> <passed>/<total> ... -- passed|FAILED
# Output of failing parts is kept under tests/out/.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:?usage: tests/run.sh BUILD [layer...]}
shift
case $build in /*) ;; *) build=$here/$build ;; esac
layers=${*:-unit api e2e fuzz reliability}
out=$here/tests/out
mkdir -p "$out"
export HAILONG_BIN="$build/bin/hailong"
export HAILONG_KIOSK_BIN="$build/bin/hailong-kiosk"
export HAILONG_TEST_OUT="$out"
summary=
status=0

note() {
	# layer passed total
	summary="$summary $1 $2/$3"
	[ "$2" = "$3" ] || status=1
}

run_unit() {
	pass=0 total=0
	for t in "$build"/tests/test_*; do
		[ -x "$t" ] || continue
		total=$((total + 1))
		name=$(basename "$t")
		if (cd "$here" && "$t") >"$out/unit-$name.log" 2>&1; then
			pass=$((pass + 1))
			tail -n 1 "$out/unit-$name.log"
		else
			echo "FAIL unit $name (log: tests/out/unit-$name.log)"
			tail -n 20 "$out/unit-$name.log"
		fi
	done
	note unit $pass $total
}

run_api() {
	log=$out/api.log
	(cd "$here" && python3 -m unittest discover -s tests/api \
	    -p 'test_*.py' -t . -v) >"$log" 2>&1
	rc=$?
	total=$(sed -n 's/^Ran \([0-9]*\) tests\{0,1\} .*/\1/p' "$log" | tail -n 1)
	total=${total:-0}
	failed=$(grep -cE '^(FAIL|ERROR):' "$log")
	grep -E ' \.\.\. (ok|FAIL|ERROR|skipped)' "$log" | sed 's/^/  /' | \
	    grep -v ' ok$' || true
	if [ $rc -ne 0 ]; then
		echo "FAIL api (log: tests/out/api.log)"
		grep -A 30 -E '^(FAIL|ERROR):' "$log" | head -n 80
		[ "$failed" -gt 0 ] || failed=1
	fi
	echo "# api tests=$total failed=$failed"
	note api $((total - failed)) $total
}

# tests/reliability: faults, hostile clients, secrets, headers (README
# there).  Short versions unless HL_REL_FULL=1; each test prints one
# '# ...' line with its figures.
run_reliability() {
	log=$out/reliability.log
	(cd "$here" && python3 -m unittest discover -s tests/reliability \
	    -p 'test_*.py' -t . -v) >"$log" 2>&1
	rc=$?
	total=$(sed -n 's/^Ran \([0-9]*\) tests\{0,1\} .*/\1/p' "$log" | tail -n 1)
	total=${total:-0}
	failed=$(grep -cE '^(FAIL|ERROR):' "$log")
	grep -E '^# ' "$log" | sed 's/^/  /'
	grep -E ' \.\.\. (FAIL|ERROR|skipped)' "$log" | sed 's/^/  /' || true
	if [ $rc -ne 0 ]; then
		echo "FAIL reliability (log: tests/out/reliability.log)"
		grep -A 30 -E '^(FAIL|ERROR):' "$log" | head -n 80
		[ "$failed" -gt 0 ] || failed=1
	fi
	echo "# reliability tests=$total failed=$failed"
	note reliability $((total - failed)) $total
}

run_e2e() {
	pass=0 total=0
	for t in "$here"/tests/e2e/test_*.mjs; do
		[ -f "$t" ] || continue
		total=$((total + 1))
		name=$(basename "$t" .mjs)
		if (cd "$here" && timeout 300 node "$t") >"$out/e2e-$name.log" 2>&1
		then
			pass=$((pass + 1))
			tail -n 1 "$out/e2e-$name.log"
		else
			echo "FAIL e2e $name (log: tests/out/e2e-$name.log)"
			tail -n 30 "$out/e2e-$name.log"
		fi
	done
	note e2e $pass $total
}

run_fuzz() {
	pass=0 total=0
	secs=${FUZZ_SECONDS:-4}
	for f in "$here"/build/fuzz/fuzz_*; do
		[ -x "$f" ] || continue
		name=$(basename "$f")
		# FUZZ_ONLY="wire form": those harnesses only (the long runs)
		case " ${FUZZ_ONLY:-${name#fuzz_}} " in
		*" ${name#fuzz_} "*) ;;
		*) continue ;;
		esac
		total=$((total + 1))
		corpus=$here/tests/fuzz/corpus/${name#fuzz_}
		work=$(mktemp -d)
		# new inputs go to the scratch dir; the committed corpus is read
		if "$f" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 \
		    "$work" "$corpus" >"$out/fuzz-$name.log" 2>&1; then
			pass=$((pass + 1))
			runs=$(grep -o 'Done [0-9]* runs' "$out/fuzz-$name.log" |
			    tail -n 1)
			echo "# fuzz $name: $runs in ${secs}s"
		else
			echo "FAIL fuzz $name (log: tests/out/fuzz-$name.log)"
			grep -E 'ERROR|SUMMARY|Test unit written' \
			    "$out/fuzz-$name.log" | head -n 10
		fi
		rm -rf "$work"
	done
	note fuzz $pass $total
}

for layer in $layers; do
	echo "== $layer"
	case $layer in
	unit) run_unit ;;
	api) run_api ;;
	e2e) run_e2e ;;
	fuzz) run_fuzz ;;
	reliability) run_reliability ;;
	*) echo "unknown layer '$layer'"; status=1 ;;
	esac
done
if [ $status -eq 0 ]; then
	echo "make test:$summary -- passed"
else
	echo "make test:$summary -- FAILED"
fi
exit $status
