#!/bin/sh
# 0052-openapi-lint.t: docs/openapi.json passes a standard OpenAPI validator (Redocly CLI's recommended rules; ./dev test installs it from npm).
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
[ -z "${WAPORTAL_TEST_SANITIZERS:-}" ] || { echo "1..0 # SKIP runs in the normal tree: no C code of ours to check under the sanitizers"; exit 0; }
. "${top_srcdir:?}/t/lib/stack.sh"

redocly=${REDOCLY:-$top_srcdir/build/tools/node_modules/.bin/redocly}
[ -x "$redocly" ] || skip_all "Redocly CLI not installed (./dev test installs it in build/tools)"
out=$("$redocly" lint --format stylish "$top_srcdir/docs/openapi.json" 2>&1)
rc=$?
is "$rc" 0 "redocly lint: no error" || diag "$out"
unlike "$out" '[0-9]+ warnings?' "... and no warning" || diag "$out"

done_testing
