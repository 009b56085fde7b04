import { chatResponse } from "@omnicrm/api";
import { getSessionUser } from "@/server/auth";

export const dynamic = "force-dynamic";

export async function POST(req: Request): Promise<Response> {
  return chatResponse(req, await getSessionUser());
}
