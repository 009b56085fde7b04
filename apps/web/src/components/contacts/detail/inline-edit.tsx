"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { CheckIcon, PencilIcon, XIcon } from "lucide-react";
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { useForm, type Resolver } from "react-hook-form";
import { z } from "zod";
import { Button } from "@/components/ui/button";
import { controlClasses, Input } from "@/components/ui/input";
import { cn } from "@/lib/utils";
import { describeFailure } from "./errors";

type Values = { value: string };

export type InlineEditKind =
  | { type: "text"; maxLength?: number; autoComplete?: string }
  | { type: "number" }
  | { type: "date" }
  | { type: "select"; options: readonly string[]; emptyLabel: string };

/**
 * A value shown as text with an edit button; the button turns it into an input in place.
 * Enter saves, Escape cancels, and focus goes back to the edit button either way. The input is
 * checked with `schema` (the one the API validates with) and `onSave` may throw the API's error:
 * the first message under one of `errorKeys` (or the error itself) is shown under the input.
 */
export function InlineEdit<T>({
  id,
  label,
  editLabel,
  value,
  schema,
  errorKeys,
  onSave,
  kind = { type: "text" },
  inputClassName,
  className,
  whileEditing,
  buttonAfterValue = false,
  children,
}: {
  /** The input's id. */
  id: string;
  /** The input's label (read by screen readers; the value's own label is visible next to it). */
  label: string;
  /** The edit button's name, e.g. "Change source". */
  editLabel: string;
  /** The current value as the input shows it ("" when unset). */
  value: string;
  schema: z.ZodType<T>;
  /** Where the API reports errors about this value, e.g. ["data.name", "name"]. */
  errorKeys: readonly string[];
  onSave: (value: T) => Promise<unknown>;
  kind?: InlineEditKind;
  inputClassName?: string;
  className?: string;
  /** Puts the edit button right after the value rather than at the end of the row. */
  buttonAfterValue?: boolean;
  /** Shown (e.g. to screen readers only) in place of `children` while editing. */
  whileEditing?: React.ReactNode;
  /** The value as shown when not editing. */
  children: React.ReactNode;
}) {
  const [editing, setEditing] = useState(false);
  const [requestId, setRequestId] = useState<string | null>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);
  const formRef = useRef<HTMLFormElement>(null);
  const hintId = useId();
  const errorId = `${id}-error`;
  const resolver = useMemo(
    () =>
      zodResolver(z.object({ value: schema }) as never) as unknown as Resolver<
        Values,
        unknown,
        { value: T }
      >,
    [schema],
  );
  const form = useForm<Values, unknown, { value: T }>({ resolver, defaultValues: { value } });
  const error = form.formState.errors.value?.message;
  const { isSubmitting } = form.formState;

  useEffect(() => {
    if (editing) {
      form.setFocus("value", { shouldSelect: kind.type === "text" || kind.type === "number" });
    } else if (returnFocus.current) {
      returnFocus.current = false;
      // Only if focus went down with the input, not if the user has since moved elsewhere.
      if (!document.activeElement || document.activeElement === document.body) {
        editButton.current?.focus();
      }
    }
  }, [editing, form, kind.type]);

  const start = () => {
    form.reset({ value });
    setRequestId(null);
    setEditing(true);
  };
  const stop = () => {
    // Back to the edit button, unless the user has moved on while the value was being saved.
    const active = document.activeElement;
    returnFocus.current =
      !active || active === document.body || Boolean(formRef.current?.contains(active));
    setEditing(false);
  };

  const submit = form.handleSubmit(async (values) => {
    if (form.getValues("value").trim() === value.trim()) {
      stop();
      return;
    }
    setRequestId(null);
    try {
      await onSave(values.value);
      stop();
    } catch (caught) {
      const info = describeFailure(caught);
      const fieldMessage = errorKeys.map((key) => info.fieldErrors[key]?.[0]).find(Boolean);
      setRequestId(fieldMessage ? null : info.requestId);
      form.setError("value", { type: "server", message: fieldMessage ?? info.message });
    }
  });

  if (!editing) {
    return (
      <div className={cn("flex min-w-0 items-start gap-1", className)}>
        <div className={buttonAfterValue ? "min-w-0" : "min-w-0 flex-1"}>{children}</div>
        <Button
          ref={editButton}
          type="button"
          variant="ghost"
          size="icon"
          className="-my-1.5 size-8 shrink-0 text-muted-foreground"
          onClick={start}
          title={editLabel}
        >
          <PencilIcon aria-hidden="true" className="size-3.5" />
          <span className="sr-only">{editLabel}</span>
        </Button>
      </div>
    );
  }

  const describedBy = [hintId, error ? errorId : null].filter(Boolean).join(" ");
  const control = {
    id,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": describedBy,
    ...form.register("value"),
  } as const;
  return (
    <form
      ref={formRef}
      noValidate
      onSubmit={(event) => void submit(event)}
      onKeyDown={(event) => {
        if (event.key === "Escape") {
          event.preventDefault();
          event.stopPropagation();
          stop();
        } else if (event.key === "Enter" && event.target instanceof HTMLSelectElement) {
          event.preventDefault();
          void submit();
        }
      }}
      className={cn("grid min-w-0 gap-1.5", className)}
    >
      {whileEditing}
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <div className="flex min-w-0 items-center gap-1">
        {kind.type === "select" ? (
          <select className={cn(controlClasses, "h-9 flex-1 px-2", inputClassName)} {...control}>
            <option value="">{kind.emptyLabel}</option>
            {kind.options.map((option) => (
              <option key={option} value={option}>
                {option}
              </option>
            ))}
          </select>
        ) : (
          <Input
            type={kind.type === "text" ? "text" : kind.type}
            inputMode={kind.type === "number" ? "decimal" : undefined}
            step={kind.type === "number" ? "any" : undefined}
            autoComplete={kind.type === "text" ? (kind.autoComplete ?? "off") : "off"}
            maxLength={kind.type === "text" ? kind.maxLength : undefined}
            className={cn("h-9 flex-1", inputClassName)}
            {...control}
          />
        )}
        <Button
          type="submit"
          variant="ghost"
          size="icon"
          className="size-9 shrink-0"
          disabled={isSubmitting}
          title="Save"
        >
          <CheckIcon aria-hidden="true" />
          <span className="sr-only">{isSubmitting ? "Saving…" : "Save"}</span>
        </Button>
        <Button
          type="button"
          variant="ghost"
          size="icon"
          className="size-9 shrink-0"
          onClick={stop}
          title="Cancel"
        >
          <XIcon aria-hidden="true" />
          <span className="sr-only">Cancel</span>
        </Button>
      </div>
      <p id={hintId} className="sr-only">
        Press Enter to save, Escape to cancel.
      </p>
      {error ? (
        <p id={errorId} role="alert" className="text-sm font-medium text-destructive">
          {error}
          {requestId ? (
            <span className="block text-xs font-normal opacity-80">Request id: {requestId}</span>
          ) : null}
        </p>
      ) : null}
    </form>
  );
}
