import { googleCallbackResponse } from "@omnicrm/api";
import { getSessionUser } from "@/server/auth";

export const dynamic = "force-dynamic";

/** Google's answer to "Connect Google": back to the sync page, connected or with the reason. */
export async function GET(req: Request): Promise<Response> {
  return googleCallbackResponse(req, await getSessionUser());
}
