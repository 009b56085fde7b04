// A contact's insight: read with whether it is still current (no model call), and generated
// through the guarded model only when what it would be made from changed.
import { assistant, ConflictError, type Actor } from "@omnicrm/core";
import type { Db } from "@omnicrm/db";
import {
  APICallError,
  generateText,
  NoObjectGeneratedError,
  Output,
  RetryError,
  type LanguageModel,
} from "ai";
import { guardModels, type GuardOptions } from "../guarded.ts";
import { BudgetExceededError } from "../guardrails.ts";
import { createAiProvider, type AiProvider } from "../provider.ts";
import { insightOutputSchema, normalizeInsightOutput, type InsightOutput } from "./output.ts";
import {
  buildInsightRequest,
  diffBasis,
  insightBasis,
  insightBasisSchema,
  type InsightChanges,
  type InsightRequest,
} from "./prompt.ts";

/** Generation was asked for while no AI provider is configured; the message says what to set. */
export class AiNotConfiguredError extends ConflictError {}

/** The provider failed or answered something that is not an insight. */
export class InsightGenerationError extends ConflictError {}

/** The longest answer an insight may take (it is a few sentences). */
export const INSIGHT_MAX_OUTPUT_TOKENS = 800;

export interface InsightOptions {
  /** Defaults to the provider configured in the environment. */
  provider?: AiProvider;
  now?: Date;
  /** The guardrails' limits, prices and clock (tests). */
  guard?: Pick<GuardOptions, "limits" | "prices" | "now">;
}

/** An insight as the contact page shows it. */
export interface InsightCard {
  summary: string;
  nextAction: string;
  engagement: assistant.Engagement;
  engagementReason: string;
  generatedAt: Date;
  model: string;
  /** How many of each record it was made from. */
  basedOn: { interactions: number; notes: number; tasks: number };
  /** Why the last background refresh did not happen, and when. */
  refreshError: string | null;
  refreshErrorAt: Date | null;
}

export type InsightAvailability =
  { configured: true; model: string } | { configured: false; reason: string };

export interface InsightView {
  ai: InsightAvailability;
  /** False when the contact withdrew AI consent: nothing about them is sent, nothing shown. */
  consent: boolean;
  /** The sentence to show when consent is withheld. */
  consentMessage: string | null;
  insight: InsightCard | null;
  /** The stored insight's hash equals the current inputs' hash; null without both. */
  upToDate: boolean | null;
  /** What is new since the stored insight, when it is not up to date. */
  changes: InsightChanges | null;
}

function availability(provider: AiProvider): InsightAvailability {
  return provider.configured
    ? { configured: true, model: provider.describe.chatModelId }
    : { configured: false, reason: provider.reason };
}

function toCard(stored: assistant.StoredInsight): InsightCard {
  const basis = insightBasisSchema.safeParse(stored.basis);
  const counts = basis.success ? basis.data.counts : null;
  return {
    summary: stored.summary,
    nextAction: stored.nextAction,
    engagement: stored.engagement,
    engagementReason: stored.engagementReason,
    generatedAt: stored.generatedAt,
    model: stored.model,
    basedOn: {
      interactions: counts ? counts.interactions + counts.upcomingSessions : 0,
      notes: counts?.notes ?? 0,
      tasks: counts?.tasks ?? 0,
    },
    refreshError: stored.refreshError,
    refreshErrorAt: stored.refreshErrorAt,
  };
}

interface Prepared {
  inputs: assistant.ContactInsightInputs;
  request: InsightRequest;
}

async function prepare(
  db: Db,
  actor: Actor,
  contactId: string,
  modelId: string,
  now: Date,
): Promise<Prepared> {
  const [inputs, settings] = await Promise.all([
    assistant.contactInsightInputs(db, actor, contactId, now),
    assistant.getAiSettings(db, actor),
  ]);
  const request = buildInsightRequest(inputs.input, {
    modelId,
    redact: settings.redactContactDetails,
  });
  return { inputs, request };
}

function viewOf(
  provider: AiProvider,
  stored: assistant.StoredInsight | null,
  prepared: Prepared | null,
): InsightView {
  const upToDate = stored && prepared ? stored.inputHash === prepared.request.hash : null;
  return {
    ai: availability(provider),
    consent: true,
    consentMessage: null,
    insight: stored ? toCard(stored) : null,
    upToDate,
    changes:
      stored && prepared && !upToDate
        ? diffBasis(stored.basis, insightBasis(prepared.inputs, prepared.request))
        : null,
  };
}

/**
 * A contact's stored insight and whether it is current: the hash of what would be sent now
 * against the stored one. Makes no model call. NotFoundError for another user's contact.
 */
export async function contactInsight(
  db: Db,
  actor: Actor,
  contactId: string,
  options: InsightOptions = {},
): Promise<InsightView> {
  const provider = options.provider ?? createAiProvider();
  const now = options.now ?? new Date();
  let prepared: Prepared | null = null;
  try {
    if (provider.configured) {
      prepared = await prepare(db, actor, contactId, provider.describe.chatModelId, now);
    } else {
      // Still refuse other users' contacts and withheld consent.
      await assistant.contactInsightInputs(db, actor, contactId, now);
    }
  } catch (error) {
    if (!isConsentRefusal(error)) throw error;
    return {
      ai: availability(provider),
      consent: false,
      consentMessage: assistant.CONSENT_WITHHELD,
      insight: null,
      upToDate: null,
      changes: null,
    };
  }
  const stored = await assistant.getStoredInsight(db, actor, contactId);
  return viewOf(provider, stored, prepared);
}

