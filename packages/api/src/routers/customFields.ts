import { customFields } from "@omnicrm/core";
import { createTRPCRouter, protectedProcedure } from "../trpc.ts";

export const customFieldsRouter = createTRPCRouter({
  list: protectedProcedure.query(({ ctx }) => customFields.listFields(ctx.db, ctx.actor)),

  create: protectedProcedure
    .input(customFields.customFieldCreateSchema)
    .mutation(({ ctx, input }) => customFields.createField(ctx.db, ctx.actor, input)),

  update: protectedProcedure
    .input(customFields.customFieldUpdateSchema)
    .mutation(({ ctx, input }) => customFields.updateField(ctx.db, ctx.actor, input)),

  reorder: protectedProcedure
    .input(customFields.customFieldReorderSchema)
    .mutation(({ ctx, input }) => customFields.reorderFields(ctx.db, ctx.actor, input)),

  delete: protectedProcedure
    .input(customFields.customFieldIdInputSchema)
    .mutation(({ ctx, input }) => customFields.deleteField(ctx.db, ctx.actor, input)),

  values: protectedProcedure
    .input(customFields.contactFieldValuesInputSchema)
    .query(({ ctx, input }) => customFields.getFieldValues(ctx.db, ctx.actor, input)),

  setValues: protectedProcedure
    .input(customFields.setFieldValuesSchema)
    .mutation(({ ctx, input }) => customFields.setFieldValues(ctx.db, ctx.actor, input)),
});
