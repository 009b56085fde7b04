import { sync, type Actor } from "@omnicrm/core";
import {
  compileRules,
  GoogleRequestError,
  normalizeGmailMessage,
  type CompiledRules,
  type GmailMessage,
  type NormalizedEmail,
} from "@omnicrm/google";
import { addSkips, nextRunAt, nowOf, openGoogle, pool, type SyncDeps } from "./context.ts";

type GmailPreferences = sync.GmailPreferences;

/** What a run decided at its start; every later step reads it (memoized by Inngest). */
export interface GmailPlan {
  syncRunId: string;
  mode: "full" | "incremental";
  cursor: string | null;
  preferences: GmailPreferences;
  googleEmail: string;
  lastSuccessAt: string | null;
  /**
   * How far back a full listing reads (ISO), fixed when the run starts: every page of a
   * listing, and a page retried later (after midnight), runs the same search.
   */
  since: string;
}

export interface GmailBatchCounts {
  /** Ids in the batch. */
  listed: number;
  /** Fetched from Google now (not stored before). */
  fetched: number;
  /** Already stored (a replay, a retried step, or a re-listed message). */
  alreadyStored: number;
  /** Listed, then gone at Google before it could be read. */
  gone: number;
  interactions: number;
  contactsCreated: number;
  skipped: Record<string, number>;
  /** Contacts whose interactions this step added or changed (their insights may be stale). */
  contactIds: string[];
}

/** Decides the run: skipped (with why), or full / incremental from the channel's cursor. */
export async function beginGmailRun(
  deps: SyncDeps,
  actor: Actor,
  input: { trigger: string; externalRunId: string; forceFull?: boolean },
): Promise<{ skip: string } | GmailPlan> {
  const [channel, connection] = await Promise.all([
    sync.getChannel(deps.db, actor, "gmail"),
    sync.getConnectionSummary(deps.db, actor),
  ]);
  const blocked = sync.blockedReason(channel, connection);
  if (blocked) return { skip: blocked };
  const mode =
    !input.forceFull && channel.cursor && channel.stage !== "not_started" ? "incremental" : "full";
  const run = await sync.startRun(deps.db, actor, {
    kind: "gmail",
    mode,
    trigger: input.trigger,
    externalRunId: input.externalRunId,
  });
  return {
    syncRunId: run.id,
    mode,
    cursor: channel.cursor,
    preferences: channel.preferences as GmailPreferences,
    googleEmail: connection!.googleEmail,
    lastSuccessAt: channel.lastSuccessAt?.toISOString() ?? null,
    since: new Date(
      nowOf(deps).getTime() - channel.preferences.lookbackDays * 86_400_000,
    ).toISOString(),
  };
}

/** The Gmail search that selects the channel's mail since `since`. */
export function gmailQuery(preferences: GmailPreferences, since: Date): string {
  const day = `${since.getUTCFullYear()}/${since.getUTCMonth() + 1}/${since.getUTCDate()}`;
  const parts = [`after:${day}`];
  if (preferences.scope === "query" && preferences.query) parts.push(`(${preferences.query})`);
  return parts.join(" ");
}

function scopeLabelIds(preferences: GmailPreferences): string[] | undefined {
  return preferences.scope === "labels" ? preferences.labelIds : undefined;
}

/**
 * The listings that make up the channel's mail: one per chosen label (Gmail's `labelIds`
 * keeps only messages carrying all of the labels, and the channel syncs the mail of any of
 * them), or one of the search.
 */
export function listingLabels(preferences: GmailPreferences): (string[] | undefined)[] {
  return preferences.scope === "labels" && preferences.labelIds.length > 0
    ? preferences.labelIds.map((id) => [id])
    : [undefined];
}

/**
 * One page of the full listing. The first page also reads the mailbox's history id: the
 * cursor the next incremental sync starts from (anything arriving during the listing is
 * then caught by it). The page token says which label's listing it continues
 * (`<label index>:<Gmail's token>`), so the pages of all labels follow one another.
 */
