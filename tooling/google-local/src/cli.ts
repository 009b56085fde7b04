#!/usr/bin/env tsx
/**
 * Runs a local Google for demos and benchmarks:
 *   npm start -w @omnicrm/google-local -- --port 8890 --messages 200 --seed 1
 */
import { parseCliArgs, USAGE } from "./cli-args.ts";
import { startLocalGoogle } from "./server.ts";

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseCliArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (parsed.help) {
    process.stdout.write(USAGE);
    return;
  }
  const google = await startLocalGoogle({
    ...parsed.options,
    ...(parsed.verbose
      ? { log: (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`) }
      : {}),
  });
  const accounts = google.accounts.list();
  process.stdout.write(
    [
      `google-local listening on ${google.url}`,
      ``,
      `  OAuth client id      ${google.oauth.clientId}`,
      `  OAuth client secret  ${google.oauth.clientSecret}`,
      `  authorize            ${google.oauth.authUrl}`,
      `  token                ${google.oauth.tokenUrl}`,
      `  revoke               ${google.oauth.revokeUrl}`,
      `  userinfo             ${google.oauth.userinfoUrl}`,
      `  Gmail/Calendar root  ${google.gmailRootUrl}`,
      ``,
      ...accounts.flatMap((a) => {
        const line = `  account ${a.email}: ${a.mailbox.size} messages, ${a.calendar.calendars().length} calendars`;
        if (!parsed.printTokens) return [line];
        const tokens = google.oauth.issueTokens(a.email);
        return [
          line,
          `    access token   ${tokens.access_token}`,
          `    refresh token  ${tokens.refresh_token ?? ""}`,
        ];
      }),
      ``,
      `Ctrl-C to stop.`,
      ``,
    ].join("\n"),
  );
  const stop = (): void => {
    void google.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

await main();
