import { users, type UserRecord } from "@omnicrm/core";
import type { Db } from "@omnicrm/db";
import { hashPassword } from "./password.ts";
import { signUpSchema, type SignUpInput } from "./password-policy.ts";
import { consumeSignUp } from "./rate-limit.ts";

export async function registerWithPassword(
  db: Db,
  input: SignUpInput,
  ip: string,
): Promise<UserRecord> {
  const data = signUpSchema.parse(input);
  await consumeSignUp(ip);
  return users.createUser(db, {
    email: data.email,
    name: data.name,
    passwordHash: await hashPassword(data.password),
  });
}
