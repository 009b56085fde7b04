import type { Metadata } from "next";
import { AssistantSettings } from "@/components/assistant/assistant-settings";
import { PageHeader } from "@/components/page-header";

export const metadata: Metadata = { title: "Assistant settings" };

export default function AssistantSettingsPage() {
  return (
    <>
      <PageHeader
        title="Assistant settings"
        description="Which model answers, how much it may spend, what it may see, and what it did."
      />
      <AssistantSettings />
    </>
  );
}
