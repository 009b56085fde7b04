"use client";

import { toast } from "sonner";
import { describeApiError, type ApiErrorInfo } from "@/trpc/react";

const UNREACHABLE = "Could not reach OmniCRM. Check your connection and try again.";

/**
 * What went wrong, for people: the server's own words and request id when it answered, a plain
 * sentence when it could not be reached (rather than the browser's "Failed to fetch").
 */
export function describeFailure(error: unknown): ApiErrorInfo {
  const info = describeApiError(error);
  return info.code === null && info.requestId === null ? { ...info, message: UNREACHABLE } : info;
}

/** A toast saying what was not done and why, with the request id to quote. */
export function failureToast(title: string, error: unknown): void {
  const info = describeFailure(error);
  toast.error(title, {
    description: info.requestId ? `${info.message} (request id ${info.requestId})` : info.message,
  });
}
