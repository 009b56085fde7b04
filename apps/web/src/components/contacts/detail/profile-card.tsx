"use client";

import { builtInStages, contactPatchSchema } from "@omnicrm/api/schemas";
import { useMutation, useQuery } from "@tanstack/react-query";
import {
  CalendarIcon,
  ClockIcon,
  FlagIcon,
  MailIcon,
  MegaphoneIcon,
  PencilIcon,
  PhoneIcon,
  SparklesIcon,
  TagIcon,
  UserRoundIcon,
} from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { controlClasses } from "@/components/ui/input";
import { formatDate } from "@/lib/format";
import { cn } from "@/lib/utils";
import { useTRPC } from "@/trpc/react";
import { useContactCache, type ContactRecord } from "./contact-cache";
import { AiConsentSwitch } from "./ai-consent";
import { ContactTags } from "./contact-tags";
import { failureToast } from "./errors";
import { InlineEdit } from "./inline-edit";
import { Section } from "./section";
import { RelativeTime } from "./time";

const sourceSchema = contactPatchSchema.shape.source.unwrap();

export function telHref(phone: string): string {
  return `tel:${phone.replace(/[^+0-9]/g, "")}`;
}

function Row({
  icon: Icon,
  label,
  labelId,
  children,
}: {
  icon: React.ComponentType<{ className?: string; "aria-hidden"?: "true" }>;
  label: string;
  labelId?: string;
  children: React.ReactNode;
}) {
  return (
    <div className="grid gap-1 py-2.5 @xs:grid-cols-[7.5rem_minmax(0,1fr)] @xs:gap-3">
      <dt id={labelId} className="flex items-center gap-2 text-sm text-muted-foreground @xs:h-8">
        <Icon aria-hidden="true" className="size-4 shrink-0" />
        {label}
      </dt>
      <dd className="flex min-h-8 min-w-0 items-center">{children}</dd>
    </div>
  );
}

