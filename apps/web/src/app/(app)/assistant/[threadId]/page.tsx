import type { Metadata } from "next";
import { AssistantWorkspace } from "@/components/assistant/assistant-workspace";

export const metadata: Metadata = { title: "Assistant" };

export default async function AssistantThreadPage({
  params,
}: {
  params: Promise<{ threadId: string }>;
}) {
  const { threadId } = await params;
  return <AssistantWorkspace threadId={threadId} />;
}
