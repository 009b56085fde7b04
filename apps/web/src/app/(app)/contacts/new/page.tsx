import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { NewContact } from "@/components/contacts/new-contact";

export const metadata: Metadata = { title: "Add a contact" };

export default function NewContactPage() {
  return (
    <>
      <PageHeader title="Add a contact" description="Only the name is required." />
      <NewContact />
    </>
  );
}
