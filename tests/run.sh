#!/bin/sh
# run.sh -- run test layers against the binaries in BUILD, then one summary.
#
#   tests/run.sh BUILD [unit] [api] [e2e] [fuzz] [reliability]
#                                          (no layer: all of them)
#   HL_REL_FULL=1: the long reliability runs (make reliability)
#
# Each layer prints its own lines; the run ends with the failing tests,
# one a line, and then
#   make test: <layer> <passed>/<total> ... -- passed|FAILED
# and exits non-zero on any failure.  Output of failing parts is kept
# under tests/out/.
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
failures=
# A bound on a python layer, for a hung test: far above what a slow
# machine takes (about 2 minutes idle, 4 times that on one busy core
# under ASan); the long reliability runs take longer
if [ -n "${HL_REL_FULL:-}" ]; then
	bound=${HL_LAYER_TIMEOUT:-10800}
else
	bound=${HL_LAYER_TIMEOUT:-3600}
fi

note() {
	# layer passed total
	summary="$summary $1 $2/$3"
	[ "$2" = "$3" ] || status=1
}

failed() {
	# layer name: one failing test, listed again at the end
	failures="$failures
FAILED: $1 $2"
}

# The failing tests of a unittest log: "FAIL: test_x (module.Class...)".
failed_in_log() {
	for t in $(sed -n 's/^\(FAIL\|ERROR\): [^ ]* (\([^)]*\)).*/\2/p' "$2"); do
		failed "$1" "$t"
	done
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
			failed unit "$name"
			tail -n 20 "$out/unit-$name.log"
		fi
	done
	note unit $pass $total
}

run_api() {
	log=$out/api.log
	(cd "$here" && timeout "$bound" python3 -m unittest discover \
	    -s tests/api -p 'test_*.py' -t . -v) >"$log" 2>&1
	rc=$?
	total=$(sed -n 's/^Ran \([0-9]*\) tests\{0,1\} .*/\1/p' "$log" | tail -n 1)
	total=${total:-0}
	failed=$(grep -cE '^(FAIL|ERROR):' "$log")
	grep -E ' \.\.\. (ok|FAIL|ERROR|skipped)' "$log" | sed 's/^/  /' | \
	    grep -v ' ok$' || true
	if [ $rc -ne 0 ]; then
		echo "FAIL api (log: tests/out/api.log)"
		grep -A 30 -E '^(FAIL|ERROR):' "$log" | head -n 80
		failed_in_log api "$log"
		if [ $rc -eq 124 ]; then
			failed=$((failed + 1))
			failed api "(timed out after $bound s; see its log)"
		elif [ "$failed" -eq 0 ]; then
			failed=1
			failed api "(the run; see its log)"
		fi
	fi
	echo "# api tests=$total failed=$failed"
	note api $((total - failed)) $total
}

# tests/reliability: faults, hostile clients, secrets, headers (README
# there).  Short versions unless HL_REL_FULL=1; each test prints one
# '# ...' line with its figures.
run_reliability() {
	log=$out/reliability.log
	(cd "$here" && timeout "$bound" python3 -m unittest discover \
	    -s tests/reliability -p 'test_*.py' -t . -v) >"$log" 2>&1
	rc=$?
	total=$(sed -n 's/^Ran \([0-9]*\) tests\{0,1\} .*/\1/p' "$log" | tail -n 1)
	total=${total:-0}
	failed=$(grep -cE '^(FAIL|ERROR):' "$log")
	grep -E '^# ' "$log" | sed 's/^/  /'
	grep -E ' \.\.\. (FAIL|ERROR|skipped)' "$log" | sed 's/^/  /' || true
	if [ $rc -ne 0 ]; then
		echo "FAIL reliability (log: tests/out/reliability.log)"
		grep -A 30 -E '^(FAIL|ERROR):' "$log" | head -n 80
		failed_in_log reliability "$log"
		if [ $rc -eq 124 ]; then
			failed=$((failed + 1))
			failed reliability "(timed out after $bound s; see its log)"
		elif [ "$failed" -eq 0 ]; then
			failed=1
			failed reliability "(the run; see its log)"
		fi
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
		# a bound for a hung browser, far above a slow machine's time
		if (cd "$here" && timeout 900 node "$t") >"$out/e2e-$name.log" 2>&1
		then
			pass=$((pass + 1))
			tail -n 1 "$out/e2e-$name.log"
		else
			echo "FAIL e2e $name (log: tests/out/e2e-$name.log)"
			failed e2e "$name"
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
		# -timeout: one input, on one busy core under ASan
		if "$f" -max_total_time="$secs" -timeout=60 -rss_limit_mb=1024 \
		    "$work" "$corpus" >"$out/fuzz-$name.log" 2>&1; then
			pass=$((pass + 1))
			runs=$(grep -o 'Done [0-9]* runs' "$out/fuzz-$name.log" |
			    tail -n 1)
			echo "# fuzz $name: $runs in ${secs}s"
		else
			echo "FAIL fuzz $name (log: tests/out/fuzz-$name.log)"
			failed fuzz "$name"
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
	[ -z "$failures" ] || printf '%s\n' "$failures" | sed 1d
	echo "make test:$summary -- FAILED"
fi
exit $status
