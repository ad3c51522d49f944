import { describe, expect, it } from "vitest";
import { loadScript } from "../lib/scripts";

describe("loadScript", () => {
  it("adds one script per URL, resolves when it ran, and tries again after a failure", async () => {
    const first = loadScript("http://fake/a.js");
    expect(loadScript("http://fake/a.js")).toBe(first);
    const tags = document.head.querySelectorAll('script[src="http://fake/a.js"]');
    expect(tags).toHaveLength(1);
    tags[0]!.dispatchEvent(new Event("load"));
    await expect(first).resolves.toBeUndefined();

    const failing = loadScript("http://fake/b.js");
    document.head.querySelector('script[src="http://fake/b.js"]')!.dispatchEvent(new Event("error"));
    await expect(failing).rejects.toThrow("could not load");
    expect(document.head.querySelectorAll('script[src="http://fake/b.js"]')).toHaveLength(0);
    expect(loadScript("http://fake/b.js")).not.toBe(failing);
  });
});
