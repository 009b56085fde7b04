"use client";

import type { RouterOutputs } from "@omnicrm/api";
import type { DuplicateReason } from "@omnicrm/api/schemas";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { CopyIcon, GitMergeIcon, MailIcon, PhoneIcon, UserRoundXIcon } from "lucide-react";
import Link from "next/link";
import { useRef, useState } from "react";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { formatDate } from "@/lib/format";
import { useTRPC, useTRPCClient } from "@/trpc/react";
import { failureToast } from "../detail/errors";
import { EmptyState, LoadMore, Section, SectionError, SectionSkeleton } from "../detail/section";
import { usePages } from "../detail/use-pages";

type Suggestion = RouterOutputs["duplicates"]["suggestions"]["items"][number];
type SuggestedContact = Suggestion["contacts"][number];

const PAGE_SIZE = 25;

/** Why a pair is suggested, in the user's words, with what the rule means. */
export const reasonLabels: Record<DuplicateReason, { label: string; hint: string }> = {
  "same gmail address": {
    label: "Same email",
    hint: "The same Gmail inbox: Gmail ignores letter case, dots and anything after a +.",
  },
  "same phone": {
    label: "Same phone",
    hint: "The same number, however it is written (the last 9 digits match).",
  },
  "similar name": { label: "Similar name", hint: "The names are the same or nearly the same." },
};

function strength(score: number): string {
  if (score >= 45) return "Strong match";
  if (score >= 40) return "Likely match";
  return "Possible match";
}

export function mergeHref(a: string, b: string): string {
  return `/contacts/duplicates/merge?${new URLSearchParams({ a, b }).toString()}`;
}

function ContactSummary({ contact }: { contact: SuggestedContact }) {
  return (
    <div className="min-w-0 rounded-md border bg-muted/30 p-3">
      <Link
        href={`/contacts/${contact.id}`}
        className="font-medium wrap-anywhere underline-offset-4 hover:underline"
      >
        {contact.name}
      </Link>
      <dl className="mt-1 grid gap-0.5 text-sm text-muted-foreground">
        <div className="flex min-w-0 items-center gap-1.5">
          <dt>
            <MailIcon aria-hidden="true" className="size-3.5" />
            <span className="sr-only">Email</span>
          </dt>
          <dd className="min-w-0 wrap-anywhere">{contact.email ?? "No email"}</dd>
        </div>
        <div className="flex min-w-0 items-center gap-1.5">
          <dt>
            <PhoneIcon aria-hidden="true" className="size-3.5" />
            <span className="sr-only">Phone</span>
          </dt>
          <dd className="min-w-0 wrap-anywhere">{contact.phone ?? "No phone"}</dd>
        </div>
        <div className="text-xs">
          <dt className="inline">Added </dt>
          <dd className="inline">{formatDate(contact.createdAt)}</dd>
        </div>
      </dl>
    </div>
  );
}

function SuggestionCard({
  suggestion,
  dismissing,
  onDismiss,
}: {
  suggestion: Suggestion;
  dismissing: boolean;
  onDismiss: () => void;
}) {
  const [a, b] = suggestion.contacts;
  const title = `${a.name} and ${b.name}`;
  const titleId = `pair-${a.id}-${b.id}`;
  return (
    <li>
      <article
        aria-labelledby={titleId}
        aria-busy={dismissing || undefined}
        className="grid gap-3 rounded-lg border p-3 sm:p-4"
      >
        <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
          <h3 id={titleId} className="min-w-0 font-semibold wrap-anywhere">
            {title}
          </h3>
          <span className="text-xs text-muted-foreground">{strength(suggestion.score)}</span>
        </div>
        <p className="flex flex-wrap items-center gap-1.5 text-sm">
          <span className="text-muted-foreground">Why:</span>
          {suggestion.reasons.map((reason) => (
            <Badge
              key={reason}
              variant={reason === "similar name" ? "outline" : "secondary"}
              title={reasonLabels[reason].hint}
            >
              {reasonLabels[reason].label}
            </Badge>
          ))}
        </p>
        <div className="grid gap-2 sm:grid-cols-2">
          <ContactSummary contact={a} />
          <ContactSummary contact={b} />
        </div>
        <div className="flex flex-wrap gap-2">
          <Button asChild size="sm">
            <Link href={mergeHref(a.id, b.id)} aria-label={`Review & merge ${title}`}>
              <GitMergeIcon aria-hidden="true" /> Review &amp; merge
            </Link>
          </Button>
          <Button
            type="button"
            variant="outline"
            size="sm"
            disabled={dismissing}
            onClick={onDismiss}
            aria-label={`Not duplicates: ${title}`}
          >
            <UserRoundXIcon aria-hidden="true" /> {dismissing ? "Saving…" : "Not duplicates"}
          </Button>
        </div>
      </article>
    </li>
  );
}

