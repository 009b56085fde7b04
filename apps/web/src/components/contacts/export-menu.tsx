"use client";

import type { ContactFilters, ContactSortField } from "@omnicrm/api/schemas";
import { DownloadIcon } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { saveResponseAsFile } from "@/lib/download";

type ExportRequest =
  | { scope: "all" }
  | {
      scope: "view";
      search?: string;
      filters?: ContactFilters;
      sort: { field: ContactSortField; direction: "asc" | "desc" };
      timeZone: string;
    };

export function ExportMenu({
  view,
}: {
  view: Omit<Extract<ExportRequest, { scope: "view" }>, "scope">;
}) {
  const [busy, setBusy] = useState(false);

  async function run(request: ExportRequest) {
    setBusy(true);
    try {
      const res = await fetch("/api/contacts/export", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(request),
      });
      if (!res.ok) {
        const body = (await res.json().catch(() => null)) as {
          error?: { message?: string };
        } | null;
        throw new Error(body?.error?.message ?? "The export failed; try again.");
      }
      await saveResponseAsFile(res, "omnicrm-contacts.csv");
      toast.success("Your CSV is downloading.");
    } catch (error) {
      toast.error(error instanceof Error ? error.message : "The export failed; try again.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="outline" disabled={busy}>
          <DownloadIcon aria-hidden="true" /> {busy ? "Exporting…" : "Export"}
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end">
        <DropdownMenuItem onSelect={() => void run({ scope: "view", ...view })}>
          This view as CSV
        </DropdownMenuItem>
        <DropdownMenuItem onSelect={() => void run({ scope: "all" })}>
          All contacts as CSV
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
