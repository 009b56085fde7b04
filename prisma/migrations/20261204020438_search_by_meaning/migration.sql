-- Search by meaning: one search document per contact, note and synced interaction (kept by
-- triggers, so keyword search is current at once), their embeddings (made by the background
-- index job, float32 bytes, never for contacts without AI consent), and per-user index state.
-- pgvector, when a server has it, is used from a schema of its own created at run time
-- (packages/core/src/search/pgvector.ts): nothing here depends on it.

-- CreateTable
CREATE TABLE "search_documents" (
    "record_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "kind" VARCHAR(20) NOT NULL,
    "contact_id" UUID,
    "visible" BOOLEAN NOT NULL DEFAULT true,
    "title" VARCHAR(300) NOT NULL,
    "body" TEXT NOT NULL DEFAULT '',
    "content_hash" CHAR(64) NOT NULL,
    "tsv" tsvector,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "search_documents_pkey" PRIMARY KEY ("record_id")
);

-- CreateTable
CREATE TABLE "search_embeddings" (
    "record_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "content_hash" CHAR(64) NOT NULL,
    "model" VARCHAR(100) NOT NULL,
    "dimensions" INTEGER NOT NULL,
    "vector" BYTEA NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "embedded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "search_embeddings_pkey" PRIMARY KEY ("record_id")
);

-- CreateTable
CREATE TABLE "search_index_state" (
    "user_id" UUID NOT NULL,
    "version" BIGINT NOT NULL DEFAULT 0,
    "removals" BIGINT NOT NULL DEFAULT 0,
    "status" VARCHAR(20) NOT NULL DEFAULT 'idle',
    "reason" VARCHAR(500),
    "resume_at" TIMESTAMPTZ(3),
    "last_run_at" TIMESTAMPTZ(3),
    "last_embedded" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "search_index_state_pkey" PRIMARY KEY ("user_id")
);

-- CreateIndex
CREATE INDEX "search_documents_user_id_kind_idx" ON "search_documents"("user_id", "kind");

-- CreateIndex
CREATE INDEX "search_documents_contact_id_idx" ON "search_documents"("contact_id");

-- CreateIndex
CREATE INDEX "search_documents_user_id_tsv_idx" ON "search_documents" USING GIN ("user_id" uuid_ops, "tsv");

-- CreateIndex
CREATE INDEX "search_embeddings_user_id_seq_idx" ON "search_embeddings"("user_id", "seq");

