"use client";

import {
  CalendarClockIcon,
  CheckIcon,
  CircleAlertIcon,
  HeartPulseIcon,
  ListTodoIcon,
  LoaderCircleIcon,
  NotebookPenIcon,
  SearchIcon,
  ShieldOffIcon,
  UserRoundIcon,
  XIcon,
  type LucideIcon,
} from "lucide-react";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { formatDate, formatDateTime } from "@/lib/format";
import { cn } from "@/lib/utils";

/** The part of a UI message that records one tool call, as the AI SDK streams it. */
export interface ToolPartView {
  type: string;
  toolCallId: string;
  state: string;
  input?: unknown;
  output?: unknown;
  errorText?: string;
  approval?: { id: string; approved?: boolean; reason?: string };
}

export interface CitedContact {
  id: string;
  name: string;
  url: string;
}

type Json = Record<string, unknown>;
const isJson = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const str = (value: unknown) => (typeof value === "string" ? value : null);
const list = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isJson) : []);
const date = (value: unknown) => {
  const text = str(value);
  const parsed = text ? new Date(text) : null;
  return parsed && !Number.isNaN(parsed.getTime()) ? parsed : null;
};

function asContact(value: unknown): CitedContact | null {
  if (!isJson(value)) return null;
  const id = str(value.id);
  const name = str(value.name);
  const url = str(value.url);
  return id && name && url ? { id, name, url } : null;
}

/** Every contact a tool result names: the records the answer used, to link and to label. */
export function contactsOf(part: ToolPartView): CitedContact[] {
  const output = isJson(part.output) ? part.output : null;
  if (!output) return [];
  const found: (CitedContact | null)[] = [];
  for (const c of list(output.contacts)) found.push(asContact(c));
  if (output.contact) found.push(asContact(output.contact));
  for (const c of list(output.clients)) found.push(asContact(c));
  for (const t of list(output.overdueTasks)) found.push(asContact(t.contact));
  for (const s of list(output.sessions)) for (const c of list(s.contacts)) found.push(asContact(c));
  if (isJson(output.added)) found.push(asContact(output.added.contact));
  if (isJson(output.created)) found.push(asContact(output.created.contact));
  const unique = new Map<string, CitedContact>();
  for (const c of found) if (c) unique.set(c.id, c);
  return [...unique.values()];
}

const tools: Record<string, { icon: LucideIcon; running: string; done: (input: Json) => string }> =
  {
    searchContacts: {
      icon: SearchIcon,
      running: "Searching your contacts…",
      done: (input) =>
        str(input.query)
          ? `Searched your contacts for “${str(input.query)}”`
          : "Listed your recent contacts",
    },
    getContact: {
      icon: UserRoundIcon,
      running: "Opening the record…",
      done: () => "Opened a client's record",
    },
    clientsNeedingAttention: {
      icon: HeartPulseIcon,
      running: "Checking who needs attention…",
      done: () => "Checked who needs attention",
    },
    upcomingSessions: {
      icon: CalendarClockIcon,
      running: "Looking at your calendar…",
      done: (input) =>
        `Looked at the next ${typeof input.days === "number" ? input.days : 7} days of sessions`,
    },
    addNote: {
      icon: NotebookPenIcon,
      running: "Preparing a note…",
      done: () => "Add a note",
    },
    createTask: {
      icon: ListTodoIcon,
      running: "Preparing a task…",
      done: () => "Create a task",
    },
  };

function ContactLinks({ contacts }: { contacts: CitedContact[] }) {
  if (contacts.length === 0) return null;
  return (
    <ul className="flex flex-wrap gap-1.5" aria-label="Records used">
      {contacts.map((c) => (
        <li key={c.id}>
          <Link
            href={c.url}
            className="inline-flex items-center gap-1 rounded-full border bg-background px-2 py-0.5 text-xs font-medium hover:bg-accent focus-visible:outline-2 focus-visible:outline-ring"
          >
            <UserRoundIcon aria-hidden="true" className="size-3" />
            {c.name}
          </Link>
        </li>
      ))}
    </ul>
  );
}

/** What a write action will do, in words, with the names of the contacts the chat knows. */
function Proposal({
  toolName,
  input,
  names,
}: {
  toolName: string;
  input: Json;
  names: Map<string, string>;
}) {
  const contactId = str(input.contactId);
  const who = contactId ? (names.get(contactId) ?? "this client") : null;
  if (toolName === "addNote")
    return (
      <div className="grid gap-1">
        <p className="text-sm">
          Add this note to <span className="font-medium">{who ?? "a client"}</span>:
        </p>
        <blockquote className="border-l-2 pl-3 text-sm whitespace-pre-wrap text-muted-foreground">
          {str(input.body)}
        </blockquote>
      </div>
    );
  const due = date(input.dueAt);
  return (
    <p className="text-sm">
      Create the task <span className="font-medium">“{str(input.title)}”</span>
      {due ? <> due {formatDateTime(due)}</> : null}
      {who ? (
        <>
          {" "}
          for <span className="font-medium">{who}</span>
        </>
      ) : null}
      .
    </p>
  );
}

