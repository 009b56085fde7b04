"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AlarmClockIcon, CalendarClockIcon, HeartPulseIcon, UsersIcon } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { stageLabel } from "@/components/contacts/stage-badge";
import { FormAlert } from "@/components/form-alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Skeleton } from "@/components/ui/skeleton";
import { formatDate, formatDateTime } from "@/lib/format";
import { describeApiError, useTRPC } from "@/trpc/react";

function QuickAdd() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const create = useMutation(trpc.contacts.create.mutationOptions());
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      className="grid gap-2 sm:grid-cols-[1fr_1fr_auto] sm:items-end"
      aria-label="Quick add a client"
      onSubmit={(event) => {
        event.preventDefault();
        setError(null);
        create
          .mutateAsync({ name, emails: email.trim() ? [email] : [] })
          .then(async (contact) => {
            await queryClient.invalidateQueries(trpc.home.pathFilter());
            await queryClient.invalidateQueries(trpc.contacts.pathFilter());
            toast.success(`${contact.name} was added.`, {
              action: { label: "Open", onClick: () => router.push(`/contacts/${contact.id}`) },
            });
            setName("");
            setEmail("");
          })
          .catch((e: unknown) => {
            const info = describeApiError(e);
            setError(Object.values(info.fieldErrors)[0]?.[0] ?? info.message);
          });
      }}
    >
      <div className="grid gap-1">
        <Label htmlFor="quick-name">Name</Label>
        <Input
          id="quick-name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
          maxLength={200}
        />
      </div>
      <div className="grid gap-1">
        <Label htmlFor="quick-email">Email (optional)</Label>
        <Input
          id="quick-email"
          type="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </div>
      <Button type="submit" disabled={create.isPending || !name.trim()}>
        Add client
      </Button>
      <div className="sm:col-span-3">
        <FormAlert message={error} />
      </div>
    </form>
  );
}

export function HomeOverview() {
  const trpc = useTRPC();
  const overview = useQuery(trpc.home.overview.queryOptions());

  if (overview.isPending) {
    return (
      <div
        className="grid gap-4 md:grid-cols-2"
        aria-busy="true"
        aria-label="Loading your practice"
      >
        {Array.from({ length: 4 }, (_, i) => (
          <Skeleton key={i} className="h-40 w-full" />
        ))}
      </div>
    );
  }
  if (overview.isError) {
    const info = describeApiError(overview.error);
    return <FormAlert message={info.message} requestId={info.requestId} />;
  }
  const data = overview.data;
  const total = data.stageCounts.reduce((sum, s) => sum + s.count, 0);

  return (
    <div className="grid gap-4 md:grid-cols-2">
      <Card className="md:col-span-2">
        <CardHeader>
          <CardTitle>Quick add</CardTitle>
          <CardDescription>Just met someone? Add them now, fill in the rest later.</CardDescription>
        </CardHeader>
        <CardContent>
          <QuickAdd />
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle className="flex items-center gap-2">
            <HeartPulseIcon aria-hidden="true" className="size-5 text-primary" /> Needs your
            attention
          </CardTitle>
          <CardDescription>Active clients you have not seen for longer than usual.</CardDescription>
        </CardHeader>
        <CardContent>
          {data.needsAttention.length === 0 ? (
            <p className="text-sm text-muted-foreground">Everyone is on track.</p>
          ) : (
            <ul className="divide-y">
              {data.needsAttention.map((c) => (
                <li key={c.id} className="py-2">
                  <Link href={`/contacts/${c.id}`} className="font-medium hover:underline">
                    {c.name}
                  </Link>
                  <p className="text-sm text-muted-foreground">{c.reason}</p>
                </li>
              ))}
            </ul>
          )}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle className="flex items-center gap-2">
            <AlarmClockIcon aria-hidden="true" className="size-5 text-primary" /> Overdue tasks
          </CardTitle>
          <CardDescription>Things you meant to do by now.</CardDescription>
        </CardHeader>
        <CardContent>
          {data.overdueTasks.length === 0 ? (
            <p className="text-sm text-muted-foreground">Nothing overdue.</p>
          ) : (
            <ul className="divide-y">
              {data.overdueTasks.map((t) => (
                <li key={t.id} className="py-2">
                  <p className="font-medium">{t.title}</p>
                  <p className="text-sm text-muted-foreground">
                    Due {formatDate(t.dueAt)}
                    {t.contact ? (
                      <>
                        {" · "}
                        <Link href={`/contacts/${t.contact.id}`} className="hover:underline">
                          {t.contact.name}
                        </Link>
                      </>
                    ) : null}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle className="flex items-center gap-2">
            <UsersIcon aria-hidden="true" className="size-5 text-primary" /> Your clients
          </CardTitle>
          <CardDescription>
            {total === 1 ? "1 contact" : `${total} contacts`} by stage.
          </CardDescription>
        </CardHeader>
        <CardContent>
          {total === 0 ? (
            <p className="text-sm text-muted-foreground">
              No clients yet. Add your first one above.
            </p>
          ) : (
            <ul className="grid gap-1">
              {data.stageCounts.map((s) => (
                <li key={s.stage} className="flex justify-between gap-2">
                  <Link
                    href={`/contacts?f=${encodeURIComponent(JSON.stringify({ stages: [s.stage] }))}`}
                    className="hover:underline"
                  >
                    {stageLabel(s.stage)}
                  </Link>
                  <span className="tabular-nums">{s.count}</span>
                </li>
              ))}
            </ul>
          )}
        </CardContent>
      </Card>

      <Card className="md:col-span-2">
        <CardHeader>
          <CardTitle className="flex items-center gap-2">
            <CalendarClockIcon aria-hidden="true" className="size-5 text-primary" /> Upcoming
            sessions
          </CardTitle>
          <CardDescription>From your synced Google Calendar.</CardDescription>
        </CardHeader>
        <CardContent>
          {data.upcoming.length === 0 ? (
            <p className="text-sm text-muted-foreground">
              No upcoming sessions.{" "}
              <Link href="/settings/sync" className="underline underline-offset-4">
                Sync your calendar
              </Link>{" "}
              to see them here.
            </p>
          ) : (
            <ul className="divide-y">
              {data.upcoming.map((session) => (
                <li key={session.id} className="flex flex-wrap items-baseline gap-x-3 py-2">
                  <span className="font-medium">{session.subject ?? "Session"}</span>
                  <span className="text-sm text-muted-foreground">
                    {formatDateTime(session.startsAt)}
                    {session.location ? ` · ${session.location}` : ""}
                  </span>
                  {session.contacts.length > 0 ? (
                    <span className="text-sm">
                      with{" "}
                      {session.contacts.map((contact, i) => (
                        <span key={contact.id}>
                          {i > 0 ? ", " : ""}
                          <Link href={`/contacts/${contact.id}`} className="hover:underline">
                            {contact.name}
                          </Link>
                        </span>
                      ))}
                    </span>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Recently added</CardTitle>
          <CardDescription>The newest people in your client book.</CardDescription>
        </CardHeader>
        <CardContent>
          {data.recent.length === 0 ? (
            <p className="text-sm text-muted-foreground">No clients yet.</p>
          ) : (
            <ul className="divide-y">
              {data.recent.map((contact) => (
                <li key={contact.id} className="flex items-center justify-between gap-3 py-2">
                  <Link
                    href={`/contacts/${contact.id}`}
                    className="truncate font-medium hover:underline"
                  >
                    {contact.name}
                  </Link>
                  <span className="shrink-0 text-xs text-muted-foreground">
                    {formatDate(contact.createdAt)}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
