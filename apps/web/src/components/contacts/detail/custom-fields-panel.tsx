"use client";

import { customFieldValueSchema } from "@omnicrm/api/schemas";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { SlidersHorizontalIcon } from "lucide-react";
import { useTRPC } from "@/trpc/react";
import { InlineEdit, type InlineEditKind } from "./inline-edit";
import { ManageFieldsDialog } from "./manage-fields-dialog";
import { EmptyState, Section, SectionError, SectionSkeleton } from "./section";
import { formatDay } from "./time";

const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 6 });

function display(type: string, value: string | number | null): string | null {
  if (value === null || value === "") return null;
  if (type === "number" && typeof value === "number") return numberFormat.format(value);
  if (type === "date" && typeof value === "string") return formatDay(value);
  return String(value);
}

/** The user's own fields with this contact's values, each editable in place. */
export function CustomFieldsPanel({ contactId }: { contactId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const fields = useQuery(trpc.customFields.list.queryOptions());
  const values = useQuery(trpc.customFields.values.queryOptions({ contactId }));
  const setValues = useMutation(trpc.customFields.setValues.mutationOptions());

  const optionsOf = new Map((fields.data ?? []).map((f) => [f.id, f.options]));

  return (
    <Section
      id="custom-fields"
      title="Custom fields"
      icon={SlidersHorizontalIcon}
      actions={<ManageFieldsDialog fields={fields.data} />}
    >
      {values.isPending || fields.isPending ? (
        <SectionSkeleton label="Loading custom fields…" rows={2} />
      ) : fields.isError || values.isError ? (
        <SectionError
          error={fields.error ?? values.error}
          what="the custom fields"
          onRetry={() => {
            void fields.refetch();
            void values.refetch();
          }}
        />
      ) : values.data.length === 0 ? (
        <EmptyState>
          No custom fields yet. Use “Manage fields” to track what matters in your practice, such as
          goals or a birthday.
        </EmptyState>
      ) : (
        <dl className="-my-2 divide-y">
          {values.data.map((field) => {
            const shown = display(field.type, field.value);
            const kind: InlineEditKind =
              field.type === "select"
                ? { type: "select", options: optionsOf.get(field.fieldId) ?? [], emptyLabel: "—" }
                : field.type === "number"
                  ? { type: "number" }
                  : field.type === "date"
                    ? { type: "date" }
                    : { type: "text", maxLength: 2000 };
            return (
              <div
                key={field.fieldId}
                className="grid gap-1 py-2 @xs:grid-cols-[7.5rem_minmax(0,1fr)] @xs:gap-3"
              >
                <dt className="text-sm wrap-anywhere text-muted-foreground @xs:pt-1.5">
                  {field.label}
                </dt>
                <dd className="flex min-h-8 min-w-0 items-center">
                  <InlineEdit
                    id={`custom-field-${field.fieldId}`}
                    label={field.label}
                    editLabel={`Change ${field.label}`}
                    value={field.value === null ? "" : String(field.value)}
                    schema={customFieldValueSchema}
                    errorKeys={[field.fieldId, `values.${field.fieldId}`, "values"]}
                    kind={kind}
                    className="w-full"
                    onSave={async (value) => {
                      const saved = await setValues.mutateAsync({
                        contactId,
                        values: { [field.fieldId]: value },
                      });
                      queryClient.setQueryData(
                        trpc.customFields.values.queryKey({ contactId }),
                        saved,
                      );
                      void queryClient.invalidateQueries(trpc.contacts.list.pathFilter());
                      // The change is on the timeline too.
                      void queryClient.invalidateQueries(trpc.timeline.list.pathFilter());
                    }}
                  >
                    {shown === null ? (
                      <span className="text-muted-foreground">No value</span>
                    ) : (
                      <span className="wrap-anywhere whitespace-pre-line">{shown}</span>
                    )}
                  </InlineEdit>
                </dd>
              </div>
            );
          })}
        </dl>
      )}
    </Section>
  );
}
