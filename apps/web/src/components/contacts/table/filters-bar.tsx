"use client";

import {
  datePresets,
  type ContactFilters,
  type CustomFieldCondition,
  type DatePreset,
} from "@omnicrm/api/schemas";
import { useQuery } from "@tanstack/react-query";
import { FilterIcon, XIcon } from "lucide-react";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import {
  DropdownMenu,
  DropdownMenuCheckboxItem,
  DropdownMenuContent,
  DropdownMenuLabel,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { useTRPC } from "@/trpc/react";

const presetLabels: Record<DatePreset, string> = {
  today: "Today",
  this_week: "This week",
  this_month: "This month",
  this_quarter: "This quarter",
  this_year: "This year",
  last_7_days: "Last 7 days",
  last_30_days: "Last 30 days",
  last_90_days: "Last 90 days",
};

type DateRange = NonNullable<ContactFilters["createdAt"]>;

function describeRange(range: DateRange): string {
  if ("preset" in range) return presetLabels[range.preset];
  const day = (d: unknown) => (d ? new Date(d as string).toLocaleDateString() : "…");
  return `${day(range.from)} – ${day(range.to)}`;
}

function DateFilter({
  label,
  value,
  onChange,
  allowNever,
  never,
  onNever,
}: {
  label: string;
  value: DateRange | undefined;
  onChange: (range: DateRange | undefined) => void;
  allowNever?: boolean;
  never?: boolean;
  onNever?: (never: boolean) => void;
}) {
  const [open, setOpen] = useState(false);
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const active = value ? describeRange(value) : never ? "Never" : null;
  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant={active ? "secondary" : "outline"} size="sm">
            {label}
            {active ? `: ${active}` : ""}
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="start">
          <DropdownMenuRadioGroup
            value={value && "preset" in value ? value.preset : never ? "never" : ""}
            onValueChange={(preset) => {
              if (preset === "never") {
                onChange(undefined);
                onNever?.(true);
              } else {
                onNever?.(false);
                onChange({ preset: preset as DatePreset });
              }
            }}
          >
            {datePresets.map((preset) => (
              <DropdownMenuRadioItem key={preset} value={preset}>
                {presetLabels[preset]}
              </DropdownMenuRadioItem>
            ))}
            {allowNever ? <DropdownMenuRadioItem value="never">Never</DropdownMenuRadioItem> : null}
          </DropdownMenuRadioGroup>
          <DropdownMenuSeparator />
          <DropdownMenuCheckboxItem checked={false} onSelect={() => setOpen(true)}>
            Custom range…
          </DropdownMenuCheckboxItem>
          {active ? (
            <DropdownMenuCheckboxItem
              checked={false}
              onSelect={() => {
                onChange(undefined);
                onNever?.(false);
              }}
            >
              Any time
            </DropdownMenuCheckboxItem>
          ) : null}
        </DropdownMenuContent>
      </DropdownMenu>
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>{label}: custom range</DialogTitle>
            <DialogDescription>Either end may be left open.</DialogDescription>
          </DialogHeader>
          <form
            className="grid gap-3"
            onSubmit={(event) => {
              event.preventDefault();
              onNever?.(false);
              onChange({
                from: from ? new Date(`${from}T00:00:00`) : undefined,
                to: to ? new Date(`${to}T23:59:59.999`) : undefined,
              });
              setOpen(false);
            }}
          >
            <div className="grid gap-1">
              <Label htmlFor={`${label}-from`}>From</Label>
              <Input
                id={`${label}-from`}
                type="date"
                value={from}
                onChange={(e) => setFrom(e.target.value)}
              />
            </div>
            <div className="grid gap-1">
              <Label htmlFor={`${label}-to`}>To</Label>
              <Input
                id={`${label}-to`}
                type="date"
                value={to}
                min={from || undefined}
                onChange={(e) => setTo(e.target.value)}
              />
            </div>
            <DialogFooter>
              <Button type="submit" disabled={!from && !to}>
                Apply
              </Button>
            </DialogFooter>
          </form>
        </DialogContent>
      </Dialog>
    </>
  );
}

