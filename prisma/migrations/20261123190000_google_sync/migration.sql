-- Google sync: the connection (sealed tokens), OAuth states, channels with their state machine, runs, raw provider records, interactions and their contacts.
-- AlterTable
ALTER TABLE "timeline_events" ADD COLUMN     "interaction_id" UUID;

-- CreateTable
CREATE TABLE "google_connections" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "google_email" VARCHAR(320) NOT NULL,
    "scopes" TEXT[],
    "status" VARCHAR(20) NOT NULL DEFAULT 'connected',
    "status_reason" VARCHAR(500),
    "tokens" TEXT NOT NULL,
    "key_id" VARCHAR(40) NOT NULL,
    "access_token_expires_at" TIMESTAMPTZ(3),
    "connected_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "google_connections_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "google_oauth_states" (
    "state" VARCHAR(64) NOT NULL,
    "user_id" UUID NOT NULL,
    "code_verifier" TEXT NOT NULL,
    "key_id" VARCHAR(40) NOT NULL,
    "return_to" VARCHAR(200) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "google_oauth_states_pkey" PRIMARY KEY ("state")
);

-- CreateTable
CREATE TABLE "sync_channels" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "kind" VARCHAR(20) NOT NULL,
    "preferences" JSONB NOT NULL,
    "approved_at" TIMESTAMPTZ(3),
    "stage" VARCHAR(30) NOT NULL DEFAULT 'not_started',
    "cursor" VARCHAR(100),
    "last_run_at" TIMESTAMPTZ(3),
    "last_success_at" TIMESTAMPTZ(3),
    "next_run_at" TIMESTAMPTZ(3),
    "last_error" VARCHAR(1000),
    "last_error_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sync_channels_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "calendar_cursors" (
    "channel_id" UUID NOT NULL,
    "calendar_id" VARCHAR(300) NOT NULL,
    "user_id" UUID NOT NULL,
    "sync_token" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "calendar_cursors_pkey" PRIMARY KEY ("channel_id","calendar_id")
);

-- CreateTable
CREATE TABLE "sync_runs" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "channel_id" UUID NOT NULL,
    "mode" VARCHAR(20) NOT NULL,
    "trigger" VARCHAR(20) NOT NULL,
    "external_run_id" VARCHAR(100),
    "status" VARCHAR(20) NOT NULL DEFAULT 'running',
    "counts" JSONB NOT NULL DEFAULT '{}',
    "progress" JSONB NOT NULL DEFAULT '{}',
    "reconciliation" JSONB,
    "error" VARCHAR(1000),
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "sync_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "raw_provider_records" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "provider" VARCHAR(20) NOT NULL,
    "external_id" VARCHAR(300) NOT NULL,
    "payload" JSONB NOT NULL,
    "fetched_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "normalized_at" TIMESTAMPTZ(3),
    "skip_reason" VARCHAR(40),

    CONSTRAINT "raw_provider_records_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "interactions" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "kind" VARCHAR(20) NOT NULL,
    "provider" VARCHAR(20) NOT NULL,
    "external_id" VARCHAR(300) NOT NULL,
    "direction" VARCHAR(10),
    "subject" VARCHAR(1000),
    "snippet" VARCHAR(1000),
    "body" TEXT,
    "thread_id" VARCHAR(200),
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3),
    "status" VARCHAR(20),
    "location" VARCHAR(500),
    "participants" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "interactions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "interaction_contacts" (
    "interaction_id" UUID NOT NULL,
    "contact_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "role" VARCHAR(20) NOT NULL,

    CONSTRAINT "interaction_contacts_pkey" PRIMARY KEY ("interaction_id","contact_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "google_connections_user_id_key" ON "google_connections"("user_id");

-- CreateIndex
CREATE INDEX "google_oauth_states_user_id_idx" ON "google_oauth_states"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "sync_channels_user_id_kind_key" ON "sync_channels"("user_id", "kind");

-- CreateIndex
CREATE INDEX "sync_runs_channel_id_started_at_idx" ON "sync_runs"("channel_id", "started_at");

-- CreateIndex
CREATE INDEX "sync_runs_user_id_started_at_idx" ON "sync_runs"("user_id", "started_at");

-- CreateIndex
CREATE INDEX "raw_provider_records_user_id_provider_normalized_at_idx" ON "raw_provider_records"("user_id", "provider", "normalized_at");

-- CreateIndex
CREATE UNIQUE INDEX "raw_provider_records_user_id_provider_external_id_key" ON "raw_provider_records"("user_id", "provider", "external_id");

-- CreateIndex
CREATE INDEX "interactions_user_id_kind_occurred_at_idx" ON "interactions"("user_id", "kind", "occurred_at");

-- CreateIndex
CREATE UNIQUE INDEX "interactions_user_id_provider_external_id_key" ON "interactions"("user_id", "provider", "external_id");

-- CreateIndex
CREATE INDEX "interaction_contacts_contact_id_idx" ON "interaction_contacts"("contact_id");

-- CreateIndex
CREATE INDEX "timeline_events_interaction_id_idx" ON "timeline_events"("interaction_id");

-- AddForeignKey
ALTER TABLE "timeline_events" ADD CONSTRAINT "timeline_events_interaction_id_fkey" FOREIGN KEY ("interaction_id") REFERENCES "interactions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "google_connections" ADD CONSTRAINT "google_connections_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "google_oauth_states" ADD CONSTRAINT "google_oauth_states_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_channels" ADD CONSTRAINT "sync_channels_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "calendar_cursors" ADD CONSTRAINT "calendar_cursors_channel_id_fkey" FOREIGN KEY ("channel_id") REFERENCES "sync_channels"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_runs" ADD CONSTRAINT "sync_runs_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_runs" ADD CONSTRAINT "sync_runs_channel_id_fkey" FOREIGN KEY ("channel_id") REFERENCES "sync_channels"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "raw_provider_records" ADD CONSTRAINT "raw_provider_records_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "interactions" ADD CONSTRAINT "interactions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "interaction_contacts" ADD CONSTRAINT "interaction_contacts_interaction_id_fkey" FOREIGN KEY ("interaction_id") REFERENCES "interactions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "interaction_contacts" ADD CONSTRAINT "interaction_contacts_contact_id_fkey" FOREIGN KEY ("contact_id") REFERENCES "contacts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- CreateTable
CREATE TABLE "rate_limits" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL,
    "expire" TIMESTAMPTZ(3),

    CONSTRAINT "rate_limits_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "rate_limits_expire_idx" ON "rate_limits"("expire");


-- Approving a channel needs a preview of its current preferences.
ALTER TABLE "sync_channels" ADD COLUMN     "previewed_at" TIMESTAMPTZ(3);
