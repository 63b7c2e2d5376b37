-- CreateTable
CREATE TABLE "channel_messages" (
    "channel" "channel" NOT NULL,
    "message_id" TEXT NOT NULL,
    "interaction_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT clock_timestamp(),

    CONSTRAINT "channel_messages_pkey" PRIMARY KEY ("channel","message_id")
);

-- CreateIndex
CREATE INDEX "channel_messages_interaction_id_idx" ON "channel_messages"("interaction_id");

-- AddForeignKey
ALTER TABLE "channel_messages" ADD CONSTRAINT "channel_messages_interaction_id_fkey" FOREIGN KEY ("interaction_id") REFERENCES "interactions"("id") ON DELETE CASCADE ON UPDATE CASCADE;
