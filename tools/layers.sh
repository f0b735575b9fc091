#!/bin/sh
# layers.sh -- fail when a file includes a header of a layer it may not
# use (the rules are in README "Source layout"; `make layers`), or a
# library's header outside its door (README "One door per library").
set -u
cd "$(dirname "$0")/.."

# door HEADER FILES: lines of the tree's C files that include <HEADER...>
# but are not FILES (extended regular expressions).
door() {
	grep -HnE "#include <($1)" lib/*.c include/hailong/*.h server/*/*.[ch] \
	    kiosk/*.[ch] | grep -Ev "^($2):"
}
bad=$(
	# lib/ and include/: the library knows nothing of the programs
	grep -Hn '#include "' lib/*.c include/hailong/*.h |
	    grep -v '#include "hailong/'
	# server/core: the domain, its storage, the library
	grep -Hn '#include "' server/core/*.c server/core/*.h |
	    grep -Ev '#include "(hailong|core)/'
	# server/web: the domain and itself, never the commands
	grep -Hn '#include "' server/web/*.c server/web/*.h |
	    grep -Ev '#include "(hailong|core|web)/'
	# server/cli: anything of the server
	grep -Hn '#include "' server/cli/*.c server/cli/*.h |
	    grep -Ev '#include "(hailong|core|web|cli)/'
	# kiosk/: the library and its own files, nothing of the server
	grep -Hn '#include "' kiosk/*.c kiosk/*.h |
	    grep -E '#include "(core|web|cli)/'
	# a server header by its bare name hides its layer
	for h in server/*/*.h; do
		grep -Hn "#include \"${h##*/}\"" server/*/*.[ch] kiosk/*.[ch] \
		    tests/unit/*.c tests/fuzz/*.c tests/bench/*.c
	done
	# the only web header the commands may use is the server's start
	grep -Hn '#include "web/' server/cli/*.c | grep -v 'cmd_serve.c:'
	# one door per library: the Makefile gives each object only its
	# own packages' flags (README, "One door per library")
	door 'microhttpd\.h' 'lib/http\.c'
	door 'sqlite3\.h' 'lib/db\.c'
	door 'curl/' 'lib/httpc\.c'
	door 'qrencode\.h' 'lib/qr\.c'
	door 'png\.h' 'lib/qr_png\.c'
	door 'openssl/' 'lib/crypto\.c|server/core/cms\.c'
	door 'xlsxwriter\.h' 'server/core/report_files\.c'
	door 'cairo|pango/' 'server/core/report_pdf\.c'
	door 'zip\.h' 'server/core/report_bundle\.c'
)
if [ -n "$bad" ]; then
	echo "make layers: includes across the layers (README, Source layout)"
	echo "or around a library's door (README, One door per library):"
	printf '%s\n' "$bad" | sed 's/^/  /'
	exit 1
fi
echo "make layers: lib, core, web, cli and kiosk keep to their own"
