import { contactsImportUploadResponse } from "@omnicrm/api";
import { getSessionUser } from "@/server/auth";

export const dynamic = "force-dynamic";

export async function POST(req: Request): Promise<Response> {
  return contactsImportUploadResponse(req, await getSessionUser());
}
