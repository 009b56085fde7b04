-- The assistant: per-contact AI consent, the user's AI settings (redaction), chat threads and
-- their messages, the audit of tool calls and of what went to a model, and cached insights.
-- AlterTable
ALTER TABLE "contacts" ADD COLUMN     "ai_consent" BOOLEAN NOT NULL DEFAULT true;

-- CreateTable
CREATE TABLE "ai_settings" (
    "user_id" UUID NOT NULL,
    "redact_contact_details" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ai_settings_pkey" PRIMARY KEY ("user_id")
);

-- CreateTable
CREATE TABLE "chat_threads" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "title" VARCHAR(120) NOT NULL,
    "title_set_by_user" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "last_message_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "chat_threads_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "chat_messages" (
    "thread_id" UUID NOT NULL,
    "id" VARCHAR(64) NOT NULL,
    "user_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "role" VARCHAR(20) NOT NULL,
    "parts" JSONB NOT NULL,
    "metadata" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "chat_messages_pkey" PRIMARY KEY ("thread_id","id")
);

-- CreateTable
CREATE TABLE "ai_audit_events" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "kind" VARCHAR(30) NOT NULL,
    "feature" VARCHAR(40) NOT NULL,
    "tool" VARCHAR(60),
    "outcome" VARCHAR(20) NOT NULL,
    "input" JSONB,
    "contact_ids" UUID[] DEFAULT ARRAY[]::UUID[],
    "records" JSONB,
    "thread_id" UUID,
    "detail" VARCHAR(500),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ai_audit_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contact_insights" (
    "contact_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "summary" VARCHAR(2000) NOT NULL,
    "next_action" VARCHAR(500) NOT NULL,
    "engagement" VARCHAR(20) NOT NULL,
    "engagement_reason" VARCHAR(500) NOT NULL,
    "input_hash" VARCHAR(64) NOT NULL,
    "model" VARCHAR(100) NOT NULL,
    "basis" JSONB NOT NULL,
    "generated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "contact_insights_pkey" PRIMARY KEY ("contact_id")
);

-- CreateIndex
CREATE INDEX "chat_threads_user_id_last_message_at_id_idx" ON "chat_threads"("user_id", "last_message_at", "id");

-- CreateIndex
CREATE UNIQUE INDEX "chat_messages_thread_id_position_key" ON "chat_messages"("thread_id", "position");

-- CreateIndex
CREATE INDEX "ai_audit_events_user_id_created_at_idx" ON "ai_audit_events"("user_id", "created_at");

-- CreateIndex
CREATE INDEX "contact_insights_user_id_idx" ON "contact_insights"("user_id");

-- AddForeignKey
ALTER TABLE "ai_settings" ADD CONSTRAINT "ai_settings_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "chat_threads" ADD CONSTRAINT "chat_threads_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "chat_messages" ADD CONSTRAINT "chat_messages_thread_id_fkey" FOREIGN KEY ("thread_id") REFERENCES "chat_threads"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ai_audit_events" ADD CONSTRAINT "ai_audit_events_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contact_insights" ADD CONSTRAINT "contact_insights_contact_id_fkey" FOREIGN KEY ("contact_id") REFERENCES "contacts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contact_insights" ADD CONSTRAINT "contact_insights_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
