"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import type { RouterOutputs } from "@omnicrm/api";
import {
  customFieldCreateSchema,
  customFieldTypes,
  type CustomFieldType,
} from "@omnicrm/api/schemas";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { PlusIcon, Settings2Icon, XIcon } from "lucide-react";
import { useState } from "react";
import { useForm, type Path, type Resolver } from "react-hook-form";
import { toast } from "sonner";
import { FormAlert } from "@/components/form-alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import { FormField } from "@/components/ui/form-field";
import { controlClasses, Input } from "@/components/ui/input";
import { applyFieldErrors } from "@/lib/apply-field-errors";
import { cn } from "@/lib/utils";
import { useTRPC } from "@/trpc/react";
import { describeFailure } from "./errors";

type Field = RouterOutputs["customFields"]["list"][number];

type FormValues = { label: string; type: CustomFieldType; options: string[] };
type Output = { label: string; type: CustomFieldType; options: string[] };

const typeLabels: Record<CustomFieldType, string> = {
  text: "Text",
  number: "Number",
  date: "Date",
  select: "Choice list",
};

/** Lists the user's custom fields and adds new ones (label, type, and the choices of a list). */
export function ManageFieldsDialog({ fields }: { fields: Field[] | undefined }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button type="button" variant="outline" size="sm">
          <Settings2Icon aria-hidden="true" /> Manage fields
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Custom fields</DialogTitle>
          <DialogDescription>
            Fields every contact has, such as a goal or a birthday.
          </DialogDescription>
        </DialogHeader>
        {fields?.length ? (
          <div>
            <h3 className="mb-2 text-sm font-medium">Your fields</h3>
            <ul className="grid max-h-48 gap-1 overflow-y-auto rounded-md border p-2">
              {fields.map((field) => (
                <li key={field.id} className="flex min-w-0 items-center justify-between gap-2">
                  <span className="min-w-0 text-sm wrap-anywhere">{field.label}</span>
                  <Badge variant="secondary">{typeLabels[field.type]}</Badge>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        <NewFieldForm onDone={() => setOpen(false)} />
      </DialogContent>
    </Dialog>
  );
}

function NewFieldForm({ onDone }: { onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const create = useMutation(trpc.customFields.create.mutationOptions());
  const [formError, setFormError] = useState<{ message: string; requestId: string | null } | null>(
    null,
  );
  const form = useForm<FormValues, unknown, Output>({
    resolver: zodResolver(customFieldCreateSchema as never) as unknown as Resolver<
      FormValues,
      unknown,
      Output
    >,
    defaultValues: { label: "", type: "text", options: ["", ""] },
  });
  const { errors, isSubmitting } = form.formState;
  const type = form.watch("type");
  const options = form.watch("options");

  const submit = form.handleSubmit(async (values) => {
    setFormError(null);
    try {
      const field = await create.mutateAsync(values);
      await queryClient.invalidateQueries(trpc.customFields.pathFilter());
      toast.success(`The field “${field.label}” was added.`);
      onDone();
    } catch (error) {
      const info = describeFailure(error);
      const names: Path<FormValues>[] = [
        "label",
        "type",
        "options",
        ...values.options.map((_, i) => `options.${i}` as const),
      ];
      if (!applyFieldErrors(form, info.fieldErrors, names)) {
        setFormError({ message: info.message, requestId: info.requestId });
      }
    }
  });

  return (
    <form
      noValidate
      aria-labelledby="new-field-heading"
      className="grid gap-4 border-t pt-4"
      onSubmit={async (event) => {
        event.preventDefault();
        // Blank choice rows are rows not filled in; a field that is not a list has none.
        const kept = form.getValues("options").filter((o) => o.trim() !== "");
        form.setValue("options", form.getValues("type") === "select" ? kept : []);
        await submit();
        if (form.getValues("options").length === 0) form.setValue("options", [""]);
      }}
    >
      <h3 id="new-field-heading" className="text-sm font-medium">
        Add a field
      </h3>
      <FormAlert message={formError?.message ?? null} requestId={formError?.requestId} />
      <FormField id="new-field-label" label="Label" required error={errors.label?.message}>
        <Input autoComplete="off" required maxLength={80} {...form.register("label")} />
      </FormField>
      <FormField id="new-field-type" label="Type" error={errors.type?.message}>
        <select className={cn(controlClasses, "h-10 px-2")} {...form.register("type")}>
          {customFieldTypes.map((t) => (
            <option key={t} value={t}>
              {typeLabels[t]}
            </option>
          ))}
        </select>
      </FormField>
      {type === "select" ? (
        <fieldset className="grid gap-2">
          <legend className="mb-2 text-sm font-medium">Choices</legend>
          {options.map((_, index) => (
            <div key={index} className="flex items-start gap-2">
              <FormField
                id={`new-field-option-${index}`}
                label={<span className="sr-only">{`Choice ${index + 1}`}</span>}
                error={errors.options?.[index]?.message}
                className="flex-1 gap-0"
              >
                <Input autoComplete="off" maxLength={100} {...form.register(`options.${index}`)} />
              </FormField>
              <Button
                type="button"
                variant="ghost"
                size="icon"
                disabled={options.length === 1}
                onClick={() =>
                  form.setValue(
                    "options",
                    options.filter((__, i) => i !== index),
                  )
                }
              >
                <XIcon aria-hidden="true" />
                <span className="sr-only">Remove choice {index + 1}</span>
              </Button>
            </div>
          ))}
          {errors.options?.message ? (
            <p role="alert" className="text-sm font-medium text-destructive">
              {errors.options.message}
            </p>
          ) : null}
          <div>
            <Button
              type="button"
              variant="outline"
              size="sm"
              onClick={() => {
                form.setValue("options", [...options, ""]);
                setTimeout(() => form.setFocus(`options.${options.length}`), 0);
              }}
            >
              <PlusIcon aria-hidden="true" /> Add choice
            </Button>
          </div>
        </fieldset>
      ) : null}
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <Button type="button" variant="outline" onClick={onDone}>
          Close
        </Button>
        <Button type="submit" disabled={isSubmitting}>
          {isSubmitting ? "Adding…" : "Add field"}
        </Button>
      </div>
    </form>
  );
}
