"use client";

import { CheckIcon } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { Card } from "@/components/ui/card";
import { cn } from "@/lib/utils";
import { MappingStep, type RememberChoice } from "./mapping-step";
import { PastImports } from "./past-imports";
import { PreviewStep } from "./preview-step";
import { RunStep } from "./run-step";
import {
  defaultImportOptions,
  fullMapping,
  type ImportMapping,
  type ImportOptions,
  type ImportPreview,
  type StagedUpload,
} from "./shared";
import { UploadStep } from "./upload-step";

type Step = "upload" | "mapping" | "preview" | "run";

const steps: { step: Step; label: string; title: string }[] = [
  { step: "upload", label: "Upload", title: "Upload your file" },
  { step: "mapping", label: "Match columns", title: "Match the columns" },
  { step: "preview", label: "Preview", title: "Check before importing" },
  { step: "run", label: "Import", title: "Import" },
];

function Stepper({ current }: { current: Step }) {
  const index = steps.findIndex((s) => s.step === current);
  return (
    <ol aria-label="Import steps" className="flex flex-wrap gap-x-4 gap-y-2 text-sm">
      {steps.map((s, i) => {
        const done = i < index;
        const active = i === index;
        return (
          <li
            key={s.step}
            aria-current={active ? "step" : undefined}
            className={cn(
              "flex items-center gap-2",
              active ? "font-semibold text-foreground" : "text-muted-foreground",
            )}
          >
            <span
              aria-hidden="true"
              className={cn(
                "flex size-6 items-center justify-center rounded-full border text-xs",
                active && "border-primary bg-primary text-primary-foreground",
                done && "border-primary text-primary",
              )}
            >
              {done ? <CheckIcon className="size-3.5" /> : i + 1}
            </span>
            <span>
              {s.label}
              {done ? <span className="sr-only"> (done)</span> : null}
            </span>
          </li>
        );
      })}
    </ol>
  );
}

const baseName = (fileName: string) => fileName.replace(/\.[^.]+$/, "").slice(0, 80) || "My file";

/** The import wizard (upload, mapping, preview, run) and the list of past imports under it. */
export function ContactImport() {
  const [step, setStep] = useState<Step>("upload");
  const [upload, setUpload] = useState<StagedUpload | null>(null);
  const [mapping, setMapping] = useState<ImportMapping>({});
  const [options, setOptions] = useState<ImportOptions>(defaultImportOptions);
  const [remember, setRemember] = useState<RememberChoice>({ on: true, name: "" });
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [runId, setRunId] = useState<string | null>(null);

  // Moving to another step puts the focus on its heading, so keyboard and screen reader users
  // start reading there (not on the first load of the page).
  const headingRef = useRef<HTMLHeadingElement>(null);
  const cardRef = useRef<HTMLDivElement>(null);
  const moved = useRef(false);
  useEffect(() => {
    if (!moved.current) return;
    headingRef.current?.focus({ preventScroll: true });
    const card = cardRef.current;
    if (card && card.getBoundingClientRect().top < 0) card.scrollIntoView({ block: "start" });
  }, [step, runId]);
  const go = (next: Step) => {
    moved.current = true;
    setStep(next);
  };

  const restart = () => {
    setUpload(null);
    setPreview(null);
    setRunId(null);
    setMapping({});
    setOptions(defaultImportOptions);
    go("upload");
  };

  const title = steps.find((s) => s.step === step)!.title;

  return (
    <div className="grid gap-8">
      <Card ref={cardRef} className="scroll-mt-4 gap-5 px-4 py-5 sm:px-6">
        <Stepper current={step} />
        <h2
          ref={headingRef}
          tabIndex={-1}
          className="text-xl font-semibold tracking-tight outline-none"
        >
          {title}
        </h2>

        {step === "upload" ? (
          <UploadStep
            onUploaded={(staged) => {
              setUpload(staged);
              setMapping(fullMapping(staged.headers, staged.suggestedMapping));
              setOptions(defaultImportOptions);
              setRemember({
                on: true,
                name: staged.matchedPreset?.name ?? baseName(staged.fileName),
              });
              setPreview(null);
              go("mapping");
            }}
          />
        ) : null}

        {step === "mapping" && upload ? (
          <MappingStep
            upload={upload}
            mapping={mapping}
            options={options}
            remember={remember}
            onChange={(next) => {
              if (next.mapping) setMapping(next.mapping);
              if (next.options) setOptions(next.options);
              if (next.remember) setRemember(next.remember);
            }}
            onBack={restart}
            onPreviewed={(result) => {
              setPreview(result);
              go("preview");
            }}
          />
        ) : null}

        {step === "preview" && upload && preview ? (
          <PreviewStep
            upload={upload}
            preview={preview}
            mapping={mapping}
            options={options}
            onBack={() => go("mapping")}
            onStarted={(status) => {
              setRunId(status.importId);
              go("run");
            }}
          />
        ) : null}

        {step === "run" && runId ? (
          <RunStep key={runId} importId={runId} onRestart={restart} />
        ) : null}
      </Card>

      <PastImports
        currentId={step === "run" ? runId : null}
        onOpen={(importId) => {
          setRunId(importId);
          go("run");
        }}
      />
    </div>
  );
}
