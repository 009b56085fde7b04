import { describe, expect, it } from "vitest";
import {
  DEFAULT_HEADERS,
  SELF,
  b64url,
  gmailMessage,
  leaf,
  multipart,
  withHeaders,
  type MessageSpec,
} from "./builders.ts";
import { normalizeGmailMessage, normalizeGmailMessages } from "./gmail.ts";
import { compileRules } from "./rules.ts";
import { dedupeByExternalId } from "./result.ts";
import type { NormalizeResult, NormalizeRules, NormalizedEmail } from "./types.ts";

const RULES: NormalizeRules = {
  selfAddresses: [SELF, "Jane.Alias@Practice.COM"],
  neverLog: [],
  skipBulk: true,
  maxRecipients: 10,
  includeBodies: true,
};

function normalize(spec: MessageSpec = {}, rules: Partial<NormalizeRules> = {}) {
  return normalizeGmailMessage(gmailMessage(spec), { ...RULES, ...rules });
}

function ok(result: NormalizeResult<NormalizedEmail>): NormalizedEmail {
  if (!result.ok) throw new Error(`expected ok, got ${result.reason} (${result.detail ?? ""})`);
  return result.value;
}

function emails(result: NormalizeResult<NormalizedEmail>): string[] {
  return ok(result).participants.map((p) => `${p.role}:${p.email}`);
}

describe("normalizeGmailMessage: basics", () => {
  it("normalizes a plain inbound message", () => {
    const result = normalize({
      headers: withHeaders({ Cc: "Other <other@example.org>" }),
      snippet: "Can we move Tuesday&#39;s session? Thanks &amp; see you",
      body: leaf("text/plain", "Hi,\r\n\r\nCan we move Tuesday's session?\r\n"),
    });
    expect(result).toEqual({
      ok: true,
      value: {
        kind: "email",
        externalId: "18f0000000000001",
        threadId: "18f0000000000001",
        direction: "inbound",
        subject: "Hello",
        snippet: "Can we move Tuesday's session? Thanks & see you",
        body: "Hi,\n\nCan we move Tuesday's session?",
        occurredAt: new Date("2024-06-03T10:00:00.000Z"),
        participants: [
          { email: "client@example.com", name: "Client Person", role: "from", self: false },
          { email: SELF, name: "Me", role: "to", self: true },
          { email: "other@example.org", name: "Other", role: "cc", self: false },
        ],
        people: [
          { email: "client@example.com", name: "Client Person", role: "from" },
          { email: "other@example.org", name: "Other", role: "cc" },
        ],
      },
    });
  });

  it("rejects non-messages and messages without an id as invalid", () => {
    expect(normalizeGmailMessage({ ...gmailMessage(), id: undefined }, RULES)).toMatchObject({
      ok: false,
      reason: "invalid",
    });
    expect(normalizeGmailMessage(null as never, RULES)).toMatchObject({
      ok: false,
      reason: "invalid",
    });
  });

  it("skips drafts, spam and trash", () => {
    expect(normalize({ labelIds: ["DRAFT"] })).toMatchObject({ ok: false, reason: "draft" });
    expect(normalize({ labelIds: ["SPAM", "UNREAD"] })).toMatchObject({
      ok: false,
      reason: "spam_or_trash",
    });
    expect(normalize({ labelIds: ["TRASH"] })).toMatchObject({
      ok: false,
      reason: "spam_or_trash",
    });
  });

  it("trims the snippet to 500 chars and keeps null threadId", () => {
    const value = ok(normalize({ snippet: `  ${"a".repeat(600)}  `, threadId: null }));
    expect(value.snippet).toHaveLength(500);
    expect(value.threadId).toBeNull();
    expect(ok(normalize({ snippet: null })).snippet).toBeNull();
    expect(ok(normalize({ snippet: "   " })).snippet).toBeNull();
  });
});

