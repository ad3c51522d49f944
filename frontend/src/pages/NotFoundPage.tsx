import { Link } from "react-router";
import { useI18n } from "../lib/i18n";

export function NotFoundPage() {
  const { t } = useI18n();
  return (
    <div>
      <h1 className="text-2xl font-bold">404</h1>
      <p className="mt-2">
        <Link to="/" className="link">
          {t("app.name")}
        </Link>
      </p>
    </div>
  );
}
