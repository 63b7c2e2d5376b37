-- CreateEnum
CREATE TYPE "channel" AS ENUM ('slack', 'teams', 'web', 'cli');

-- CreateEnum
CREATE TYPE "answer_mode" AS ENUM ('extractive', 'llm');

-- CreateEnum
CREATE TYPE "rating" AS ENUM ('down', 'up');

-- CreateEnum
CREATE TYPE "ingest_status" AS ENUM ('running', 'succeeded', 'failed');

-- CreateEnum
CREATE TYPE "collectivite_kind" AS ENUM ('commune', 'intercommunalite');

-- CreateEnum
CREATE TYPE "person_role" AS ENUM ('referent', 'coordinateur', 'admin');

-- CreateEnum
CREATE TYPE "fiche_action_status" AS ENUM ('draft', 'in_progress', 'completed', 'abandoned');

-- CreateEnum
CREATE TYPE "task_status" AS ENUM ('todo', 'in_progress', 'done');

-- CreateTable
CREATE TABLE "documents" (
    "id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "publisher" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "url" TEXT,
    "source_path" TEXT NOT NULL,
    "content_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT clock_timestamp(),
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "documents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "passages" (
    "id" TEXT NOT NULL,
    "document_id" TEXT NOT NULL,
    "ordinal" INTEGER NOT NULL,
    "section" TEXT NOT NULL,
    "anchor" TEXT NOT NULL,
    "text" TEXT NOT NULL,

    CONSTRAINT "passages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ingest_runs" (
    "id" TEXT NOT NULL,
    "embedder" TEXT NOT NULL,
    "status" "ingest_status" NOT NULL DEFAULT 'running',
    "added" INTEGER NOT NULL DEFAULT 0,
    "updated" INTEGER NOT NULL DEFAULT 0,
    "removed" INTEGER NOT NULL DEFAULT 0,
    "unchanged" INTEGER NOT NULL DEFAULT 0,
    "passages" INTEGER NOT NULL DEFAULT 0,
    "duration_ms" INTEGER,
    "error" TEXT,
    "started_at" TIMESTAMPTZ(6) NOT NULL DEFAULT clock_timestamp(),
    "finished_at" TIMESTAMPTZ(6),

    CONSTRAINT "ingest_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "interactions" (
    "id" TEXT NOT NULL,
    "channel" "channel" NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "conversation_id" TEXT NOT NULL,
    "thread_id" TEXT,
    "external_user_id" TEXT,
    "person_id" TEXT,
    "question" TEXT NOT NULL,
    "answer" TEXT NOT NULL,
    "abstained" BOOLEAN NOT NULL,
    "mode" "answer_mode" NOT NULL,
    "latency_ms" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT clock_timestamp(),

    CONSTRAINT "interactions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "interaction_sources" (
    "id" TEXT NOT NULL,
    "interaction_id" TEXT NOT NULL,
    "rank" INTEGER NOT NULL,
    "document_id" TEXT NOT NULL,
    "section" TEXT NOT NULL,
    "passage_id" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "interaction_sources_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "feedback" (
    "id" TEXT NOT NULL,
    "interaction_id" TEXT NOT NULL,
    "channel" "channel" NOT NULL,
    "user_id" TEXT,
    "user_key" TEXT NOT NULL,
    "rating" "rating" NOT NULL,
    "comment" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT clock_timestamp(),
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "feedback_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "processed_events" (
    "source" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(6) NOT NULL DEFAULT clock_timestamp(),

    CONSTRAINT "processed_events_pkey" PRIMARY KEY ("source","event_id")
);

-- CreateTable
CREATE TABLE "collectivites" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "collectivite_kind" NOT NULL,
    "departement" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT clock_timestamp(),

    CONSTRAINT "collectivites_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "people" (
    "id" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "role" "person_role" NOT NULL DEFAULT 'referent',
    "collectivite_id" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT clock_timestamp(),
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "people_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "channel_identities" (
    "id" TEXT NOT NULL,
    "channel" "channel" NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "external_user_id" TEXT NOT NULL,
    "display_name" TEXT,
    "conversation_reference" JSONB,
    "person_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT clock_timestamp(),
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "channel_identities_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "fiches_actions" (
    "id" TEXT NOT NULL,
    "collectivite_id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "status" "fiche_action_status" NOT NULL DEFAULT 'draft',
    "current_version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT clock_timestamp(),
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "fiches_actions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "fiche_action_versions" (
    "id" TEXT NOT NULL,
    "fiche_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "data" JSONB NOT NULL,
    "author_person_id" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT clock_timestamp(),

    CONSTRAINT "fiche_action_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tableau_de_bord_tasks" (
    "id" TEXT NOT NULL,
    "collectivite_id" TEXT NOT NULL,
    "fiche_action_id" TEXT,
    "title" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "due_date" DATE,
    "status" "task_status" NOT NULL DEFAULT 'todo',
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT clock_timestamp(),
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "tableau_de_bord_tasks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "action_follow_ups" (
    "id" TEXT NOT NULL,
    "fiche_action_id" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "progress" INTEGER NOT NULL,
    "indicators" JSONB NOT NULL DEFAULT '{}',
    "comment" TEXT NOT NULL DEFAULT '',
    "author_person_id" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT clock_timestamp(),
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "action_follow_ups_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "conversation_states" (
    "id" TEXT NOT NULL,
    "channel" "channel" NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "conversation_id" TEXT NOT NULL,
    "thread_key" TEXT NOT NULL DEFAULT '',
    "user_key" TEXT NOT NULL,
    "form_id" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "slots" JSONB NOT NULL DEFAULT '{}',
    "attempts" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT clock_timestamp(),
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "conversation_states_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "digests" (
    "id" TEXT NOT NULL,
    "collectivite_id" TEXT NOT NULL,
    "week_start" DATE NOT NULL,
    "channel" "channel" NOT NULL,
    "recipient" TEXT NOT NULL,
    "sent_at" TIMESTAMPTZ(6) NOT NULL DEFAULT clock_timestamp(),

    CONSTRAINT "digests_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "passages_document_id_ordinal_key" ON "passages"("document_id", "ordinal");

-- CreateIndex
CREATE INDEX "ingest_runs_started_at_idx" ON "ingest_runs"("started_at");

-- CreateIndex
CREATE INDEX "interactions_channel_conversation_id_thread_id_created_at_idx" ON "interactions"("channel", "conversation_id", "thread_id", "created_at");

-- CreateIndex
CREATE INDEX "interactions_person_id_created_at_idx" ON "interactions"("person_id", "created_at");

-- CreateIndex
CREATE INDEX "interaction_sources_document_id_idx" ON "interaction_sources"("document_id");

-- CreateIndex
CREATE UNIQUE INDEX "interaction_sources_interaction_id_rank_key" ON "interaction_sources"("interaction_id", "rank");

-- CreateIndex
CREATE INDEX "feedback_rating_updated_at_idx" ON "feedback"("rating", "updated_at");

-- CreateIndex
CREATE UNIQUE INDEX "feedback_interaction_id_channel_user_key_key" ON "feedback"("interaction_id", "channel", "user_key");

-- CreateIndex
CREATE INDEX "processed_events_received_at_idx" ON "processed_events"("received_at");

-- CreateIndex
CREATE UNIQUE INDEX "collectivites_name_key" ON "collectivites"("name");

-- CreateIndex
CREATE INDEX "collectivites_departement_idx" ON "collectivites"("departement");

-- CreateIndex
CREATE INDEX "people_collectivite_id_idx" ON "people"("collectivite_id");

-- CreateIndex
CREATE INDEX "channel_identities_person_id_idx" ON "channel_identities"("person_id");

-- CreateIndex
CREATE UNIQUE INDEX "channel_identities_channel_workspace_id_external_user_id_key" ON "channel_identities"("channel", "workspace_id", "external_user_id");

-- CreateIndex
CREATE INDEX "fiches_actions_collectivite_id_status_idx" ON "fiches_actions"("collectivite_id", "status");

-- CreateIndex
CREATE INDEX "fiche_action_versions_author_person_id_idx" ON "fiche_action_versions"("author_person_id");

-- CreateIndex
CREATE UNIQUE INDEX "fiche_action_versions_fiche_id_version_key" ON "fiche_action_versions"("fiche_id", "version");

-- CreateIndex
CREATE INDEX "tableau_de_bord_tasks_collectivite_id_status_due_date_idx" ON "tableau_de_bord_tasks"("collectivite_id", "status", "due_date");

-- CreateIndex
CREATE INDEX "tableau_de_bord_tasks_fiche_action_id_idx" ON "tableau_de_bord_tasks"("fiche_action_id");

-- CreateIndex
CREATE INDEX "action_follow_ups_author_person_id_idx" ON "action_follow_ups"("author_person_id");

-- CreateIndex
CREATE UNIQUE INDEX "action_follow_ups_fiche_action_id_period_key" ON "action_follow_ups"("fiche_action_id", "period");

-- CreateIndex
CREATE INDEX "conversation_states_updated_at_idx" ON "conversation_states"("updated_at");

-- CreateIndex
CREATE UNIQUE INDEX "conversation_states_channel_conversation_id_thread_key_user_key" ON "conversation_states"("channel", "conversation_id", "thread_key", "user_key");

-- CreateIndex
CREATE UNIQUE INDEX "digests_collectivite_id_week_start_channel_recipient_key" ON "digests"("collectivite_id", "week_start", "channel", "recipient");

-- AddForeignKey
ALTER TABLE "passages" ADD CONSTRAINT "passages_document_id_fkey" FOREIGN KEY ("document_id") REFERENCES "documents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "interactions" ADD CONSTRAINT "interactions_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "interaction_sources" ADD CONSTRAINT "interaction_sources_interaction_id_fkey" FOREIGN KEY ("interaction_id") REFERENCES "interactions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "feedback" ADD CONSTRAINT "feedback_interaction_id_fkey" FOREIGN KEY ("interaction_id") REFERENCES "interactions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "people" ADD CONSTRAINT "people_collectivite_id_fkey" FOREIGN KEY ("collectivite_id") REFERENCES "collectivites"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "channel_identities" ADD CONSTRAINT "channel_identities_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "fiches_actions" ADD CONSTRAINT "fiches_actions_collectivite_id_fkey" FOREIGN KEY ("collectivite_id") REFERENCES "collectivites"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "fiche_action_versions" ADD CONSTRAINT "fiche_action_versions_fiche_id_fkey" FOREIGN KEY ("fiche_id") REFERENCES "fiches_actions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "fiche_action_versions" ADD CONSTRAINT "fiche_action_versions_author_person_id_fkey" FOREIGN KEY ("author_person_id") REFERENCES "people"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tableau_de_bord_tasks" ADD CONSTRAINT "tableau_de_bord_tasks_collectivite_id_fkey" FOREIGN KEY ("collectivite_id") REFERENCES "collectivites"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tableau_de_bord_tasks" ADD CONSTRAINT "tableau_de_bord_tasks_fiche_action_id_fkey" FOREIGN KEY ("fiche_action_id") REFERENCES "fiches_actions"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "action_follow_ups" ADD CONSTRAINT "action_follow_ups_fiche_action_id_fkey" FOREIGN KEY ("fiche_action_id") REFERENCES "fiches_actions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "action_follow_ups" ADD CONSTRAINT "action_follow_ups_author_person_id_fkey" FOREIGN KEY ("author_person_id") REFERENCES "people"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "digests" ADD CONSTRAINT "digests_collectivite_id_fkey" FOREIGN KEY ("collectivite_id") REFERENCES "collectivites"("id") ON DELETE CASCADE ON UPDATE CASCADE;