function FieldFilterDialog({ onAdd }: { onAdd: (condition: CustomFieldCondition) => void }) {
  const trpc = useTRPC();
  const fields = useQuery(trpc.customFields.list.queryOptions());
  const [open, setOpen] = useState(false);
  const [fieldId, setFieldId] = useState("");
  const [op, setOp] = useState<CustomFieldCondition["op"]>("is");
  const [value, setValue] = useState("");
  const field = fields.data?.find((f) => f.id === fieldId);
  if (!fields.data?.length) return null;
  const needsValue = op !== "empty" && op !== "not_empty";
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="outline" size="sm">
          Field…
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Filter by a custom field</DialogTitle>
          <DialogDescription>Show contacts whose field matches.</DialogDescription>
        </DialogHeader>
        <form
          className="grid gap-3"
          onSubmit={(event) => {
            event.preventDefault();
            if (!field) return;
            if (op === "empty" || op === "not_empty") onAdd({ fieldId, op });
            else if (op === "gt" || op === "lt")
              onAdd({ fieldId, op, value: field.type === "number" ? Number(value) : value });
            else onAdd({ fieldId, op, value });
            setOpen(false);
            setValue("");
          }}
        >
          <div className="grid gap-1">
            <Label htmlFor="field-filter-field">Field</Label>
            <select
              id="field-filter-field"
              className="h-9 rounded-md border border-input bg-background px-2 text-sm"
              value={fieldId}
              onChange={(e) => setFieldId(e.target.value)}
              required
            >
              <option value="">Choose a field</option>
              {fields.data.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.label}
                </option>
              ))}
            </select>
          </div>
          <div className="grid gap-1">
            <Label htmlFor="field-filter-op">Condition</Label>
            <select
              id="field-filter-op"
              className="h-9 rounded-md border border-input bg-background px-2 text-sm"
              value={op}
              onChange={(e) => setOp(e.target.value as CustomFieldCondition["op"])}
            >
              <option value="is">is</option>
              {field?.type === "text" ? <option value="contains">contains</option> : null}
              {field?.type === "number" || field?.type === "date" ? (
                <>
                  <option value="gt">is more than / after</option>
                  <option value="lt">is less than / before</option>
                </>
              ) : null}
              <option value="empty">is empty</option>
              <option value="not_empty">is not empty</option>
            </select>
          </div>
          {needsValue ? (
            <div className="grid gap-1">
              <Label htmlFor="field-filter-value">Value</Label>
              {field?.type === "select" ? (
                <select
                  id="field-filter-value"
                  className="h-9 rounded-md border border-input bg-background px-2 text-sm"
                  value={value}
                  onChange={(e) => setValue(e.target.value)}
                  required
                >
                  <option value="">Choose</option>
                  {field.options.map((o) => (
                    <option key={o} value={o}>
                      {o}
                    </option>
                  ))}
                </select>
              ) : (
                <Input
                  id="field-filter-value"
                  type={
                    field?.type === "number" ? "number" : field?.type === "date" ? "date" : "text"
                  }
                  value={value}
                  onChange={(e) => setValue(e.target.value)}
                  required
                />
              )}
            </div>
          ) : null}
          <DialogFooter>
            <Button type="submit" disabled={!field}>
              Add filter
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

