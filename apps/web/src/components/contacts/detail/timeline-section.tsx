"use client";

import {
  CircleCheckBigIcon,
  CircleDotIcon,
  CalendarCheckIcon,
  CalendarXIcon,
  FileUpIcon,
  FlagIcon,
  GitMergeIcon,
  MailIcon,
  SendIcon,
  HistoryIcon,
  SlidersHorizontalIcon,
  StickyNoteIcon,
  TagIcon,
  UserPlusIcon,
  type LucideIcon,
} from "lucide-react";
import { useTRPC, useTRPCClient } from "@/trpc/react";
import { EmptyState, LoadMore, Section, SectionError, SectionSkeleton } from "./section";
import { plainSummary } from "./text";
import { RelativeTime } from "./time";
import { usePages } from "./use-pages";

const PAGE_SIZE = 20;

/** What each kind of event looks like; kinds the page does not know yet get a plain dot. */
const kinds: Record<string, { icon: LucideIcon; label: string }> = {
  "contact.created": { icon: UserPlusIcon, label: "Contact added" },
  "contact.stage_changed": { icon: FlagIcon, label: "Stage changed" },
  "note.added": { icon: StickyNoteIcon, label: "Note" },
  "task.completed": { icon: CircleCheckBigIcon, label: "Task done" },
  "contact.tagged": { icon: TagIcon, label: "Tagged" },
  "contact.untagged": { icon: TagIcon, label: "Tag removed" },
  "contact.field_changed": { icon: SlidersHorizontalIcon, label: "Field changed" },
  "contact.merged": { icon: GitMergeIcon, label: "Merged" },
  "contact.imported": { icon: FileUpIcon, label: "Imported" },
  "email.received": { icon: MailIcon, label: "Email received" },
  "email.sent": { icon: SendIcon, label: "Email sent" },
  session: { icon: CalendarCheckIcon, label: "Session" },
  "session.cancelled": { icon: CalendarXIcon, label: "Session cancelled" },
};

function kindOf(kind: string): { icon: LucideIcon; label: string } {
  return kinds[kind] ?? { icon: CircleDotIcon, label: "Activity" };
}

/** Everything that happened with the client, newest first. */
export function TimelineSection({ contactId }: { contactId: string }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const input = { contactId, limit: PAGE_SIZE };
  const timeline = usePages(trpc.timeline.list.infiniteQueryKey(input), (cursor, signal) =>
    client.timeline.list.query({ ...input, cursor }, { signal }),
  );
  const items = timeline.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Section id="timeline" title="Timeline" icon={HistoryIcon}>
      {timeline.isPending ? (
        <SectionSkeleton label="Loading the timeline…" rows={4} />
      ) : timeline.isError && !timeline.data ? (
        <SectionError
          error={timeline.error}
          what="the timeline"
          onRetry={() => void timeline.refetch()}
        />
      ) : items.length === 0 ? (
        <EmptyState>Nothing has happened with this client yet.</EmptyState>
      ) : (
        <div>
          <ol aria-label="Timeline, newest first" className="grid">
            {items.map((event, index) => {
              const { icon: Icon, label } = kindOf(event.kind);
              const last = index === items.length - 1;
              return (
                <li
                  key={event.id}
                  data-kind={event.kind}
                  className="relative flex min-w-0 gap-3 pb-4 last:pb-0"
                >
                  {last ? null : (
                    <span
                      aria-hidden="true"
                      className="absolute top-8 bottom-0 left-[0.9375rem] w-px bg-border"
                    />
                  )}
                  <span
                    aria-hidden="true"
                    className="flex size-8 shrink-0 items-center justify-center rounded-full border bg-muted text-muted-foreground"
                  >
                    <Icon className="size-4" />
                  </span>
                  <div className="min-w-0 flex-1 pt-1">
                    <p className="text-sm wrap-anywhere">
                      <span className="sr-only">{label}: </span>
                      {plainSummary(event.kind, event.summary)}
                    </p>
                    <p className="mt-0.5 text-xs text-muted-foreground">
                      <span aria-hidden="true">{label} · </span>
                      <RelativeTime date={event.occurredAt} />
                    </p>
                  </div>
                </li>
              );
            })}
          </ol>
          <LoadMore
            label="Load more activity"
            hasMore={timeline.hasNextPage}
            loading={timeline.isFetchingNextPage}
            error={timeline.isFetchNextPageError ? timeline.error : null}
            onLoad={() => void timeline.fetchNextPage()}
          />
        </div>
      )}
    </Section>
  );
}
