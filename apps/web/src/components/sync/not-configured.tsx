import { KeyRoundIcon } from "lucide-react";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";

const explanations: Record<string, string> = {
  GOOGLE_CLIENT_ID: "the OAuth client id of a Google Cloud project (type “Web application”)",
  GOOGLE_CLIENT_SECRET: "that OAuth client's secret",
  OMNICRM_ENCRYPTION_KEY:
    "the key that seals Google tokens: keyId:base64 of 32 random bytes (npm start creates one)",
};

/** Google sync is off on this server: what the person running it must set, and nothing else. */
export function NotConfigured({
  missing,
  callbackUrl,
}: {
  missing: string[];
  callbackUrl: string;
}) {
  const names = missing.length > 0 ? missing : ["GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET"];
  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <KeyRoundIcon aria-hidden="true" className="size-5 text-primary" />
          Google is not set up on this server
        </CardTitle>
        <CardDescription>
          Whoever runs this OmniCRM needs to add a Google OAuth client before Gmail and Calendar can
          be connected. Share these steps with them.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4 text-sm">
        <div className="grid gap-2">
          <p className="font-medium">Set these environment variables, then restart OmniCRM:</p>
          <ul className="grid gap-2">
            {names.map((name) => (
              <li key={name} className="grid gap-0.5 sm:grid-cols-[auto_1fr] sm:gap-3">
                <code className="w-fit rounded bg-muted px-1.5 py-0.5 font-mono text-xs">
                  {name}
                </code>
                <span className="text-muted-foreground">
                  {explanations[name] ?? "see the README"}
                </span>
              </li>
            ))}
          </ul>
        </div>
        <div className="grid gap-2">
          <p className="font-medium">In Google Cloud, add this authorized redirect URI:</p>
          <code className="w-fit max-w-full rounded bg-muted px-1.5 py-1 font-mono text-xs break-all">
            {callbackUrl}
          </code>
          <p className="text-muted-foreground">
            and enable the Gmail API and the Google Calendar API. The README explains each step.
          </p>
        </div>
      </CardContent>
    </Card>
  );
}
