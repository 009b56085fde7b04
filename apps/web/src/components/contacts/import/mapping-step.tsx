"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { ArrowLeftIcon, ArrowRightIcon, LoaderCircleIcon, SparklesIcon } from "lucide-react";
import { useId, useRef, useState } from "react";
import { FormAlert } from "@/components/form-alert";
import { Button } from "@/components/ui/button";
import { controlClasses } from "@/components/ui/input";
import { cn } from "@/lib/utils";
import { describeApiError, useTRPC } from "@/trpc/react";
import {
  checkMapping,
  contactTargets,
  formatCount,
  fullMapping,
  hasProblems,
  plural,
  presetNames,
  sameMapping,
  type ImportMapping,
  type ImportOptions,
  type ImportPreview,
  type ImportTarget,
  type MappingProblems,
  type StagedUpload,
} from "./shared";

export interface RememberChoice {
  on: boolean;
  name: string;
}

const matchByChoices: { value: ImportOptions["matchBy"]; label: string }[] = [
  { value: "email", label: "Email" },
  { value: "phone", label: "Phone" },
  { value: "email_or_phone", label: "Email or phone" },
];

const onMatchChoices: { value: ImportOptions["onMatch"]; label: string; hint: string }[] = [
  {
    value: "update",
    label: "Update the contact",
    hint: "The file’s name, stage and source replace the contact’s; its emails, phones and tags are added; custom fields are filled in only where empty.",
  },
  { value: "skip", label: "Leave the contact as it is", hint: "The row is skipped." },
];

/** Up to three values of a column from the first rows, for recognizing it. */
function samplesOf(upload: StagedUpload, header: string): string[] {
  const values: string[] = [];
  for (const row of upload.sampleRows) {
    const value = row.cells[header]?.trim();
    if (value && !values.includes(value)) values.push(value);
    if (values.length === 3) break;
  }
  return values;
}

const selectId = (base: string, index: number) => `${base}-column-${index}`;

