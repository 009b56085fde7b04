"use client";

import { ArrowDownIcon, ArrowUpIcon, Columns3Icon } from "lucide-react";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuCheckboxItem,
  DropdownMenuContent,
  DropdownMenuLabel,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { columnLabels, type ColumnId, type TableView } from "./state";

/** Show, hide and reorder the table's columns (the name always stays first and visible). */
export function ColumnsMenu({
  columns,
  onChange,
}: {
  columns: TableView["columns"];
  onChange: (columns: TableView["columns"]) => void;
}) {
  const move = (id: ColumnId, by: -1 | 1) => {
    const order = [...columns.order];
    const from = order.indexOf(id);
    const to = from + by;
    if (to < 1 || to >= order.length) return;
    [order[from], order[to]] = [order[to]!, order[from]!];
    onChange({ ...columns, order });
  };
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="outline" size="sm">
          <Columns3Icon aria-hidden="true" /> Columns
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="min-w-56">
        <DropdownMenuLabel>Shown columns</DropdownMenuLabel>
        {columns.order.map((id, index) => (
          <div key={id} className="flex items-center gap-1">
            <DropdownMenuCheckboxItem
              className="flex-1"
              checked={!columns.hidden.includes(id)}
              disabled={id === "name"}
              onSelect={(event) => event.preventDefault()}
              onCheckedChange={(checked) =>
                onChange({
                  ...columns,
                  hidden: checked
                    ? columns.hidden.filter((c) => c !== id)
                    : [...columns.hidden, id],
                })
              }
            >
              {columnLabels[id]}
            </DropdownMenuCheckboxItem>
            {id === "name" ? null : (
              <>
                <Button
                  variant="ghost"
                  size="icon"
                  className="size-7"
                  aria-label={`Move ${columnLabels[id]} left`}
                  disabled={index <= 1}
                  onClick={() => move(id, -1)}
                >
                  <ArrowUpIcon aria-hidden="true" />
                </Button>
                <Button
                  variant="ghost"
                  size="icon"
                  className="size-7"
                  aria-label={`Move ${columnLabels[id]} right`}
                  disabled={index === columns.order.length - 1}
                  onClick={() => move(id, 1)}
                >
                  <ArrowDownIcon aria-hidden="true" />
                </Button>
              </>
            )}
          </div>
        ))}
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
