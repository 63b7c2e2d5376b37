-- CreateEnum
CREATE TYPE "task_phase" AS ENUM ('prefiguration', 'diagnostic', 'plan_actions', 'mise_en_oeuvre', 'suivi_evaluation', 'evaluation');

-- CreateEnum
CREATE TYPE "task_state" AS ENUM ('a_faire', 'en_cours', 'fait', 'abandonne');

-- CreateEnum
CREATE TYPE "suivi_kind" AS ENUM ('trimestriel', 'annuel');

-- CreateEnum
CREATE TYPE "suivi_status" AS ENUM ('brouillon', 'soumis');

-- AlterTable
ALTER TABLE "collectivites" ADD COLUMN     "last_task_number" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "tasks" (
    "id" TEXT NOT NULL,
    "collectivite_id" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "programme" TEXT,
    "phase" "task_phase" NOT NULL,
    "title" TEXT NOT NULL,
    "responsible_name" TEXT,
    "responsible_person_id" TEXT,
    "start_date" DATE,
    "end_date" DATE,
    "deliverables" TEXT,
    "state" "task_state" NOT NULL,
    "fiche_id" TEXT,
    "depends_on_id" TEXT,
    "values" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_by_id" TEXT,
    "created_by_name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT clock_timestamp(),
    "updated_at" TIMESTAMPTZ(6) NOT NULL,
    "deleted_at" TIMESTAMPTZ(6),

    CONSTRAINT "tasks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "suivis" (
    "id" TEXT NOT NULL,
    "fiche_id" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "kind" "suivi_kind" NOT NULL,
    "values" JSONB NOT NULL,
    "status" "suivi_status" NOT NULL DEFAULT 'brouillon',
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_by_id" TEXT,
    "created_by_name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT clock_timestamp(),
    "updated_at" TIMESTAMPTZ(6) NOT NULL,
    "submitted_at" TIMESTAMPTZ(6),

    CONSTRAINT "suivis_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "tasks_collectivite_id_state_end_date_idx" ON "tasks"("collectivite_id", "state", "end_date");

-- CreateIndex
CREATE INDEX "tasks_responsible_person_id_idx" ON "tasks"("responsible_person_id");

-- CreateIndex
CREATE INDEX "tasks_fiche_id_idx" ON "tasks"("fiche_id");

-- CreateIndex
CREATE INDEX "tasks_depends_on_id_idx" ON "tasks"("depends_on_id");

-- CreateIndex
CREATE UNIQUE INDEX "tasks_collectivite_id_number_key" ON "tasks"("collectivite_id", "number");

-- CreateIndex
CREATE INDEX "suivis_period_status_idx" ON "suivis"("period", "status");

-- CreateIndex
CREATE UNIQUE INDEX "suivis_fiche_id_period_key" ON "suivis"("fiche_id", "period");

-- AddForeignKey
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_collectivite_id_fkey" FOREIGN KEY ("collectivite_id") REFERENCES "collectivites"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_responsible_person_id_fkey" FOREIGN KEY ("responsible_person_id") REFERENCES "people"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_fiche_id_fkey" FOREIGN KEY ("fiche_id") REFERENCES "fiches_actions"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_depends_on_id_fkey" FOREIGN KEY ("depends_on_id") REFERENCES "tasks"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "suivis" ADD CONSTRAINT "suivis_fiche_id_fkey" FOREIGN KEY ("fiche_id") REFERENCES "fiches_actions"("id") ON DELETE CASCADE ON UPDATE CASCADE;