function Details({ toolName, output }: { toolName: string; output: Json }) {
  const note = str(output.note);
  if (toolName === "clientsNeedingAttention") {
    const tasks = list(output.overdueTasks);
    return (
      <div className="grid gap-1 text-xs text-muted-foreground">
        <span>
          {list(output.clients).length} client{list(output.clients).length === 1 ? "" : "s"} overdue
          for contact, {tasks.length} overdue task{tasks.length === 1 ? "" : "s"}
        </span>
        {note ? <span>{note}</span> : null}
      </div>
    );
  }
  if (toolName === "upcomingSessions") {
    const sessions = list(output.sessions);
    return (
      <div className="grid gap-1 text-xs text-muted-foreground">
        {sessions.length === 0 ? <span>No sessions in that period.</span> : null}
        {sessions.slice(0, 5).map((s) => {
          const starts = date(s.startsAt);
          return (
            <span key={str(s.id) ?? Math.random()}>
              {starts ? formatDateTime(starts) : ""} · {str(s.subject) ?? "Session"}
            </span>
          );
        })}
        {note ? <span>{note}</span> : null}
      </div>
    );
  }
  if (toolName === "searchContacts") {
    const found = list(output.contacts).length;
    return (
      <div className="grid gap-1 text-xs text-muted-foreground">
        <span>
          {found === 0 ? "No matching clients." : `${found} match${found === 1 ? "" : "es"}`}
        </span>
        {note ? <span>{note}</span> : null}
      </div>
    );
  }
  if (isJson(output.created)) {
    const due = date(output.created.dueAt);
    return (
      <span className="text-xs text-muted-foreground">
        Task created{due ? `, due ${formatDate(due)}` : ""}.
      </span>
    );
  }
  if (isJson(output.added))
    return <span className="text-xs text-muted-foreground">Note added.</span>;
  return note ? <span className="text-xs text-muted-foreground">{note}</span> : null;
}

/**
 * One tool call in the conversation: what the assistant looked at (with links to the records it
 * used), or a write action waiting for the practitioner's confirmation.
 */
export function ToolPart({
  part,
  names,
  onDecide,
  deciding,
}: {
  part: ToolPartView;
  /** Contact names by id, from every result in the conversation. */
  names: Map<string, string>;
  onDecide: (approvalId: string, approved: boolean) => void;
  deciding: boolean;
}) {
  const toolName = part.type.replace(/^tool-/, "");
  const meta = tools[toolName] ?? {
    icon: SearchIcon,
    running: "Working…",
    done: () => toolName,
  };
  const Icon = meta.icon;
  const input = isJson(part.input) ? part.input : {};
  const output = isJson(part.output) ? part.output : null;
  const refusal = output ? str(output.error) : null;
  const contacts = contactsOf(part);
  const running = part.state === "input-streaming" || part.state === "input-available";
  const waiting = part.state === "approval-requested" && part.approval;
  const write = toolName === "addNote" || toolName === "createTask";

  return (
    <div
      data-tool={toolName}
      data-state={part.state}
      className={cn(
        "grid gap-2 rounded-lg border px-3 py-2",
        waiting ? "border-primary/50 bg-primary/5" : "bg-muted/40",
      )}
    >
      <div className="flex items-center gap-2 text-sm font-medium">
        {running ? (
          <LoaderCircleIcon
            aria-hidden="true"
            className="size-4 animate-spin text-muted-foreground"
          />
        ) : (
          <Icon aria-hidden="true" className="size-4 text-muted-foreground" />
        )}
        <span>
          {running
            ? meta.running
            : waiting
              ? `Confirm: ${meta.done(input).toLowerCase()}`
              : meta.done(input)}
        </span>
      </div>

      {write &&
      (waiting || part.state === "approval-responded" || part.state === "output-denied") ? (
        <Proposal toolName={toolName} input={input} names={names} />
      ) : null}

      {waiting ? (
        <div className="flex flex-wrap gap-2">
          <Button
            type="button"
            size="sm"
            disabled={deciding}
            onClick={() => onDecide(part.approval!.id, true)}
          >
            <CheckIcon aria-hidden="true" /> Confirm
          </Button>
          <Button
            type="button"
            size="sm"
            variant="outline"
            disabled={deciding}
            onClick={() => onDecide(part.approval!.id, false)}
          >
            <XIcon aria-hidden="true" /> Decline
          </Button>
        </div>
      ) : null}

      {part.state === "approval-responded" ? (
        <p className="text-xs text-muted-foreground">
          {part.approval?.approved ? "Confirmed; saving…" : "Declined."}
        </p>
      ) : null}
      {part.state === "output-denied" ? (
        <p className="text-xs text-muted-foreground">You declined this; nothing was changed.</p>
      ) : null}

      {part.state === "output-error" ? (
        <p className="flex items-center gap-1 text-xs text-destructive">
          <CircleAlertIcon aria-hidden="true" className="size-3.5" />
          {part.errorText ?? "The tool failed."}
        </p>
      ) : null}

      {refusal ? (
        <p className="flex items-center gap-1 text-xs text-muted-foreground">
          <ShieldOffIcon aria-hidden="true" className="size-3.5" />
          {refusal}
        </p>
      ) : null}
      {output && !refusal ? <Details toolName={toolName} output={output} /> : null}
      <ContactLinks contacts={contacts} />
    </div>
  );
}
