import { PrismaAdapter } from "@next-auth/prisma-adapter";
import { RateLimitedError, users } from "@omnicrm/core";
import type { Db } from "@omnicrm/db";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import GoogleProvider from "next-auth/providers/google";
import { authEnv } from "./env.ts";
import { verifyPassword } from "./password.ts";
import { signInSchema } from "./password-policy.ts";
import { assertSignInAllowed, recordFailedSignIn, recordSuccessfulSignIn } from "./rate-limit.ts";

declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; name: string | null; image?: string | null };
  }
}

/** Shown for every failed sign-in, whether the email exists or not. */
export const SIGN_IN_FAILED = "CredentialsSignin";

type Headers = Record<string, string | string[] | undefined> | undefined;

export function clientIp(headers: Headers): string {
  const header = (name: string) => {
    const value = headers?.[name];
    return Array.isArray(value) ? value[0] : value;
  };
  return header("x-forwarded-for")?.split(",")[0]?.trim() || header("x-real-ip") || "unknown";
}

export async function authorizeWithPassword(
  db: Db,
  credentials: Record<string, unknown> | undefined,
  ip: string,
): Promise<{ id: string; email: string; name: string | null } | null> {
  const parsed = signInSchema.safeParse(credentials ?? {});
  if (!parsed.success) return null;
  const { email, password } = parsed.data;
  await assertSignInAllowed(email, ip);
  const user = await users.findUserForSignIn(db, email);
  const valid = await verifyPassword(user?.passwordHash ?? null, password);
  if (!user || !valid) {
    await recordFailedSignIn(email, ip);
    return null;
  }
  await recordSuccessfulSignIn(email, ip);
  return { id: user.id, email: user.email, name: user.name };
}

export function createAuthOptions(db: Db): NextAuthOptions {
  const providers: NextAuthOptions["providers"] = [
    CredentialsProvider({
      id: "credentials",
      name: "Email and password",
      credentials: {
        email: { label: "Email", type: "email" },
        password: { label: "Password", type: "password" },
      },
      async authorize(credentials, req) {
        try {
          return await authorizeWithPassword(db, credentials, clientIp(req.headers as Headers));
        } catch (error) {
          // next-auth shows a thrown error's message on the sign-in page; only ours are safe.
          if (error instanceof RateLimitedError) throw new Error(error.message, { cause: error });
          throw new Error("Sign-in is unavailable right now. Try again in a minute.", {
            cause: error,
          });
        }
      },
    }),
  ];
  const env = authEnv();
  if (env.GOOGLE_CLIENT_ID && env.GOOGLE_CLIENT_SECRET) {
    providers.push(
      GoogleProvider({ clientId: env.GOOGLE_CLIENT_ID, clientSecret: env.GOOGLE_CLIENT_SECRET }),
    );
  }

  return {
    // The adapter links Google accounts to users; sessions themselves are JWTs in an
    // http-only cookie (next-auth requires JWT sessions for credentials sign-in).
    adapter: PrismaAdapter(db),
    session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
    secret: env.NEXTAUTH_SECRET,
    providers,
    pages: { signIn: "/sign-in", error: "/sign-in" },
    callbacks: {
      jwt({ token, user }) {
        if (user) token.sub = user.id;
        return token;
      },
      session({ session, token }) {
        if (token.sub) {
          session.user = {
            id: token.sub,
            email: token.email ?? "",
            name: token.name ?? null,
            image: token.picture ?? null,
          };
        }
        return session;
      },
    },
    logger: {
      // next-auth's own logger prints whole error objects; keep them to one line without secrets.
      error(code, metadata) {
        const message =
          metadata instanceof Error
            ? metadata.message
            : (metadata as { message?: string })?.message;
        console.error(JSON.stringify({ level: "error", source: "next-auth", code, message }));
      },
      warn(code) {
        console.warn(JSON.stringify({ level: "warn", source: "next-auth", code }));
      },
      debug() {},
    },
  };
}
