import type { Metadata } from "next";
import { ArrowLeftIcon } from "lucide-react";
import Link from "next/link";
import { DeletedContacts } from "@/components/contacts/deleted/deleted-contacts";
import { PageHeader } from "@/components/page-header";
import { Button } from "@/components/ui/button";

export const metadata: Metadata = { title: "Recently deleted" };

export default function DeletedContactsPage() {
  return (
    <>
      <Button asChild variant="ghost" size="sm" className="mb-4 -ml-2">
        <Link href="/contacts">
          <ArrowLeftIcon aria-hidden="true" /> All contacts
        </Link>
      </Button>
      <PageHeader
        title="Recently deleted"
        description="Deleted contacts can be restored for 30 days; after that they are removed for good."
      />
      <DeletedContacts />
    </>
  );
}
