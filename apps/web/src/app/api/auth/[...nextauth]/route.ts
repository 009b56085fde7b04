import NextAuth from "next-auth";
import { authOptions } from "@/server/auth";

export const dynamic = "force-dynamic";

type RouteContext = { params: Promise<{ nextauth: string[] }> };

async function handler(req: Request, context: RouteContext): Promise<Response> {
  return (NextAuth(authOptions()) as (req: Request, ctx: RouteContext) => Promise<Response>)(
    req,
    context,
  );
}

export { handler as GET, handler as POST };
