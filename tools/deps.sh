#!/bin/sh
# deps.sh -- install what hailong needs on Debian 12, and nothing that is
# already there.  Usage: tools/deps.sh build|test|bench|all
#
#   build  compiler, the libraries the two programs link, espeak-ng (the
#          kiosk's spoken prompts are made at build time)
#   test   build + everything `make test` runs (chromium, zbarimg, clang's
#          libFuzzer, python3, node + playwright-core from tests/package-lock.json)
#   bench  test + wrk
#   lint   clang-tidy, cppcheck, clang-format
#
# apt-get runs only when a package is missing (through sudo when not root).
set -eu

what=${1:-build}
here=$(cd "$(dirname "$0")/.." && pwd)

build_pkgs="gcc make pkg-config libmicrohttpd-dev libsqlite3-dev libqrencode-dev
libssl-dev libjansson-dev libcurl4-openssl-dev libxlsxwriter-dev libpng-dev
libcairo2-dev libpango1.0-dev libzip-dev espeak-ng
fonts-dejavu-core"
test_pkgs="clang libclang-rt-14-dev sqlite3 openssl zbar-tools chromium
python3 nodejs ca-certificates procps sqlmap poppler-utils"
bench_pkgs="wrk"
lint_pkgs="clang-tidy cppcheck clang-format"

case $what in
build) pkgs=$build_pkgs ;;
test) pkgs="$build_pkgs $test_pkgs" ;;
bench) pkgs="$build_pkgs $test_pkgs $bench_pkgs" ;;
lint) pkgs="$build_pkgs $lint_pkgs" ;;
all) pkgs="$build_pkgs $test_pkgs $bench_pkgs $lint_pkgs" ;;
*) echo "usage: $0 build|test|bench|lint|all" >&2; exit 2 ;;
esac

missing=
for p in $pkgs; do
	# nodejs from another source (nodesource) counts when node runs
	if [ "$p" = nodejs ] && command -v node >/dev/null 2>&1; then
		continue
	fi
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case $st in
	*" installed") ;;
	*) missing="$missing $p" ;;
	esac
done
# Debian's nodejs comes without npm; nodesource's carries its own.
case $what in
test|bench|all)
	if ! command -v npm >/dev/null 2>&1; then
		missing="$missing npm"
	fi ;;
esac

if [ -n "$missing" ]; then
	echo "deps: installing:$missing"
	if [ "$(id -u)" -eq 0 ]; then
		sudo=
	elif command -v sudo >/dev/null 2>&1; then
		sudo=sudo
	else
		echo "deps: missing packages:$missing; run as root or install sudo" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -qq
	# shellcheck disable=SC2086
	$sudo apt-get install -y -qq --no-install-recommends $missing
fi

case $what in
test|bench|all)
	# playwright-core, pinned by tests/package-lock.json; no browser
	# download (Debian's chromium is used).
	if [ ! -d "$here/tests/node_modules/playwright-core" ] ||
	    [ "$here/tests/package-lock.json" -nt "$here/tests/node_modules/.package-lock.json" ]; then
		echo "deps: npm ci in tests/"
		(cd "$here/tests" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
		    npm ci --no-audit --no-fund --loglevel=error)
	fi ;;
esac
exit 0
