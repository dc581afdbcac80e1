-- 0001_base.sql: the base every later migration builds on.
-- Applied by `waportalctl migrate` in one transaction; schema_migrations
-- itself is created by the migrator before the first file runs.

-- The clock of every function, default and statement: now() (the start
-- of the transaction), unless the session setting waportal.now holds a
-- timestamp. Production never sets it; the tests do, to pin or move the
-- clock instead of waiting (docs/development.md, "The database clock").
-- One SQL expression, STABLE: inlined into the plans that call it, it
-- costs one settings lookup.
CREATE FUNCTION wa_now() RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE AS $$
	SELECT coalesce(nullif(current_setting('waportal.now', true), '')::timestamptz,
	    now())
$$;

-- Keep updated_at honest on every table that has one:
--   CREATE TRIGGER x_touch BEFORE UPDATE ON x
--     FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
CREATE FUNCTION touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	NEW.updated_at := wa_now();
	RETURN NEW;
END;
$$;

-- Case-insensitive text for emails and names compared without case.
CREATE EXTENSION IF NOT EXISTS citext;
