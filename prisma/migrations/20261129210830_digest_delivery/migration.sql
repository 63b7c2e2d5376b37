-- CreateEnum
CREATE TYPE "digest_place" AS ENUM ('slack_dm', 'slack_channel', 'teams_personal', 'teams_channel');

-- CreateEnum
CREATE TYPE "digest_delivery_state" AS ENUM ('claimed', 'sent', 'failed');

-- CreateTable
CREATE TABLE "digest_subscriptions" (
    "person_id" TEXT NOT NULL,
    "place" "digest_place",
    "workspace_id" TEXT,
    "conversation_id" TEXT,
    "conversation_reference" JSONB,
    "weekday" INTEGER NOT NULL DEFAULT 1,
    "hour" INTEGER NOT NULL DEFAULT 9,
    "paused" BOOLEAN NOT NULL DEFAULT false,
    "collectivite_ids" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "schedule_from" TIMESTAMPTZ(6) NOT NULL DEFAULT clock_timestamp(),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT clock_timestamp(),
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "digest_subscriptions_pkey" PRIMARY KEY ("person_id")
);

-- CreateTable
CREATE TABLE "digest_deliveries" (
    "id" TEXT NOT NULL,
    "person_id" TEXT NOT NULL,
    "person_name" TEXT NOT NULL,
    "week" TEXT NOT NULL,
    "copy" INTEGER NOT NULL DEFAULT 0,
    "state" "digest_delivery_state" NOT NULL DEFAULT 'claimed',
    "attempts" INTEGER NOT NULL DEFAULT 1,
    "error" TEXT,
    "late" BOOLEAN NOT NULL DEFAULT false,
    "forced" BOOLEAN NOT NULL DEFAULT false,
    "place" TEXT,
    "scheduled_at" TIMESTAMPTZ(6),
    "claimed_at" TIMESTAMPTZ(6) NOT NULL DEFAULT clock_timestamp(),
    "sent_at" TIMESTAMPTZ(6),
    "failed_at" TIMESTAMPTZ(6),

    CONSTRAINT "digest_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "digest_subscriptions_weekday_hour_idx" ON "digest_subscriptions"("weekday", "hour");

-- CreateIndex
CREATE INDEX "digest_deliveries_claimed_at_idx" ON "digest_deliveries"("claimed_at");

-- CreateIndex
CREATE UNIQUE INDEX "digest_deliveries_person_id_week_copy_key" ON "digest_deliveries"("person_id", "week", "copy");

-- AddForeignKey
ALTER TABLE "digest_subscriptions" ADD CONSTRAINT "digest_subscriptions_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE CASCADE;