describe("normalizeGmailMessage: From and direction", () => {
  it("keeps a message without From as inbound when others are involved", () => {
    const value = ok(
      normalize({ headers: withHeaders({ From: null, Cc: "Ann <ann@example.com>" }) }),
    );
    expect(value.direction).toBe("inbound");
    expect(value.participants.some((p) => p.role === "from")).toBe(false);
    expect(value.people).toEqual([{ email: "ann@example.com", name: "Ann", role: "cc" }]);
  });

  it("skips a message without From when nobody but the user is involved", () => {
    expect(normalize({ headers: withHeaders({ From: null }) })).toEqual({
      ok: false,
      reason: "no_participants",
    });
  });

  it("skips a note to self", () => {
    expect(normalize({ headers: withHeaders({ From: SELF }) })).toMatchObject({
      ok: false,
      reason: "no_participants",
    });
  });

  it("detects outbound mail from a self alias written in another case", () => {
    const value = ok(
      normalize({
        headers: withHeaders({ From: "Jane <JANE.ALIAS@practice.com>", To: "client@example.com" }),
      }),
    );
    expect(value.direction).toBe("outbound");
    expect(value.participants[0]).toEqual({
      email: "jane.alias@practice.com",
      name: "Jane",
      role: "from",
      self: true,
    });
    expect(value.people).toEqual([{ email: "client@example.com", name: null, role: "to" }]);
  });

  it("matches self across Gmail dots, googlemail.com and +tags", () => {
    const rules = { selfAddresses: ["jane.doe@gmail.com"] };
    for (const from of ["JaneDoe@gmail.com", "jane.doe+crm@googlemail.com"]) {
      const value = ok(
        normalize({ headers: withHeaders({ From: from, To: "client@example.com" }) }, rules),
      );
      expect(value.direction).toBe("outbound");
    }
  });

  it("treats SENT mail as outbound and its From as self, even for an unknown alias", () => {
    const value = ok(
      normalize({
        labelIds: ["SENT"],
        headers: withHeaders({
          From: "Old Alias <old@previous-practice.com>",
          To: "client@example.com",
        }),
      }),
    );
    expect(value.direction).toBe("outbound");
    expect(value.participants[0]?.self).toBe(true);
    expect(value.people.map((p) => p.email)).toEqual(["client@example.com"]);
  });
});

describe("normalizeGmailMessage: encoded words", () => {
  it("decodes B-encoded UTF-8 names split across words, even mid-character", () => {
    const value = ok(
      normalize({
        headers: withHeaders({
          From: "=?UTF-8?B?SsM=?= =?UTF-8?B?vHJnZW4gTcO8bGxlcg==?= <j@example.de>",
        }),
      }),
    );
    expect(value.people[0]).toEqual({ email: "j@example.de", name: "Jürgen Müller", role: "from" });
  });

  it("decodes Q-encoded ISO-8859-1 and mixed charsets in names", () => {
    const value = ok(
      normalize({
        headers: withHeaders({
          From: "=?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>",
          Cc: '"=?utf-8?q?Zo=C3=AB?=" <zoe@example.com>, =?UTF-8?Q?=C3=85ngstr=C3=B6m?= =?ISO-8859-1?Q?_J=F6rg?= <jorg@example.se>',
        }),
      }),
    );
    expect(value.people).toEqual([
      { email: "pirard@vm1.ulg.ac.be", name: "André Pirard", role: "from" },
      { email: "zoe@example.com", name: "Zoë", role: "cc" },
      { email: "jorg@example.se", name: "Ångström Jörg", role: "cc" },
    ]);
  });

  it("keeps a decoded name containing a comma as one address", () => {
    const value = ok(
      normalize({
        headers: withHeaders({ From: "=?UTF-8?Q?M=C3=BCller=2C_J=C3=BCrgen?= <j@example.de>" }),
      }),
    );
    expect(value.people).toEqual([{ email: "j@example.de", name: "Müller, Jürgen", role: "from" }]);
  });

  it("decodes the subject (mixed charsets, Q and B, folded)", () => {
    const value = ok(
      normalize({
        headers: withHeaders({
          Subject:
            "=?UTF-8?Q?Caf=C3=A9?= und\r\n =?ISO-8859-1?Q?M=FCsli?= =?UTF-8?B?4pyTIGRvbmU=?=",
        }),
      }),
    );
    expect(value.subject).toBe("Café und Müsli✓ done");
  });

  it("keeps undecodable words as they are and never throws", () => {
    const value = ok(
      normalize({ headers: withHeaders({ Subject: "=?x-unknown?Q?abc?= =?UTF-8?B?####?= tail" }) }),
    );
    expect(value.subject).toContain("tail");
  });

  it("uses the old-style comment as the name and drops names that repeat the address", () => {
    const value = ok(
      normalize({
        headers: withHeaders({
          From: "client@example.com (Client Person)",
          Cc: "ann@example.com <ann@example.com>",
        }),
      }),
    );
    expect(value.people).toEqual([
      { email: "client@example.com", name: "Client Person", role: "from" },
      { email: "ann@example.com", name: null, role: "cc" },
    ]);
  });
});

