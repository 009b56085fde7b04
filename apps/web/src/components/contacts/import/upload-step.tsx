"use client";

import { FileUpIcon, LoaderCircleIcon } from "lucide-react";
import { useEffect, useId, useRef, useState } from "react";
import { FormAlert } from "@/components/form-alert";
import { cn } from "@/lib/utils";
import { TOO_LARGE_MESSAGE, UPLOAD_LIMIT_BYTES, type StagedUpload } from "./shared";

class UploadError extends Error {
  constructor(
    message: string,
    readonly requestId: string | null = null,
  ) {
    super(message);
  }
}

function messageForStatus(status: number): string {
  if (status === 413) return TOO_LARGE_MESSAGE;
  if (status === 401) return "Your session has ended. Sign in again, then upload the file.";
  if (status === 0) return "Could not reach OmniCRM. Check your connection and try again.";
  return "The file could not be uploaded. Try again; if it keeps happening, reload the page.";
}

/**
 * Sends the file's bytes as they are to POST /api/contacts/import (its name percent-encoded in
 * x-file-name), reporting upload progress; the server reads and stages it before answering.
 */
function uploadFile(file: File, onProgress: (fraction: number) => void): Promise<StagedUpload> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/contacts/import");
    xhr.responseType = "json";
    xhr.setRequestHeader("x-file-name", encodeURIComponent(file.name));
    xhr.setRequestHeader("content-type", file.type || "text/csv");
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.upload.onload = () => onProgress(1);
    xhr.onload = () => {
      const body = xhr.response as
        | (StagedUpload & { error?: undefined })
        | { error?: { message?: string; requestId?: string | null } }
        | null;
      if (xhr.status === 201 && body && !body.error) {
        resolve(body as StagedUpload);
        return;
      }
      // The request id helps with server failures; a refused file is the user's to fix.
      const requestId =
        xhr.status >= 500
          ? (body?.error?.requestId ?? xhr.getResponseHeader("x-request-id"))
          : null;
      reject(new UploadError(body?.error?.message ?? messageForStatus(xhr.status), requestId));
    };
    xhr.onerror = () => reject(new UploadError(messageForStatus(0)));
    xhr.send(file);
  });
}

type Phase = { kind: "idle" } | { kind: "uploading"; fraction: number } | { kind: "reading" };

export function UploadStep({ onUploaded }: { onUploaded: (upload: StagedUpload) => void }) {
  const inputId = useId();
  const hintId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const [dragging, setDragging] = useState(false);
  const [fileName, setFileName] = useState<string | null>(null);
  const [error, setError] = useState<{ message: string; requestId: string | null } | null>(null);
  const busy = phase.kind !== "idle";

  // A file dropped beside the drop zone would make the browser open it and leave the page.
  useEffect(() => {
    const keep = (event: DragEvent) => {
      if (event.dataTransfer?.types.includes("Files")) event.preventDefault();
    };
    window.addEventListener("dragover", keep);
    window.addEventListener("drop", keep);
    return () => {
      window.removeEventListener("dragover", keep);
      window.removeEventListener("drop", keep);
    };
  }, []);

  async function start(file: File) {
    setError(null);
    setFileName(file.name);
    if (file.size > UPLOAD_LIMIT_BYTES) {
      setError({ message: TOO_LARGE_MESSAGE, requestId: null });
      return;
    }
    if (file.size === 0) {
      setError({
        message: "This file is empty. Choose the CSV file with your contacts.",
        requestId: null,
      });
      return;
    }
    setPhase({ kind: "uploading", fraction: 0 });
    try {
      const staged = await uploadFile(file, (fraction) =>
        setPhase(fraction >= 1 ? { kind: "reading" } : { kind: "uploading", fraction }),
      );
      onUploaded(staged);
    } catch (e) {
      setError(
        e instanceof UploadError
          ? { message: e.message, requestId: e.requestId }
          : { message: messageForStatus(0), requestId: null },
      );
    } finally {
      setPhase({ kind: "idle" });
      if (inputRef.current) inputRef.current.value = "";
    }
  }

  const pick = (files: FileList | null) => {
    const file = files?.[0];
    if (file && !busy) void start(file);
  };

  return (
    <div className="grid gap-4">
      <label
        htmlFor={inputId}
        onDragEnter={(event) => {
          event.preventDefault();
          if (!busy) setDragging(true);
        }}
        onDragOver={(event) => {
          event.preventDefault();
          event.dataTransfer.dropEffect = busy ? "none" : "copy";
        }}
        onDragLeave={(event) => {
          if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
        }}
        onDrop={(event) => {
          event.preventDefault();
          setDragging(false);
          pick(event.dataTransfer.files);
        }}
        className={cn(
          "flex min-h-48 cursor-pointer flex-col items-center justify-center gap-3 rounded-lg border-2 border-dashed border-input px-4 py-8 text-center transition-colors",
          "hover:border-primary hover:bg-accent/40",
          "has-[input:focus-visible]:outline-2 has-[input:focus-visible]:outline-offset-2 has-[input:focus-visible]:outline-ring",
          dragging && "border-primary bg-accent/60",
          busy && "pointer-events-none cursor-progress opacity-80",
        )}
      >
        {busy ? (
          <LoaderCircleIcon aria-hidden="true" className="size-8 animate-spin text-primary" />
        ) : (
          <FileUpIcon aria-hidden="true" className="size-8 text-primary" />
        )}
        <span className="text-base font-medium">
          {busy
            ? `Reading ${fileName ?? "your file"}…`
            : "Drop your CSV file here, or choose a file"}
        </span>
        <span id={hintId} className="max-w-prose text-sm text-muted-foreground">
          A spreadsheet saved as CSV (comma or semicolon separated), or a contacts export from
          Google Contacts or Outlook. Up to 50 MB.
        </span>
        {!busy ? (
          <span className="inline-flex h-9 items-center rounded-md border border-input bg-background px-3 text-sm font-medium shadow-xs">
            Choose a CSV file
          </span>
        ) : null}
        <input
          ref={inputRef}
          id={inputId}
          type="file"
          accept=".csv,.txt,text/csv,text/plain"
          className="sr-only"
          aria-label="Choose a CSV file"
          aria-describedby={hintId}
          disabled={busy}
          onChange={(event) => pick(event.target.files)}
        />
      </label>

      <div role="status" aria-live="polite" className="text-sm text-muted-foreground">
        {phase.kind === "uploading" ? (
          <div className="grid gap-1.5">
            <span>
              Uploading {fileName}… {Math.round(phase.fraction * 100)}%
            </span>
            <div className="h-2 overflow-hidden rounded-full bg-muted" aria-hidden="true">
              <div
                className="h-full bg-primary transition-[width]"
                style={{ width: `${Math.round(phase.fraction * 100)}%` }}
              />
            </div>
          </div>
        ) : phase.kind === "reading" ? (
          <span>Checking the rows of {fileName}; large files take a little while…</span>
        ) : null}
      </div>

      {error ? (
        <FormAlert
          message={`${fileName ? `${fileName}: ` : ""}${error.message}`}
          requestId={error.requestId}
        />
      ) : null}
    </div>
  );
}
