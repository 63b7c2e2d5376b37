import { Prisma } from '../../generated/prisma/client.ts';

/** P2002: unique constraint violated; P2003: foreign key constraint violated. */
export function isPrismaError(error: unknown, code: 'P2002' | 'P2003'): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === code;
}
