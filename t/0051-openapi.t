#!/bin/sh
# 0051-openapi.t: docs/openapi.json is valid JSON for OpenAPI 3.1 and names exactly the /api/v1 routes of the route table (src/), each with its scope.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

command -v jq >/dev/null || skip_all "jq is missing (./dev test installs it)"
doc=$top_srcdir/docs/openapi.json
jq empty "$doc" 2>/dev/null
ok $? "docs/openapi.json is JSON"
is "$(jq -r .openapi "$doc")" 3.1.0 "... for OpenAPI 3.1.0"

# Every C file under src/, in whatever folder, as one line: the route
# rows, wherever they are defined.
src_all=$(find "$top_srcdir/src" -name '*.c' -type f | sort | xargs cat | tr '\n\t' '  ')
# "METHOD /path scope" of every /api/v1 route in the route table, the
# {int} of a pattern written as the document's {id}; scope NULL as "-".
routes=$(printf '%s\n' "$src_all" | grep -oE '\{ METHOD_[A-Z]*, "/api/v1[^"]*", KIND_API, AUTH_(APIKEY|NONE), *[^,]*' |
    sed -E 's/\{ METHOD_([A-Z]+), "([^"]*)", KIND_API, AUTH_(APIKEY|NONE), *("([^"]*)"|NULL)/\1 \2 \5/; s/\{int\}/{id}/g; s/ $/ -/' | sort)
documented=$(jq -r '.paths | to_entries[] | .key as $p | .value | to_entries[] |
    "\(.key | ascii_upcase) \($p) \(.value["x-scope"] // "-")"' "$doc" | sort)
[ -n "$routes" ]
ok $? "the route table has /api/v1 routes ($(wc -l <<<"$routes"))"
is "$documented" "$routes" "every /api/v1 route is documented with its scope, and nothing else is"
# The routes without a key are exactly the operations with "security": [].
is "$(jq -r '[.paths | to_entries[] | .key as $p | .value | to_entries[] | select(.value.security == []) | "\(.key | ascii_upcase) \($p)"] | sort | join(",")' "$doc")" \
    "$(printf '%s\n' "$src_all" | grep -oE '\{ METHOD_[A-Z]*, "/api/v1[^"]*", KIND_API, AUTH_NONE' |
    sed -E 's/\{ METHOD_([A-Z]+), "([^"]*)".*/\1 \2/' | sort | paste -sd,)" \
    "the keyless /api/v1 routes are the operations that need no key"

# Every $ref points at something that exists.
missing=$(jq -r '[.. | objects | select(has("$ref")) | .["$ref"]] | unique[]' "$doc" |
    while read -r ref; do
	path=$(sed 's|^#/||; s|/|","|g' <<<"$ref")
	[ "$(jq "getpath([\"$path\"]) != null" "$doc")" = true ] || echo "$ref"
    done)
is "$missing" "" "every \$ref resolves"
# Every operation names its responses and an operationId equal to the route's usage name.
is "$(jq -r '[.paths[][] | select((.responses | length) == 0 or (.operationId | not))] | length' "$doc")" 0 \
    "every operation has an operationId and responses"
ops=$(jq -r '[.paths[][] | .operationId] | sort | join(" ")' "$doc")
names=$(printf '%s\n' "$src_all" | grep -oE '"/api/v1[^"]*", KIND_API, AUTH_(APIKEY|NONE)[^}]*"[a-z]*\.[a-z]*" *}' | grep -o '"[a-z]*\.[a-z]*"' | tr -d '"' | sort | tr '\n' ' ' | sed 's/ $//')
is "$ops" "$names" "operationIds are the route names the usage counts use"

done_testing