describe("normalizeGmailMessage: headers", () => {
  it("reads headers case-insensitively and merges repeated address headers", () => {
    const value = ok(
      normalize({
        headers: [
          ["fRoM", "Client <client@example.com>"],
          ["TO", SELF],
          ["to", "Ann <ann@example.com>"],
          ["cC", "bob@example.com"],
          ["SUBJECT", "First subject"],
          ["subject", "Second subject"],
          ["date", "Mon, 3 Jun 2024 10:00:00 +0000"],
        ],
      }),
    );
    expect(value.subject).toBe("First subject");
    expect(value.participants.map((p) => `${p.role}:${p.email}`)).toEqual([
      "from:client@example.com",
      `to:${SELF}`,
      "to:ann@example.com",
      "cc:bob@example.com",
    ]);
  });

  it("orders people from, reply_to, to, cc, bcc and keeps the first role of a repeated address", () => {
    const value = ok(
      normalize({
        headers: withHeaders({
          To: `${SELF}, Ann <ann@example.com>, bob@example.com`,
          Cc: "ANN@example.com, Carl <carl@example.com>",
          Bcc: "Bob Builder <bob@example.com>, dana@example.com",
          "Reply-To": "Client Reply <client@example.com>",
        }),
      }),
    );
    expect(value.people).toEqual([
      { email: "client@example.com", name: "Client Person", role: "from" },
      { email: "ann@example.com", name: "Ann", role: "to" },
      { email: "bob@example.com", name: "Bob Builder", role: "to" },
      { email: "carl@example.com", name: "Carl", role: "cc" },
      { email: "dana@example.com", name: null, role: "bcc" },
    ]);
    // Participants keep every (address, role) pair.
    expect(
      value.participants.filter((p) => p.email === "ann@example.com").map((p) => p.role),
    ).toEqual(["to", "cc"]);
  });

  it("keeps what parses in malformed address lists", () => {
    expect(
      emails(
        normalize({ headers: withHeaders({ To: "Jane <jane@x.com>, broken <<bad@, bob@z.org" }) }),
      ),
    ).toEqual(["from:client@example.com", "to:jane@x.com", "to:bob@z.org"]);
    expect(emails(normalize({ headers: withHeaders({ To: "a@b.com; c@d.com,, " }) }))).toEqual([
      "from:client@example.com",
      "to:a@b.com",
      "to:c@d.com",
    ]);
    expect(
      emails(
        normalize({ headers: withHeaders({ To: 'Jane Doe jane@x.com, "Unterminated <z@y.com' }) }),
      ),
    ).toEqual(["from:client@example.com", "to:jane@x.com", "to:z@y.com"]);
    expect(
      emails(normalize({ headers: withHeaders({ Cc: "<<<>>>, @, foo@, @bar, ;;;" }) })),
    ).toEqual(["from:client@example.com", `to:${SELF}`]);
  });

  it("handles group syntax, empty and with members", () => {
    const value = ok(
      normalize({
        headers: withHeaders({
          To: "Undisclosed recipients:;",
          Cc: 'Team: ann@example.com, "Bob" <bob@example.com>;, carl@example.com',
        }),
      }),
    );
    expect(value.participants.map((p) => `${p.role}:${p.email}`)).toEqual([
      "from:client@example.com",
      "cc:ann@example.com",
      "cc:bob@example.com",
      "cc:carl@example.com",
    ]);
  });

  it("counts an undisclosed-recipients message as inbound from the sender", () => {
    const value = ok(normalize({ headers: withHeaders({ To: "undisclosed-recipients:;" }) }));
    expect(value.people.map((p) => p.email)).toEqual(["client@example.com"]);
  });
});

