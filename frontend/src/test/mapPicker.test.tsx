import { act, render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { MapPicker } from "../dashboard/MapPicker";
import { I18nProvider } from "../lib/i18n";
import { en } from "../lib/messages";
import { DEFAULT_WEB_CONFIG } from "../lib/scripts";

const loaded: string[] = [];
vi.mock("../lib/scripts", async (original) => ({
  ...(await original<typeof import("../lib/scripts")>()),
  loadScript: vi.fn(async (url: string) => {
    loaded.push(url);
    (window as unknown as Record<string, () => void>)[new URL(url).searchParams.get("callback") ?? ""]?.();
  }),
}));

describe("MapPicker", () => {
  it("loads the Maps API with the browser key, and a map click or a pin drag picks rounded coordinates", async () => {
    const mapListeners: Record<string, (e: unknown) => void> = {};
    const pinListeners: Record<string, () => void> = {};
    const made: unknown[] = [];
    class FakeMap {
      constructor(_el: HTMLElement, options: unknown) {
        made.push(["map", options]);
      }
      addListener(name: string, fn: (e: unknown) => void) {
        mapListeners[name] = fn;
      }
    }
    class FakeMarker {
      position: unknown;
      constructor(options: { position: unknown; gmpDraggable: boolean; title: string }) {
        this.position = options.position;
        made.push(["marker", options.gmpDraggable, options.title]);
      }
      addListener(name: string, fn: () => void) {
        pinListeners[name] = fn;
      }
    }
    const libraries: Record<string, unknown> = { maps: { Map: FakeMap }, marker: { AdvancedMarkerElement: FakeMarker } };
    (window as unknown as { google: unknown }).google = { maps: { importLibrary: async (name: string) => libraries[name] } };
    const onPick = vi.fn();
    const config = { ...DEFAULT_WEB_CONFIG, maps_js_url: "http://fake/maps/api/js", maps_api_key: "browser-key" };
    render(
      <I18nProvider locale="en">
        <MapPicker config={config} value={null} fallback={{ lat: 52.52, lng: 13.405 }} onPick={onPick} />
      </I18nProvider>,
    );
    await waitFor(() => expect(made).toHaveLength(2));
    const url = new URL(loaded[0]!);
    expect([url.origin + url.pathname, url.searchParams.get("key"), url.searchParams.get("loading")]).toEqual(["http://fake/maps/api/js", "browser-key", "async"]);
    expect(made).toEqual([
      ["map", { center: { lat: 52.52, lng: 13.405 }, zoom: 15, mapId: "DEMO_MAP_ID" }],
      ["marker", true, en["map.pick"]],
    ]);
    act(() => mapListeners.click!({ latLng: { lat: () => 52.5312345678, lng: () => 13.41 } }));
    expect(onPick).toHaveBeenLastCalledWith({ lat: 52.531235, lng: 13.41 });
    act(() => pinListeners.dragend!());
    expect(onPick).toHaveBeenLastCalledWith({ lat: 52.531235, lng: 13.41 }); // the pin moved to the click
    expect(screen.getByText(en["map.hint"])).toBeInTheDocument();
  });
});
