import { googleConnectResponse } from "@omnicrm/api";
import { getSessionUser } from "@/server/auth";

export const dynamic = "force-dynamic";

/** "Connect Google": to Google's consent screen (read-only Gmail and Calendar). */
export async function GET(req: Request): Promise<Response> {
  return googleConnectResponse(req, await getSessionUser());
}
