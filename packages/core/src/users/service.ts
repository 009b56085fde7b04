import { Prisma, type Db } from "@omnicrm/db";
import { ConflictError } from "../errors.ts";

export interface UserRecord {
  id: string;
  email: string;
  name: string | null;
}

export interface UserWithPassword extends UserRecord {
  passwordHash: string | null;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Registers a practitioner. Identity lookups by email are the one place that runs before there
 * is an actor: they are used only by sign-up and sign-in.
 */
export async function createUser(
  db: Db,
  input: { email: string; name: string | null; passwordHash: string },
): Promise<UserRecord> {
  try {
    return await db.user.create({
      data: {
        email: normalizeEmail(input.email),
        name: input.name,
        passwordHash: input.passwordHash,
      },
      select: { id: true, email: true, name: true },
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new ConflictError("An account with this email already exists.");
    }
    throw error;
  }
}

export async function findUserForSignIn(db: Db, email: string): Promise<UserWithPassword | null> {
  return db.user.findUnique({
    where: { email: normalizeEmail(email) },
    select: { id: true, email: true, name: true, passwordHash: true },
  });
}

export async function getUser(db: Db, actor: { userId: string }): Promise<UserRecord | null> {
  return db.user.findUnique({
    where: { id: actor.userId },
    select: { id: true, email: true, name: true },
  });
}