/** A list of emails or phones: the first is the primary one. */
function ContactList({
  values,
  href,
  editLabel,
  onEdit,
}: {
  values: string[];
  href: (value: string) => string;
  editLabel: string;
  onEdit: () => void;
}) {
  return (
    <div className="flex w-full min-w-0 items-start gap-1">
      <div className="min-w-0 flex-1">
        {values.length ? (
          <ul className="grid gap-1">
            {values.map((value, index) => (
              <li key={value} className="flex min-w-0 flex-wrap items-baseline gap-x-2">
                <a
                  href={href(value)}
                  className="min-w-0 rounded-sm wrap-anywhere text-primary underline-offset-4 hover:underline"
                >
                  {value}
                </a>
                {index === 0 && values.length > 1 ? (
                  <span className="text-xs text-muted-foreground">primary</span>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <span className="text-muted-foreground">Not set</span>
        )}
      </div>
      <Button
        type="button"
        variant="ghost"
        size="icon"
        className="-my-1.5 size-8 shrink-0 text-muted-foreground"
        onClick={onEdit}
        title={editLabel}
      >
        <PencilIcon aria-hidden="true" className="size-3.5" />
        <span className="sr-only">{editLabel}</span>
      </Button>
    </div>
  );
}

/** The stage as a select: a change is saved at once, and undone if the server refuses it. */
function StageSelect({ contact, labelId }: { contact: ContactRecord; labelId: string }) {
  const trpc = useTRPC();
  const cache = useContactCache(contact.id);
  const stages = useQuery(trpc.stages.list.queryOptions());
  const [status, setStatus] = useState("");
  // The stage just chosen, shown at once while it is saved.
  const [pending, setPending] = useState<string | null>(null);
  const options: { key: string; label: string }[] = stages.data ?? [...builtInStages];
  const update = useMutation(
    trpc.contacts.update.mutationOptions({
      onMutate: async ({ data }) => {
        await cache.cancel();
        const before = cache.get();
        cache.update((c) => ({ ...c, stage: data.stage ?? c.stage }));
        return { before };
      },
      onError: (error, _input, context) => {
        cache.set(context?.before);
        setStatus("The stage was not changed.");
        failureToast("The stage was not changed.", error);
      },
      onSuccess: (saved) => {
        cache.set(saved);
        setStatus(
          `Stage saved: ${options.find((s) => s.key === saved.stage)?.label ?? saved.stage}.`,
        );
      },
      onSettled: () => {
        setPending(null);
        return cache.refresh();
      },
    }),
  );

  const known = options.some((s) => s.key === contact.stage);
  return (
    <>
      <select
        aria-labelledby={labelId}
        value={pending ?? contact.stage}
        onChange={(event) => {
          setStatus("");
          setPending(event.target.value);
          update.mutate({ id: contact.id, data: { stage: event.target.value } });
        }}
        className={cn(controlClasses, "h-9 w-full max-w-64 px-2")}
      >
        {options.map((stage) => (
          <option key={stage.key} value={stage.key}>
            {stage.label}
          </option>
        ))}
        {known ? null : <option value={contact.stage}>{contact.stage}</option>}
      </select>
      <span role="status" className="sr-only">
        {status}
      </span>
    </>
  );
}

export function ProfileCard({
  contact,
  onEditList,
}: {
  contact: ContactRecord;
  onEditList: (list: "emails" | "phones") => void;
}) {
  const trpc = useTRPC();
  const cache = useContactCache(contact.id);
  const update = useMutation(trpc.contacts.update.mutationOptions());

  return (
    <Section id="profile" title="Profile" icon={UserRoundIcon}>
      <dl className="-my-2.5 divide-y">
        <Row icon={FlagIcon} label="Stage" labelId="profile-stage-label">
          <StageSelect contact={contact} labelId="profile-stage-label" />
        </Row>
        <Row icon={TagIcon} label="Tags">
          <ContactTags contact={contact} />
        </Row>
        <Row icon={MailIcon} label={contact.emails.length > 1 ? "Emails" : "Email"}>
          <ContactList
            values={contact.emails}
            href={(email) => `mailto:${email}`}
            editLabel="Change emails"
            onEdit={() => onEditList("emails")}
          />
        </Row>
        <Row icon={PhoneIcon} label={contact.phones.length > 1 ? "Phones" : "Phone"}>
          <ContactList
            values={contact.phones}
            href={telHref}
            editLabel="Change phones"
            onEdit={() => onEditList("phones")}
          />
        </Row>
        <Row icon={MegaphoneIcon} label="Source">
          <InlineEdit
            id="profile-source"
            label="Source"
            editLabel="Change source"
            value={contact.source ?? ""}
            schema={sourceSchema}
            errorKeys={["data.source", "source"]}
            kind={{ type: "text", maxLength: 100 }}
            className="w-full"
            onSave={async (source) => {
              const saved = await update.mutateAsync({ id: contact.id, data: { source } });
              cache.set(saved);
              void cache.refresh();
            }}
          >
            {contact.source ? (
              <span className="wrap-anywhere">{contact.source}</span>
            ) : (
              <span className="text-muted-foreground">Unknown</span>
            )}
          </InlineEdit>
        </Row>
        <Row icon={CalendarIcon} label="Created">
          <time dateTime={contact.createdAt.toISOString()}>{formatDate(contact.createdAt)}</time>
        </Row>
        <Row icon={ClockIcon} label="Last interaction">
          {contact.lastInteractionAt ? (
            <RelativeTime date={contact.lastInteractionAt} />
          ) : (
            <span className="text-muted-foreground">None recorded</span>
          )}
        </Row>
        <Row icon={SparklesIcon} label="AI consent" labelId="profile-ai-consent-label">
          <AiConsentSwitch contact={contact} labelId="profile-ai-consent-label" />
        </Row>
      </dl>
    </Section>
  );
}