export function FiltersBar({
  filters,
  onChange,
}: {
  filters: ContactFilters;
  onChange: (filters: ContactFilters) => void;
}) {
  const trpc = useTRPC();
  const stages = useQuery(trpc.stages.list.queryOptions());
  const tags = useQuery(trpc.tags.list.queryOptions());
  const fields = useQuery(trpc.customFields.list.queryOptions());
  const set = (patch: Partial<ContactFilters>) => onChange({ ...filters, ...patch });
  const toggle = (list: string[] | undefined, value: string) =>
    list?.includes(value) ? list.filter((v) => v !== value) : [...(list ?? []), value];
  const stageLabel = (key: string) => stages.data?.find((s) => s.key === key)?.label ?? key;
  const tagName = (id: string) => tags.data?.find((t) => t.id === id)?.name ?? "Unknown tag";
  const fieldLabel = (id: string) => fields.data?.find((f) => f.id === id)?.label ?? "Field";

  return (
    <div className="flex flex-wrap items-center gap-2" role="group" aria-label="Filters">
      <FilterIcon aria-hidden="true" className="size-4 text-muted-foreground" />
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant={filters.stages?.length ? "secondary" : "outline"} size="sm">
            Stage{filters.stages?.length ? `: ${filters.stages.map(stageLabel).join(", ")}` : ""}
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="start">
          <DropdownMenuLabel>Stages</DropdownMenuLabel>
          {(stages.data ?? []).map((stage) => (
            <DropdownMenuCheckboxItem
              key={stage.key}
              checked={filters.stages?.includes(stage.key) ?? false}
              onSelect={(event) => event.preventDefault()}
              onCheckedChange={() => set({ stages: toggle(filters.stages, stage.key) })}
            >
              {stage.label}
            </DropdownMenuCheckboxItem>
          ))}
        </DropdownMenuContent>
      </DropdownMenu>

      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant={filters.tagIds?.length ? "secondary" : "outline"} size="sm">
            Tags
            {filters.tagIds?.length
              ? `: ${filters.tagIds.map(tagName).join(filters.tagMode === "all" ? " and " : " or ")}`
              : ""}
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="start">
          <DropdownMenuLabel>Tags</DropdownMenuLabel>
          {(tags.data ?? []).length === 0 ? (
            <p className="px-2 py-1.5 text-sm text-muted-foreground">No tags yet.</p>
          ) : null}
          {(tags.data ?? []).map((tag) => (
            <DropdownMenuCheckboxItem
              key={tag.id}
              checked={filters.tagIds?.includes(tag.id) ?? false}
              onSelect={(event) => event.preventDefault()}
              onCheckedChange={() => set({ tagIds: toggle(filters.tagIds, tag.id) })}
            >
              {tag.name}
            </DropdownMenuCheckboxItem>
          ))}
          <DropdownMenuSeparator />
          <DropdownMenuRadioGroup
            value={filters.tagMode ?? "any"}
            onValueChange={(mode) => set({ tagMode: mode as "any" | "all" })}
          >
            <DropdownMenuRadioItem value="any">Any of these tags</DropdownMenuRadioItem>
            <DropdownMenuRadioItem value="all">All of these tags</DropdownMenuRadioItem>
          </DropdownMenuRadioGroup>
        </DropdownMenuContent>
      </DropdownMenu>

      <DateFilter
        label="Added"
        value={filters.createdAt}
        onChange={(createdAt) => set({ createdAt })}
      />
      <DateFilter
        label="Last interaction"
        value={filters.lastInteractionAt}
        onChange={(lastInteractionAt) => set({ lastInteractionAt })}
        allowNever
        never={filters.noInteraction}
        onNever={(noInteraction) => set({ noInteraction: noInteraction || undefined })}
      />
      <FieldFilterDialog
        onAdd={(condition) => set({ custom: [...(filters.custom ?? []), condition] })}
      />

      {(filters.custom ?? []).map((condition, index) => (
        <Badge key={index} variant="secondary" className="gap-1">
          {fieldLabel(condition.fieldId)} {condition.op.replace("_", " ")}
          {"value" in condition ? ` ${String(condition.value)}` : ""}
          <button
            type="button"
            aria-label={`Remove the ${fieldLabel(condition.fieldId)} filter`}
            onClick={() => set({ custom: filters.custom?.filter((_, i) => i !== index) })}
          >
            <XIcon aria-hidden="true" className="size-3" />
          </button>
        </Badge>
      ))}
      {Object.keys(filters).some((k) => k !== "tagMode") ? (
        <Button variant="ghost" size="sm" onClick={() => onChange({})}>
          Clear filters
        </Button>
      ) : null}
    </div>
  );
}
