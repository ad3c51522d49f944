import { Link, NavLink, Outlet, useNavigate } from "react-router";
import { staffTenants, useAuth } from "../lib/auth";
import { useI18n, type Locale } from "../lib/i18n";
import { ConsentBanner } from "./ConsentBanner";

export function Layout() {
  const { t, locale, setLocale } = useI18n();
  const { user, signOut } = useAuth();
  const navigate = useNavigate();
  const navClass = ({ isActive }: { isActive: boolean }) =>
    `rounded px-2 py-1 text-sm font-medium ${isActive ? "bg-slate-200 text-slate-900" : "text-slate-700 hover:bg-slate-100"}`;
  return (
    <div className="flex min-h-screen flex-col">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:p-2">
        {t("app.skip")}
      </a>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-2 px-3 py-2 sm:px-4">
          <Link to="/" className="mr-auto text-lg font-bold text-brand-700">
            {t("app.name")}
          </Link>
          <nav aria-label={t("nav.main")} className="flex flex-wrap items-center gap-1">
            {user && (
              <NavLink to="/me/bookings" className={navClass}>
                {t("nav.myBookings")}
              </NavLink>
            )}
            {user && staffTenants(user).length > 0 && (
              <NavLink to="/dashboard" className={navClass}>
                {t("nav.dashboard")}
              </NavLink>
            )}
            {user && (
              <NavLink to="/me/profile" className={navClass}>
                {t("nav.profile")}
              </NavLink>
            )}
            {user?.is_admin && (
              <NavLink to="/admin" className={navClass}>
                {t("nav.admin")}
              </NavLink>
            )}
            {user ? (
              <button
                type="button"
                className="rounded px-2 py-1 text-sm font-medium text-slate-700 hover:bg-slate-100"
                onClick={() => void signOut().then(() => navigate("/"))}
              >
                {t("nav.signOut")}
              </button>
            ) : (
              <NavLink to="/signin" className={navClass}>
                {t("nav.signIn")}
              </NavLink>
            )}
          </nav>
          <label className="flex items-center gap-1 text-sm">
            <span className="sr-only">{t("nav.language")}</span>
            <select
              value={locale}
              onChange={(e) => setLocale(e.target.value as Locale)}
              className="rounded border border-slate-300 bg-white px-1 py-1 text-sm"
            >
              <option value="en">English</option>
              <option value="de">Deutsch</option>
            </select>
          </label>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="mx-auto w-full max-w-5xl flex-1 px-3 py-6 sm:px-4">
        <Outlet />
      </main>
      <ConsentBanner />
    </div>
  );
}
