"use client";

import type * as React from "react";
import { Skeleton } from "@/components/ui/skeleton";
import { cn } from "@/lib/utils";

/** Small form controls the sync forms share (the UI kit has no checkbox, radio or select). */

export function Checkbox({
  id,
  checked,
  onChange,
  label,
  hint,
  describedBy,
}: {
  id: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  label: React.ReactNode;
  hint?: React.ReactNode;
  describedBy?: string;
}) {
  return (
    <div className="flex items-start gap-2.5">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        onChange={(event) => onChange(event.target.checked)}
        aria-describedby={
          [hint ? `${id}-hint` : null, describedBy].filter(Boolean).join(" ") || undefined
        }
        className="mt-0.5 size-4.5 shrink-0 cursor-pointer accent-primary"
      />
      <div className="grid min-w-0 gap-0.5">
        <label htmlFor={id} className="cursor-pointer text-sm leading-snug wrap-anywhere">
          {label}
        </label>
        {hint ? (
          <p id={`${id}-hint`} className="text-xs text-muted-foreground">
            {hint}
          </p>
        ) : null}
      </div>
    </div>
  );
}

export function RadioGroup<T extends string>({
  name,
  legend,
  value,
  onChange,
  options,
  className,
}: {
  name: string;
  legend: string;
  value: T;
  onChange: (value: T) => void;
  options: { value: T; label: React.ReactNode; hint?: React.ReactNode }[];
  className?: string;
}) {
  return (
    <fieldset className={cn("grid gap-2", className)}>
      <legend className="mb-2 text-sm font-medium">{legend}</legend>
      {options.map((option) => {
        const id = `${name}-${option.value}`;
        return (
          <div key={option.value} className="flex items-start gap-2.5">
            <input
              id={id}
              type="radio"
              name={name}
              value={option.value}
              checked={value === option.value}
              onChange={() => onChange(option.value)}
              aria-describedby={option.hint ? `${id}-hint` : undefined}
              className="mt-0.5 size-4.5 shrink-0 cursor-pointer accent-primary"
            />
            <div className="grid gap-0.5">
              <label htmlFor={id} className="cursor-pointer text-sm leading-snug">
                {option.label}
              </label>
              {option.hint ? (
                <p id={`${id}-hint`} className="text-xs text-muted-foreground">
                  {option.hint}
                </p>
              ) : null}
            </div>
          </div>
        );
      })}
    </fieldset>
  );
}

/** A list of choices loaded from Google: loading, failed (with retry), empty, or the list. */
export function LoadedChoices({
  loading,
  error,
  onRetry,
  empty,
  children,
}: {
  loading: boolean;
  error: string | null;
  onRetry: () => void;
  empty: React.ReactNode | null;
  children: React.ReactNode;
}) {
  if (loading) {
    return (
      <div aria-busy="true" className="grid gap-2">
        <span role="status" className="sr-only">
          Asking Google…
        </span>
        <Skeleton className="h-5 w-48" />
        <Skeleton className="h-5 w-40" />
        <Skeleton className="h-5 w-56" />
      </div>
    );
  }
  if (error) {
    return (
      <div role="alert" className="grid justify-items-start gap-2 text-sm text-destructive">
        <p>{error}</p>
        <button
          type="button"
          onClick={onRetry}
          className="cursor-pointer font-medium underline underline-offset-4 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring"
        >
          Try again
        </button>
      </div>
    );
  }
  if (empty) return <p className="text-sm text-muted-foreground">{empty}</p>;
  return <>{children}</>;
}
