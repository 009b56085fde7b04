import "server-only";
import { createAuthOptions } from "@omnicrm/auth";
import { getDb } from "@omnicrm/db";
import type { NextAuthOptions } from "next-auth";
import { getServerSession } from "next-auth";

let options: NextAuthOptions | undefined;

/** Built on first use, so importing this module needs no database or secrets (e.g. at build). */
export function authOptions(): NextAuthOptions {
  options ??= createAuthOptions(getDb());
  return options;
}

export interface SignedInUser {
  id: string;
  email: string;
  name: string | null;
}

export async function getSessionUser(): Promise<SignedInUser | null> {
  const session = await getServerSession(authOptions());
  if (!session?.user?.id) return null;
  return { id: session.user.id, email: session.user.email, name: session.user.name ?? null };
}
