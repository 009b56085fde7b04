import type { Metadata } from "next";
import { CopyIcon, PlusIcon, Trash2Icon } from "lucide-react";
import Link from "next/link";
import { Suspense } from "react";
import { ContactsTable } from "@/components/contacts/contacts-table";
import { PageHeader } from "@/components/page-header";
import { Button } from "@/components/ui/button";

export const metadata: Metadata = { title: "Contacts" };

export default function ContactsPage() {
  return (
    <>
      <PageHeader
        title="Contacts"
        description="Everyone in your client book."
        actions={
          <>
            <Button asChild variant="outline">
              <Link href="/contacts/duplicates">
                <CopyIcon aria-hidden="true" /> Duplicates
              </Link>
            </Button>
            <Button asChild variant="outline">
              <Link href="/contacts/deleted">
                <Trash2Icon aria-hidden="true" /> Recently deleted
              </Link>
            </Button>
            <Button asChild>
              <Link href="/contacts/new">
                <PlusIcon aria-hidden="true" /> Add contact
              </Link>
            </Button>
          </>
        }
      />
      <Suspense fallback={null}>
        <ContactsTable />
      </Suspense>
    </>
  );
}
