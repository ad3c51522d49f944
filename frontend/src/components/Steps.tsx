import { useI18n } from "../lib/i18n";

/** Where the visitor is in slot → details → payment → done. */
export function Steps({ current }: { current: 0 | 1 | 2 | 3 }) {
  const { t } = useI18n();
  const names = [t("steps.slot"), t("steps.details"), t("steps.pay"), t("steps.done")];
  return (
    <nav aria-label={t("steps.label")}>
      <ol className="flex flex-wrap gap-2 text-sm">
        {names.map((n, i) => (
          <li
            key={n}
            aria-current={i === current ? "step" : undefined}
            className={`rounded-full px-3 py-1 ${i === current ? "bg-brand-600 font-semibold text-white" : i < current ? "bg-indigo-100 text-indigo-900" : "bg-slate-200 text-slate-700"}`}
          >
            {i + 1}. {n}
          </li>
        ))}
      </ol>
    </nav>
  );
}
