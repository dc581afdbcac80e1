-- 0010_price_month.sql: a package's price_text is the price of a month; the
-- portal adds "/ month" in the reader's language (the catalog's "/ bulan"),
-- so a period typed at the end of a stored price ("Rp 100.000 / bulan",
-- "IDR 99.000 per month") is taken off, once.

UPDATE packages
SET price_text = regexp_replace(price_text,
    '\s*(/|\mper\M)\s*(month|bulan|bln)\.?\s*$', '', 'i')
WHERE price_text ~* '(/|\mper\M)\s*(month|bulan|bln)\.?\s*$';
