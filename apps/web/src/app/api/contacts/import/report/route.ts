import { contactsImportReportResponse } from "@omnicrm/api";
import { getSessionUser } from "@/server/auth";

export const dynamic = "force-dynamic";

export async function GET(req: Request): Promise<Response> {
  return contactsImportReportResponse(req, await getSessionUser());
}
