import {
  contactInsight,
  createAiProvider,
  generateInsight,
  type AiLimits,
  type AiProvider,
  type BudgetExceededError,
} from "@omnicrm/ai";
import { assistant, type Actor } from "@omnicrm/core";
import type { Db } from "@omnicrm/db";
import { contactsInteractionsAdded, inngest } from "../client.ts";

/** What the refresh needs; tests pass their own provider, limits and clock. */
export interface InsightRefreshDeps {
  db: Db;
  now?: () => Date;
  /** The environment's provider when unset. */
  aiProvider?: AiProvider;
  aiLimits?: AiLimits;
}

type Outcome =
  { status: "refreshed" | "current" | "skipped" } | { status: "stopped"; message: string };

const nowOf = (deps: InsightRefreshDeps) => (deps.now ? deps.now() : new Date());
const providerOf = (deps: InsightRefreshDeps) => deps.aiProvider ?? createAiProvider();

/** Said on an insight when a background refresh hit the per-minute limit. */
export const BACKGROUND_RATE_LIMITED =
  "Too many AI requests in one minute, so the background refresh stopped. Refresh it here, or it is refreshed with the next new activity.";

/**
 * Which of these contacts have an insight that is out of date: an insight exists, the
 * contact still consents, and the hash of what would be sent now differs from the stored one
 * (computed without a model call). Contacts nobody asked an insight for are never generated.
 */
export async function staleInsights(
  deps: InsightRefreshDeps,
  actor: Actor,
  contactIds: string[],
): Promise<{ skip: string } | { contactIds: string[] }> {
  const provider = providerOf(deps);
  if (!provider.configured) return { skip: provider.reason };
  const withInsight = await assistant.contactsWithInsights(deps.db, actor, contactIds);
  const now = nowOf(deps);
  const stale: string[] = [];
  for (const contactId of withInsight) {
    try {
      const view = await contactInsight(deps.db, actor, contactId, { provider, now });
      if (view.upToDate === false) stale.push(contactId);
    } catch (error) {
      // Deleted since: nothing to refresh.
      if (domainKind(error) !== "not_found") throw error;
    }
  }
  return { contactIds: stale };
}

/**
 * Regenerates one contact's insight as a background call (its own per-minute window). A budget
 * or rate refusal, or a failing provider, stops the run (it is not retried: no retry storm).
 */
export async function refreshInsight(
  deps: InsightRefreshDeps,
  actor: Actor,
  contactId: string,
): Promise<Outcome> {
  try {
    const result = await generateInsight(deps.db, actor, contactId, {
      provider: providerOf(deps),
      background: true,
      now: nowOf(deps),
      guard: deps.aiLimits ? { limits: deps.aiLimits } : undefined,
    });
    return { status: result.generated ? "refreshed" : "current" };
  } catch (error) {
    switch (domainKind(error)) {
      // BudgetExceededError: the day's or month's budget, or the per-minute limit.
      case "rate_limited":
        return {
          status: "stopped",
          message:
            (error as Partial<BudgetExceededError>).scope === "minute"
              ? BACKGROUND_RATE_LIMITED
              : (error as Error).message,
        };
      // InsightGenerationError (the provider failed), AiNotConfiguredError.
      case "conflict":
        return { status: "stopped", message: (error as Error).message };
      // Gone, or consent withdrawn meanwhile (ConsentWithheldError).
      case "not_found":
      case "forbidden":
        return { status: "skipped" };
      default:
        throw error;
    }
  }
}

/**
 * The kind of a domain error (BudgetExceededError is "rate_limited", InsightGenerationError
 * and AiNotConfiguredError "conflict", ConsentWithheldError "forbidden"), read from the error
 * rather than by `instanceof`, which fails when a bundler made two copies of a module.
 */
function domainKind(error: unknown): string | null {
  const kind = error instanceof Error ? (error as { kind?: unknown }).kind : undefined;
  return typeof kind === "string" ? kind : null;
}

/**
 * Keeps existing insights current: when a sync stores new interactions for contacts, the ones
 * that already have an insight whose inputs changed are regenerated, one step each (a retried
 * run redoes none that succeeded), one run per user at a time. When the budget or the rate
 * limit refuses, or the provider fails, the run stops and says why on each insight it could
 * not refresh (the contact page shows it).
 */
export function createInsightsRefresh(deps: () => InsightRefreshDeps) {
  return inngest.createFunction(
    {
      id: "insights-refresh",
      name: "Refresh contact insights",
      triggers: [contactsInteractionsAdded],
      concurrency: [{ key: "event.data.userId", limit: 1 }],
      // Only for unexpected failures (the database); refusals and provider failures stop it.
      retries: 2,
    },
    async ({ event, step }) => {
      const actor = { userId: event.data.userId };
      const due = await step.run("find-stale", () =>
        staleInsights(deps(), actor, event.data.contactIds),
      );
      if ("skip" in due) return { skipped: due.skip };
      const counts = { refreshed: 0, current: 0, skipped: 0 };
      for (const [index, contactId] of due.contactIds.entries()) {
        const outcome = await step.run(`refresh-${contactId}`, () =>
          refreshInsight(deps(), actor, contactId),
        );
        if (outcome.status === "stopped") {
          const rest = due.contactIds.slice(index);
          const message = outcome.message;
          await step.run("record-stop", () =>
            assistant.recordInsightRefreshError(deps().db, actor, rest, message, nowOf(deps())),
          );
          return { ...counts, stopped: message, notRefreshed: rest.length };
        }
        counts[outcome.status] += 1;
      }
      return counts;
    },
  );
}
