import { describe, expect, it } from "vitest";
import { isNoReplyAddress, normalizeEmail, parseAddressHeaders } from "./addresses.ts";
import { parseCalendarDateTime, parseDateHeader, parseEpochMillis } from "./dates.ts";
import { classifyAddress, compileRules, normalizeRulesSchema } from "./rules.ts";
import { decodeHtmlEntities, truncate } from "./text.ts";
import type { NormalizeRules } from "./types.ts";

const RULES: NormalizeRules = {
  selfAddresses: [" Me@Practice.com ", "jane.doe@gmail.com"],
  neverLog: [
    "Ex@Private.com",
    "@LawFirm.com",
    "mediation.org",
    "e.x@gmail.com",
    "  ",
    "*@star.example",
  ],
  skipBulk: true,
  maxRecipients: 10,
  includeBodies: false,
};

describe("classifyAddress", () => {
  it.each([
    ["me@practice.com", "self"],
    ["ME@PRACTICE.COM", "self"],
    ["me+crm@practice.com", "self"],
    ["JaneDoe@googlemail.com", "self"],
    ["ex@private.com", "never_log"],
    ["exfriend@private.com", "person"],
    ["partner@lawfirm.com", "never_log"],
    ["partner@ny.office.lawfirm.com", "never_log"],
    ["x@mediation.org", "never_log"],
    ["x@star.example", "never_log"],
    ["ex@gmail.com", "never_log"],
    ["x@notlawfirm.com", "person"],
    ["noreply@example.com", "no_reply"],
    ["noreply@lawfirm.com", "never_log"],
    ["client@gmail.com", "person"],
    ["client@yahoo.co.uk", "person"],
  ])("%s → %s", (email, expected) => {
    expect(classifyAddress(email, RULES)).toBe(expected);
  });

  it("puts self before never-log", () => {
    expect(classifyAddress("me@practice.com", { ...RULES, neverLog: ["practice.com"] })).toBe(
      "self",
    );
  });

  it("accepts compiled rules", () => {
    expect(classifyAddress("ex@private.com", compileRules(RULES))).toBe("never_log");
  });
});

describe("isNoReplyAddress", () => {
  it.each([
    "noreply@x.com",
    "no-reply@x.com",
    "No_Reply@x.com",
    "no.reply@x.com",
    "donotreply@x.com",
    "do-not-reply@x.com",
    "do_not_reply@x.com",
    "dont-reply@x.com",
    "noreply2@x.com",
    "noreply+abc@x.com",
    "accounts-noreply@google.com",
    "noreply-dmarc-support@google.com",
    "mailer-daemon@x.com",
    "MAILER-DAEMON@x.com",
    "postmaster@x.com",
    "bounce@x.com",
    "bounces+12345-abc=example.com@sendgrid.net",
    "bounce-mc.us5_123@mail.x.com",
    "notification@x.com",
    "notifications@github.com",
    "calendar-notification@google.com",
    "notify@x.com",
    "nobody@x.com",
  ])("%s is no-reply", (email) => {
    expect(isNoReplyAddress(email)).toBe(true);
  });

  it.each([
    "noreen@x.ie",
    "nora.reply@x.com",
    "norman@x.com",
    "notley@x.com",
    "bouncer@x.com",
    "info@x.com",
    "hello@x.com",
    "support@x.com",
    "replyall@x.com",
    "anne.noble@x.com",
    "noah@x.com",
  ])("%s is a person", (email) => {
    expect(isNoReplyAddress(email)).toBe(false);
  });
});

describe("normalizeRulesSchema", () => {
  it("accepts stored rules and rejects bad limits", () => {
    expect(normalizeRulesSchema.parse({ ...RULES, maxBodyChars: 5000 })).toMatchObject({
      maxBodyChars: 5000,
    });
    expect(normalizeRulesSchema.safeParse({ ...RULES, maxRecipients: -1 }).success).toBe(false);
  });

  it("compiles defensively", () => {
    const compiled = compileRules({ ...RULES, maxRecipients: Number.NaN, maxBodyChars: -5 });
    expect(compiled.maxRecipients).toBe(Infinity);
    expect(compiled.maxBodyChars).toBe(20_000);
  });
});

