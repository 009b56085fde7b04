import { Slot } from "radix-ui";
import type * as React from "react";

import { Label } from "@/components/ui/label";
import { cn } from "@/lib/utils";

type FieldAriaProps = {
  id: string;
  "aria-invalid": true | undefined;
  "aria-describedby": string | undefined;
};

function fieldDescriptionId(id: string): string {
  return `${id}-description`;
}

function fieldErrorId(id: string): string {
  return `${id}-error`;
}

/**
 * The id / ARIA props a control needs to be tied to its `FormField` label, description and error.
 * `FormField` already applies these to its direct child; use this for controls rendered elsewhere.
 */
function fieldProps(
  id: string,
  error?: string | null,
  options: { hasDescription?: boolean } = {},
): FieldAriaProps {
  const describedBy = [
    options.hasDescription ? fieldDescriptionId(id) : null,
    error ? fieldErrorId(id) : null,
  ].filter((value): value is string => value !== null);
  return {
    id,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": describedBy.length > 0 ? describedBy.join(" ") : undefined,
  };
}

type FormFieldProps = {
  id: string;
  label: React.ReactNode;
  error?: string | null;
  description?: React.ReactNode;
  /** Shows a visual "required" marker; also set `required` on the control itself. */
  required?: boolean;
  className?: string;
  /** Exactly one control element (e.g. `<Input {...register("email")} />`). */
  children: React.ReactElement;
};

function FormField({
  id,
  label,
  error,
  description,
  required = false,
  className,
  children,
}: FormFieldProps) {
  const hasDescription = description !== undefined && description !== null && description !== "";
  return (
    <div data-slot="form-field" className={cn("grid gap-2", className)}>
      <Label htmlFor={id} className={cn(error ? "text-destructive" : undefined)}>
        {label}
        {required ? (
          <span aria-hidden="true" className="text-destructive">
            *
          </span>
        ) : null}
      </Label>
      <Slot.Root {...fieldProps(id, error, { hasDescription })}>{children}</Slot.Root>
      {hasDescription ? (
        <p id={fieldDescriptionId(id)} className="text-sm text-muted-foreground">
          {description}
        </p>
      ) : null}
      {error ? (
        <p id={fieldErrorId(id)} role="alert" className="text-sm font-medium text-destructive">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export { FormField, fieldDescriptionId, fieldErrorId, fieldProps, type FormFieldProps };
