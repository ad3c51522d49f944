import { Link, NavLink, Navigate, Route, Routes, useParams } from "react-router";
import { Notice, Skeleton } from "../components/ui";
import { staffTenants, useAuth } from "../lib/auth";
import { useI18n } from "../lib/i18n";
import { Analytics } from "./Analytics";
import { BookingsTable } from "./BookingsTable";
import { OfferingEditor } from "./OfferingEditor";
import { Locations } from "./Locations";
import { OfferingsList } from "./OfferingsList";
import { Overview } from "./Overview";
import { Settings } from "./Settings";
import { Team } from "./Team";

export function DashboardHome() {
  const { t } = useI18n();
  const { user, ready } = useAuth();
  if (!ready) return <Skeleton className="h-32" />;
  if (!user) return <Navigate to="/signin?next=/dashboard" replace />;
  const tenants = staffTenants(user);
  if (tenants.length === 1) return <Navigate to={`/dashboard/${tenants[0]}`} replace />;
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">{t("dash.pickTenant")}</h1>
      {tenants.length === 0 ? (
        <p>
          {t("dash.noTenant")}{" "}
          <Link to="/" className="link">
            {t("home.create")}
          </Link>
        </p>
      ) : (
        <ul className="space-y-2">
          {tenants.map((slug) => (
            <li key={slug}>
              <Link to={`/dashboard/${slug}`} className="link">
                {slug}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function DashboardTenant() {
  const { tenant = "" } = useParams();
  const { t } = useI18n();
  const { user, ready } = useAuth();
  if (!ready) return <Skeleton className="h-32" />;
  if (!user) return <Navigate to={`/signin?next=/dashboard/${tenant}`} replace />;
  const role = (user.tenants ?? []).find((m) => m.tenant === tenant)?.role;
  if (!role) return <Notice tone="warn">{t("dash.forbidden")}</Notice>;
  const owner = role === "owner";
  const tab = ({ isActive }: { isActive: boolean }) =>
    `rounded-md px-3 py-2 text-sm font-medium ${isActive ? "bg-brand-600 text-white" : "bg-white text-slate-800 hover:bg-slate-100"}`;
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">
        {t("dash.title")} · {tenant}
      </h1>
      <nav aria-label={t("dash.title")} className="flex flex-wrap gap-2">
        <NavLink end to={`/dashboard/${tenant}`} className={tab}>
          {t("dash.overview")}
        </NavLink>
        <NavLink to={`/dashboard/${tenant}/offerings`} className={tab}>
          {t("dash.offerings")}
        </NavLink>
        <NavLink to={`/dashboard/${tenant}/locations`} className={tab}>
          {t("loc.title")}
        </NavLink>
        <NavLink to={`/dashboard/${tenant}/bookings`} className={tab}>
          {t("dash.bookings")}
        </NavLink>
        <NavLink to={`/dashboard/${tenant}/analytics`} className={tab}>
          {t("dash.analytics")}
        </NavLink>
        {owner && (
          <NavLink to={`/dashboard/${tenant}/team`} className={tab}>
            {t("dash.team")}
          </NavLink>
        )}
        {owner && (
          <NavLink to={`/dashboard/${tenant}/settings`} className={tab}>
            {t("dash.settings")}
          </NavLink>
        )}
      </nav>
      <Routes>
        <Route index element={<Overview tenant={tenant} />} />
        <Route path="offerings" element={<OfferingsList tenant={tenant} />} />
        <Route path="offerings/new" element={<OfferingEditor tenant={tenant} />} />
        <Route path="offerings/:offeringId" element={<OfferingEditor tenant={tenant} />} />
        <Route path="locations" element={<Locations tenant={tenant} />} />
        <Route path="bookings" element={<BookingsTable tenant={tenant} />} />
        <Route path="analytics" element={<Analytics tenant={tenant} owner={owner} />} />
        <Route path="team" element={<Team tenant={tenant} />} />
        <Route path="settings" element={<Settings tenant={tenant} />} />
      </Routes>
    </div>
  );
}
