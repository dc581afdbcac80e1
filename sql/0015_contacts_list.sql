-- 0015_contacts_list.sql: the contact list's search of a number from its
-- start ('+62812%'), which the trigram index cannot serve (digits make
-- too few distinct trigrams: docs/contacts.md) and the unique index on
-- (customer_id, phone) serves only under the C collation.

CREATE INDEX contacts_phone_prefix ON contacts
	(customer_id, phone text_pattern_ops);
