import type { Metadata } from "next";
import { ArrowLeftIcon } from "lucide-react";
import Link from "next/link";
import { MergeHistorySection } from "@/components/contacts/duplicates/merge-history-section";
import { SuggestionsSection } from "@/components/contacts/duplicates/suggestions-section";
import { PageHeader } from "@/components/page-header";
import { Button } from "@/components/ui/button";

export const metadata: Metadata = { title: "Duplicates" };

export default function DuplicatesPage() {
  return (
    <>
      <Button asChild variant="ghost" size="sm" className="mb-4 -ml-2">
        <Link href="/contacts">
          <ArrowLeftIcon aria-hidden="true" /> All contacts
        </Link>
      </Button>
      <PageHeader
        title="Duplicates"
        description="Review contacts that may be the same person, and merge them into one."
      />
      <div className="grid gap-6">
        <SuggestionsSection />
        <MergeHistorySection />
      </div>
    </>
  );
}
