import { sync } from "@omnicrm/core";
import { cron } from "inngest";
import { inngest, syncRequestEvent } from "../client.ts";
import { nowOf, type SyncDeps } from "../sync/context.ts";

/** Every five minutes: one sync request per approved, connected channel that is due. */
export function createSyncScheduler(deps: () => SyncDeps) {
  return inngest.createFunction(
    { id: "sync-scheduler", name: "Sync scheduler", triggers: [cron("*/5 * * * *")] },
    async ({ step }) => {
      const due = await step.run("due-channels", () => sync.dueChannels(deps().db, nowOf(deps())));
      if (due.length === 0) return { requested: 0 };
      await step.sendEvent(
        "request-syncs",
        due.map((channel) =>
          syncRequestEvent(channel.kind, { userId: channel.userId, trigger: "schedule" }),
        ),
      );
      return { requested: due.length };
    },
  );
}
