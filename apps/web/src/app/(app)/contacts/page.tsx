import type { Metadata } from "next";
import { PlusIcon } from "lucide-react";
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
          <Button asChild>
            <Link href="/contacts/new">
              <PlusIcon aria-hidden="true" /> Add contact
            </Link>
          </Button>
        }
      />
      <Suspense fallback={null}>
        <ContactsTable />
      </Suspense>
    </>
  );
}
