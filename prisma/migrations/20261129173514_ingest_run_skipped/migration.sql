-- AlterTable
ALTER TABLE "ingest_runs" ADD COLUMN     "skipped" JSONB NOT NULL DEFAULT '[]';
