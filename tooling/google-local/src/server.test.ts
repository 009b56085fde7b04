import { describe, expect, it, vi } from "vitest";
import { parseCliArgs } from "./cli-args.ts";
import { startLocalGoogle } from "./server.ts";
import { gmailClient } from "./test-support.ts";

describe("server", () => {
  it("listens on 127.0.0.1, closes idempotently and refuses connections after", async () => {
    const google = await startLocalGoogle({ messages: 3, events: 1 });
    expect(google.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(google.gmailRootUrl).toBe(`${google.url}/`);
    const res = await fetch(`${google.url}/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 404 } });
    await Promise.all([google.close(), google.close()]);
    await expect(fetch(`${google.url}/token`)).rejects.toThrow();
  });

  it("closes promptly with a held connection and a pending delay", async () => {
    const google = await startLocalGoogle({ messages: 3, events: 1 });
    const api = gmailClient(google);
    google.faults.script("gmail.getProfile", { type: "timeout" });
    google.faults.script("gmail.labels.list", { type: "delay", ms: 60_000 });
    const held = api.users.getProfile({ userId: "me" }).catch((e: unknown) => e);
    const delayed = api.users.labels.list({ userId: "me" }).catch((e: unknown) => e);
    await vi.waitFor(() => expect(google.stats.snapshot().faultsInjected).toBe(2));
    const started = Date.now();
    await google.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await held).toBeInstanceOf(Error);
    expect(await delayed).toBeInstanceOf(Error);
  });

  it("logs nothing by default, and each request through `log` when given", async () => {
    const write = vi.spyOn(process.stdout, "write");
    const errWrite = vi.spyOn(process.stderr, "write");
    const lines: string[] = [];
    try {
      await using quiet = await startLocalGoogle({ messages: 3, events: 1 });
      await gmailClient(quiet).users.getProfile({ userId: "me" });
      expect(write).not.toHaveBeenCalled();
      expect(errWrite).not.toHaveBeenCalled();
      await using chatty = await startLocalGoogle({
        messages: 3,
        events: 1,
        log: (line) => lines.push(line),
      });
      await gmailClient(chatty).users.getProfile({ userId: "me" });
    } finally {
      write.mockRestore();
      errWrite.mockRestore();
    }
    expect(lines).toEqual([
      expect.stringMatching(/^GET \/gmail\/v1\/users\/me\/profile -> 200 \(gmail\.getProfile\)$/),
    ]);
  });

  it("validates options and serves several accounts", async () => {
    await expect(startLocalGoogle({ messages: -1 })).rejects.toThrow();
    await expect(startLocalGoogle({ accounts: [{ email: "not-an-email" }] })).rejects.toThrow();
    await using google = await startLocalGoogle({
      messages: 3,
      events: 1,
      accounts: [{ email: "a@one.example" }, { email: "b@two.example", messages: 7 }],
    });
    expect(google.accounts.list().map((a) => a.mailbox.size)).toEqual([3, 7]);
    const added = google.accounts.add({ email: "c@three.example", messages: 2 });
    expect(added.mailbox.size).toBe(2);
    expect(() => google.accounts.add({ email: "c@three.example" })).toThrow();
    expect(
      (await gmailClient(google, { email: "c@three.example" }).users.getProfile({ userId: "me" }))
        .data.emailAddress,
    ).toBe("c@three.example");
    expect(google.stats.snapshot().calls["gmail.getProfile"]).toBe(1);
  });

  it("parses CLI flags", () => {
    const parsed = parseCliArgs([
      "--port",
      "8890",
      "--messages",
      "200",
      "--seed",
      "1",
      "--quota",
      "6000",
      "--fault-rate",
      "0.1",
      "--account",
      "maya@x.example=Maya R",
      "--account",
      "sam@x.example",
    ]);
    expect(parsed.options).toMatchObject({
      port: 8890,
      messages: 200,
      seed: 1,
      quota: { enabled: true, gmailUnitsPerUserPerMinute: 6000 },
      accounts: [{ email: "maya@x.example", name: "Maya R" }, { email: "sam@x.example" }],
      faults: { rules: [{ probability: 0.1 }] },
    });
    expect(parseCliArgs([]).options.port).toBe(8890);
    expect(() => parseCliArgs(["--bogus"])).toThrow();
    expect(() => parseCliArgs(["--messages", "lots"])).toThrow();
  });
});
