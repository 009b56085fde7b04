import { registerWithPassword, signUpSchema } from "@omnicrm/auth";
import { createTRPCRouter, protectedProcedure, publicProcedure } from "../trpc.ts";

export const authRouter = createTRPCRouter({
  /** Creates an account; the browser then signs in through next-auth. */
  signUp: publicProcedure.input(signUpSchema).mutation(async ({ ctx, input }) => {
    const user = await registerWithPassword(ctx.db, input, ctx.ip);
    ctx.log.info({ userId: user.id }, "user signed up");
    return { id: user.id, email: user.email };
  }),

  me: protectedProcedure.query(({ ctx }) => ctx.user),
});
