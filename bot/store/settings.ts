import { randomBytes } from 'node:crypto';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { SettingsRepository } from '../core/ports.ts';

export class PrismaSettingsRepository implements SettingsRepository {
  private readonly prisma: PrismaClient;

  constructor({ prisma }: { prisma: PrismaClient }) {
    this.prisma = prisma;
  }

  async getOrCreateSecret(name: string): Promise<string> {
    const key = `secret:${name}`;
    const stored = await this.read(key);
    if (stored !== undefined) return stored;
    // INSERT … ON CONFLICT DO NOTHING: when several processes start at once, the first value written wins
    // and every one of them reads it back.
    await this.prisma.appSetting.createMany({
      data: [{ key, value: randomBytes(32).toString('base64url') }],
      skipDuplicates: true,
    });
    return (await this.read(key))!;
  }

  private async read(key: string): Promise<string | undefined> {
    const row = await this.prisma.appSetting.findUnique({ where: { key }, select: { value: true } });
    return row?.value;
  }
}
