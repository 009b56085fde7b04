import { tasks } from "@omnicrm/core";
import { createTRPCRouter, protectedProcedure } from "../trpc.ts";

export const tasksRouter = createTRPCRouter({
  list: protectedProcedure
    .input(tasks.taskListInputSchema)
    .query(({ ctx, input }) => tasks.listTasks(ctx.db, ctx.actor, input)),

  create: protectedProcedure
    .input(tasks.taskCreateSchema)
    .mutation(({ ctx, input }) => tasks.createTask(ctx.db, ctx.actor, input)),

  update: protectedProcedure
    .input(tasks.taskUpdateSchema)
    .mutation(({ ctx, input }) => tasks.updateTask(ctx.db, ctx.actor, input)),

  complete: protectedProcedure
    .input(tasks.taskIdInputSchema)
    .mutation(({ ctx, input }) => tasks.completeTask(ctx.db, ctx.actor, input)),

  reopen: protectedProcedure
    .input(tasks.taskIdInputSchema)
    .mutation(({ ctx, input }) => tasks.reopenTask(ctx.db, ctx.actor, input)),

  delete: protectedProcedure
    .input(tasks.taskIdInputSchema)
    .mutation(({ ctx, input }) => tasks.deleteTask(ctx.db, ctx.actor, input)),
});
