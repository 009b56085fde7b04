import { tags } from "@omnicrm/core";
import { createTRPCRouter, protectedProcedure } from "../trpc.ts";

export const tagsRouter = createTRPCRouter({
  list: protectedProcedure.query(({ ctx }) => tags.listTags(ctx.db, ctx.actor)),

  create: protectedProcedure
    .input(tags.tagCreateSchema)
    .mutation(({ ctx, input }) => tags.createTag(ctx.db, ctx.actor, input)),

  update: protectedProcedure
    .input(tags.tagUpdateSchema)
    .mutation(({ ctx, input }) => tags.updateTag(ctx.db, ctx.actor, input)),

  delete: protectedProcedure
    .input(tags.tagIdInputSchema)
    .mutation(({ ctx, input }) => tags.deleteTag(ctx.db, ctx.actor, input)),

  tagContacts: protectedProcedure
    .input(tags.tagContactsSchema)
    .mutation(({ ctx, input }) => tags.tagContacts(ctx.db, ctx.actor, input)),

  untagContacts: protectedProcedure
    .input(tags.tagContactsSchema)
    .mutation(({ ctx, input }) => tags.untagContacts(ctx.db, ctx.actor, input)),

  ofContact: protectedProcedure
    .input(tags.tagsOfContactSchema)
    .query(({ ctx, input }) => tags.tagsOfContact(ctx.db, ctx.actor, input)),
});