describe("normalizeGmailMessage: dates", () => {
  it("prefers internalDate", () => {
    const value = ok(normalize({ internalDate: "1700000000123" }));
    expect(value.occurredAt.toISOString()).toBe("2023-11-14T22:13:20.123Z");
  });

  it("falls back to the Date header when internalDate is missing or invalid", () => {
    const spec = { headers: withHeaders({ Date: "Tue, 4 Jun 2024 09:30:15 -0700 (PDT)" }) };
    expect(ok(normalize({ ...spec, internalDate: null })).occurredAt.toISOString()).toBe(
      "2024-06-04T16:30:15.000Z",
    );
    expect(ok(normalize({ ...spec, internalDate: "not-a-number" })).occurredAt.toISOString()).toBe(
      "2024-06-04T16:30:15.000Z",
    );
  });

  it("reads obsolete zones and zone-less dates deterministically (as UTC)", () => {
    const at = (date: string) =>
      ok(
        normalize({ internalDate: null, headers: withHeaders({ Date: date }) }),
      ).occurredAt.toISOString();
    expect(at("4 Jun 2024 09:30 EST")).toBe("2024-06-04T14:30:00.000Z");
    expect(at("Tue,  4 Jun 2024 09:30:00")).toBe("2024-06-04T09:30:00.000Z");
    expect(at("Tue, 4 Jun 24 09:30:00 GMT")).toBe("2024-06-04T09:30:00.000Z");
  });

  it("is invalid when both internalDate and Date are missing or unusable", () => {
    expect(normalize({ internalDate: null, headers: withHeaders({ Date: null }) })).toEqual({
      ok: false,
      reason: "invalid",
      detail: "no usable internalDate or Date header",
    });
    expect(
      normalize({ internalDate: "", headers: withHeaders({ Date: "sometime last week" }) }),
    ).toMatchObject({
      ok: false,
      reason: "invalid",
    });
  });

  it("uses the first usable of repeated Date headers", () => {
    const value = ok(
      normalize({
        internalDate: null,
        headers: [...withHeaders({ Date: "garbage" }), ["DATE", "Wed, 5 Jun 2024 08:00:00 +0200"]],
      }),
    );
    expect(value.occurredAt.toISOString()).toBe("2024-06-05T06:00:00.000Z");
  });
});

describe("normalizeGmailMessage: recipients limit", () => {
  const recipients = (n: number) =>
    Array.from({ length: n }, (_, i) => `p${i}@example.com`).join(", ");

  it("keeps a message at the limit (self and duplicates not counted)", () => {
    const value = ok(
      normalize(
        {
          headers: withHeaders({
            To: `${SELF}, ${recipients(3)}`,
            Cc: "p0@example.com, p3@example.com",
            Bcc: "p4@example.com",
          }),
        },
        { maxRecipients: 5 },
      ),
    );
    expect(value.people).toHaveLength(6); // sender + 5 recipients
  });

  it("skips a message over the limit", () => {
    expect(
      normalize(
        {
          headers: withHeaders({ To: recipients(4), Cc: "p4@example.com", Bcc: "p5@example.com" }),
        },
        { maxRecipients: 5 },
      ),
    ).toEqual({ ok: false, reason: "too_many_recipients", detail: "6 recipients > 5" });
  });

  it("allows no limit with Infinity", () => {
    expect(
      normalize({ headers: withHeaders({ To: recipients(200) }) }, { maxRecipients: Infinity }).ok,
    ).toBe(true);
  });
});

