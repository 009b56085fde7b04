import { z } from "zod";
import type { Clock } from "./clock.ts";
import { FaultConfigSchema, SeedSchema } from "./faults.ts";
import { DEFAULT_OWNER } from "./practice.ts";
import { QuotaConfigSchema } from "./quota.ts";
import { isValidTimeZone } from "./timezone.ts";

export const AccountSpecSchema = z.object({
  email: z.email(),
  name: z.string().min(1).optional(),
  seed: SeedSchema.optional(),
  messages: z.number().int().min(0).max(1_000_000).optional(),
  events: z.number().int().min(0).max(100_000).optional(),
  timeZone: z.string().refine(isValidTimeZone, "unknown time zone").optional(),
  days: z.number().int().positive().max(3650).optional(),
});

export const OAuthSettingsSchema = z.object({
  clientId: z.string().min(1).default("local-google-client.apps.googleusercontent.com"),
  clientSecret: z.string().min(1).default("local-google-secret"),
  /** Exact redirect URIs allowed; empty allows any http(s) URI. */
  redirectUris: z.array(z.url()).default([]),
  accessTokenTtlSeconds: z.number().int().positive().default(3599),
  codeTtlSeconds: z.number().int().positive().default(600),
  rotateRefreshTokens: z.boolean().default(false),
  requirePkce: z.boolean().default(true),
  requireState: z.boolean().default(true),
  requireOfflineAccess: z.boolean().default(true),
  enforceScopes: z.boolean().default(true),
});

export type OAuthSettingsInput = z.input<typeof OAuthSettingsSchema>;

export const LocalGoogleOptionsSchema = z.object({
  /** 0 (default) picks a free port. The server listens on 127.0.0.1 only. */
  port: z.number().int().min(0).max(65_535).default(0),
  /** Seeds the generated data and, unless faults.seed is set, the fault PRNG. */
  seed: SeedSchema.default(1),
  /** Messages generated per account (unless the account says otherwise). */
  messages: z.number().int().min(0).max(1_000_000).default(200),
  /** Primary-calendar events generated per account. */
  events: z.number().int().min(0).max(100_000).default(40),
  /**
   * The instant generated data is relative to (newest mail just before it, events around it).
   * Default: midnight UTC of the clock's current day. Same seed + same anchor = same data.
   */
  anchor: z.union([z.number(), z.date(), z.iso.datetime({ offset: true })]).optional(),
  /** Default: one account, maya@serenity-wellness.example ("Maya Rivers"). */
  accounts: z.array(AccountSpecSchema).min(1).optional(),
  oauth: OAuthSettingsSchema.partial().optional(),
  quota: QuotaConfigSchema.partial().optional(),
  faults: FaultConfigSchema.partial().optional(),
  /** The server's clock (ms since epoch). Inject one to test expiry and quota without sleeping. */
  clock: z.custom<Clock>((v) => typeof v === "function", "clock must be a function").optional(),
  /** Called with one line per request. Default: log nothing. */
  log: z
    .custom<(line: string) => void>((v) => typeof v === "function", "log must be a function")
    .optional(),
});

export type LocalGoogleOptions = z.input<typeof LocalGoogleOptionsSchema>;

export const DEFAULT_ACCOUNT = { email: DEFAULT_OWNER.email, name: DEFAULT_OWNER.name };
