import type { Metadata } from "next";
import { ThreadList } from "@/components/assistant/thread-list";
import { PageHeader } from "@/components/page-header";

export const metadata: Metadata = { title: "Conversations" };

/** The conversations on a phone, where they do not fit beside the chat. */
export default function ConversationsPage() {
  return (
    <>
      <PageHeader title="Conversations" description="Your conversations with the assistant." />
      <ThreadList currentId="" />
    </>
  );
}
