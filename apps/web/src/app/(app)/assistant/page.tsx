import { createCaller, createInnerContext } from "@omnicrm/api";
import { getDb } from "@omnicrm/db";
import { redirect } from "next/navigation";
import { getSessionUser } from "@/server/auth";

export const dynamic = "force-dynamic";

/** The assistant opens on the latest conversation (a new one when there is none). */
export default async function AssistantIndex() {
  const user = await getSessionUser();
  if (!user) redirect("/sign-in");
  const caller = createCaller(createInnerContext({ db: getDb(), user }));
  const { items } = await caller.assistant.threads.list({ limit: 1 });
  const thread = items[0] ?? (await caller.assistant.threads.create());
  redirect(`/assistant/${thread.id}`);
}