export interface GenerationResult {
  /** False when the stored insight was current and returned without a model call. */
  generated: boolean;
  view: InsightView;
}

/**
 * Generates (or refreshes) a contact's insight. When the stored one was made from exactly
 * what would be sent now, it is returned and no model call is made. Otherwise the guarded
 * model is asked for a structured answer (budget and rate checked first, redacted when the
 * user asked for it, usage recorded), one audit entry names the records sent, and the answer
 * is stored with the hash. Refusals: NotFoundError (not the actor's contact),
 * ConsentWithheldError (nothing is sent), AiNotConfiguredError, BudgetExceededError;
 * InsightGenerationError when the provider fails.
 */
export async function generateInsight(
  db: Db,
  actor: Actor,
  contactId: string,
  options: InsightOptions & { background?: boolean } = {},
): Promise<GenerationResult> {
  const provider = options.provider ?? createAiProvider();
  if (!provider.configured) throw new AiNotConfiguredError(provider.reason);
  const now = options.now ?? new Date();

  let prepared: Prepared;
  try {
    prepared = await prepare(db, actor, contactId, provider.describe.chatModelId, now);
  } catch (error) {
    if (isConsentRefusal(error)) {
      await audit(db, actor, "refused", { detail: assistant.CONSENT_WITHHELD });
    }
    throw error;
  }
  const { inputs, request } = prepared;
  const stored = await assistant.getStoredInsight(db, actor, inputs.contactId);
  if (stored && stored.inputHash === request.hash) {
    return { generated: false, view: viewOf(provider, stored, prepared) };
  }

  const models = guardModels(provider, {
    db,
    userId: actor.userId,
    feature: "insights",
    redact: request.redact,
    background: options.background,
    maxOutputTokens: INSIGHT_MAX_OUTPUT_TOKENS,
    ...options.guard,
  });
  let output: InsightOutput;
  try {
    output = await askForInsight(models.chatModel, request, {
      maxRetries: options.background ? 1 : 2,
    });
  } catch (error) {
    if (error instanceof BudgetExceededError || kindOf(error) === "rate_limited") {
      // Refused before anything was sent.
      await audit(db, actor, "refused", { detail: (error as Error).message });
      throw error;
    }
    const message = generationFailure(error, provider.describe.baseURL);
    await audit(db, actor, "error", { sent: inputs, detail: message });
    throw new InsightGenerationError(message);
  }
  await audit(db, actor, "ok", { sent: inputs });
  const saved = await assistant.saveInsight(db, actor, {
    contactId: inputs.contactId,
    ...output,
    inputHash: request.hash,
    model: provider.describe.chatModelId,
    basis: insightBasis(inputs, request),
    generatedAt: now,
  });
  return { generated: true, view: viewOf(provider, saved, prepared) };
}

/**
 * One structured-output call: the request's instructions and prompt, an object of the insight
 * schema back, cleaned up to what is stored. Throws NoObjectGeneratedError for anything else.
 */
export async function askForInsight(
  model: LanguageModel,
  request: Pick<InsightRequest, "instructions" | "prompt">,
  { maxRetries = 2 }: { maxRetries?: number } = {},
): Promise<InsightOutput> {
  const result = await generateText({
    model,
    instructions: request.instructions,
    prompt: request.prompt,
    output: Output.object({
      schema: insightOutputSchema,
      name: "contact_insight",
      description: "A summary, the next best action and the engagement of one client.",
    }),
    temperature: 0.2,
    maxOutputTokens: INSIGHT_MAX_OUTPUT_TOKENS,
    maxRetries,
  });
  return normalizeInsightOutput(result.output);
}

/**
 * The one audit entry of a generation: the contact and the records whose data went to the
 * model (none when it was refused before anything was sent).
 */
async function audit(
  db: Db,
  actor: Actor,
  outcome: assistant.AuditOutcome,
  { sent, detail }: { sent?: assistant.ContactInsightInputs; detail?: string },
) {
  await assistant.recordAuditEvent(db, actor, {
    kind: "model_input",
    feature: "insights",
    outcome,
    contactIds: sent ? [sent.contactId] : [],
    records: sent
      ? {
          notes: sent.records.notes,
          interactions: sent.records.interactions,
          tasks: sent.records.tasks,
        }
      : undefined,
    detail,
  });
}

/** A domain error's kind, read from the error (`instanceof` fails across module copies). */
function kindOf(error: unknown): string | undefined {
  const kind = error instanceof Error ? (error as { kind?: unknown }).kind : undefined;
  return typeof kind === "string" ? kind : undefined;
}

function isConsentRefusal(error: unknown): error is Error {
  return (
    error instanceof assistant.ConsentWithheldError ||
    (kindOf(error) === "forbidden" && (error as Error).message === assistant.CONSENT_WITHHELD)
  );
}

/** What went wrong with the provider, in a sentence that names the host, never the key. */
export function generationFailure(error: unknown, host: string): string {
  const last = RetryError.isInstance(error) ? error.lastError : error;
  if (NoObjectGeneratedError.isInstance(last)) {
    return "The AI model's answer was not a valid insight; try again.";
  }
  if (APICallError.isInstance(last)) {
    const status = last.statusCode;
    if (status === 401 || status === 403) {
      return `The AI provider at ${host} refused the API key.`;
    }
    if (status === 429)
      return `The AI provider at ${host} is rate limiting requests; try again later.`;
    if (status !== undefined) {
      return `The AI provider at ${host} failed (HTTP ${status}); try again later.`;
    }
    return `Could not reach the AI provider at ${host}; try again later.`;
  }
  return `The AI provider at ${host} did not answer; try again later.`;
}