-- AddForeignKey
ALTER TABLE "search_embeddings" ADD CONSTRAINT "search_embeddings_record_id_fkey" FOREIGN KEY ("record_id") REFERENCES "search_documents"("record_id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The functions below only ever touch the rows of the ids they are given, by key. They run with
-- sequential scans off: right after a bulk load (an import, a first sync) the planner's
-- statistics still describe nearly empty tables, and a scan per row would be chosen; and every
-- lookup of a contact is a scalar subquery by its key, so no join order can start from the
-- contacts. (JIT is off too: the cost of a disabled scan, e.g. of a transition table, would
-- otherwise compile each call.) OFFSET 0 keeps a subquery from being copied into each use of its
-- column.

-- The text a document is found by: title (weight A) and body (weight B), English stemming.
CREATE FUNCTION search_tsv(title text, body text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT setweight(to_tsvector('english'::regconfig, title), 'A')
      || setweight(to_tsvector('english'::regconfig, body), 'B')
$$;

-- What an embedding is made from, hashed: an embedding is current when its hash is this one.
CREATE FUNCTION search_hash(title text, body text) RETURNS char(64)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT encode(sha256(convert_to(title || E'\n' || body, 'UTF8')), 'hex')
$$;

-- The documents of these contacts: name as the title; stage, source, email and phone as body.
CREATE FUNCTION search_refresh_contacts(ids uuid[]) RETURNS void
LANGUAGE sql SET enable_seqscan = off SET jit = off AS $$
  DELETE FROM search_documents d USING unnest(ids) AS x(id)
  WHERE d.record_id = x.id AND NOT EXISTS (SELECT 1 FROM contacts c WHERE c.id = x.id);
  INSERT INTO search_documents AS d
    (record_id, user_id, kind, contact_id, visible, title, body, content_hash, tsv, occurred_at, updated_at)
  SELECT c.id, c.user_id, 'contact', c.id, c.deleted_at IS NULL, t.title, t.body,
         search_hash(t.title, t.body), search_tsv(t.title, t.body), c.created_at, now()
  FROM contacts c
  JOIN unnest(ids) AS x(id) ON x.id = c.id
  CROSS JOIN LATERAL (
    SELECT left(c.name, 300) AS title, concat_ws(' · ', c.stage, c.source, c.email, c.phone) AS body
  ) t
  ON CONFLICT (record_id) DO UPDATE SET
    contact_id = EXCLUDED.contact_id, visible = EXCLUDED.visible, title = EXCLUDED.title,
    body = EXCLUDED.body, content_hash = EXCLUDED.content_hash, tsv = EXCLUDED.tsv,
    occurred_at = EXCLUDED.occurred_at, updated_at = now()
  WHERE (d.contact_id, d.visible, d.content_hash, d.occurred_at)
    IS DISTINCT FROM (EXCLUDED.contact_id, EXCLUDED.visible, EXCLUDED.content_hash, EXCLUDED.occurred_at);
$$;

-- The documents of these notes: the first line (without Markdown marks) as the title.
CREATE FUNCTION search_refresh_notes(ids uuid[]) RETURNS void
LANGUAGE sql SET enable_seqscan = off SET jit = off AS $$
  DELETE FROM search_documents d USING unnest(ids) AS x(id)
  WHERE d.record_id = x.id AND NOT EXISTS (SELECT 1 FROM notes n WHERE n.id = x.id);
  INSERT INTO search_documents AS d
    (record_id, user_id, kind, contact_id, visible, title, body, content_hash, tsv, occurred_at, updated_at)
  SELECT n.id, n.user_id, 'note', n.contact_id,
         coalesce((SELECT c.deleted_at IS NULL FROM contacts c WHERE c.id = n.contact_id), false),
         t.title, t.body, search_hash(t.title, t.body), search_tsv(t.title, t.body), n.created_at, now()
  FROM notes n
  JOIN unnest(ids) AS x(id) ON x.id = n.id
  CROSS JOIN LATERAL (
    SELECT left(coalesce(nullif(btrim(regexp_replace(substring(n.body FROM '\S[^\n]*'),
                                                     '^[#>*\s-]+', ''), E' \t\r'), ''), 'Note'), 120) AS title,
           left(n.body, 6000) AS body
  ) t
  ON CONFLICT (record_id) DO UPDATE SET
    contact_id = EXCLUDED.contact_id, visible = EXCLUDED.visible, title = EXCLUDED.title,
    body = EXCLUDED.body, content_hash = EXCLUDED.content_hash, tsv = EXCLUDED.tsv,
    occurred_at = EXCLUDED.occurred_at, updated_at = now()
  WHERE (d.contact_id, d.visible, d.content_hash, d.occurred_at)
    IS DISTINCT FROM (EXCLUDED.contact_id, EXCLUDED.visible, EXCLUDED.content_hash, EXCLUDED.occurred_at);
$$;

-- The documents of these interactions: the subject as the title; the body (or snippet) and
-- the place as body.
CREATE FUNCTION search_refresh_interactions(ids uuid[]) RETURNS void
LANGUAGE sql SET enable_seqscan = off SET jit = off AS $$
  DELETE FROM search_documents d USING unnest(ids) AS x(id)
  WHERE d.record_id = x.id AND NOT EXISTS (SELECT 1 FROM interactions i WHERE i.id = x.id);
  INSERT INTO search_documents AS d
    (record_id, user_id, kind, contact_id, visible, title, body, content_hash, tsv, occurred_at, updated_at)
  SELECT i.id, i.user_id, i.kind, p.contact_id, p.contact_id IS NOT NULL, t.title, t.body,
         search_hash(t.title, t.body), search_tsv(t.title, t.body), i.occurred_at, now()
  FROM interactions i
  JOIN unnest(ids) AS x(id) ON x.id = i.id
  -- The contact the result links to: the first live participant (sender, then recipients,
  -- organizer, attendees, copies), or none when every participant is deleted.
  CROSS JOIN LATERAL (SELECT (SELECT ic.contact_id FROM interaction_contacts ic
       WHERE ic.interaction_id = i.id
         AND (SELECT c.deleted_at IS NULL FROM contacts c WHERE c.id = ic.contact_id)
       ORDER BY array_position(ARRAY['from', 'to', 'organizer', 'attendee', 'cc']::text[], ic.role::text),
                ic.contact_id
       LIMIT 1) AS contact_id OFFSET 0) p
  CROSS JOIN LATERAL (
    SELECT left(coalesce(nullif(btrim(i.subject), ''),
                         CASE i.kind WHEN 'session' THEN 'Session' ELSE '(no subject)' END), 300) AS title,
           left(concat_ws(E'\n', coalesce(nullif(i.body, ''), nullif(i.snippet, '')),
                          nullif(i.location, '')), 6000) AS body
  ) t
  ON CONFLICT (record_id) DO UPDATE SET
    contact_id = EXCLUDED.contact_id, visible = EXCLUDED.visible, title = EXCLUDED.title,
    body = EXCLUDED.body, content_hash = EXCLUDED.content_hash, tsv = EXCLUDED.tsv,
    occurred_at = EXCLUDED.occurred_at, updated_at = now()
  WHERE (d.contact_id, d.visible, d.content_hash, d.occurred_at)
    IS DISTINCT FROM (EXCLUDED.contact_id, EXCLUDED.visible, EXCLUDED.content_hash, EXCLUDED.occurred_at);
$$;

-- A record that moved to another contact (a merge, a participant added) loses its embedding
-- when its contacts no longer all consent to AI use: a contact's or a note's document carries its
-- contact; an interaction needs every participant's consent (deleted ones included).
CREATE FUNCTION search_forget_unconsented(ids uuid[]) RETURNS void
LANGUAGE sql SET enable_seqscan = off SET jit = off AS $$
  DELETE FROM search_embeddings e USING search_documents d, unnest(ids) AS x(id)
  WHERE e.record_id = x.id AND d.record_id = x.id
    AND NOT (CASE WHEN d.kind IN ('email', 'session')
      THEN NOT EXISTS (SELECT 1 FROM interaction_contacts ic WHERE ic.interaction_id = d.record_id
                         AND NOT (SELECT c.ai_consent FROM contacts c WHERE c.id = ic.contact_id))
      ELSE coalesce((SELECT c.ai_consent FROM contacts c WHERE c.id = d.contact_id), false) END);
$$;

-- Only the participants of these interactions changed: who the result links to, whether it shows.
CREATE FUNCTION search_refresh_participants(ids uuid[]) RETURNS void
LANGUAGE sql SET enable_seqscan = off SET jit = off AS $$
  UPDATE search_documents d SET contact_id = p.contact_id, visible = p.contact_id IS NOT NULL,
    updated_at = now()
  FROM (SELECT x.id, (SELECT ic.contact_id FROM interaction_contacts ic
         WHERE ic.interaction_id = x.id
           AND (SELECT c.deleted_at IS NULL FROM contacts c WHERE c.id = ic.contact_id)
         ORDER BY array_position(ARRAY['from', 'to', 'organizer', 'attendee', 'cc']::text[], ic.role::text),
                  ic.contact_id
         LIMIT 1) AS contact_id
        FROM unnest(ids) AS x(id) OFFSET 0) p
  WHERE d.record_id = p.id AND (d.contact_id, d.visible) IS DISTINCT FROM (p.contact_id, p.contact_id IS NOT NULL);
  SELECT search_forget_unconsented(ids);
$$;

CREATE FUNCTION search_contacts_changed() RETURNS trigger
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
  moved uuid[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM search_refresh_contacts(ARRAY(SELECT id FROM new_rows));
  ELSIF TG_OP = 'DELETE' THEN
    DELETE FROM search_documents d USING old_rows o WHERE d.record_id = o.id;
  ELSE
    PERFORM search_refresh_contacts(ARRAY(
      SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE (n.name, n.email, n.phone, n.stage, n.source, n.deleted_at, n.created_at)
        IS DISTINCT FROM (o.name, o.email, o.phone, o.stage, o.source, o.deleted_at, o.created_at)));
    -- Deleted or restored: their notes and interactions disappear or come back with them.
    moved := ARRAY(SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
                   WHERE n.deleted_at IS DISTINCT FROM o.deleted_at);
    IF cardinality(moved) > 0 THEN
      UPDATE search_documents d SET visible = c.deleted_at IS NULL, updated_at = now()
      FROM notes n JOIN contacts c ON c.id = n.contact_id
      WHERE n.contact_id = ANY(moved) AND d.record_id = n.id
        AND d.visible IS DISTINCT FROM (c.deleted_at IS NULL);
      PERFORM search_refresh_participants(ARRAY(
        SELECT DISTINCT ic.interaction_id FROM interaction_contacts ic WHERE ic.contact_id = ANY(moved)));
    END IF;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER search_contacts_inserted AFTER INSERT ON "contacts"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_contacts_changed();
CREATE TRIGGER search_contacts_updated AFTER UPDATE ON "contacts"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION search_contacts_changed();
CREATE TRIGGER search_contacts_deleted AFTER DELETE ON "contacts"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_contacts_changed();

CREATE FUNCTION search_notes_changed() RETURNS trigger
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
  moved uuid[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM search_refresh_notes(ARRAY(SELECT id FROM new_rows));
  ELSIF TG_OP = 'DELETE' THEN
    DELETE FROM search_documents d USING old_rows o WHERE d.record_id = o.id;
  ELSE
    PERFORM search_refresh_notes(ARRAY(
      SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE (n.body, n.contact_id, n.created_at) IS DISTINCT FROM (o.body, o.contact_id, o.created_at)));
    moved := ARRAY(SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
                   WHERE n.contact_id IS DISTINCT FROM o.contact_id);
    IF cardinality(moved) > 0 THEN
      PERFORM search_forget_unconsented(moved);
    END IF;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER search_notes_inserted AFTER INSERT ON "notes"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_notes_changed();
CREATE TRIGGER search_notes_updated AFTER UPDATE ON "notes"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION search_notes_changed();
CREATE TRIGGER search_notes_deleted AFTER DELETE ON "notes"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_notes_changed();

CREATE FUNCTION search_interactions_changed() RETURNS trigger
LANGUAGE plpgsql SET jit = off AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM search_refresh_interactions(ARRAY(SELECT id FROM new_rows));
  ELSIF TG_OP = 'DELETE' THEN
    DELETE FROM search_documents d USING old_rows o WHERE d.record_id = o.id;
  ELSE
    PERFORM search_refresh_interactions(ARRAY(
      SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE (n.kind, n.subject, n.snippet, n.body, n.location, n.occurred_at)
        IS DISTINCT FROM (o.kind, o.subject, o.snippet, o.body, o.location, o.occurred_at)));
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER search_interactions_inserted AFTER INSERT ON "interactions"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_interactions_changed();
CREATE TRIGGER search_interactions_updated AFTER UPDATE ON "interactions"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION search_interactions_changed();
CREATE TRIGGER search_interactions_deleted AFTER DELETE ON "interactions"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_interactions_changed();

CREATE FUNCTION search_participants_changed() RETURNS trigger
LANGUAGE plpgsql SET jit = off AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM search_refresh_participants(ARRAY(SELECT DISTINCT interaction_id FROM new_rows));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM search_refresh_participants(ARRAY(SELECT DISTINCT interaction_id FROM old_rows));
  ELSE
    PERFORM search_refresh_participants(ARRAY(
      SELECT interaction_id FROM new_rows UNION SELECT interaction_id FROM old_rows));
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER search_participants_inserted AFTER INSERT ON "interaction_contacts"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_participants_changed();
CREATE TRIGGER search_participants_updated AFTER UPDATE ON "interaction_contacts"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION search_participants_changed();
CREATE TRIGGER search_participants_deleted AFTER DELETE ON "interaction_contacts"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_participants_changed();

-- Every deletion of embeddings (consent withdrawn, a record deleted, a cascade) tells the
-- in-process vector cache to reload that user's vectors. Writes bump the version themselves,
-- before they take their sequence numbers (packages/core/src/search/embeddings.ts).
CREATE FUNCTION search_embeddings_removed() RETURNS trigger
LANGUAGE plpgsql SET jit = off AS $$
BEGIN
  UPDATE search_index_state s SET version = s.version + 1, removals = s.removals + 1
  WHERE s.user_id IN (SELECT DISTINCT user_id FROM old_rows);
  RETURN NULL;
END
$$;

CREATE TRIGGER search_embeddings_deleted AFTER DELETE ON "search_embeddings"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_embeddings_removed();

-- Backfill: the documents of every existing record.
SELECT search_refresh_contacts(ARRAY(SELECT id FROM contacts));
SELECT search_refresh_notes(ARRAY(SELECT id FROM notes));
SELECT search_refresh_interactions(ARRAY(SELECT id FROM interactions));
