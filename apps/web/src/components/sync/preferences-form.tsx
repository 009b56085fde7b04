"use client";

import { calendarPreferencesSchema, gmailPreferencesSchema } from "@omnicrm/api/schemas";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { SaveIcon } from "lucide-react";
import { useEffect, useState } from "react";
import { toast } from "sonner";
import type { z } from "zod";
import { FormAlert } from "@/components/form-alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FormField, fieldErrorId } from "@/components/ui/form-field";
import { controlClasses, Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { cn } from "@/lib/utils";
import { describeApiError, useTRPC } from "@/trpc/react";
import { Checkbox, LoadedChoices, RadioGroup } from "./choice-list";
import {
  daysWords,
  fieldMessages,
  linesOf,
  type CalendarPreferences,
  type GmailPreferences,
} from "./shared";

type Errors = Record<string, string>;

function zodMessages(error: z.ZodError): Errors {
  const byPath: Record<string, string[]> = {};
  for (const issue of error.issues) (byPath[issue.path.join(".")] ??= []).push(issue.message);
  return fieldMessages(byPath);
}

function DaysSelect({
  id,
  value,
  onChange,
  presets,
  error,
}: {
  id: string;
  value: number;
  onChange: (days: number) => void;
  presets: number[];
  error?: string;
}) {
  const options = presets.includes(value) ? presets : [...presets, value].sort((a, b) => a - b);
  return (
    <select
      id={id}
      value={value}
      onChange={(event) => onChange(Number(event.target.value))}
      aria-invalid={error ? true : undefined}
      aria-describedby={error ? fieldErrorId(id) : undefined}
      className={cn(controlClasses, "h-10 px-2")}
    >
      {options.map((days) => (
        <option key={days} value={days}>
          {days === 0 ? "None" : daysWords(days)}
        </option>
      ))}
    </select>
  );
}

/** Saves a channel's preferences; the server's answer (and its field errors) wins. */
function useSavePreferences(onSaved: () => void) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const save = useMutation(trpc.sync.updatePreferences.mutationOptions());
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<{ message: string; requestId: string | null }>();
  const submit = (input: Parameters<typeof save.mutateAsync>[0]) => {
    setFormError(undefined);
    return save
      .mutateAsync(input)
      .then(async () => {
        setErrors({});
        await queryClient.invalidateQueries(trpc.sync.overview.queryFilter());
        toast.success("Your choices are saved. Preview them before approving.");
        onSaved();
      })
      .catch((e: unknown) => {
        const info = describeApiError(e);
        const fields = fieldMessages(info.fieldErrors);
        setErrors(fields);
        if (Object.keys(fields).length === 0) {
          setFormError({ message: info.message, requestId: info.requestId });
        }
      });
  };
  return { save, submit, errors, setErrors, formError };
}

/** The never-log list, one address or domain per line; shared by both channels. */
function NeverLogField({
  id,
  value,
  onChange,
  error,
  placeholder,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  placeholder: string;
}) {
  return (
    <FormField id={id} label="Never log these people" error={error} description={NEVER_LOG_HINT}>
      <Textarea
        value={value}
        onChange={(e) => onChange(e.target.value)}
        rows={3}
        placeholder={placeholder}
        spellCheck={false}
        autoCapitalize="none"
      />
    </FormField>
  );
}

/** The form's error, Save, and whether there is anything to save. */
function SaveRow({
  pending,
  dirty,
  formError,
}: {
  pending: boolean;
  dirty: boolean;
  formError: { message: string; requestId: string | null } | undefined;
}) {
  return (
    <>
      {formError ? <FormAlert message={formError.message} requestId={formError.requestId} /> : null}
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={pending || !dirty}>
          <SaveIcon aria-hidden="true" /> {pending ? "Saving…" : "Save"}
        </Button>
        <p className="text-sm text-muted-foreground" aria-live="polite">
          {dirty ? "You have unsaved changes." : null}
        </p>
      </div>
    </>
  );
}

const NEVER_LOG_HINT =
  "One per line: an address (name@example.com) or a whole domain (@lawfirm.com). Mail and events with them are never logged.";

