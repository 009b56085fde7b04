import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { SearchPage } from "@/components/search/search-page";

export const metadata: Metadata = { title: "Search" };
export const dynamic = "force-dynamic";

export default async function Search({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const q = Array.isArray(params.q) ? params.q[0] : params.q;
  return (
    <>
      <PageHeader
        title="Search"
        description="Everything about your clients in one place: contacts, notes, emails and sessions, found by the words you type and by what they mean."
      />
      <SearchPage initialQuery={(q ?? "").slice(0, 200)} />
    </>
  );
}
