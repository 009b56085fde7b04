"use client";

import { useQuery } from "@tanstack/react-query";
import { PlusIcon, UsersIcon } from "lucide-react";
import Link from "next/link";
import { FormAlert } from "@/components/form-alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { formatDate } from "@/lib/format";
import { describeApiError, useTRPC } from "@/trpc/react";

export function HomeOverview() {
  const trpc = useTRPC();
  const recent = useQuery(
    trpc.contacts.list.queryOptions({ limit: 5, sort: { field: "createdAt", direction: "desc" } }),
  );

  return (
    <div className="grid gap-4 md:grid-cols-2">
      <Card>
        <CardHeader>
          <CardTitle>Recently added clients</CardTitle>
          <CardDescription>The last people you added to your client book.</CardDescription>
        </CardHeader>
        <CardContent>
          {recent.isPending ? (
            <div className="grid gap-2" aria-label="Loading recent clients">
              {Array.from({ length: 3 }, (_, i) => (
                <Skeleton key={i} className="h-6 w-full" />
              ))}
            </div>
          ) : recent.isError ? (
            <FormAlert message={describeApiError(recent.error).message} />
          ) : recent.data.items.length === 0 ? (
            <p className="text-sm text-muted-foreground">
              No clients yet. Add your first one to get started.
            </p>
          ) : (
            <ul className="divide-y">
              {recent.data.items.map((contact) => (
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
      <Card>
        <CardHeader>
          <CardTitle>Quick actions</CardTitle>
          <CardDescription>Keep your client book up to date.</CardDescription>
        </CardHeader>
        <CardContent className="flex flex-wrap gap-2">
          <Button asChild>
            <Link href="/contacts/new">
              <PlusIcon aria-hidden="true" /> Add a client
            </Link>
          </Button>
          <Button asChild variant="outline">
            <Link href="/contacts">
              <UsersIcon aria-hidden="true" /> Open contacts
            </Link>
          </Button>
        </CardContent>
      </Card>
    </div>
  );
}
