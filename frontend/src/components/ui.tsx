import { forwardRef, useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from "react";
import { ApiError } from "../api/client";
import { useI18n } from "../lib/i18n";

export function Spinner({ label }: { label?: string }) {
  const { t } = useI18n();
  return (
    <span role="status" className="inline-flex items-center gap-2 text-slate-700">
      <span aria-hidden="true" className="h-4 w-4 animate-spin rounded-full border-2 border-slate-400 border-t-transparent" />
      {label ?? t("common.loading")}
    </span>
  );
}

/** Placeholder blocks with the size of what is coming, so nothing jumps when data arrives. */
export function Skeleton({ className = "h-24" }: { className?: string }) {
  return <div aria-hidden="true" className={`animate-pulse rounded-lg bg-slate-200 ${className}`} />;
}

export function ErrorAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  const message = error instanceof ApiError && error.status < 500 && error.problem.title ? error.problem.title : t("common.error");
  return (
    <div role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-red-900">
      <p>{message}</p>
      {onRetry && (
        <button type="button" className="btn-small mt-2" onClick={onRetry}>
          {t("common.retry")}
        </button>
      )}
    </div>
  );
}

export function Notice({ children, tone = "info" }: { children: ReactNode; tone?: "info" | "success" | "warn" }) {
  const colors = {
    info: "border-sky-300 bg-sky-50 text-sky-950",
    success: "border-emerald-300 bg-emerald-50 text-emerald-950",
    warn: "border-amber-300 bg-amber-50 text-amber-950",
  }[tone];
  return <div className={`rounded-md border p-3 ${colors}`}>{children}</div>;
}

interface FieldProps {
  label: string;
  error?: string | undefined;
  hint?: string;
}

export const TextField = forwardRef<HTMLInputElement, FieldProps & InputHTMLAttributes<HTMLInputElement>>(function TextField(
  { label, error, hint, id, ...rest },
  ref,
) {
  const auto = useId();
  const inputId = id ?? auto;
  const describedBy = [error ? `${inputId}-err` : null, hint ? `${inputId}-hint` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div>
      <label htmlFor={inputId} className="label">
        {label}
      </label>
      <input ref={ref} id={inputId} className="input" aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...rest} />
      {hint && (
        <p id={`${inputId}-hint`} className="mt-1 text-sm text-slate-600">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${inputId}-err`} className="mt-1 text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
});

export const TextArea = forwardRef<HTMLTextAreaElement, FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>>(function TextArea(
  { label, error, id, ...rest },
  ref,
) {
  const auto = useId();
  const inputId = id ?? auto;
  return (
    <div>
      <label htmlFor={inputId} className="label">
        {label}
      </label>
      <textarea ref={ref} id={inputId} className="input" rows={3} aria-invalid={error ? true : undefined} {...rest} />
      {error && <p className="mt-1 text-sm text-red-700">{error}</p>}
    </div>
  );
});

export const SelectField = forwardRef<HTMLSelectElement, FieldProps & SelectHTMLAttributes<HTMLSelectElement> & { children: ReactNode }>(
  function SelectField({ label, error, id, children, ...rest }, ref) {
    const auto = useId();
    const inputId = id ?? auto;
    return (
      <div>
        <label htmlFor={inputId} className="label">
          {label}
        </label>
        <select ref={ref} id={inputId} className="input" {...rest}>
          {children}
        </select>
        {error && <p className="mt-1 text-sm text-red-700">{error}</p>}
      </div>
    );
  },
);

export function StatusBadge({ status }: { status: string }) {
  const { t } = useI18n();
  const color: Record<string, string> = {
    pending: "bg-amber-100 text-amber-900",
    confirmed: "bg-emerald-100 text-emerald-900",
    cancelled: "bg-slate-200 text-slate-800",
    expired: "bg-slate-200 text-slate-800",
    completed: "bg-sky-100 text-sky-900",
    no_show: "bg-red-100 text-red-900",
  };
  const key = `booking.status.${status}` as Parameters<typeof t>[0];
  return <span className={`rounded-full px-2 py-0.5 text-sm font-medium ${color[status] ?? "bg-slate-100"}`}>{t(key)}</span>;
}
