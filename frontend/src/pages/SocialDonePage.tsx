// Where Google/Apple sign-in lands: the API's callback set the httpOnly refresh cookie and redirected
// here (no token in the URL). One silent refresh turns the cookie into the in-memory access token,
// then the visitor goes back to where they started; a refused sign-in shows its code.
import { useEffect, useRef, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { refreshAccessToken } from "../api/session";
import { Notice, Spinner } from "../components/ui";
import { useI18n } from "../lib/i18n";

const NEXT = "reservo.socialNext";

export function rememberSocialNext(next: string): void {
  try {
    sessionStorage.setItem(NEXT, next);
  } catch {
    /* storage unavailable: the visitor lands on the home page */
  }
}

function takeNext(): string {
  try {
    const next = sessionStorage.getItem(NEXT) ?? "/";
    sessionStorage.removeItem(NEXT);
    return next.startsWith("/") && !next.startsWith("//") ? next : "/";
  } catch {
    return "/";
  }
}

export function SocialDonePage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const error = params.get("error");
  const [failed, setFailed] = useState<string | null>(error);
  const once = useRef(false);
  useEffect(() => {
    if (error || once.current) return;
    once.current = true;
    void refreshAccessToken().then((token) => {
      if (token) navigate(takeNext(), { replace: true });
      else setFailed("no_session");
    });
  }, [error, navigate]);
  if (failed)
    return (
      <div className="mx-auto max-w-md card space-y-4">
        <Notice tone="warn">{t("auth.social.failed", { code: failed })}</Notice>
        <Link to="/signin" className="link">
          {t("nav.signIn")}
        </Link>
      </div>
    );
  return <Spinner label={t("auth.social.working")} />;
}
