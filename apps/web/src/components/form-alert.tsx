import { CircleAlertIcon } from "lucide-react";

/** A form-level error, announced to screen readers when it appears. */
export function FormAlert({
  message,
  requestId,
}: {
  message: string | null;
  requestId?: string | null;
}) {
  if (!message) return null;
  return (
    <div
      role="alert"
      className="flex items-start gap-2 rounded-md border border-destructive/40 bg-destructive/10 px-3 py-2 text-sm text-destructive"
    >
      <CircleAlertIcon aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
      <p>
        {message}
        {requestId ? (
          <span className="block text-xs opacity-80">Request id: {requestId}</span>
        ) : null}
      </p>
    </div>
  );
}
