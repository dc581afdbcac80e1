-- 0019_contacts_numbers.sql: the contact list's number range. A range
-- of whole numbers looks each number up in contacts_fields (as a date
-- range looks up its days); the values that are not whole numbers are
-- found through this index, which holds only the contacts with one (in
-- any field), so it is empty for most accounts and costs an import one
-- check per row (docs/performance.md, "Contacts list"). The expression
-- is AUD_FRACTION's (src/aud/aud_filter.h), word for word: the planner
-- uses the index only where the statement's predicate is the same.

CREATE INDEX contacts_fraction ON contacts (customer_id)
	WHERE jsonb_path_exists(fields,
	    '$.* ? (@.type() == "number" && @ != @.floor())');