describe("normalizeGmailMessage: bulk", () => {
  const newsletter = withHeaders({
    From: "Wellness Weekly <news@wellness-weekly.com>",
    "List-Unsubscribe":
      "<mailto:unsubscribe@wellness-weekly.com>, <https://wellness-weekly.com/u/1>",
  });

  it("skips a newsletter and keeps it when skipBulk is false", () => {
    expect(normalize({ headers: newsletter })).toEqual({
      ok: false,
      reason: "bulk",
      detail: "List-Unsubscribe",
    });
    expect(ok(normalize({ headers: newsletter }, { skipBulk: false })).people[0]?.email).toBe(
      "news@wellness-weekly.com",
    );
  });

  it("detects List-Id, Precedence and Auto-Submitted", () => {
    expect(normalize({ headers: withHeaders({ "list-id": "<group.example.com>" }) })).toMatchObject(
      { reason: "bulk" },
    );
    expect(normalize({ headers: withHeaders({ PRECEDENCE: " Bulk" }) })).toMatchObject({
      reason: "bulk",
    });
    expect(normalize({ headers: withHeaders({ Precedence: "junk" }) })).toMatchObject({
      reason: "bulk",
    });
    expect(normalize({ headers: withHeaders({ Precedence: "list" }) })).toMatchObject({
      reason: "bulk",
    });
    expect(normalize({ headers: withHeaders({ "Auto-Submitted": "auto-replied" }) })).toMatchObject(
      { reason: "bulk" },
    );
    expect(
      normalize({ headers: withHeaders({ "Auto-Submitted": "auto-generated; owner-email=x@y" }) }),
    ).toMatchObject({
      reason: "bulk",
    });
  });

  it("does not flag Auto-Submitted: no, Precedence: first-class or X-Auto-Response-Suppress", () => {
    expect(normalize({ headers: withHeaders({ "Auto-Submitted": "No" }) }).ok).toBe(true);
    expect(normalize({ headers: withHeaders({ Precedence: "first-class" }) }).ok).toBe(true);
    expect(normalize({ headers: withHeaders({ "X-Auto-Response-Suppress": "All" }) }).ok).toBe(
      true,
    );
  });
});

describe("normalizeGmailMessage: no-reply", () => {
  it("skips an inbound message whose only other participant is a no-reply sender", () => {
    expect(
      normalize({ headers: withHeaders({ From: "Booking System <no-reply@bookings.example>" }) }),
    ).toEqual({
      ok: false,
      reason: "no_reply",
    });
    expect(
      normalize({ headers: withHeaders({ From: "MAILER-DAEMON@mx.example.com" }) }),
    ).toMatchObject({
      reason: "no_reply",
    });
  });

  it("keeps a real person named Noreen", () => {
    const value = ok(
      normalize({ headers: withHeaders({ From: "Noreen Walsh <noreen@example.ie>" }) }),
    );
    expect(value.people).toEqual([
      { email: "noreen@example.ie", name: "Noreen Walsh", role: "from" },
    ]);
  });

  it("keeps a web-form message: no-reply From, the client in Reply-To", () => {
    const value = ok(
      normalize({
        headers: withHeaders({
          From: "Website <noreply@forms.example.com>",
          "Reply-To": "Client Person <client@gmail.com>",
        }),
      }),
    );
    expect(value.direction).toBe("inbound");
    expect(value.participants.map((p) => p.email)).toContain("noreply@forms.example.com");
    expect(value.people).toEqual([
      { email: "client@gmail.com", name: "Client Person", role: "reply_to" },
    ]);
  });

  it("keeps a no-reply sender's message when a real person is copied, without the no-reply in people", () => {
    const value = ok(
      normalize({
        headers: withHeaders({ From: "notifications@app.example", Cc: "Ann <ann@example.com>" }),
      }),
    );
    expect(value.people.map((p) => p.email)).toEqual(["ann@example.com"]);
  });
});

