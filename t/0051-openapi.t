#!/bin/sh
# 0051-openapi.t: docs/openapi.json is valid JSON for OpenAPI 3.1 and names exactly the /api/v1 routes of the worker's route table, each with its scope.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

command -v jq >/dev/null || skip_all "jq is missing (./dev test installs it)"
doc=$top_srcdir/docs/openapi.json
jq empty "$doc" 2>/dev/null
ok $? "docs/openapi.json is JSON"
is "$(jq -r .openapi "$doc")" 3.1.0 "... for OpenAPI 3.1.0"

# The worker's route table as its modules build it (t/modcheck routes:
# "METHOD pattern kind auth scope name" a line), its /api/v1 routes only.
[ -x "${top_builddir:?}/t/modcheck" ] || bail_out "t/modcheck not built"
table=$("$top_builddir/t/modcheck" routes) || bail_out "t/modcheck routes failed"
api_routes=$(awk '$2 ~ /^\/api\/v1\// && $3 == "api" && ($4 == "apikey" || $4 == "none")' <<<"$table")
# "METHOD /path scope" of every /api/v1 route, the {int} of a pattern
# written as the document's {id}; no scope as "-".
routes=$(awk '{ print $1, $2, $5 }' <<<"$api_routes" | sed 's/{int}/{id}/g' | sort)
documented=$(jq -r '.paths | to_entries[] | .key as $p | .value | to_entries[] |
    "\(.key | ascii_upcase) \($p) \(.value["x-scope"] // "-")"' "$doc" | sort)
[ -n "$routes" ]
ok $? "the route table has /api/v1 routes ($(wc -l <<<"$routes"))"
is "$documented" "$routes" "every /api/v1 route is documented with its scope, and nothing else is"
# The routes without a key are exactly the operations with "security": [].
is "$(jq -r '[.paths | to_entries[] | .key as $p | .value | to_entries[] | select(.value.security == []) | "\(.key | ascii_upcase) \($p)"] | sort | join(",")' "$doc")" \
    "$(awk '$4 == "none" { print $1, $2 }' <<<"$api_routes" | sort | paste -sd,)" \
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
names=$(awk '{ print $6 }' <<<"$api_routes" | sort | tr '\n' ' ' | sed 's/ $//')
is "$ops" "$names" "operationIds are the route names the usage counts use"

done_testing