export function GmailPreferencesForm({
  saved,
  connected,
  onDirtyChange,
  onSaved,
}: {
  saved: GmailPreferences;
  connected: boolean;
  onDirtyChange: (dirty: boolean) => void;
  onSaved: () => void;
}) {
  const trpc = useTRPC();
  const labels = useQuery({
    ...trpc.sync.labels.queryOptions(),
    enabled: connected,
    staleTime: 5 * 60_000,
  });
  const [scope, setScope] = useState(saved.scope);
  const [labelIds, setLabelIds] = useState(saved.labelIds);
  const [query, setQuery] = useState(saved.query);
  const [lookbackDays, setLookbackDays] = useState(saved.lookbackDays);
  const [includeBodies, setIncludeBodies] = useState(saved.includeBodies);
  const [neverLog, setNeverLog] = useState(saved.neverLog.join("\n"));
  const [skipBulk, setSkipBulk] = useState(saved.skipBulk);
  const [maxRecipients, setMaxRecipients] = useState(String(saved.maxRecipients));
  const { save, submit, errors, setErrors, formError } = useSavePreferences(onSaved);

  const draft = {
    scope,
    labelIds,
    query,
    lookbackDays,
    includeBodies,
    neverLog: linesOf(neverLog),
    skipBulk,
    maxRecipients: maxRecipients.trim() === "" ? Number.NaN : Number(maxRecipients),
  };
  const dirty = JSON.stringify(draft) !== JSON.stringify(saved);
  useEffect(() => onDirtyChange(dirty), [dirty, onDirtyChange]);

  const known = new Set(labels.data?.map((l) => l.id));
  const unknownChosen = labelIds.filter((id) => labels.data && !known.has(id));
  const toggle = (id: string, on: boolean) =>
    setLabelIds((current) => (on ? [...current, id] : current.filter((x) => x !== id)));

  return (
    <form
      aria-label="Gmail preferences"
      noValidate
      className="grid gap-5"
      onSubmit={(event) => {
        event.preventDefault();
        const parsed = gmailPreferencesSchema.safeParse(draft);
        if (!parsed.success) {
          setErrors(zodMessages(parsed.error));
          return;
        }
        if (parsed.data.scope === "labels" && parsed.data.labelIds.length === 0) {
          setErrors({ labelIds: "Choose at least one label, or switch to a search." });
          return;
        }
        if (parsed.data.scope === "query" && !parsed.data.query) {
          setErrors({ query: "Enter a Gmail search, or switch to labels." });
          return;
        }
        void submit({ kind: "gmail", preferences: parsed.data });
      }}
    >
      <RadioGroup
        name="gmail-scope"
        legend="Which mail"
        value={scope}
        onChange={setScope}
        options={[
          { value: "labels", label: "The mail in some labels", hint: "e.g. a “Clients” label" },
          {
            value: "query",
            label: "The mail a Gmail search finds",
            hint: "The same searches as in Gmail’s search box.",
          },
        ]}
      />

      {scope === "labels" ? (
        <fieldset
          className="grid gap-2"
          aria-describedby={errors.labelIds ? fieldErrorId("gmail-labels") : undefined}
        >
          <legend className="mb-2 text-sm font-medium">Labels to sync</legend>
          <LoadedChoices
            loading={labels.isPending}
            error={labels.isError ? describeApiError(labels.error).message : null}
            onRetry={() => void labels.refetch()}
            empty={
              labels.data?.length === 0 ? "Your Gmail has no labels; switch to a search." : null
            }
          >
            <div className="grid max-h-72 gap-2.5 overflow-y-auto rounded-md border p-3 sm:grid-cols-2">
              {labels.data?.map((label) => (
                <Checkbox
                  key={label.id}
                  id={`gmail-label-${label.id}`}
                  checked={labelIds.includes(label.id)}
                  onChange={(on) => toggle(label.id, on)}
                  label={
                    <span className="inline-flex flex-wrap items-center gap-1.5">
                      {label.name}
                      {label.type === "system" ? (
                        <Badge variant="outline" className="font-normal">
                          Gmail
                        </Badge>
                      ) : null}
                    </span>
                  }
                />
              ))}
              {unknownChosen.map((id) => (
                <Checkbox
                  key={id}
                  id={`gmail-label-${id}`}
                  checked
                  onChange={(on) => toggle(id, on)}
                  label={`A label that no longer exists (${id})`}
                />
              ))}
            </div>
          </LoadedChoices>
          {errors.labelIds ? (
            <p
              id={fieldErrorId("gmail-labels")}
              role="alert"
              className="text-sm font-medium text-destructive"
            >
              {errors.labelIds}
            </p>
          ) : null}
        </fieldset>
      ) : (
        <FormField
          id="gmail-query"
          label="Gmail search"
          error={errors.query}
          description="For example: from:(@myclinic.com) OR label:clients"
        >
          <Input value={query} onChange={(e) => setQuery(e.target.value)} maxLength={500} />
        </FormField>
      )}

      <div className="grid gap-5 sm:grid-cols-2">
        <FormField
          id="gmail-lookback"
          label="How far back the first sync reads"
          error={errors.lookbackDays}
        >
          <DaysSelect
            id="gmail-lookback"
            value={lookbackDays}
            onChange={setLookbackDays}
            presets={[7, 30, 90, 180, 365, 730, 1825]}
            error={errors.lookbackDays}
          />
        </FormField>
        <FormField
          id="gmail-max-recipients"
          label="Skip mail with more people than"
          error={errors.maxRecipients}
          description="Group mail is rarely about one client."
        >
          <Input
            type="number"
            inputMode="numeric"
            min={1}
            max={500}
            value={maxRecipients}
            onChange={(e) => setMaxRecipients(e.target.value)}
          />
        </FormField>
      </div>

      <RadioGroup
        name="gmail-content"
        legend="What is kept of each message"
        value={includeBodies ? "bodies" : "metadata"}
        onChange={(value) => setIncludeBodies(value === "bodies")}
        options={[
          {
            value: "metadata",
            label: "Subject, snippet, people and date (recommended)",
            hint: "Enough to see who wrote when, and about what.",
          },
          {
            value: "bodies",
            label: "Also the full text of each message",
            hint: "Stored in OmniCRM; attachments are never downloaded.",
          },
        ]}
      />

      <Checkbox
        id="gmail-skip-bulk"
        checked={skipBulk}
        onChange={setSkipBulk}
        label="Skip newsletters and automated mail"
        hint="Mail with an unsubscribe link or sent in bulk."
      />

      <NeverLogField
        id="gmail-never-log"
        value={neverLog}
        onChange={setNeverLog}
        error={errors.neverLog}
        placeholder="e.g. @lawfirm.example"
      />

      <SaveRow pending={save.isPending} dirty={dirty} formError={formError} />
    </form>
  );
}

