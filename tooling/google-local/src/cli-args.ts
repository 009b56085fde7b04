import { parseArgs } from "node:util";
import { z } from "zod";
import type { LocalGoogleOptions } from "./options.ts";

export const USAGE = `Usage: google-local [options]

Runs a local Google (OAuth, Gmail v1, Calendar v3) on 127.0.0.1 for demos and benchmarks.

  --port <n>               port to listen on (default 8890; 0 picks a free one)
  --messages <n>           generated messages per account (default 200)
  --events <n>             generated primary-calendar events per account (default 40)
  --seed <s>               data seed (default 1): same seed, same data
  --anchor <iso>           instant the data is generated around (default: today 00:00 UTC)
  --account <email[=Name]> an account (repeatable; default maya@serenity-wellness.example)
  --client-id <id>         OAuth client id
  --client-secret <s>      OAuth client secret
  --redirect-uri <uri>     allowed redirect URI (repeatable; default: any http(s) URI)
  --token-ttl <seconds>    access token lifetime (default 3599)
  --rotate-refresh-tokens  issue a new refresh token on every refresh
  --quota <units>          enable quota: Gmail units per user per minute (e.g. 6000)
  --calendar-quota <n>     Calendar requests per user per minute (with --quota; default 600)
  --fault-rate <p>         fail this share of API calls with 503 (seeded, deterministic)
  --fault-seed <s>         seed for --fault-rate (default: --seed)
  --print-tokens           mint and print tokens for each account (no browser needed)
  --verbose                log every request to stderr
  --help                   show this help
`;

const count = z.coerce.number().int().min(0);

export interface CliOptions {
  help: boolean;
  printTokens: boolean;
  verbose: boolean;
  options: LocalGoogleOptions;
}

export function parseCliArgs(argv: string[]): CliOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: "string", default: "8890" },
      messages: { type: "string" },
      events: { type: "string" },
      seed: { type: "string" },
      anchor: { type: "string" },
      account: { type: "string", multiple: true },
      "client-id": { type: "string" },
      "client-secret": { type: "string" },
      "redirect-uri": { type: "string", multiple: true },
      "token-ttl": { type: "string" },
      "rotate-refresh-tokens": { type: "boolean", default: false },
      quota: { type: "string" },
      "calendar-quota": { type: "string" },
      "fault-rate": { type: "string" },
      "fault-seed": { type: "string" },
      "print-tokens": { type: "boolean", default: false },
      verbose: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  const seed =
    values.seed === undefined
      ? undefined
      : /^\d+$/.test(values.seed)
        ? Number(values.seed)
        : values.seed;
  const options: LocalGoogleOptions = { port: count.max(65_535).parse(values.port) };
  if (seed !== undefined) options.seed = seed;
  if (values.messages !== undefined) options.messages = count.parse(values.messages);
  if (values.events !== undefined) options.events = count.parse(values.events);
  if (values.anchor !== undefined) options.anchor = values.anchor;
  if (values.account?.length)
    options.accounts = values.account.map((entry) => {
      const [email = "", name] = entry.split("=");
      return name ? { email, name } : { email };
    });
  const oauth: NonNullable<LocalGoogleOptions["oauth"]> = {};
  if (values["client-id"]) oauth.clientId = values["client-id"];
  if (values["client-secret"]) oauth.clientSecret = values["client-secret"];
  if (values["redirect-uri"]?.length) oauth.redirectUris = values["redirect-uri"];
  if (values["token-ttl"]) oauth.accessTokenTtlSeconds = count.min(1).parse(values["token-ttl"]);
  if (values["rotate-refresh-tokens"]) oauth.rotateRefreshTokens = true;
  if (Object.keys(oauth).length) options.oauth = oauth;
  if (values.quota !== undefined)
    options.quota = {
      enabled: true,
      gmailUnitsPerUserPerMinute: count.min(1).parse(values.quota),
      ...(values["calendar-quota"]
        ? { calendarRequestsPerUserPerMinute: count.min(1).parse(values["calendar-quota"]) }
        : {}),
    };
  if (values["fault-rate"] !== undefined) {
    const probability = z.coerce.number().min(0).max(1).parse(values["fault-rate"]);
    options.faults = {
      ...(values["fault-seed"] ? { seed: values["fault-seed"] } : {}),
      rules: [
        { endpoint: ["gmail.*", "calendar.*"], probability, fault: { type: "error", status: 503 } },
      ],
    };
  }
  return {
    help: values.help,
    printTokens: values["print-tokens"],
    verbose: values.verbose,
    options,
  };
}