export function MappingStep({
  upload,
  mapping,
  options,
  remember,
  onChange,
  onBack,
  onPreviewed,
}: {
  upload: StagedUpload;
  mapping: ImportMapping;
  options: ImportOptions;
  remember: RememberChoice;
  onChange: (next: {
    mapping?: ImportMapping;
    options?: ImportOptions;
    remember?: RememberChoice;
  }) => void;
  onBack: () => void;
  onPreviewed: (preview: ImportPreview) => void;
}) {
  const trpc = useTRPC();
  const base = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const fields = useQuery(trpc.customFields.list.queryOptions());
  const presets = useQuery(trpc.imports.presets.queryOptions({ importId: upload.importId }));
  const saveMapping = useMutation(trpc.imports.saveMapping.mutationOptions());
  const preview = useMutation(trpc.imports.preview.mutationOptions());
  const [submitted, setSubmitted] = useState(false);
  const [serverError, setServerError] = useState<{
    message: string;
    requestId: string | null;
    columns: Record<string, string>;
  } | null>(null);

  const { headers } = upload;
  const local = checkMapping(headers, mapping, options, fields.data);
  // Column problems show at once; the "nothing chosen" ones only once the user tries to go on.
  const problems: MappingProblems = {
    columns: { ...serverError?.columns, ...local.columns },
    general: submitted ? local.general : null,
    matchBy: submitted ? local.matchBy : null,
  };
  const busy = saveMapping.isPending || preview.isPending;
  const mappedCount = headers.filter((h) => (mapping[h] ?? "ignore") !== "ignore").length;

  const setTarget = (header: string, target: ImportTarget) => {
    setServerError(null);
    onChange({ mapping: { ...mapping, [header]: target } });
  };
  const apply = (next: ImportMapping) => {
    setServerError(null);
    // A saved mapping may name columns this file does not have: only this file's count.
    onChange({ mapping: fullMapping(headers, next) });
  };

  const builtIn = presets.data?.builtIn.filter((p) => p.mapping !== null) ?? [];
  const saved = presets.data?.saved ?? [];
  const otherSaved = saved.filter((p) => !p.matches && headers.some((h) => h in p.mapping));
  const isCurrent = (candidate: ImportMapping | null) =>
    candidate !== null && sameMapping(headers, mapping, candidate);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    setServerError(null);
    if (hasProblems(local)) {
      // Bring the first problem into view for keyboard and screen reader users.
      requestAnimationFrame(() => {
        const form = formRef.current;
        const invalid = form?.querySelector<HTMLElement>("[aria-invalid='true']");
        if (invalid) invalid.focus();
        else form?.querySelector("[role='alert']")?.scrollIntoView({ block: "center" });
      });
      return;
    }
    const full = fullMapping(headers, mapping);
    try {
      if (remember.on) {
        await saveMapping.mutateAsync({
          importId: upload.importId,
          name: remember.name.trim() || upload.fileName,
          mapping: full,
        });
      }
      onPreviewed(await preview.mutateAsync({ importId: upload.importId, mapping: full, options }));
    } catch (error) {
      const info = describeApiError(error);
      const columns: Record<string, string> = {};
      for (const [key, messages] of Object.entries(info.fieldErrors)) {
        if (key.startsWith("mapping.") && messages[0]) columns[key.slice(8)] = messages[0];
      }
      setServerError({ message: info.message, requestId: info.requestId, columns });
    }
  }

  return (
    <form ref={formRef} noValidate onSubmit={(event) => void submit(event)} className="grid gap-6">
      <p className="text-sm text-muted-foreground">
        <span className="font-medium text-foreground">{upload.fileName}</span> ·{" "}
        {plural(upload.totalRows, "row")} · {plural(headers.length, "column")}. Choose what each
        column of your file becomes in OmniCRM; columns set to “Don&apos;t import” are left out.
      </p>

      <div className="grid gap-3 rounded-md border bg-muted/40 p-3 text-sm">
        {upload.matchedPreset && isCurrent(upload.matchedPreset.mapping) ? (
          <p className="flex items-start gap-2">
            <SparklesIcon aria-hidden="true" className="mt-0.5 size-4 shrink-0 text-primary" />
            <span>
              We used your saved mapping <strong>“{upload.matchedPreset.name}”</strong>, remembered
              for files with these columns.
            </span>
          </p>
        ) : upload.detectedPreset ? (
          <p className="flex items-start gap-2">
            <SparklesIcon aria-hidden="true" className="mt-0.5 size-4 shrink-0 text-primary" />
            <span>
              This looks like a <strong>{presetNames[upload.detectedPreset]}</strong> export: its
              columns were matched for you. Check them below.
            </span>
          </p>
        ) : (
          <p className="flex items-start gap-2">
            <SparklesIcon aria-hidden="true" className="mt-0.5 size-4 shrink-0 text-primary" />
            <span>Columns were matched from their names. Check them below.</span>
          </p>
        )}
        <div
          role="group"
          aria-label="Mapping presets"
          className="flex flex-wrap items-center gap-2"
        >
          <span className="text-muted-foreground">Apply:</span>
          {builtIn.map((preset) => (
            <Button
              key={preset.key}
              type="button"
              size="sm"
              variant="outline"
              aria-pressed={isCurrent(preset.mapping)}
              className="aria-pressed:border-primary aria-pressed:bg-accent"
              onClick={() => preset.mapping && apply(preset.mapping)}
            >
              {preset.name} export
            </Button>
          ))}
          {saved
            .filter((p) => p.matches)
            .map((preset) => (
              <Button
                key={preset.id}
                type="button"
                size="sm"
                variant="outline"
                aria-pressed={isCurrent(preset.mapping)}
                className="aria-pressed:border-primary aria-pressed:bg-accent"
                onClick={() => apply(preset.mapping)}
              >
                Saved: {preset.name}
              </Button>
            ))}
          {otherSaved.length > 0 ? (
            <select
              aria-label="Apply another saved mapping"
              className={cn(controlClasses, "h-9 w-auto max-w-60 px-2")}
              value=""
              onChange={(event) => {
                const preset = otherSaved.find((p) => p.id === event.target.value);
                if (preset) apply({ ...fullMapping(headers, {}), ...preset.mapping });
              }}
            >
              <option value="">Another saved mapping…</option>
              {otherSaved.map((preset) => (
                <option key={preset.id} value={preset.id}>
                  {preset.name}
                </option>
              ))}
            </select>
          ) : null}
          <Button
            type="button"
            size="sm"
            variant="ghost"
            disabled={isCurrent(upload.suggestedMapping)}
            onClick={() => apply(upload.suggestedMapping)}
          >
            Back to the suggestion
          </Button>
        </div>
        {presets.isError ? (
          <p className="text-muted-foreground">
            The presets could not be loaded: {describeApiError(presets.error).message}
          </p>
        ) : null}
      </div>

      <section aria-labelledby={`${base}-columns`} className="grid gap-2">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h3 id={`${base}-columns`} className="font-semibold">
            Columns
          </h3>
          <span className="text-sm text-muted-foreground">
            {formatCount(mappedCount)} of {formatCount(headers.length)} imported
          </span>
        </div>
        <div
          aria-hidden="true"
          className="hidden grid-cols-[minmax(0,13rem)_minmax(0,1fr)_16rem] gap-4 border-b px-2 pb-2 text-xs font-medium text-muted-foreground uppercase md:grid"
        >
          <span>Column in your file</span>
          <span>First values</span>
          <span>Import as</span>
        </div>
        <ul className="grid gap-2 md:gap-0">
          {headers.map((header, index) => {
            const target = mapping[header] ?? "ignore";
            const values = samplesOf(upload, header);
            const problem = problems.columns[header];
            const id = selectId(base, index);
            const errorId = `${id}-error`;
            return (
              <li
                key={header}
                className={cn(
                  "grid gap-2 rounded-md border p-3",
                  "md:grid-cols-[minmax(0,13rem)_minmax(0,1fr)_16rem] md:items-center md:gap-4 md:rounded-none md:border-0 md:border-b md:px-2 md:py-2.5",
                  target === "ignore" && "text-muted-foreground",
                )}
              >
                <span className="font-medium break-words">{header}</span>
                <span className="flex min-w-0 flex-wrap gap-1 text-sm">
                  {values.length === 0 ? (
                    <span className="text-muted-foreground italic">Empty in the first rows</span>
                  ) : (
                    values.map((value) => (
                      <span
                        key={value}
                        title={value}
                        className="max-w-full truncate rounded bg-muted px-1.5 py-0.5 text-xs text-foreground md:max-w-56"
                      >
                        {value.replace(/\s*\n\s*/g, " ↵ ")}
                      </span>
                    ))
                  )}
                </span>
                <span className="grid gap-1">
                  <select
                    id={id}
                    aria-label={`Import column ${header} as`}
                    aria-invalid={problem ? true : undefined}
                    aria-describedby={problem ? errorId : undefined}
                    className={cn(controlClasses, "h-10 px-2 text-foreground")}
                    value={target}
                    onChange={(event) => setTarget(header, event.target.value as ImportTarget)}
                  >
                    <optgroup label="Contact">
                      {contactTargets.map((t) => (
                        <option key={t.value} value={t.value}>
                          {t.label}
                        </option>
                      ))}
                    </optgroup>
                    {fields.data && fields.data.length > 0 ? (
                      <optgroup label="Your custom fields">
                        {fields.data.map((field) => (
                          <option key={field.id} value={`custom:${field.id}`}>
                            {field.label}
                          </option>
                        ))}
                      </optgroup>
                    ) : null}
                    {target.startsWith("custom:") &&
                    fields.data &&
                    !fields.data.some((f) => `custom:${f.id}` === target) ? (
                      <option value={target}>Deleted custom field</option>
                    ) : null}
                    <option value="ignore">Don&apos;t import</option>
                  </select>
                  {problem ? (
                    <span id={errorId} className="text-sm font-medium text-destructive">
                      {problem}
                    </span>
                  ) : null}
                </span>
              </li>
            );
          })}
        </ul>
        {problems.general ? <FormAlert message={problems.general} /> : null}
      </section>

      <fieldset className="grid gap-4 rounded-md border p-4">
        <legend className="px-1 font-semibold">Contacts you already have</legend>
        <p className="text-sm text-muted-foreground">
          Each row is matched to one of your contacts by its <strong>email</strong> (any of the
          contact&apos;s emails; capitals don&apos;t matter) or its <strong>phone</strong> (only the
          digits count). A row that matches nobody becomes a new contact. When two rows of the file
          are about the same person, only the first one is imported.
        </p>
        <div className="grid gap-4 sm:grid-cols-2">
          <div role="radiogroup" aria-labelledby={`${base}-match-by`} className="grid gap-2">
            <span id={`${base}-match-by`} className="text-sm font-medium">
              Match rows by
            </span>
            {matchByChoices.map((choice) => (
              <label key={choice.value} className="flex items-center gap-2 text-sm">
                <input
                  type="radio"
                  name={`${base}-match-by`}
                  value={choice.value}
                  className="size-4 accent-primary"
                  checked={options.matchBy === choice.value}
                  onChange={() => onChange({ options: { ...options, matchBy: choice.value } })}
                />
                {choice.label}
              </label>
            ))}
            {problems.matchBy ? (
              <p role="alert" className="text-sm font-medium text-destructive">
                {problems.matchBy}
              </p>
            ) : null}
          </div>
          <div role="radiogroup" aria-labelledby={`${base}-on-match`} className="grid gap-2">
            <span id={`${base}-on-match`} className="text-sm font-medium">
              When a row matches a contact
            </span>
            {onMatchChoices.map((choice) => (
              <label key={choice.value} className="flex items-start gap-2 text-sm">
                <input
                  type="radio"
                  name={`${base}-on-match`}
                  value={choice.value}
                  className="mt-0.5 size-4 shrink-0 accent-primary"
                  checked={options.onMatch === choice.value}
                  onChange={() => onChange({ options: { ...options, onMatch: choice.value } })}
                />
                <span>
                  {choice.label}
                  <span className="block text-muted-foreground">{choice.hint}</span>
                </span>
              </label>
            ))}
          </div>
        </div>
      </fieldset>

      <div className="grid gap-2 rounded-md border p-4">
        <label className="flex items-start gap-2 text-sm">
          <input
            type="checkbox"
            className="mt-0.5 size-4 shrink-0 accent-primary"
            checked={remember.on}
            onChange={(event) => onChange({ remember: { ...remember, on: event.target.checked } })}
          />
          <span>
            Remember this mapping for files with these columns
            <span className="block text-muted-foreground">
              Next time you upload a file with the same columns, it is chosen for you.
            </span>
          </span>
        </label>
        {remember.on ? (
          <label className="grid max-w-sm gap-1.5 text-sm sm:ml-6">
            <span className="font-medium">Name of the mapping</span>
            <input
              className={cn(controlClasses, "h-10 py-2")}
              value={remember.name}
              maxLength={80}
              onChange={(event) =>
                onChange({ remember: { ...remember, name: event.target.value } })
              }
            />
          </label>
        ) : null}
      </div>

      {serverError ? (
        <FormAlert message={serverError.message} requestId={serverError.requestId} />
      ) : null}

      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-between">
        <Button type="button" variant="outline" onClick={onBack} disabled={busy}>
          <ArrowLeftIcon aria-hidden="true" /> Choose another file
        </Button>
        <Button type="submit" disabled={busy} aria-busy={busy || undefined}>
          {busy ? (
            <>
              <LoaderCircleIcon aria-hidden="true" className="animate-spin" />
              Checking {plural(upload.totalRows, "row")}…
            </>
          ) : (
            <>
              Preview the import <ArrowRightIcon aria-hidden="true" />
            </>
          )}
        </Button>
      </div>
    </form>
  );
}