describe("normalizeGmailMessage: never log", () => {
  const rules = { neverLog: ["EX@Private.com", "@lawfirm.com", "mediation.org"] };

  it("skips by address, in any case and role", () => {
    expect(normalize({ headers: withHeaders({ Cc: "Ex <ex@PRIVATE.com>" }) }, rules)).toMatchObject(
      {
        ok: false,
        reason: "never_log",
      },
    );
    expect(
      normalize(
        {
          labelIds: ["SENT"],
          headers: withHeaders({ From: SELF, To: "client@example.com", Bcc: "ex@private.com" }),
        },
        rules,
      ),
    ).toMatchObject({ reason: "never_log" });
  });

  it("skips by domain, including subdomains, but not look-alike domains", () => {
    expect(
      normalize({ headers: withHeaders({ From: "partner@lawfirm.com" }) }, rules),
    ).toMatchObject({
      reason: "never_log",
    });
    expect(
      normalize({ headers: withHeaders({ From: "partner@ny.LawFirm.com" }) }, rules),
    ).toMatchObject({
      reason: "never_log",
    });
    expect(
      normalize({ headers: withHeaders({ "Reply-To": "m@eu.mediation.org" }) }, rules),
    ).toMatchObject({
      reason: "never_log",
    });
    expect(normalize({ headers: withHeaders({ From: "someone@notlawfirm.com" }) }, rules).ok).toBe(
      true,
    );
    expect(
      normalize({ headers: withHeaders({ From: "someone@lawfirm.com.evil.example" }) }, rules).ok,
    ).toBe(true);
  });

  it("wins over every other skip reason except drafts/spam", () => {
    const result = normalize(
      {
        internalDate: null,
        headers: withHeaders({ Date: null, From: "noreply@lawfirm.com", "List-Id": "<x>" }),
      },
      rules,
    );
    expect(result).toMatchObject({ reason: "never_log" });
  });

  it("does not reveal the matched address in detail", () => {
    const result = normalize({ headers: withHeaders({ Cc: "ex@private.com" }) }, rules);
    expect(JSON.stringify(result)).not.toContain("ex@private.com");
  });
});

