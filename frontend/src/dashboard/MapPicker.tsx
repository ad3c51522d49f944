/// <reference types="google.maps" />
import { useEffect, useRef, useState } from "react";
import { Notice } from "../components/ui";
import { useI18n } from "../lib/i18n";
import { loadScript, withQuery, type WebConfig } from "../lib/scripts";

export type Point = { lat: number; lng: number };

const READY = "reservoMapsReady";
let ready: Promise<void> | null = null;

/** The Maps JavaScript API from the configured URL with the browser key, loaded once, the documented
 * way (`loading=async` and a callback, then `google.maps.importLibrary`). */
export function loadMaps(config: Pick<WebConfig, "maps_js_url" | "maps_api_key">): Promise<void> {
  if (ready) return ready;
  const key = config.maps_api_key ?? "";
  ready = new Promise<void>((resolve, reject) => {
    (window as unknown as Record<string, () => void>)[READY] = () => resolve();
    loadScript(withQuery(config.maps_js_url, { key, loading: "async", callback: READY, v: "weekly" })).catch((err: unknown) => {
      ready = null;
      reject(err instanceof Error ? err : new Error(String(err)));
    });
  });
  return ready;
}

const literal = (p: google.maps.LatLng | google.maps.LatLngLiteral | google.maps.LatLngAltitudeLiteral): Point =>
  typeof p.lat === "function" ? { lat: (p as google.maps.LatLng).lat(), lng: (p as google.maps.LatLng).lng() } : { lat: p.lat as number, lng: p.lng as number };

const round = (p: Point): Point => ({ lat: Number(p.lat.toFixed(6)), lng: Number(p.lng.toFixed(6)) });

/** Staff click the map or drag the pin; each pick fills the coordinates (`onPick`). Centred on `value`
 * when set, else on `fallback`. Without the script (blocked, offline) it says so and the address
 * form below still works. */
export function MapPicker({ config, value, fallback, onPick }: { config: WebConfig; value: Point | null; fallback: Point; onPick: (p: Point) => void }) {
  const { t } = useI18n();
  const box = useRef<HTMLDivElement>(null);
  const marker = useRef<google.maps.marker.AdvancedMarkerElement | null>(null);
  const pick = useRef(onPick);
  pick.current = onPick;
  const [failed, setFailed] = useState(false);
  const start = useRef(value ?? fallback);

  useEffect(() => {
    let live = true;
    loadMaps(config)
      .then(async () => {
        const [{ Map }, { AdvancedMarkerElement }] = await Promise.all([
          google.maps.importLibrary("maps") as Promise<google.maps.MapsLibrary>,
          google.maps.importLibrary("marker") as Promise<google.maps.MarkerLibrary>,
        ]);
        if (!live || !box.current) return;
        const map = new Map(box.current, { center: start.current, zoom: 15, mapId: config.maps_map_id });
        const pin = new AdvancedMarkerElement({ map, position: start.current, gmpDraggable: true, title: t("map.pick") });
        marker.current = pin;
        pin.addListener("dragend", () => {
          if (pin.position) pick.current(round(literal(pin.position)));
        });
        map.addListener("click", (e: google.maps.MapMouseEvent) => {
          if (!e.latLng) return;
          const p = round(literal(e.latLng));
          pin.position = p;
          pick.current(p);
        });
      })
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [config, t]);

  // coordinates typed into the fields move the pin
  useEffect(() => {
    if (marker.current && value) marker.current.position = value;
  }, [value]);

  if (failed) return <Notice tone="info">{t("map.unavailable")}</Notice>;
  return (
    <div className="space-y-1">
      <p id="map-hint" className="text-sm text-slate-700">
        {t("map.hint")}
      </p>
      <div ref={box} aria-describedby="map-hint" className="h-64 w-full rounded-md border border-slate-300" />
    </div>
  );
}