describe("addresses", () => {
  it("normalizes emails", () => {
    expect(normalizeEmail("  <Jane@Example.COM> ")).toBe("jane@example.com");
    expect(normalizeEmail("mailto:jane@example.com")).toBe("jane@example.com");
    expect(normalizeEmail("jane")).toBeNull();
    expect(normalizeEmail("@example.com")).toBeNull();
    expect(normalizeEmail("jane@")).toBeNull();
    expect(normalizeEmail("a b@example.com")).toBeNull();
  });

  it("dedupes across repeated headers and never throws on junk", () => {
    expect(parseAddressHeaders(["a@x.com, A <A@X.com>", "b@x.com", ""])).toEqual([
      { email: "a@x.com", name: null },
      { email: "b@x.com", name: null },
    ]);
    for (const junk of [
      "\u0000",
      "<<<",
      '"""',
      "(((",
      "a@b@c",
      ":;",
      "=?utf-8?b?",
      "x".repeat(10_000),
    ]) {
      expect(() => parseAddressHeaders([junk])).not.toThrow();
    }
  });

  it("handles groups and fallbacks in lists too long for a single parse", () => {
    const many = Array.from({ length: 60 }, (_, i) => `"Person, ${i}" <p${i}@example.com>`).join(
      ", ",
    );
    const header = `Team: lead@example.com, "Deputy" <deputy@example.com>;, ${many}, broken <<x@, tail@example.com`;
    expect(header.length).toBeGreaterThan(1_000);
    const parsed = parseAddressHeaders([header]);
    expect(parsed).toHaveLength(63);
    expect(parsed.slice(0, 3)).toEqual([
      { email: "lead@example.com", name: null },
      { email: "deputy@example.com", name: "Deputy" },
      { email: "p0@example.com", name: "Person, 0" },
    ]);
    expect(parsed.at(-1)).toEqual({ email: "tail@example.com", name: null });
  });

  it("fast path for plain shapes gives what email-addresses gives", () => {
    const samples = [
      "jane@example.com",
      "  Jane@Example.COM  ",
      "Jane Doe <jane@example.com>",
      "Jane   Doe<jane@example.com>",
      '"Doe, Jane" <jane@example.com>',
      "\"Jane 'JD' Doe\" <jane.doe+crm@mail.example.co.uk>",
      '"" <empty@example.com>',
      "<only@example.com>",
      "Mr. J. R. Smith <smith@example.com>",
      "Ünïcødé Ñame <u@example.com>",
      "=?UTF-8?B?SsO8cmdlbg==?= =?UTF-8?B?IE3DvGxsZXI=?= <j@example.de>",
      "=?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>",
      "o'brien@example.ie, x_y-z@sub-domain.example.org",
      'a@b.com, Bee <b@c.com>, "Sea, C" <c@d.com>, d@localhost',
      "jane@example.com <jane@example.com>",
      "a@b.com,,c@d.com",
      "a@b.com,",
      'Name With "Quote <q@example.com>',
      "first.last.@example.com",
      "x@-dash-.example",
    ];
    for (const sample of samples) {
      expect(parseAddressHeaders([sample]), sample).toEqual(
        parseAddressHeaders([sample], { fastPath: false }),
      );
    }
  });

  it("stays fast on pathological input", () => {
    const started = performance.now();
    for (const junk of [
      "(".repeat(100_000),
      '"a@" '.repeat(20_000),
      "<a@b".repeat(25_000),
      "a@".repeat(50_000),
    ]) {
      parseAddressHeaders([junk]);
    }
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe("dates", () => {
  it("parses RFC 5322 dates", () => {
    expect(parseDateHeader("Fri, 21 Nov 1997 09:55:06 -0600")?.toISOString()).toBe(
      "1997-11-21T15:55:06.000Z",
    );
    expect(parseDateHeader("21 Nov 97 09:55:06 GMT")?.toISOString()).toBe(
      "1997-11-21T09:55:06.000Z",
    );
    expect(parseDateHeader("Thu, 13 Feb 1969 23:32 -0330 (Newfoundland Time)")?.toISOString()).toBe(
      "1969-02-14T03:02:00.000Z",
    );
    expect(parseDateHeader("2024-06-03T10:00:00+02:00")?.toISOString()).toBe(
      "2024-06-03T08:00:00.000Z",
    );
    expect(parseDateHeader("2024-06-03T10:00:00")).toBeNull();
    expect(parseDateHeader("32 Jan 2024 10:00 +0000")).toBeNull();
    expect(parseDateHeader("")).toBeNull();
  });

  it("parses internalDate strictly", () => {
    expect(parseEpochMillis("1717408800000")?.toISOString()).toBe("2024-06-03T10:00:00.000Z");
    expect(parseEpochMillis("0")).toBeNull();
    expect(parseEpochMillis("1e12")).toBeNull();
    expect(parseEpochMillis("-5")).toBeNull();
    expect(parseEpochMillis(undefined)).toBeNull();
  });

  it("handles DST when reading zone-less calendar times", () => {
    expect(parseCalendarDateTime("2024-07-15T09:00:00", "America/New_York")?.toISOString()).toBe(
      "2024-07-15T13:00:00.000Z",
    );
    expect(parseCalendarDateTime("2024-07-15T09:00:00", "Not/AZone")?.toISOString()).toBe(
      "2024-07-15T09:00:00.000Z",
    );
  });
});

describe("text", () => {
  it("decodes HTML entities in snippets", () => {
    expect(
      decodeHtmlEntities("it&#39;s &amp; &quot;ok&quot; &#x1F600; &lt;b&gt; &unknown; &nbsp;"),
    ).toBe('it\'s & "ok" 😀 <b> &unknown; \u00a0');
  });

  it("does not split surrogate pairs when truncating", () => {
    expect(truncate("ab😀", 3)).toBe("ab");
    expect(truncate("ab😀", 4)).toBe("ab😀");
  });
});
