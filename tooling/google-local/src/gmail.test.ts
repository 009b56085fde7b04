import type { gmail_v1 } from "@googleapis/gmail";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createManualClock, DAY_MS } from "./clock.ts";
import { SCOPES } from "./oauth.ts";
import { startLocalGoogle, type LocalGoogle } from "./server.ts";
import { errorBody, gaxiosError, gmailClient, oauthClient } from "./test-support.ts";

const header = (message: gmail_v1.Schema$Message, name: string): string | undefined =>
  message.payload?.headers?.find((h) => h.name?.toLowerCase() === name.toLowerCase())?.value ??
  undefined;

async function listAll(
  api: gmail_v1.Gmail,
  params: gmail_v1.Params$Resource$Users$Messages$List,
): Promise<{ ids: string[]; pages: number; estimate: number }> {
  const ids: string[] = [];
  let pageToken: string | undefined;
  let pages = 0;
  let estimate: number | undefined;
  do {
    const res = await api.users.messages.list({
      userId: "me",
      ...params,
      ...(pageToken ? { pageToken } : {}),
    });
    pages += 1;
    estimate = res.data.resultSizeEstimate ?? 0;
    for (const m of res.data.messages ?? []) ids.push(m.id ?? "");
    pageToken = res.data.nextPageToken ?? undefined;
  } while (pageToken);
  return { ids, pages, estimate: estimate ?? 0 };
}

