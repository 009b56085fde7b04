"use client";

import { useState } from "react";
import { ArrowDownLeftIcon, ArrowUpRightIcon, CalendarIcon, UserPlusIcon } from "lucide-react";
import { formatDateTime } from "@/lib/format";
import { cn } from "@/lib/utils";
import {
  channelNames,
  formatCount,
  plural,
  skippedList,
  skippedTotal,
  type ChannelPreview,
} from "./shared";

function Tile({
  value,
  label,
  hint,
  tone,
}: {
  value: string;
  label: string;
  hint?: string;
  tone?: "good" | "muted";
}) {
  return (
    <li
      className={cn(
        "grid content-start gap-0.5 rounded-lg border bg-card px-3 py-3",
        tone === "good" && "border-primary/40 bg-primary/5",
      )}
    >
      <span className="text-2xl font-semibold tabular-nums">{value}</span>
      <span className="text-sm font-medium">{label}</span>
      {hint ? <span className="text-xs text-muted-foreground">{hint}</span> : null}
    </li>
  );
}

const CONTACTS_SHOWN = 8;

/** What a sync would do, from a sample read just now; nothing has been written. */
export function PreviewResult({ preview }: { preview: ChannelPreview }) {
  const gmail = preview.kind === "gmail";
  const item = gmail ? "message" : "event";
  const skipped = skippedTotal(preview.skipped);
  const reasons = skippedList(preview.skipped, preview.kind);
  const [allContacts, setAllContacts] = useState(false);
  const contacts = allContacts ? preview.newContacts : preview.newContacts.slice(0, CONTACTS_SHOWN);
  return (
    <section
      aria-label={`Preview of ${channelNames[preview.kind]}`}
      data-testid={`${preview.kind}-preview`}
      className="grid gap-4"
    >
      <ul aria-label="Preview counts" className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Tile
          value={`${preview.estimated ? "about " : ""}${formatCount(preview.total)}`}
          label={`${item}s in scope`}
          hint={gmail ? "what the first sync would read" : "in the chosen window"}
        />
        <Tile
          value={formatCount(preview.sampled)}
          label="read for this preview"
          hint={gmail && preview.sampled < preview.total ? "the newest ones" : undefined}
        />
        <Tile
          value={formatCount(preview.wouldLog)}
          label="would be logged"
          hint={`of the ${plural(preview.sampled, item)} read`}
          tone="good"
        />
        <Tile value={formatCount(skipped)} label="would be skipped" tone="muted" />
      </ul>

      {reasons.length > 0 ? (
        <div className="grid gap-1 text-sm">
          <h4 className="font-medium">Skipped, and why</h4>
          <ul className="grid gap-0.5 text-muted-foreground">
            {reasons.map((r) => (
              <li key={r.reason}>
                <span className="font-medium text-foreground tabular-nums">
                  {formatCount(r.count)}
                </span>{" "}
                {r.words}
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      <div className="grid gap-4 lg:grid-cols-2">
        <div className="grid content-start gap-2">
          <h4 className="text-sm font-medium">
            {gmail ? "Messages that would be logged" : "Sessions that would be logged"}
          </h4>
          {preview.samples.length === 0 ? (
            <p className="text-sm text-muted-foreground">
              None in this sample. Try other labels, a longer period, or fewer exclusions.
            </p>
          ) : (
            <ul className="grid divide-y rounded-md border" aria-label="Sample items">
              {preview.samples.map((sample, index) => {
                const Icon = !gmail
                  ? CalendarIcon
                  : sample.direction === "outbound"
                    ? ArrowUpRightIcon
                    : ArrowDownLeftIcon;
                return (
                  <li key={index} className="flex gap-2 px-3 py-2 text-sm">
                    <Icon aria-hidden="true" className="mt-0.5 size-4 shrink-0 text-primary" />
                    <div className="grid min-w-0 gap-0.5">
                      <span className="font-medium wrap-anywhere">
                        {sample.subject?.trim() || (gmail ? "(no subject)" : "(untitled event)")}
                      </span>
                      <span className="text-xs text-muted-foreground wrap-anywhere">
                        {gmail
                          ? sample.direction === "outbound"
                            ? "Sent"
                            : "Received"
                          : "Session"}{" "}
                        · {formatDateTime(new Date(sample.occurredAt))}
                        {sample.people.length > 0
                          ? ` · ${sample.people
                              .slice(0, 3)
                              .map((p) => p.name ?? p.email)
                              .join(
                                ", ",
                              )}${sample.people.length > 3 ? ` +${sample.people.length - 3}` : ""}`
                          : ""}
                      </span>
                    </div>
                  </li>
                );
              })}
            </ul>
          )}
        </div>

        <div className="grid content-start gap-2">
          <h4 className="flex items-center gap-2 text-sm font-medium">
            <UserPlusIcon aria-hidden="true" className="size-4 text-primary" />
            {preview.newContactsInSample === 0
              ? "No new contacts would be created"
              : `${plural(preview.newContactsInSample, "new contact")} would be created`}
          </h4>
          <p className="text-xs text-muted-foreground">
            People in the sample who are not among your contacts yet. People you already have are
            matched by email address.
          </p>
          {preview.newContacts.length > 0 ? (
            <ul className="grid divide-y rounded-md border" aria-label="New contacts">
              {contacts.map((person) => (
                <li key={person.email} className="grid px-3 py-2 text-sm">
                  <span className="font-medium wrap-anywhere">{person.name}</span>
                  <span className="text-xs text-muted-foreground wrap-anywhere">
                    {person.email}
                  </span>
                </li>
              ))}
            </ul>
          ) : null}
          {preview.newContacts.length > CONTACTS_SHOWN ? (
            <button
              type="button"
              onClick={() => setAllContacts((all) => !all)}
              aria-expanded={allContacts}
              className="w-fit cursor-pointer text-sm font-medium text-primary underline-offset-4 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring"
            >
              {allContacts
                ? "Show fewer"
                : preview.newContactsInSample > preview.newContacts.length
                  ? `Show the first ${preview.newContacts.length}`
                  : `Show all ${preview.newContacts.length}`}
            </button>
          ) : null}
        </div>
      </div>
    </section>
  );
}