describe("normalizeGmailMessage: bodies", () => {
  it("decodes a plain single-part body", () => {
    expect(ok(normalize({ body: leaf("text/plain", "Hello Jane 😊") })).body).toBe("Hello Jane 😊");
  });

  it("converts an html-only body to text without links or images", () => {
    const html =
      '<html><head><style>p{color:red}</style></head><body><p>Hi <b>Jane</b>,</p><p>Book <a href="https://example.com/book">here</a> <img src="https://t.example/p.gif" alt="pixel"> &amp; enjoy</p></body></html>';
    const body = ok(normalize({ body: leaf("text/html", html, { charset: "utf-8" }) })).body;
    expect(body).toBe("Hi Jane,\n\nBook here & enjoy");
  });

  it("walks multipart/alternative nested in multipart/mixed with an attachment", () => {
    const body = multipart(
      "mixed",
      multipart(
        "alternative",
        leaf("text/plain", "Plain version"),
        leaf("text/html", "<p>HTML version</p>"),
      ),
      leaf("application/pdf", "%PDF-1.4", {
        filename: "intake.pdf",
        disposition: 'attachment; filename="intake.pdf"',
      }),
    );
    expect(ok(normalize({ body })).body).toBe("Plain version");
  });

  it("prefers html over text attachments and skips attachmentId-only parts", () => {
    const body = multipart(
      "mixed",
      {
        partId: "",
        mimeType: "text/plain",
        filename: "",
        headers: [],
        body: { size: 99999, attachmentId: "ANGj" },
      },
      multipart(
        "related",
        leaf("text/html", "<div>Only <i>HTML</i> here</div>"),
        leaf("image/png", "png", { filename: "logo.png" }),
      ),
      leaf("text/plain", "notes.txt content", { filename: "notes.txt" }),
      leaf("text/plain", "inline but attachment", { disposition: "attachment" }),
    );
    expect(ok(normalize({ body })).body).toBe("Only HTML here");
  });

  it("respects an iso-8859-1 charset", () => {
    const bytes = Uint8Array.from([
      0x43, 0x61, 0x66, 0xe9, 0x20, 0x4d, 0xfc, 0x6e, 0x63, 0x68, 0x65, 0x6e,
    ]); // "Café München"
    const value = ok(normalize({ body: leaf("text/plain", bytes, { charset: "ISO-8859-1" }) }));
    expect(value.body).toBe("Café München");
    // Unknown charsets fall back to UTF-8.
    expect(
      ok(normalize({ body: leaf("text/plain", "Grüße", { charset: "x-made-up" }) })).body,
    ).toBe("Grüße");
  });

  it("decodes URL-safe base64 without padding (and tolerates standard base64)", () => {
    const text = "Fee: 50€ >>> ok??~";
    const data = b64url(text);
    expect(data).toMatch(/[-_]/);
    expect(data).not.toContain("=");
    expect(ok(normalize({ body: leaf("text/plain", text) })).body).toBe(text);
    const padded = {
      ...leaf("text/plain", text),
      body: { data: Buffer.from(text).toString("base64") },
    };
    expect(ok(normalize({ body: padded })).body).toBe(text);
  });

  it("returns null bodies when includeBodies is false, and truncates to maxBodyChars", () => {
    expect(
      ok(normalize({ body: leaf("text/plain", "secret notes") }, { includeBodies: false })).body,
    ).toBeNull();
    expect(
      ok(normalize({ body: leaf("text/plain", "x".repeat(50)) }, { maxBodyChars: 10 })).body,
    ).toBe("x".repeat(10));
    expect(ok(normalize({ body: leaf("text/plain", "x".repeat(25_000)) })).body).toHaveLength(
      20_000,
    );
    expect(ok(normalize({})).body).toBeNull(); // metadata: no body data
  });

  it("drops NUL and other control characters that the database cannot store", () => {
    expect(ok(normalize({ body: leaf("text/plain", "a\u0000b\u0007c\td") })).body).toBe("abc\td");
  });
});

describe("determinism and duplicates", () => {
  const message = gmailMessage({
    headers: withHeaders({ Cc: "=?UTF-8?B?SsO8cmdlbg==?= <j@example.de>" }),
    body: multipart("alternative", leaf("text/plain", "Body"), leaf("text/html", "<p>Body</p>")),
  });

  it("normalizes the same message to equal results every time", () => {
    const first = normalizeGmailMessage(message, RULES);
    const second = normalizeGmailMessage(structuredClone(message), compileRules(RULES));
    expect(second).toEqual(first);
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });

  it("does not mutate the input", () => {
    const copy = structuredClone(message);
    normalizeGmailMessage(message, RULES);
    expect(message).toEqual(copy);
  });

  it("dedupes duplicate messages in a batch (first wins) and reports skips", () => {
    const other = gmailMessage({
      id: "18f0000000000002",
      headers: withHeaders({ From: "noreply@x.example" }),
    });
    const result = normalizeGmailMessages([message, structuredClone(message), other, other], RULES);
    expect(result.emails.map((e) => e.externalId)).toEqual(["18f0000000000001"]);
    expect(result.skipped).toStrictEqual([{ id: "18f0000000000002", reason: "no_reply" }]);
  });

  it("dedupeByExternalId keeps the first of each externalId", () => {
    const value = ok(normalizeGmailMessage(message, RULES));
    expect(dedupeByExternalId([value, { ...value, subject: "later copy" }])).toEqual([value]);
  });

  it("DEFAULT_HEADERS stay untouched by withHeaders", () => {
    withHeaders({ From: null });
    expect(DEFAULT_HEADERS[0]?.[0]).toBe("From");
  });
});
