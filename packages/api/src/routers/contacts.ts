import {
  contactIdInputSchema,
  contactInputSchema,
  contactListInputSchema,
  contactUpdateSchema,
  contacts,
} from "@omnicrm/core";
import { createTRPCRouter, protectedProcedure } from "../trpc.ts";

export const contactsRouter = createTRPCRouter({
  list: protectedProcedure
    .input(contactListInputSchema)
    .query(({ ctx, input }) => contacts.listContacts(ctx.db, ctx.actor, input)),

  byId: protectedProcedure
    .input(contactIdInputSchema)
    .query(({ ctx, input }) => contacts.getContact(ctx.db, ctx.actor, input)),

  create: protectedProcedure
    .input(contactInputSchema)
    .mutation(({ ctx, input }) => contacts.createContact(ctx.db, ctx.actor, input)),

  update: protectedProcedure
    .input(contactUpdateSchema)
    .mutation(({ ctx, input }) => contacts.updateContact(ctx.db, ctx.actor, input)),

  delete: protectedProcedure
    .input(contactIdInputSchema)
    .mutation(({ ctx, input }) => contacts.deleteContact(ctx.db, ctx.actor, input)),
});
