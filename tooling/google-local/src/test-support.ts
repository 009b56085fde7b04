/** Helpers the tests share: real googleapis clients pointed at a local Google. */
import { calendar, type calendar_v3 } from "@googleapis/calendar";
import { gmail, type gmail_v1 } from "@googleapis/gmail";
import { type Credentials, gaxios, OAuth2Client } from "google-auth-library";
import type { LocalGoogle } from "./server.ts";

export const REDIRECT_URI = "http://127.0.0.1:3000/api/integrations/google/callback";

export function oauthClient(google: LocalGoogle, credentials?: Credentials): OAuth2Client {
  const client = new OAuth2Client({
    clientId: google.oauth.clientId,
    clientSecret: google.oauth.clientSecret,
    redirectUri: REDIRECT_URI,
    endpoints: google.oauth.endpoints,
  });
  if (credentials) client.setCredentials(credentials);
  return client;
}

/** A Gmail client authorised as an account (default: the first). `retry: false` unless asked. */
export function gmailClient(
  google: LocalGoogle,
  options: { email?: string; auth?: OAuth2Client; retry?: boolean; timeout?: number } = {},
): gmail_v1.Gmail {
  const auth = options.auth ?? oauthClient(google, google.oauth.issueTokens(options.email));
  return gmail({
    version: "v1",
    auth,
    rootUrl: google.gmailRootUrl,
    retry: options.retry ?? false,
    ...(options.timeout ? { timeout: options.timeout } : {}),
  });
}

export function calendarClient(
  google: LocalGoogle,
  options: { email?: string; auth?: OAuth2Client; retry?: boolean } = {},
): calendar_v3.Calendar {
  const auth = options.auth ?? oauthClient(google, google.oauth.issueTokens(options.email));
  return calendar({
    version: "v3",
    auth,
    rootUrl: google.calendarRootUrl,
    retry: options.retry ?? false,
  });
}

/** The GaxiosError a promise rejects with (fails the test if it resolves). */
export async function gaxiosError(promise: Promise<unknown>): Promise<gaxios.GaxiosError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof gaxios.GaxiosError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

/** A rejection reason as a GaxiosError (anything else is rethrown). */
export function asGaxiosError(reason: unknown): gaxios.GaxiosError {
  if (reason instanceof gaxios.GaxiosError) return reason;
  throw reason;
}

/** Google's error envelope from a failed call. */
export function errorBody(error: gaxios.GaxiosError): {
  code: number;
  message: string;
  status?: string;
  errors: { reason: string; domain: string; message: string }[];
} {
  return (error.response?.data as { error: ReturnType<typeof errorBody> }).error;
}
