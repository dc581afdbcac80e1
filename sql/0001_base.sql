-- 0001_base.sql: the base every later migration builds on.
-- Applied by `waportalctl migrate` in one transaction; schema_migrations
-- itself is created by the migrator before the first file runs.

-- Keep updated_at honest on every table that has one:
--   CREATE TRIGGER x_touch BEFORE UPDATE ON x
--     FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
CREATE FUNCTION touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	NEW.updated_at := now();
	RETURN NEW;
END;
$$;

-- Case-insensitive text for emails and names compared without case.
CREATE EXTENSION IF NOT EXISTS citext;
