import { appRouter, createTRPCContext } from "@omnicrm/api";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { getSessionUser } from "@/server/auth";

export const dynamic = "force-dynamic";

async function handler(req: Request): Promise<Response> {
  const user = await getSessionUser();
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: () => createTRPCContext({ headers: req.headers, user }),
    responseMeta({ ctx }) {
      return { headers: ctx ? { "x-request-id": ctx.requestId } : {} };
    },
  });
}

export { handler as GET, handler as POST };