/** Pairs of contacts that look like one person, best first, each to merge or to dismiss. */
export function SuggestionsSection() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const input = { limit: PAGE_SIZE };
  const pages = usePages(trpc.duplicates.suggestions.infiniteQueryKey(input), (cursor, signal) =>
    client.duplicates.suggestions.query({ ...input, cursor }, { signal }),
  );
  const items = pages.data?.pages.flatMap((page) => page.items) ?? [];
  const dismiss = useMutation(trpc.duplicates.dismiss.mutationOptions());
  const [dismissing, setDismissing] = useState<Set<string>>(new Set());
  const listRef = useRef<HTMLDivElement>(null);

  const onDismiss = async (suggestion: Suggestion) => {
    const [a, b] = suggestion.contacts;
    const key = `${a.id}:${b.id}`;
    setDismissing((current) => new Set(current).add(key));
    try {
      await dismiss.mutateAsync({ contactIds: [a.id, b.id] });
      await queryClient.invalidateQueries(trpc.duplicates.suggestions.pathFilter());
      const message = `${a.name} and ${b.name} will not be suggested as duplicates again.`;
      toast.success("Marked as different people.", { description: message });
      // The pair's buttons are gone: keep the keyboard in the list rather than at the page top.
      listRef.current?.focus();
    } catch (error) {
      failureToast("Nothing was changed.", error);
    } finally {
      setDismissing((current) => {
        const next = new Set(current);
        next.delete(key);
        return next;
      });
    }
  };

  return (
    <Section
      id="suggestions"
      title="Suggested duplicates"
      icon={CopyIcon}
      description="Contacts that share an email or a phone number, or have nearly the same name."
    >
      <div ref={listRef} tabIndex={-1} className="outline-none">
        {pages.isPending ? (
          <SectionSkeleton label="Looking for duplicates…" rows={4} />
        ) : pages.isError && !pages.data ? (
          <SectionError
            error={pages.error}
            what="the duplicate suggestions"
            onRetry={() => void pages.refetch()}
          />
        ) : items.length === 0 ? (
          <EmptyState>
            Nothing to review: none of your contacts look like duplicates right now.
          </EmptyState>
        ) : (
          <>
            <ul aria-label="Suggested duplicates" className="grid gap-3">
              {items.map((suggestion) => {
                const [a, b] = suggestion.contacts;
                const key = `${a.id}:${b.id}`;
                return (
                  <SuggestionCard
                    key={key}
                    suggestion={suggestion}
                    dismissing={dismissing.has(key)}
                    onDismiss={() => void onDismiss(suggestion)}
                  />
                );
              })}
            </ul>
            <LoadMore
              label="Load more pairs"
              hasMore={pages.hasNextPage}
              loading={pages.isFetchingNextPage}
              error={pages.isFetchNextPageError ? pages.error : null}
              onLoad={() => void pages.fetchNextPage()}
            />
          </>
        )}
      </div>
    </Section>
  );
}
