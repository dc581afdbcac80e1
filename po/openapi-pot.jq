# openapi-pot.jq: the prose of docs/openapi.json as a POT for the catalog (every summary, description and tag name; the API docs pages show them translated): jq -r -f po/openapi-pot.jq docs/openapi.json.
"msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n",
([(.. | objects | (.summary?, .description?) | strings), (.tags[]?.name)]
    | unique | .[] | select(. != "")
    | "#: docs/openapi.json\nmsgid \(tojson)\nmsgstr \"\"\n")
