"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { contactInputSchema, type ContactInput } from "@omnicrm/api/schemas";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { FormAlert } from "@/components/form-alert";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { applyFieldErrors } from "@/lib/apply-field-errors";
import { describeApiError } from "@/trpc/react";

const fields = ["name", "email", "phone"] as const;

/**
 * Create and edit share one form, validated by the schema the API validates with. `onSubmit`
 * may throw the API's error: its field errors land next to the inputs.
 */
export function ContactForm({
  defaultValues,
  submitLabel,
  pendingLabel,
  onSubmit,
  onCancel,
  fieldErrorPrefix = "",
}: {
  defaultValues?: { name: string; email: string | null; phone: string | null };
  submitLabel: string;
  pendingLabel: string;
  onSubmit: (values: ContactInput) => Promise<void>;
  onCancel?: () => void;
  /** Where the API nests these fields in its input, e.g. "data." for updates. */
  fieldErrorPrefix?: string;
}) {
  const [formError, setFormError] = useState<{ message: string; requestId: string | null } | null>(
    null,
  );
  const form = useForm({
    resolver: zodResolver(contactInputSchema),
    defaultValues: {
      name: defaultValues?.name ?? "",
      email: defaultValues?.email ?? "",
      phone: defaultValues?.phone ?? "",
    },
  });
  const { errors, isSubmitting } = form.formState;

  const submit = form.handleSubmit(async (values) => {
    setFormError(null);
    try {
      await onSubmit(values);
    } catch (error) {
      const info = describeApiError(error);
      if (!applyFieldErrors(form, info.fieldErrors, fields, fieldErrorPrefix)) {
        setFormError({ message: info.message, requestId: info.requestId });
      }
    }
  });

  return (
    <form onSubmit={submit} noValidate className="grid max-w-lg gap-4" aria-label={submitLabel}>
      <FormAlert message={formError?.message ?? null} requestId={formError?.requestId} />
      <FormField id="contact-name" label="Name" required error={errors.name?.message}>
        <Input autoComplete="off" required {...form.register("name")} />
      </FormField>
      <FormField id="contact-email" label="Email" error={errors.email?.message}>
        <Input type="email" autoComplete="off" {...form.register("email")} />
      </FormField>
      <FormField id="contact-phone" label="Phone" error={errors.phone?.message}>
        <Input type="tel" autoComplete="off" {...form.register("phone")} />
      </FormField>
      <div className="flex gap-2">
        <Button type="submit" disabled={isSubmitting}>
          {isSubmitting ? pendingLabel : submitLabel}
        </Button>
        {onCancel ? (
          <Button type="button" variant="outline" onClick={onCancel}>
            Cancel
          </Button>
        ) : null}
      </div>
    </form>
  );
}
