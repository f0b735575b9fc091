#!/bin/sh
# speech.sh -- the kiosk's spoken prompts, made at build time (Makefile).
#
#   kiosk/speech.sh SPEECH.txt WAVDOWN OUTDIR
#
# For each screen and language of SPEECH.txt (kiosk/ui/speech.txt, the
# same list the page shows its words from), the screen's texts in order
# are read by espeak-ng (-v vi, -v en) into OUTDIR/SCREEN-LANG.wav, then
# WAVDOWN (kiosk/tools/wavdown.c) makes them 16 kHz mono 16-bit PCM with
# the silence around them trimmed.  No network: espeak-ng is local.
set -eu
speech=${1:?usage: speech.sh SPEECH.txt WAVDOWN OUTDIR}
wavdown=${2:?usage: speech.sh SPEECH.txt WAVDOWN OUTDIR}
out=${3:?usage: speech.sh SPEECH.txt WAVDOWN OUTDIR}
# words per minute: a little slower than espeak-ng's 175, for people
# listening at a counter
speed=${SPEECH_WPM:-150}

if ! command -v espeak-ng >/dev/null 2>&1; then
	echo "speech.sh: espeak-ng is missing; install it (make deps-build," \
	    "or apt-get install espeak-ng)" >&2
	exit 1
fi
rm -rf "$out"
mkdir -p "$out"
tab=$(printf '\t')
# the screen/language pairs, in the order they first appear
pairs=$(grep -v '^#' "$speech" | grep -v '^[[:space:]]*$' |
	awk -F "$tab" 'NF >= 4 && !seen[$1 "-" $3]++ { print $1 "-" $3 }')
for pair in $pairs; do
	screen=${pair%-*}
	lang=${pair##*-}
	case $screen$lang in *[!a-z0-9]*)
		echo "speech.sh: bad screen or language '$pair'" >&2; exit 1 ;;
	esac
	# the screen's texts, one phrase: a full stop between two parts
	# that end without one, so the voice pauses as a reader would
	text=$(awk -F "$tab" -v s="$screen" -v l="$lang" '
		!/^#/ && $1 == s && $3 == l {
			t = $4
			if (out != "" && out !~ /[.!?:]$/) out = out "."
			out = (out == "" ? t : out " " t)
		}
		END { print out }' "$speech")
	voice=$lang
	espeak-ng -v "$voice" -s "$speed" -w "$out/$pair.raw.wav" -- "$text"
	"$wavdown" "$out/$pair.raw.wav" "$out/$pair.wav"
	rm -f "$out/$pair.raw.wav"
done
