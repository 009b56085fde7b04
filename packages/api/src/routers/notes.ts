import { notes } from "@omnicrm/core";
import { createTRPCRouter, protectedProcedure } from "../trpc.ts";

export const notesRouter = createTRPCRouter({
  list: protectedProcedure
    .input(notes.noteListInputSchema)
    .query(({ ctx, input }) => notes.listNotes(ctx.db, ctx.actor, input)),

  create: protectedProcedure
    .input(notes.noteCreateSchema)
    .mutation(({ ctx, input }) => notes.createNote(ctx.db, ctx.actor, input)),

  update: protectedProcedure
    .input(notes.noteUpdateSchema)
    .mutation(({ ctx, input }) => notes.updateNote(ctx.db, ctx.actor, input)),

  delete: protectedProcedure
    .input(notes.noteIdInputSchema)
    .mutation(({ ctx, input }) => notes.deleteNote(ctx.db, ctx.actor, input)),
});
