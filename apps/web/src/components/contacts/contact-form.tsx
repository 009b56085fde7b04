"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { builtInStages, contactInputSchema, type ContactInput } from "@omnicrm/api/schemas";
import { PlusIcon, XIcon } from "lucide-react";
import { useState } from "react";
import { useForm, type Path } from "react-hook-form";
import { FormAlert } from "@/components/form-alert";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { applyFieldErrors } from "@/lib/apply-field-errors";
import { describeApiError } from "@/trpc/react";

type ContactFormValues = {
  name: string;
  emails: string[];
  phones: string[];
  stage: string;
  source: string;
};

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
  defaultValues?: {
    name: string;
    emails: string[];
    phones: string[];
    stage: string;
    source: string | null;
  };
  submitLabel: string;
  pendingLabel: string;
  onSubmit: (
    values: Required<Omit<ContactInput, "source">> & { source: string | null },
  ) => Promise<void>;
  onCancel?: () => void;
  /** Where the API nests these fields in its input, e.g. "data." for updates. */
  fieldErrorPrefix?: string;
}) {
  const [formError, setFormError] = useState<{ message: string; requestId: string | null } | null>(
    null,
  );
  const form = useForm<ContactFormValues, unknown, ContactFormValues>({
    resolver: zodResolver(contactInputSchema) as never,
    defaultValues: {
      name: defaultValues?.name ?? "",
      emails: defaultValues?.emails.length ? defaultValues.emails : [""],
      phones: defaultValues?.phones.length ? defaultValues.phones : [""],
      stage: defaultValues?.stage ?? "lead",
      source: defaultValues?.source ?? "",
    },
  });
  const { errors, isSubmitting } = form.formState;
  const emails = form.watch("emails");
  const phones = form.watch("phones");

  const submit = form.handleSubmit(async (values) => {
    setFormError(null);
    try {
      await onSubmit({
        name: values.name,
        emails: values.emails,
        phones: values.phones,
        stage: values.stage,
        source: values.source || null,
      });
    } catch (error) {
      const info = describeApiError(error);
      const fields: Path<ContactFormValues>[] = [
        "name",
        "stage",
        "source",
        "emails",
        "phones",
        ...values.emails.map((_, i) => `emails.${i}` as const),
        ...values.phones.map((_, i) => `phones.${i}` as const),
      ];
      // Input validation nests the fields under the prefix ("data.emails.1"); the service's own
      // checks (a duplicate email, an unknown stage) name them bare ("emails.1").
      if (
        !applyFieldErrors(form, info.fieldErrors, fields, fieldErrorPrefix) &&
        !(fieldErrorPrefix && applyFieldErrors(form, info.fieldErrors, fields))
      ) {
        setFormError({ message: info.message, requestId: info.requestId });
      }
    }
  });

  // Blank rows are rows the user did not fill in, not invalid entries: they are dropped before
  // validation, and an empty list keeps one blank row to type into.
  const onFormSubmit = async (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    for (const kind of ["emails", "phones"] as const) {
      form.setValue(
        kind,
        form.getValues(kind).filter((v) => v.trim() !== ""),
      );
    }
    await submit();
    for (const kind of ["emails", "phones"] as const) {
      if (form.getValues(kind).length === 0) form.setValue(kind, [""]);
    }
  };

  const listEditor = (
    kind: "emails" | "phones",
    values: string[],
    label: string,
    singular: string,
    type: string,
  ) => (
    <fieldset className="grid gap-2">
      <legend className="mb-2 text-sm font-medium">{label}</legend>
      {values.map((_, index) => {
        const error = errors[kind]?.[index]?.message;
        return (
          <div key={index} className="flex items-start gap-2">
            <FormField
              id={`contact-${kind}-${index}`}
              label={
                <span className="sr-only">{`${singular} ${index + 1}${index === 0 ? " (primary)" : ""}`}</span>
              }
              error={error}
              className="flex-1 gap-0"
            >
              <Input type={type} autoComplete="off" {...form.register(`${kind}.${index}`)} />
            </FormField>
            <Button
              type="button"
              variant="ghost"
              size="icon"
              aria-label={`Remove ${singular.toLowerCase()} ${index + 1}`}
              onClick={() =>
                form.setValue(
                  kind,
                  values.filter((__, i) => i !== index),
                )
              }
            >
              <XIcon aria-hidden="true" />
            </Button>
          </div>
        );
      })}
      <div>
        <Button
          type="button"
          variant="outline"
          size="sm"
          onClick={() => {
            form.setValue(kind, [...values, ""]);
            setTimeout(() => form.setFocus(`${kind}.${values.length}`), 0);
          }}
        >
          <PlusIcon aria-hidden="true" /> Add {singular.toLowerCase()}
        </Button>
      </div>
    </fieldset>
  );

  return (
    <form
      onSubmit={onFormSubmit}
      noValidate
      className="grid max-w-lg gap-5"
      aria-label={submitLabel}
    >
      <FormAlert message={formError?.message ?? null} requestId={formError?.requestId} />
      <FormField id="contact-name" label="Name" required error={errors.name?.message}>
        <Input autoComplete="off" required {...form.register("name")} />
      </FormField>
      {listEditor("emails", emails, "Emails", "Email", "email")}
      {listEditor("phones", phones, "Phones", "Phone", "tel")}
      <FormField id="contact-stage" label="Stage" error={errors.stage?.message}>
        <select
          className="h-9 rounded-md border border-input bg-background px-2 text-sm"
          {...form.register("stage")}
        >
          {builtInStages.map((stage) => (
            <option key={stage.key} value={stage.key}>
              {stage.label}
            </option>
          ))}
          {defaultValues && !builtInStages.some((s) => s.key === defaultValues.stage) ? (
            <option value={defaultValues.stage}>{defaultValues.stage}</option>
          ) : null}
        </select>
      </FormField>
      <FormField
        id="contact-source"
        label="Source"
        description="How they found you, e.g. Referral or Instagram."
        error={errors.source?.message}
      >
        <Input autoComplete="off" {...form.register("source")} />
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
