#!/bin/sh
# 0073-qr-scan.t: the SVG QR codes scan back to their text (rsvg-convert renders, zbarimg reads).
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

for t in rsvg-convert zbarimg; do
	command -v "$t" >/dev/null || skip_all "$t is not installed (./dev test installs it)"
done
d=$(mktemp -d /tmp/qr-scan.XXXXXX)
trap 'rm -rf "$d"' EXIT
for text in '2@Xy9/abc+DEF==,mVq8Tz0LkP3sHh5d6w2Q4r1Y7uIoE=,Zk3nF8pQ2wL6vB1xC9mJ5tR0yU4sA7eD=,1' \
    'short' "$(head -c 600 /dev/zero | tr '\0' x)" 'émoji ✓ and <angle> & "quotes"'; do
	"${top_builddir:?}/t/qrsvg" "$text" >"$d/q.svg"
	rsvg-convert -w 600 -b white "$d/q.svg" >"$d/q.png" 2>/dev/null
	got=$(zbarimg -q --raw "$d/q.png" 2>/dev/null)
	is "$got" "$text" "scans back: ${text:0:24}..."
done
done_testing
