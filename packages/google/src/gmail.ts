import { gmail as gmailApi, type gmail_v1 } from "@googleapis/gmail";
import type { OAuth2Client } from "google-auth-library";
import { callGoogle } from "./call.ts";
import { GMAIL_METADATA_HEADERS } from "./normalize/index.ts";
import { gmailCost } from "./quota.ts";

export type GmailMessage = gmail_v1.Schema$Message;

export interface GmailDriverOptions {
  auth: OAuth2Client;
  /** A local server's root (tests, demos); unset: Google's. */
  rootUrl?: string;
  timeoutMs: number;
  /** Spends this user's quota units before each call. */
  spend: (units: number) => Promise<void>;
  minBackoffMs?: number;
}

/** The Gmail calls the sync makes, each paced to the quota and retried on its own. */
export function gmailDriver(options: GmailDriverOptions) {
  const api = gmailApi({
    version: "v1",
    auth: options.auth,
    ...(options.rootUrl ? { rootUrl: options.rootUrl } : {}),
    timeout: options.timeoutMs,
    // Retries are ours (callGoogle): paced to the quota and classified.
    retry: false,
  });
  const call = <T>(
    what: string,
    units: number,
    run: () => Promise<T>,
    context?: { historyList?: boolean },
  ) =>
    callGoogle(run, {
      what,
      spend: () => options.spend(units),
      context,
      minBackoffMs: options.minBackoffMs,
    });

  return {
    async profile() {
      const { data } = await call("reading the Gmail profile", gmailCost.getProfile, () =>
        api.users.getProfile({ userId: "me" }),
      );
      return { emailAddress: data.emailAddress ?? null, historyId: data.historyId ?? null };
    },

    async labels() {
      const { data } = await call("listing Gmail labels", gmailCost["labels.list"], () =>
        api.users.labels.list({ userId: "me" }),
      );
      return (data.labels ?? []).map((label) => ({
        id: label.id ?? "",
        name: label.name ?? "",
        type: label.type ?? "user",
      }));
    },

    /** One page of message ids matching the query and labels (newest first). */
    async listMessages(input: {
      q?: string;
      labelIds?: string[];
      pageToken?: string | null;
      maxResults?: number;
    }) {
      const { data } = await call("listing Gmail messages", gmailCost["messages.list"], () =>
        api.users.messages.list({
          userId: "me",
          q: input.q || undefined,
          labelIds: input.labelIds?.length ? input.labelIds : undefined,
          pageToken: input.pageToken ?? undefined,
          maxResults: input.maxResults ?? 500,
          includeSpamTrash: false,
        }),
      );
      return {
        ids: (data.messages ?? []).map((m) => m.id ?? "").filter(Boolean),
        nextPageToken: data.nextPageToken ?? null,
        resultSizeEstimate: data.resultSizeEstimate ?? 0,
      };
    },

    async getMessage(id: string, format: "full" | "metadata") {
      const { data } = await call("reading a Gmail message", gmailCost["messages.get"], () =>
        api.users.messages.get({
          userId: "me",
          id,
          format,
          ...(format === "metadata"
            ? {
                metadataHeaders: [...GMAIL_METADATA_HEADERS],
              }
            : {}),
        }),
      );
      return data;
    },

    /**
     * One page of history since `startHistoryId`. Throws HistoryExpiredError (404) when Gmail
     * no longer has it.
     */
    async history(input: { startHistoryId: string; pageToken?: string | null; labelId?: string }) {
      const { data } = await call(
        "reading Gmail changes",
        gmailCost["history.list"],
        () =>
          api.users.history.list({
            userId: "me",
            startHistoryId: input.startHistoryId,
            pageToken: input.pageToken ?? undefined,
            labelId: input.labelId,
            historyTypes: ["messageAdded", "labelAdded"],
            maxResults: 500,
          }),
        { historyList: true },
      );
      const added = new Set<string>();
      for (const entry of data.history ?? []) {
        for (const m of entry.messagesAdded ?? []) if (m.message?.id) added.add(m.message.id);
        for (const m of entry.labelsAdded ?? []) if (m.message?.id) added.add(m.message.id);
      }
      return {
        messageIds: [...added],
        labelIdsOf: new Map<string, string[]>(
          (data.history ?? []).flatMap((entry) =>
            [...(entry.messagesAdded ?? []), ...(entry.labelsAdded ?? [])].map(
              (m) => [m.message?.id ?? "", m.message?.labelIds ?? []] as [string, string[]],
            ),
          ),
        ),
        nextPageToken: data.nextPageToken ?? null,
        historyId: data.historyId ?? null,
      };
    },
  };
}

export type GmailDriver = ReturnType<typeof gmailDriver>;
