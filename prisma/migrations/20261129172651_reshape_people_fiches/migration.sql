-- CreateEnum
CREATE TYPE "role" AS ENUM ('referent', 'coordinateur', 'admin');

-- CreateEnum
CREATE TYPE "fiche_status" AS ENUM ('brouillon', 'soumise', 'a_revoir', 'validee');

-- CreateEnum
CREATE TYPE "record_type" AS ENUM ('fiche_action', 'task', 'suivi');

-- AlterEnum
BEGIN;
CREATE TYPE "collectivite_kind_new" AS ENUM ('commune', 'epci', 'departement');
ALTER TABLE "collectivites" ALTER COLUMN "kind" TYPE "collectivite_kind_new" USING ("kind"::text::"collectivite_kind_new");
ALTER TYPE "collectivite_kind" RENAME TO "collectivite_kind_old";
ALTER TYPE "collectivite_kind_new" RENAME TO "collectivite_kind";
DROP TYPE "public"."collectivite_kind_old";
COMMIT;

-- DropForeignKey
ALTER TABLE "action_follow_ups" DROP CONSTRAINT "action_follow_ups_author_person_id_fkey";

-- DropForeignKey
ALTER TABLE "action_follow_ups" DROP CONSTRAINT "action_follow_ups_fiche_action_id_fkey";

-- DropForeignKey
ALTER TABLE "channel_identities" DROP CONSTRAINT "channel_identities_person_id_fkey";

-- DropForeignKey
ALTER TABLE "digests" DROP CONSTRAINT "digests_collectivite_id_fkey";

-- DropForeignKey
ALTER TABLE "fiche_action_versions" DROP CONSTRAINT "fiche_action_versions_author_person_id_fkey";

-- DropForeignKey
ALTER TABLE "fiche_action_versions" DROP CONSTRAINT "fiche_action_versions_fiche_id_fkey";

-- DropForeignKey
ALTER TABLE "people" DROP CONSTRAINT "people_collectivite_id_fkey";

-- DropForeignKey
ALTER TABLE "tableau_de_bord_tasks" DROP CONSTRAINT "tableau_de_bord_tasks_collectivite_id_fkey";

-- DropForeignKey
ALTER TABLE "tableau_de_bord_tasks" DROP CONSTRAINT "tableau_de_bord_tasks_fiche_action_id_fkey";

-- DropIndex
DROP INDEX "collectivites_departement_idx";

-- DropIndex
DROP INDEX "fiches_actions_collectivite_id_status_idx";

-- DropIndex
DROP INDEX "people_collectivite_id_idx";

-- AlterTable
ALTER TABLE "channel_identities" ADD COLUMN     "email" TEXT,
ADD COLUMN     "email_checked_at" TIMESTAMPTZ(6),
ALTER COLUMN "person_id" DROP NOT NULL;

-- AlterTable
ALTER TABLE "collectivites" DROP COLUMN "departement",
ADD COLUMN     "code" TEXT,
ADD COLUMN     "last_fiche_number" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "name_key" TEXT NOT NULL;

-- AlterTable
ALTER TABLE "fiches_actions" DROP COLUMN "current_version",
ADD COLUMN     "created_by_id" TEXT,
ADD COLUMN     "created_by_name" TEXT NOT NULL,
ADD COLUMN     "discarded_at" TIMESTAMPTZ(6),
ADD COLUMN     "number" INTEGER NOT NULL,
ADD COLUMN     "programme" TEXT,
ADD COLUMN     "values" JSONB NOT NULL,
ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1,
DROP COLUMN "status",
ADD COLUMN     "status" "fiche_status" NOT NULL DEFAULT 'brouillon';

-- AlterTable
ALTER TABLE "people" DROP COLUMN "collectivite_id",
DROP COLUMN "role",
ADD COLUMN     "deactivated_at" TIMESTAMPTZ(6),
ADD COLUMN     "email" TEXT,
ADD COLUMN     "organisation" TEXT;

-- DropTable
DROP TABLE "action_follow_ups";

-- DropTable
DROP TABLE "conversation_states";

-- DropTable
DROP TABLE "digests";

-- DropTable
DROP TABLE "fiche_action_versions";

-- DropTable
DROP TABLE "tableau_de_bord_tasks";

-- DropEnum
DROP TYPE "fiche_action_status";

-- DropEnum
DROP TYPE "person_role";

-- DropEnum
DROP TYPE "task_status";

