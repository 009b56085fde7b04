"use client";

import type { AppRouter } from "@omnicrm/api";
import { transformer } from "@omnicrm/api/transformer";
import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import { createTRPCClient, httpBatchStreamLink, TRPCClientError } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { useState } from "react";
import { makeQueryClient } from "./query-client";

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

let browserQueryClient: QueryClient | undefined;
function getQueryClient(): QueryClient {
  if (typeof window === "undefined") return makeQueryClient();
  return (browserQueryClient ??= makeQueryClient());
}

export function TRPCReactProvider({ children }: { children: React.ReactNode }) {
  const queryClient = getQueryClient();
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [httpBatchStreamLink({ url: "/api/trpc", transformer })],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}

export interface ApiErrorInfo {
  message: string;
  code: string | null;
  requestId: string | null;
  fieldErrors: Record<string, string[]>;
}

/** What the UI shows for a failed call: the server's words, field errors, the request id. */
export function describeApiError(error: unknown): ApiErrorInfo {
  if (error instanceof TRPCClientError) {
    const data = (error.data ?? {}) as {
      code?: string;
      requestId?: string | null;
      fieldErrors?: Record<string, string[]> | null;
    };
    return {
      message: error.message,
      code: data.code ?? null,
      requestId: data.requestId ?? null,
      fieldErrors: data.fieldErrors ?? {},
    };
  }
  return {
    message: "Could not reach OmniCRM. Check your connection and try again.",
    code: null,
    requestId: null,
    fieldErrors: {},
  };
}
