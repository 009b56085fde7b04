-- A copy of each contact's tag ids on the contact row, kept by triggers on contact_tags, so
-- tag filters are conditions on contacts (GIN-indexed) that combine with its other indexes
-- instead of a semi-join the planner misjudges when one user owns a share of many users' rows.

-- AlterTable
ALTER TABLE "contacts" ADD COLUMN     "tag_ids" UUID[] DEFAULT ARRAY[]::UUID[];

-- The copy is rebuilt from contact_tags for every contact a statement touched, once per
-- statement (a bulk tag of 1,000 contacts is one UPDATE, not 1,000).
CREATE FUNCTION contacts_refresh_tag_ids() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  -- Only rows whose copy is wrong are rewritten: a writer that already set tag_ids (the CSV
  -- import does, for the contacts it creates) costs nothing more.
  IF TG_OP = 'UPDATE' THEN
    UPDATE contacts c SET tag_ids = t.ids
    FROM (
      SELECT x.id, coalesce((SELECT array_agg(ct.tag_id ORDER BY ct.tag_id)
                             FROM contact_tags ct WHERE ct.contact_id = x.id), ARRAY[]::uuid[]) AS ids
      FROM (SELECT contact_id AS id FROM changed UNION SELECT contact_id FROM changed_before) x
    ) t
    WHERE c.id = t.id AND c.tag_ids IS DISTINCT FROM t.ids;
  ELSE
    UPDATE contacts c SET tag_ids = t.ids
    FROM (
      SELECT x.id, coalesce((SELECT array_agg(ct.tag_id ORDER BY ct.tag_id)
                             FROM contact_tags ct WHERE ct.contact_id = x.id), ARRAY[]::uuid[]) AS ids
      FROM (SELECT DISTINCT contact_id AS id FROM changed) x
    ) t
    WHERE c.id = t.id AND c.tag_ids IS DISTINCT FROM t.ids;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER contact_tags_inserted AFTER INSERT ON "contact_tags"
  REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION contacts_refresh_tag_ids();
CREATE TRIGGER contact_tags_deleted AFTER DELETE ON "contact_tags"
  REFERENCING OLD TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION contacts_refresh_tag_ids();
CREATE TRIGGER contact_tags_updated AFTER UPDATE ON "contact_tags"
  REFERENCING OLD TABLE AS changed_before NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION contacts_refresh_tag_ids();

-- Backfill
UPDATE "contacts" c SET tag_ids = t.ids
FROM (SELECT contact_id, array_agg(tag_id ORDER BY tag_id) AS ids FROM "contact_tags" GROUP BY contact_id) t
WHERE t.contact_id = c.id;

-- One GIN index over the owner and the tag ids: a tag filter is one index scan for that user
-- (btree_gin gives uuid a GIN operator class), not a tag scan ANDed with a scan of all of the
-- user's contacts.
CREATE EXTENSION IF NOT EXISTS btree_gin;

-- CreateIndex
CREATE INDEX "contacts_user_id_tag_ids_idx" ON "contacts" USING GIN ("user_id" uuid_ops, "tag_ids");
