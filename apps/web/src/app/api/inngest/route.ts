import { createFunctions, inngest } from "@omnicrm/jobs";
import { serve } from "inngest/next";

export const dynamic = "force-dynamic";

/**
 * The Inngest functions (Gmail and Calendar sync, the scheduler), served to the Inngest Dev
 * Server or Inngest Cloud, which call back here to run each step. Requests are signed with
 * INNGEST_SIGNING_KEY outside dev mode.
 */
export const { GET, POST, PUT } = serve({ client: inngest, functions: createFunctions() });
