import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { RateLimitedError } from "@omnicrm/core";
import { rateLimitEnv } from "./env.ts";

/**
 * Failed sign-ins slow an attacker down: per email and address pair, per address alone, and
 * sign-ups per address. In memory: OmniCRM runs as one process per practice.
 */
const failuresByEmailAndIp = new RateLimiterMemory({
  keyPrefix: "signin_email_ip",
  points: 5,
  duration: 15 * 60,
  blockDuration: 15 * 60,
});
const failuresByIp = new RateLimiterMemory({
  keyPrefix: "signin_ip",
  points: 50,
  duration: 60 * 60,
  blockDuration: 60 * 60,
});
// Created on first sign-up, with the operator's limit (OMNICRM_SIGNUPS_PER_HOUR).
let signUpsByIp: RateLimiterMemory | undefined;

function tooMany(what: string, res: RateLimiterRes): RateLimitedError {
  const seconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  const minutes = Math.ceil(seconds / 60);
  return new RateLimitedError(
    `Too many ${what}. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
    seconds,
  );
}

/** Throws when this email/address pair or address is currently blocked. */
export async function assertSignInAllowed(email: string, ip: string): Promise<void> {
  const [pair, address] = await Promise.all([
    failuresByEmailAndIp.get(`${email}|${ip}`),
    failuresByIp.get(ip),
  ]);
  for (const [limiter, res] of [
    [failuresByEmailAndIp, pair],
    [failuresByIp, address],
  ] as const) {
    if (res && res.consumedPoints >= limiter.points) throw tooMany("failed sign-in attempts", res);
  }
}

export async function recordFailedSignIn(email: string, ip: string): Promise<void> {
  await Promise.all([
    failuresByEmailAndIp.consume(`${email}|${ip}`).catch(() => undefined),
    failuresByIp.consume(ip).catch(() => undefined),
  ]);
}

export async function recordSuccessfulSignIn(email: string, ip: string): Promise<void> {
  await failuresByEmailAndIp.delete(`${email}|${ip}`);
}

export async function consumeSignUp(ip: string): Promise<void> {
  try {
    signUpsByIp ??= new RateLimiterMemory({
      keyPrefix: "signup_ip",
      points: rateLimitEnv().signUpsPerHour,
      duration: 60 * 60,
    });
    await signUpsByIp.consume(ip);
  } catch (error) {
    if (error instanceof RateLimiterRes) throw tooMany("sign-ups from this network", error);
    throw error;
  }
}
