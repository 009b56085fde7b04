-- AlterTable
ALTER TABLE "contact_insights" ADD COLUMN     "refresh_error" VARCHAR(500),
ADD COLUMN     "refresh_error_at" TIMESTAMPTZ(3);