export async function listGmailPage(
  deps: SyncDeps,
  actor: Actor,
  plan: GmailPlan,
  input: { pageToken: string | null; since?: string },
): Promise<{ ids: string[]; nextPageToken: string | null; historyId: string | null }> {
  const google = await openGoogle(deps, actor);
  try {
    const historyId = input.pageToken ? null : (await google.gmail.profile()).historyId;
    const since = new Date(input.since ?? plan.since);
    const listings = listingLabels(plan.preferences);
    const at = input.pageToken?.indexOf(":") ?? -1;
    const listing = at > 0 ? Number(input.pageToken!.slice(0, at)) : 0;
    const page = await google.gmail.listMessages({
      q: gmailQuery(plan.preferences, since),
      labelIds: listings[listing],
      pageToken: at > 0 ? input.pageToken!.slice(at + 1) || null : null,
    });
    const nextPageToken = page.nextPageToken
      ? `${listing}:${page.nextPageToken}`
      : listing + 1 < listings.length
        ? `${listing + 1}:`
        : null;
    return { ids: page.ids, nextPageToken, historyId };
  } finally {
    await google.session.flush();
  }
}

/**
 * One page of changes since the cursor: the ids of messages added to the channel's labels.
 * `expired` when Gmail no longer has that history (the run falls back to a full sync).
 */
export async function gmailHistoryPage(
  deps: SyncDeps,
  actor: Actor,
  plan: GmailPlan,
  input: { pageToken: string | null },
): Promise<
  | { expired: true }
  | { expired: false; ids: string[]; nextPageToken: string | null; historyId: string | null }
> {
  const google = await openGoogle(deps, actor);
  try {
    const labels = scopeLabelIds(plan.preferences);
    const page = await google.gmail.history({
      startHistoryId: plan.cursor!,
      pageToken: input.pageToken,
      labelId: labels?.length === 1 ? labels[0] : undefined,
    });
    const ids = labels?.length
      ? page.messageIds.filter((id) =>
          (page.labelIdsOf.get(id) ?? []).some((label) => labels.includes(label)),
        )
      : page.messageIds;
    return { expired: false, ids, nextPageToken: page.nextPageToken, historyId: page.historyId };
  } catch (error) {
    if (error instanceof Error && error.name === "HistoryExpiredError") return { expired: true };
    throw error;
  } finally {
    await google.session.flush();
  }
}

export function gmailRules(plan: Pick<GmailPlan, "preferences" | "googleEmail">): CompiledRules {
  return compileRules({
    selfAddresses: [plan.googleEmail],
    neverLog: plan.preferences.neverLog,
    skipBulk: plan.preferences.skipBulk,
    maxRecipients: plan.preferences.maxRecipients,
    includeBodies: plan.preferences.includeBodies,
  });
}

/** A normalized email as core stores it. */
export function emailInteraction(email: NormalizedEmail): sync.InteractionInput {
  return {
    kind: "email",
    externalId: email.externalId,
    direction: email.direction,
    subject: email.subject,
    snippet: email.snippet,
    body: email.body,
    threadId: email.threadId,
    occurredAt: email.occurredAt,
    participants: email.participants,
    people: email.people,
  };
}

/** Reads messages from Gmail, at most four at a time; a message gone meanwhile is null. */
async function fetchMessages(
  google: Awaited<ReturnType<typeof openGoogle>>,
  ids: string[],
  includeBodies: boolean,
): Promise<(GmailMessage | null)[]> {
  return pool(ids, 4, async (id) => {
    try {
      return await google.gmail.getMessage(id, includeBodies ? "full" : "metadata");
    } catch (error) {
      if (error instanceof GoogleRequestError && error.status === 404) return null;
      throw error;
    }
  });
}

/**
 * One batch, idempotently: messages not stored yet are fetched and stored raw; every message
 * of the batch not normalized yet (new, or stored by an attempt that failed later) becomes
 * interactions, contacts and timeline entries. Running it again changes nothing.
 */