export function CalendarPreferencesForm({
  saved,
  connected,
  onDirtyChange,
  onSaved,
}: {
  saved: CalendarPreferences;
  connected: boolean;
  onDirtyChange: (dirty: boolean) => void;
  onSaved: () => void;
}) {
  const trpc = useTRPC();
  const calendars = useQuery({
    ...trpc.sync.calendars.queryOptions(),
    enabled: connected,
    staleTime: 5 * 60_000,
  });
  const [calendarIds, setCalendarIds] = useState(saved.calendarIds);
  const [lookbackDays, setLookbackDays] = useState(saved.lookbackDays);
  const [lookaheadDays, setLookaheadDays] = useState(saved.lookaheadDays);
  const [neverLog, setNeverLog] = useState(saved.neverLog.join("\n"));
  const [maxAttendees, setMaxAttendees] = useState(String(saved.maxAttendees));
  const { save, submit, errors, setErrors, formError } = useSavePreferences(onSaved);

  const draft = {
    calendarIds,
    lookbackDays,
    lookaheadDays,
    neverLog: linesOf(neverLog),
    maxAttendees: maxAttendees.trim() === "" ? Number.NaN : Number(maxAttendees),
  };
  const dirty = JSON.stringify(draft) !== JSON.stringify(saved);
  useEffect(() => onDirtyChange(dirty), [dirty, onDirtyChange]);

  // The primary calendar is saved as "primary", whatever its id.
  const valueOf = (c: { id: string; primary: boolean }) => (c.primary ? "primary" : c.id);
  const listed = new Set(calendars.data?.map(valueOf));
  const unknownChosen = calendarIds.filter((id) => calendars.data && !listed.has(id));
  const toggle = (id: string, on: boolean) =>
    setCalendarIds((current) => (on ? [...current, id] : current.filter((x) => x !== id)));

  return (
    <form
      aria-label="Calendar preferences"
      noValidate
      className="grid gap-5"
      onSubmit={(event) => {
        event.preventDefault();
        const parsed = calendarPreferencesSchema.safeParse(draft);
        if (!parsed.success) {
          setErrors(zodMessages(parsed.error));
          return;
        }
        if (parsed.data.calendarIds.length === 0) {
          setErrors({ calendarIds: "Choose at least one calendar." });
          return;
        }
        void submit({ kind: "calendar", preferences: parsed.data });
      }}
    >
      <fieldset
        className="grid gap-2"
        aria-describedby={errors.calendarIds ? fieldErrorId("calendar-ids") : undefined}
      >
        <legend className="mb-2 text-sm font-medium">Calendars to sync</legend>
        <LoadedChoices
          loading={calendars.isPending}
          error={calendars.isError ? describeApiError(calendars.error).message : null}
          onRetry={() => void calendars.refetch()}
          empty={calendars.data?.length === 0 ? "This Google account has no calendars." : null}
        >
          <div className="grid max-h-72 gap-2.5 overflow-y-auto rounded-md border p-3 sm:grid-cols-2">
            {calendars.data?.map((calendar) => (
              <Checkbox
                key={calendar.id}
                id={`calendar-${calendar.id}`}
                checked={calendarIds.includes(valueOf(calendar))}
                onChange={(on) => toggle(valueOf(calendar), on)}
                label={
                  <span className="inline-flex flex-wrap items-center gap-1.5">
                    {calendar.summary}
                    {calendar.primary ? (
                      <Badge variant="outline" className="font-normal">
                        Main
                      </Badge>
                    ) : null}
                  </span>
                }
              />
            ))}
            {unknownChosen.map((id) => (
              <Checkbox
                key={id}
                id={`calendar-${id}`}
                checked
                onChange={(on) => toggle(id, on)}
                label={`A calendar no longer listed (${id})`}
              />
            ))}
          </div>
        </LoadedChoices>
        {errors.calendarIds ? (
          <p
            id={fieldErrorId("calendar-ids")}
            role="alert"
            className="text-sm font-medium text-destructive"
          >
            {errors.calendarIds}
          </p>
        ) : null}
      </fieldset>

      <div className="grid gap-5 sm:grid-cols-3">
        <FormField id="calendar-lookback" label="Past events to read" error={errors.lookbackDays}>
          <DaysSelect
            id="calendar-lookback"
            value={lookbackDays}
            onChange={setLookbackDays}
            presets={[0, 30, 90, 180, 365, 730]}
            error={errors.lookbackDays}
          />
        </FormField>
        <FormField
          id="calendar-lookahead"
          label="Upcoming events to read"
          error={errors.lookaheadDays}
        >
          <DaysSelect
            id="calendar-lookahead"
            value={lookaheadDays}
            onChange={setLookaheadDays}
            presets={[0, 30, 90, 180, 365, 730]}
            error={errors.lookaheadDays}
          />
        </FormField>
        <FormField
          id="calendar-max-attendees"
          label="Skip events with more people than"
          error={errors.maxAttendees}
          description="Classes and webinars."
        >
          <Input
            type="number"
            inputMode="numeric"
            min={1}
            max={500}
            value={maxAttendees}
            onChange={(e) => setMaxAttendees(e.target.value)}
          />
        </FormField>
      </div>

      <NeverLogField
        id="calendar-never-log"
        value={neverLog}
        onChange={setNeverLog}
        error={errors.neverLog}
        placeholder="e.g. family@example.com"
      />

      <SaveRow pending={save.isPending} dirty={dirty} formError={formError} />
    </form>
  );
}