describe("Gmail", () => {
  const clock = createManualClock(Date.UTC(2025, 2, 10, 15, 0, 0));
  let google: LocalGoogle;
  let api: gmail_v1.Gmail;

  beforeAll(async () => {
    google = await startLocalGoogle({ clock, seed: 7, messages: 300 });
    api = gmailClient(google);
  });
  afterAll(() => google.close());

  it("pages through messages.list newest first, covering every message exactly once", async () => {
    const mailbox = google.mailbox();
    const { ids, pages, estimate } = await listAll(api, { maxResults: 37, includeSpamTrash: true });
    expect(pages).toBe(Math.ceil(mailbox.size / 37));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(mailbox.list().map((m) => m.id));
    expect(estimate).toBe(mailbox.size);
    const dates = ids.map((id) => mailbox.getMessage(id)?.internalDate ?? 0);
    expect(dates).toEqual([...dates].sort((a, b) => b - a));

    // by default spam and trash are left out
    const visible = await listAll(api, { maxResults: 500 });
    const spamOrTrash = mailbox
      .list()
      .filter((m) => m.labelIds.includes("SPAM") || m.labelIds.includes("TRASH"));
    expect(visible.ids.length).toBe(mailbox.size - spamOrTrash.length);
  });

  it("keeps paging consistent when mail arrives mid-listing", async () => {
    const before = new Set(
      google
        .mailbox()
        .list()
        .map((m) => m.id),
    );
    const first = await api.users.messages.list({
      userId: "me",
      maxResults: 50,
      includeSpamTrash: true,
    });
    clock.advance(1000);
    google.mailbox().addMessages(5);
    const seen = (first.data.messages ?? []).map((m) => m.id ?? "");
    let pageToken = first.data.nextPageToken ?? undefined;
    while (pageToken) {
      const res = await api.users.messages.list({
        userId: "me",
        maxResults: 50,
        includeSpamTrash: true,
        pageToken,
      });
      seen.push(...(res.data.messages ?? []).map((m) => m.id ?? ""));
      pageToken = res.data.nextPageToken ?? undefined;
    }
    expect(new Set(seen)).toEqual(before);
  });

  it("defaults to 100 per page, caps at 500, and rejects a foreign page token", async () => {
    const res = await api.users.messages.list({ userId: "me" });
    expect(res.data.messages).toHaveLength(100);
    const big = await api.users.messages.list({
      userId: "me",
      maxResults: 5000,
      includeSpamTrash: true,
    });
    expect(big.data.messages?.length).toBe(Math.min(500, google.mailbox().size));
    const error = await gaxiosError(
      api.users.messages.list({
        userId: "me",
        q: "in:sent",
        pageToken: res.data.nextPageToken ?? "",
      }),
    );
    expect(error.status).toBe(400);
  });

  it("filters with q and labelIds", async () => {
    const mailbox = google.mailbox();
    const now = clock();
    const count = async (params: gmail_v1.Params$Resource$Users$Messages$List) =>
      (await listAll(api, { maxResults: 500, ...params })).ids;
    const visible = mailbox
      .list()
      .filter((m) => !m.labelIds.includes("SPAM") && !m.labelIds.includes("TRASH"));

    const recent = await count({ q: "newer_than:30d" });
    expect(recent.length).toBeGreaterThan(0);
    expect(recent).toEqual(
      visible.filter((m) => m.internalDate > now - 30 * DAY_MS).map((m) => m.id),
    );

    const after = Math.floor((now - 60 * DAY_MS) / 1000);
    const before = Math.floor((now - 10 * DAY_MS) / 1000);
    const ranged = await count({ q: `after:${after} before:${before}` });
    expect(ranged).toEqual(
      visible
        .filter((m) => m.internalDate >= after * 1000 && m.internalDate < before * 1000)
        .map((m) => m.id),
    );

    const clients = await count({ q: "label:clients" });
    expect(clients).toEqual(visible.filter((m) => m.labelIds.includes("Label_1")).map((m) => m.id));
    expect(await count({ labelIds: ["Label_1"] })).toEqual(clients);

    const sent = await count({ q: "in:sent -in:inbox" });
    expect(sent).toEqual(
      visible
        .filter((m) => m.labelIds.includes("SENT") && !m.labelIds.includes("INBOX"))
        .map((m) => m.id),
    );
    expect(sent.length).toBeGreaterThan(0);

    const anywhere = await count({ q: "in:anywhere" });
    expect(anywhere.length).toBe(mailbox.size);

    const unknownLabel = await gaxiosError(
      api.users.messages.list({ userId: "me", labelIds: ["Label_999"] }),
    );
    expect(unknownLabel.status).toBe(400);
  });

  it("returns only the requested headers with format=metadata", async () => {
    const mailbox = google.mailbox();
    const newsletter = mailbox
      .list()
      .find((m) => m.headers.some(([n]) => n === "List-Unsubscribe"));
    expect(newsletter).toBeDefined();
    const res = await api.users.messages.get({
      userId: "me",
      id: newsletter?.id ?? "",
      format: "metadata",
      metadataHeaders: ["From", "subject", "List-Unsubscribe", "Precedence"],
    });
    const names = res.data.payload?.headers?.map((h) => h.name);
    expect(names?.sort()).toEqual(["From", "List-Unsubscribe", "Precedence", "Subject"]);
    expect(header(res.data, "Precedence")).toBe("bulk");
    expect(res.data.payload?.parts).toBeUndefined();
    expect(res.data).toMatchObject({
      id: newsletter?.id,
      threadId: newsletter?.threadId,
      historyId: String(newsletter?.historyId),
      internalDate: String(newsletter?.internalDate),
      sizeEstimate: newsletter?.sizeEstimate,
    });
    expect(res.data.snippet).toBeTruthy();
  });

  it("returns MIME trees with base64url bodies (format=full), raw, minimal and attachments", async () => {
    const mailbox = google.mailbox();
    const withAttachment = mailbox.list().find((m) => m.attachments.size > 0);
    expect(withAttachment).toBeDefined();
    const id = withAttachment?.id ?? "";
    const full = await api.users.messages.get({ userId: "me", id });
    const payload = full.data.payload;
    expect(payload?.mimeType).toBe("multipart/mixed");
    expect(payload?.partId).toBe("");
    const [alternative, attachment] = payload?.parts ?? [];
    expect(alternative?.mimeType).toBe("multipart/alternative");
    expect(alternative?.parts?.map((p) => p.partId)).toEqual(["0.0", "0.1"]);
    const text = Buffer.from(alternative?.parts?.[0]?.body?.data ?? "", "base64url").toString(
      "utf8",
    );
    expect(text).toContain("attached");
    expect(attachment?.filename).toMatch(/\.pdf$/);
    expect(attachment?.body?.data).toBeUndefined();
    const attachmentId = attachment?.body?.attachmentId ?? "";
    const file = await api.users.messages.attachments.get({
      userId: "me",
      messageId: id,
      id: attachmentId,
    });
    expect(Buffer.from(file.data.data ?? "", "base64url").toString("latin1")).toMatch(/^%PDF/);
    expect(file.data.size).toBe(attachment?.body?.size);

    const raw = await api.users.messages.get({ userId: "me", id, format: "raw" });
    const rfc822 = Buffer.from(raw.data.raw ?? "", "base64url").toString("utf8");
    expect(rfc822).toContain("Content-Type: multipart/mixed");
    expect(raw.data.payload).toBeUndefined();

    const minimal = await api.users.messages.get({ userId: "me", id, format: "minimal" });
    expect(Object.keys(minimal.data).sort()).toEqual([
      "historyId",
      "id",
      "internalDate",
      "labelIds",
      "sizeEstimate",
      "snippet",
      "threadId",
    ]);
  });

  it("answers 404 for an unknown message, 400 for a malformed id, 403 for another user", async () => {
    expect(
      (await gaxiosError(api.users.messages.get({ userId: "me", id: "ffffffffffffffff" }))).status,
    ).toBe(404);
    expect(
      (await gaxiosError(api.users.messages.get({ userId: "me", id: "not-an-id!" }))).status,
    ).toBe(400);
    expect(
      (await gaxiosError(api.users.messages.get({ userId: "someone@else.example", id: "ffff" })))
        .status,
    ).toBe(403);
    const own = await api.users.getProfile({ userId: google.accounts.default.email });
    expect(own.data.emailAddress).toBe(google.accounts.default.email);
  });

  it("lists labels and the profile", async () => {
    const labels = await api.users.labels.list({ userId: "me" });
    const byId = new Map(labels.data.labels?.map((l) => [l.id, l]));
    expect(byId.get("INBOX")).toMatchObject({ name: "INBOX", type: "system" });
    expect(byId.get("SENT")).toMatchObject({ type: "system" });
    expect(byId.get("Label_1")).toMatchObject({ name: "Clients", type: "user" });
    const profile = await api.users.getProfile({ userId: "me" });
    expect(profile.data).toMatchObject({
      emailAddress: google.accounts.default.email,
      messagesTotal: google.mailbox().size,
      historyId: String(google.mailbox().historyId),
    });
  });

  it("reports new mail and label changes through history.list", async () => {
    const mailbox = google.mailbox();
    const start = (await api.users.getProfile({ userId: "me" })).data.historyId ?? "";
    clock.advance(60_000);
    const added = mailbox.addMessages(3);
    const target = mailbox
      .list()
      .find((m) => !m.labelIds.includes("STARRED") && !added.includes(m));
    mailbox.modifyLabels(target?.id ?? "", { add: ["STARRED"] });
    mailbox.modifyLabels(added[0]?.id ?? "", { remove: ["UNREAD"] });

    const res = await api.users.history.list({ userId: "me", startHistoryId: start });
    const history = res.data.history ?? [];
    expect(history.map((h) => Number(h.id))).toEqual(
      [...history.map((h) => Number(h.id))].sort((a, b) => a - b),
    );
    expect(history.every((h) => Number(h.id) > Number(start))).toBe(true);
    const addedIds = history.flatMap((h) => h.messagesAdded ?? []).map((a) => a.message?.id);
    expect(addedIds).toEqual(added.map((m) => m.id));
    expect(history.flatMap((h) => h.labelsAdded ?? [])).toEqual([
      {
        message: {
          id: target?.id,
          threadId: target?.threadId,
          labelIds: expect.arrayContaining(["STARRED"]) as unknown,
        },
        labelIds: ["STARRED"],
      },
    ]);
    expect(history.flatMap((h) => h.labelsRemoved ?? []).map((r) => r.labelIds)).toEqual([
      ["UNREAD"],
    ]);
    expect(res.data.historyId).toBe(String(mailbox.historyId));

    const onlyAdded = await api.users.history.list({
      userId: "me",
      startHistoryId: start,
      historyTypes: ["messageAdded"],
    });
    expect(onlyAdded.data.history?.every((h) => h.messagesAdded && !h.labelsAdded)).toBe(true);
    expect(onlyAdded.data.history).toHaveLength(3);

    const paged = await api.users.history.list({
      userId: "me",
      startHistoryId: start,
      maxResults: 2,
    });
    expect(paged.data.history).toHaveLength(2);
    const rest = await api.users.history.list({
      userId: "me",
      startHistoryId: start,
      maxResults: 2,
      pageToken: paged.data.nextPageToken ?? "",
    });
    expect(rest.data.history?.map((h) => h.id)).toEqual(history.slice(2, 4).map((h) => h.id));

    const upToDate = await api.users.history.list({
      userId: "me",
      startHistoryId: res.data.historyId ?? "",
    });
    expect(upToDate.data.history).toBeUndefined();
    expect(upToDate.data.historyId).toBe(res.data.historyId);
  });

  it("answers 404 (a GaxiosError) for a startHistoryId older than the retained history", async () => {
    const mailbox = google.mailbox();
    const start = String(mailbox.historyId);
    clock.advance(1000);
    mailbox.addMessages(1);
    mailbox.expireHistory();
    const error = await gaxiosError(
      api.users.history.list({ userId: "me", startHistoryId: start }),
    );
    expect(error.status).toBe(404);
    expect(errorBody(error)).toMatchObject({
      code: 404,
      status: "NOT_FOUND",
      errors: [{ reason: "notFound", domain: "global" }],
    });
    const ok = await api.users.history.list({
      userId: "me",
      startHistoryId: String(mailbox.historyId),
    });
    expect(ok.status).toBe(200);
  });

  it("limits a gmail.metadata token to headers", async () => {
    const { access_token } = google.oauth.issueTokens(undefined, [SCOPES.gmailMetadata]);
    const metadataOnly = gmailClient(google, { auth: oauthClient(google, { access_token }) });
    const id = google.mailbox().list()[0]?.id ?? "";
    expect(
      (await metadataOnly.users.messages.get({ userId: "me", id, format: "metadata" })).status,
    ).toBe(200);
    expect((await gaxiosError(metadataOnly.users.messages.get({ userId: "me", id }))).status).toBe(
      403,
    );
    expect(
      (await gaxiosError(metadataOnly.users.messages.list({ userId: "me", q: "in:inbox" }))).status,
    ).toBe(403);
    const { access_token: calendarOnly } = google.oauth.issueTokens(undefined, [
      SCOPES.calendarReadonly,
    ]);
    const noGmail = gmailClient(google, {
      auth: oauthClient(google, { access_token: calendarOnly }),
    });
    expect(
      errorBody(await gaxiosError(noGmail.users.getProfile({ userId: "me" }))).errors[0]?.reason,
    ).toBe("insufficientPermissions");
  });
});