export async function syncGmailBatch(
  deps: SyncDeps,
  actor: Actor,
  plan: GmailPlan,
  ids: string[],
): Promise<GmailBatchCounts> {
  const known = await deps.db.rawProviderRecord.findMany({
    where: { userId: actor.userId, provider: "gmail", externalId: { in: ids } },
    select: { externalId: true },
  });
  const knownIds = new Set(known.map((row) => row.externalId));
  const toFetch = ids.filter((id) => !knownIds.has(id));
  let fetched: (GmailMessage | null)[] = [];
  if (toFetch.length > 0) {
    const google = await openGoogle(deps, actor);
    try {
      fetched = await fetchMessages(google, toFetch, plan.preferences.includeBodies);
    } finally {
      await google.session.flush();
    }
  }
  const messages = fetched.filter((m): m is GmailMessage => m !== null && Boolean(m.id));
  await sync.storeRawRecords(
    deps.db,
    actor,
    "gmail",
    messages.map((message) => ({ externalId: message.id!, payload: message })),
  );

  const pending = await deps.db.rawProviderRecord.findMany({
    where: {
      userId: actor.userId,
      provider: "gmail",
      externalId: { in: ids },
      normalizedAt: null,
    },
    select: { externalId: true, payload: true },
  });
  const rules = gmailRules(plan);
  const emails: sync.InteractionInput[] = [];
  const outcomes: { externalId: string; skipReason: string | null }[] = [];
  const skipped: Record<string, number> = {};
  for (const record of pending) {
    const result = normalizeGmailMessage(record.payload as GmailMessage, rules);
    if (result.ok) {
      emails.push(emailInteraction(result.value));
      outcomes.push({ externalId: record.externalId, skipReason: null });
    } else {
      addSkips(skipped, [result.reason]);
      outcomes.push({ externalId: record.externalId, skipReason: result.reason });
    }
  }
  const applied = await sync.applyInteractions(deps.db, actor, "gmail", emails, {
    createContacts: true,
    now: nowOf(deps),
  });
  await sync.markNormalized(deps.db, actor, "gmail", outcomes);
  return {
    listed: ids.length,
    fetched: messages.length,
    alreadyStored: knownIds.size,
    gone: fetched.length - messages.length,
    interactions: applied.interactions,
    contactsCreated: applied.contactsCreated,
    skipped,
    contactIds: applied.contactIds,
  };
}

/** Sums batch counts into the run's counts (absolute: recomputed from memoized outputs). */
export function totalCounts(batches: GmailBatchCounts[]): sync.SyncCounts {
  const skipped: Record<string, number> = {};
  let fetched = 0;
  let stored = 0;
  let interactions = 0;
  let contactsCreated = 0;
  let listed = 0;
  for (const batch of batches) {
    listed += batch.listed;
    fetched += batch.fetched;
    stored += batch.fetched;
    interactions += batch.interactions;
    contactsCreated += batch.contactsCreated;
    for (const [reason, n] of Object.entries(batch.skipped))
      skipped[reason] = (skipped[reason] ?? 0) + n;
    if (batch.gone > 0) skipped.gone = (skipped.gone ?? 0) + batch.gone;
  }
  return { listed, fetched, stored, interactions, contactsCreated, skipped };
}

/** What Google listed against what is stored: gaps are reported, not hidden. */
export async function reconcileGmail(
  deps: SyncDeps,
  actor: Actor,
  listedIds: string[],
): Promise<sync.Reconciliation> {
  const stored = await sync.storedExternalIds(deps.db, actor, "gmail", listedIds);
  const missing = listedIds.filter((id) => !stored.has(id));
  return {
    listed: listedIds.length,
    stored: listedIds.length - missing.length,
    missing: missing.length,
    missingSample: missing.slice(0, 20),
    checkedAt: nowOf(deps).toISOString(),
  };
}

export async function finishGmailRun(
  deps: SyncDeps,
  actor: Actor,
  plan: GmailPlan,
  result: { counts: sync.SyncCounts; cursor: string | null; reconciliation?: sync.Reconciliation },
): Promise<void> {
  await sync.finishRun(deps.db, actor, plan.syncRunId, {
    counts: result.counts,
    cursor: result.cursor ?? plan.cursor,
    nextRunAt: nextRunAt(deps),
    reconciliation: result.reconciliation ?? null,
  });
}
