import { Prisma } from "@omnicrm/db";
import type { Actor } from "../actor.ts";

/** A Prisma client or an interactive transaction: functions taking it run inside either. */
export type Tx = Prisma.TransactionClient;

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/**
 * Serializes writes of one user to one kind of record until the transaction ends, so checks
 * such as "no other tag has this name, whatever its case" cannot race with each other.
 */
export async function lockUserScope(tx: Tx, actor: Actor, scope: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`${scope}:${actor.userId}`}, 0))`;
}
