import type { Metadata } from "next";
import { ArrowLeftIcon } from "lucide-react";
import Link from "next/link";
import { ContactImport } from "@/components/contacts/import/contact-import";
import { PageHeader } from "@/components/page-header";
import { Button } from "@/components/ui/button";

export const metadata: Metadata = { title: "Import contacts" };

export default function ImportContactsPage() {
  return (
    <>
      <PageHeader
        title="Import contacts"
        description="Bring in your clients from a spreadsheet, Google Contacts or Outlook. You see what will happen before anything is saved, and you can undo an import."
        actions={
          <Button asChild variant="outline">
            <Link href="/contacts">
              <ArrowLeftIcon aria-hidden="true" /> Back to contacts
            </Link>
          </Button>
        }
      />
      <ContactImport />
    </>
  );
}
