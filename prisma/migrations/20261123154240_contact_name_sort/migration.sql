-- Sort contacts by a folded copy of the name, so the order does not depend on the
-- database's collation. Existing rows get lower(name); the app writes the accent-free fold.

-- DropIndex
DROP INDEX "contacts_user_id_name_id_idx";

-- AlterTable
ALTER TABLE "contacts" ADD COLUMN "name_sort" VARCHAR(200);
UPDATE "contacts" SET "name_sort" = lower("name");
ALTER TABLE "contacts" ALTER COLUMN "name_sort" SET NOT NULL;

-- CreateIndex
CREATE INDEX "contacts_user_id_name_sort_id_idx" ON "contacts"("user_id", "name_sort", "id");