-- CreateTable
CREATE TABLE "memberships" (
    "id" TEXT NOT NULL,
    "person_id" TEXT NOT NULL,
    "role" "role" NOT NULL,
    "collectivite_id" TEXT,
    "scope" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT clock_timestamp(),

    CONSTRAINT "memberships_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_entries" (
    "id" TEXT NOT NULL,
    "at" TIMESTAMPTZ(6) NOT NULL DEFAULT clock_timestamp(),
    "actor_id" TEXT,
    "actor_name" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "subject_type" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "details" JSONB,

    CONSTRAINT "audit_entries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "record_versions" (
    "id" TEXT NOT NULL,
    "record_type" "record_type" NOT NULL,
    "record_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "values" JSONB NOT NULL,
    "changes" JSONB NOT NULL,
    "status" TEXT,
    "note" TEXT,
    "author_id" TEXT,
    "author_name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT clock_timestamp(),

    CONSTRAINT "record_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "fiche_comments" (
    "id" TEXT NOT NULL,
    "fiche_id" TEXT NOT NULL,
    "author_id" TEXT,
    "author_name" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT clock_timestamp(),

    CONSTRAINT "fiche_comments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "form_sessions" (
    "id" TEXT NOT NULL,
    "channel" "channel" NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "conversation_id" TEXT NOT NULL,
    "thread_key" TEXT NOT NULL DEFAULT '',
    "user_key" TEXT NOT NULL,
    "person_id" TEXT NOT NULL,
    "form_id" TEXT NOT NULL,
    "record_id" TEXT,
    "base_version" INTEGER,
    "created_record" BOOLEAN NOT NULL DEFAULT false,
    "context" JSONB NOT NULL,
    "state" JSONB NOT NULL,
    "revision" INTEGER NOT NULL,
    "expires_at" TIMESTAMPTZ(6) NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT clock_timestamp(),
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "form_sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "app_settings" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT clock_timestamp(),

    CONSTRAINT "app_settings_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "memberships_collectivite_id_idx" ON "memberships"("collectivite_id");

-- CreateIndex
CREATE UNIQUE INDEX "memberships_person_id_scope_role_key" ON "memberships"("person_id", "scope", "role");

-- CreateIndex
CREATE INDEX "audit_entries_at_idx" ON "audit_entries"("at");

-- CreateIndex
CREATE INDEX "audit_entries_subject_type_subject_id_idx" ON "audit_entries"("subject_type", "subject_id");

-- CreateIndex
CREATE UNIQUE INDEX "record_versions_record_type_record_id_version_key" ON "record_versions"("record_type", "record_id", "version");

-- CreateIndex
CREATE INDEX "fiche_comments_fiche_id_created_at_idx" ON "fiche_comments"("fiche_id", "created_at");

-- CreateIndex
CREATE INDEX "form_sessions_person_id_updated_at_idx" ON "form_sessions"("person_id", "updated_at");

-- CreateIndex
CREATE INDEX "form_sessions_expires_at_idx" ON "form_sessions"("expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "form_sessions_channel_workspace_id_conversation_id_thread_k_key" ON "form_sessions"("channel", "workspace_id", "conversation_id", "thread_key", "user_key");

-- CreateIndex
CREATE UNIQUE INDEX "collectivites_name_key_key" ON "collectivites"("name_key");

-- CreateIndex
CREATE UNIQUE INDEX "collectivites_code_key" ON "collectivites"("code");

-- CreateIndex
CREATE INDEX "fiches_actions_collectivite_id_status_updated_at_idx" ON "fiches_actions"("collectivite_id", "status", "updated_at");

-- CreateIndex
CREATE UNIQUE INDEX "fiches_actions_collectivite_id_number_key" ON "fiches_actions"("collectivite_id", "number");

-- CreateIndex
CREATE UNIQUE INDEX "people_email_key" ON "people"("email");

-- AddForeignKey
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_collectivite_id_fkey" FOREIGN KEY ("collectivite_id") REFERENCES "collectivites"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "channel_identities" ADD CONSTRAINT "channel_identities_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "fiche_comments" ADD CONSTRAINT "fiche_comments_fiche_id_fkey" FOREIGN KEY ("fiche_id") REFERENCES "fiches_actions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "form_sessions" ADD CONSTRAINT "form_sessions_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- People created automatically, one per channel account, by the former identity upsert: they carry no
-- e-mail and no rights. Accounts now exist without a person (the foreign keys set them and the
-- interactions' person to NULL) and are linked again by e-mail or by an administrator.
DELETE FROM "people";
