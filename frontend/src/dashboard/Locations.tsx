// Locations of a business (location service): a list, a form that creates one from an address with
// Google autocomplete when the platform has a maps key (else plain address and coordinate fields),
// a map to pick the point when the web app has a Maps browser key, and the picker the offering editor uses.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { forwardRef, useState, type SelectHTMLAttributes } from "react";
import { api, must, type LocationCreate } from "../api/client";
import { ErrorAlert, Notice, SelectField, Skeleton, TextField } from "../components/ui";
import { useI18n } from "../lib/i18n";
import { useWebConfig } from "../lib/scripts";
import { MapPicker } from "./MapPicker";

const BERLIN = { lat: 52.52, lng: 13.405 }; // where the map opens before anything is picked

function useLocations(tenant: string) {
  return useQuery({
    queryKey: ["locations", tenant],
    queryFn: () =>
      must(api.GET("/api/v1/tenants/{tenant}/locations", { params: { path: { tenant }, query: { limit: 200 } } })),
  });
}

export const LocationPicker = forwardRef<HTMLSelectElement, { tenant: string } & SelectHTMLAttributes<HTMLSelectElement>>(
  function LocationPicker({ tenant, ...rest }, ref) {
    const { t } = useI18n();
    const locations = useLocations(tenant);
    return (
      <SelectField ref={ref} label={t("loc.picker")} {...rest}>
        <option value="">{t("loc.noLocation")}</option>
        {locations.data?.items.map((l) => (
          <option key={l.id} value={l.id}>
            {l.name} — {l.address}
          </option>
        ))}
      </SelectField>
    );
  },
);

export function Locations({ tenant }: { tenant: string }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const locations = useLocations(tenant);
  const remove = useMutation({
    mutationFn: (id: string) =>
      must(api.DELETE("/api/v1/tenants/{tenant}/locations/{location_id}", { params: { path: { tenant, location_id: id } } })),
    onSettled: () => qc.invalidateQueries({ queryKey: ["locations", tenant] }),
  });
  return (
    <div className="grid gap-4 md:grid-cols-2">
      <section className="card" aria-labelledby="locations-h">
        <h2 id="locations-h" className="font-semibold">
          {t("loc.title")}
        </h2>
        {locations.isError && <ErrorAlert error={locations.error} />}
        {remove.isError && <ErrorAlert error={remove.error} />}
        {!locations.data ? (
          <Skeleton className="h-24" />
        ) : locations.data.items.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">{t("loc.none")}</p>
        ) : (
          <ul className="mt-2 space-y-2">
            {locations.data.items.map((l) => (
              <li key={l.id} className="flex items-start justify-between gap-2">
                <span>
                  <span className="font-medium">{l.name}</span>
                  <br />
                  <span className="text-sm text-slate-700">{l.address}</span>{" "}
                  <a className="link text-sm" href={l.map_url} target="_blank" rel="noopener noreferrer">
                    {t("loc.map")}
                  </a>
                </span>
                <button type="button" className="btn-small" onClick={() => remove.mutate(l.id)}>
                  {t("common.delete")}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      <NewLocation tenant={tenant} />
    </div>
  );
}

function NewLocation({ tenant }: { tenant: string }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [session] = useState(() => crypto.randomUUID());
  const [name, setName] = useState("");
  const [address, setAddress] = useState("");
  const [lat, setLat] = useState("");
  const [lng, setLng] = useState("");
  const [placeId, setPlaceId] = useState<string | null>(null);
  const typed = address.trim();
  const suggestions = useQuery({
    queryKey: ["location-autocomplete", tenant, typed],
    enabled: typed.length >= 3 && placeId === null,
    staleTime: 60_000,
    queryFn: () =>
      must(
        api.GET("/api/v1/tenants/{tenant}/locations/autocomplete", {
          params: { path: { tenant }, query: { input: typed, session_token: session } },
        }),
      ),
  });
  const probe = useQuery({
    queryKey: ["location-autocomplete", tenant, "probe"],
    staleTime: Infinity,
    queryFn: () =>
      must(api.GET("/api/v1/tenants/{tenant}/locations/autocomplete", { params: { path: { tenant }, query: { input: "a" } } })),
  });
  const googled = probe.data?.enabled === true;
  const config = useWebConfig();
  const mapped = Boolean(config.data?.maps_api_key);
  const point = lat !== "" && lng !== "" && Number.isFinite(Number(lat)) && Number.isFinite(Number(lng)) ? { lat: Number(lat), lng: Number(lng) } : null;
  const create = useMutation({
    mutationFn: (body: LocationCreate) =>
      must(api.POST("/api/v1/tenants/{tenant}/locations", { params: { path: { tenant } }, body })),
    onSuccess: () => {
      setName("");
      setAddress("");
      setLat("");
      setLng("");
      setPlaceId(null);
      void qc.invalidateQueries({ queryKey: ["locations", tenant] });
    },
  });
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const body: LocationCreate = { name };
    if (placeId) Object.assign(body, { place_id: placeId, session_token: session });
    else Object.assign(body, { address: address || null });
    if (lat !== "" && lng !== "") Object.assign(body, { latitude: Number(lat), longitude: Number(lng) });
    create.mutate(body);
  };
  return (
    <section className="card space-y-3" aria-labelledby="new-location-h">
      <h2 id="new-location-h" className="font-semibold">
        {t("loc.new")}
      </h2>
      <form className="space-y-3" onSubmit={submit}>
        <TextField label={t("loc.name")} required value={name} onChange={(e) => setName(e.target.value)} />
        <TextField
          label={googled ? t("loc.search") : t("loc.address")}
          value={address}
          autoComplete="off"
          onChange={(e) => {
            setAddress(e.target.value);
            setPlaceId(null);
          }}
        />
        {googled && placeId === null && (suggestions.data?.suggestions.length ?? 0) > 0 && (
          <ul role="listbox" aria-label={t("loc.search")} className="rounded-md border border-slate-200">
            {suggestions.data?.suggestions.map((s) => (
              <li key={s.place_id}>
                <button
                  type="button"
                  role="option"
                  aria-selected={false}
                  className="w-full px-3 py-2 text-left hover:bg-slate-100"
                  onClick={() => {
                    setAddress(s.text);
                    setPlaceId(s.place_id);
                  }}
                >
                  {s.text}
                </button>
              </li>
            ))}
          </ul>
        )}
        {mapped && config.data && (
          <MapPicker
            config={config.data}
            value={point}
            fallback={BERLIN}
            onPick={(p) => {
              setLat(String(p.lat));
              setLng(String(p.lng));
            }}
          />
        )}
        {(!googled || mapped) && (
          <>
            {!googled && !mapped && <Notice tone="info">{t("loc.manualNote")}</Notice>}
            <div className="grid gap-2 sm:grid-cols-2">
              <TextField label={t("loc.lat")} inputMode="decimal" value={lat} onChange={(e) => setLat(e.target.value)} />
              <TextField label={t("loc.lng")} inputMode="decimal" value={lng} onChange={(e) => setLng(e.target.value)} />
            </div>
          </>
        )}
        <button type="submit" className="btn" disabled={create.isPending || !name}>
          {t("loc.create")}
        </button>
      </form>
      {create.isError && <ErrorAlert error={create.error} />}
    </section>
  );
}
