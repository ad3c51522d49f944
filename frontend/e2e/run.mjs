// Browser tests of the web app against a running `reservo serve` (BASE_URL), driving Debian's
// chromium through playwright-core (no browser is ever downloaded). Usage:
//   BASE_URL=http://127.0.0.1:8000 node e2e/run.mjs <scenario> [...]
// Each scenario prints "PASS name" or "FAIL name: reason"; the exit code is the number of failures.
// Screenshots of every main page go to e2e/screenshots/.
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const SHOTS = join(here, "screenshots");
mkdirSync(SHOTS, { recursive: true });
const BASE = process.env.BASE_URL ?? "http://127.0.0.1:8000";
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const T = 15_000;

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

async function shot(page, name) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

const SEEDED = ["Haircut", "Jazz night", "Gift box"];

/** Storefront → offering → first free day and time → details. Returns at the details form. */
async function pickSlot(page, tenant, offeringName, prefix) {
  await page.goto(`${BASE}/t/${tenant}`);
  await page.getByRole("searchbox", { name: /search|suchen/i }).fill(offeringName);
  const book = page.getByRole("link", { name: new RegExp(`: ${offeringName}$`) });
  await book.waitFor({ timeout: T });
  if (prefix != null) await shot(page, `${prefix}storefront`);
  await book.click();
  await page.getByRole("heading", { level: 1, name: offeringName }).waitFor({ timeout: T });
  if (tenant === "demo" && SEEDED.includes(offeringName)) {
    // The seeded offerings are held at the demo studio's address: shown with a map link.
    const map = await page.getByRole("link", { name: "Open in Google Maps" }).getAttribute("href", { timeout: T });
    if (!map?.startsWith("https://www.google.com/maps/search/?api=1&query=52.521900")) throw new Error(`map link: ${map}`);
  }
  const day = page.getByRole("button", { name: /\d times? available$/ }).first();
  await day.waitFor({ timeout: T });
  await day.click();
  const slot = page.getByRole("region", { name: /^Times on/ }).or(page.locator("section[aria-labelledby=slots-title]")).getByRole("button", { name: /\d left/ }).first();
  await slot.click();
  if (prefix != null) await shot(page, `${prefix}offering`);
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByRole("heading", { name: "Your details" }).waitFor({ timeout: T });
}

async function fillDetails(page, name, email, prefix) {
  const nameBox = page.getByLabel("Name", { exact: true });
  if (name) await nameBox.fill(name);
  if (email) await page.getByLabel("Email", { exact: true }).fill(email);
  if (prefix != null) await shot(page, `${prefix}details`);
  await page.getByRole("button", { name: /Reserve and continue|^Book$/ }).click();
  await page.getByRole("heading", { level: 1, name: /Your booking|You're booked/ }).waitFor({ timeout: T });
}

async function pay(page, card) {
  const field = page.getByLabel("Card number");
  await field.waitFor({ timeout: T });
  await field.fill(card);
  await page.getByRole("button", { name: /^Pay / }).click();
}

/** On the register page: a new account that creates a business (`slug`), up to its dashboard. */
async function ownerWithBusiness(page, { name, tag, business, slug, timeZone }) {
  await page.getByLabel("Your name").fill(name);
  await page.getByLabel("Email").fill(`${tag}-${unique()}@example.com`);
  await page.getByLabel("Password").fill("a-long-unusual-passphrase-42");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("heading", { name: "Run a business?" }).waitFor({ timeout: T });
  await page.getByLabel("Business name").fill(business);
  await page.getByLabel(/^Address \(letters/).fill(slug ?? `${tag}-${unique()}`);
  if (timeZone) await page.getByLabel("Time zone").fill(timeZone);
  await page.getByRole("button", { name: "Create your business" }).click();
  await page.getByRole("heading", { name: /Dashboard/ }).waitFor({ timeout: T });
}

/** A fresh guest (own browser context) at the checkout of a demo haircut. */
async function guestAtCheckout(browser, name, tag) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await pickSlot(page, "demo", "Haircut");
  await fillDetails(page, name, `${tag}-${unique()}@example.com`);
  return { context, page };
}

/** The declined test card shows the message; the retry with 4242… books. */
async function declinedThenPaid(page, screenshot) {
  await pay(page, "4000000000000002");
  await page.getByRole("alert").filter({ hasText: "Your card was declined" }).waitFor({ timeout: T });
  await shot(page, screenshot);
  await pay(page, "4242424242424242");
  await page.getByRole("heading", { level: 1, name: "You're booked!" }).waitFor({ timeout: T });
}

async function guestBooksAndPays(browser, { viewport, prefix }) {
  const context = await browser.newContext(viewport ? { viewport, isMobile: true, hasTouch: true } : {});
  const page = await context.newPage();
  await page.goto(`${BASE}/`);
  if (prefix != null) await shot(page, `${prefix}home`);
  await page.getByRole("link", { name: "Visit the demo studio" }).click();
  await page.getByRole("heading", { level: 1, name: "Demo Studio" }).waitFor({ timeout: T });
  await pickSlot(page, "demo", "Haircut", prefix);
  await fillDetails(page, "Gina Guest", `guest-${unique()}@example.com`, prefix);
  assert(page.url().includes("#token="), "the booking page's address carries the guest token in its fragment");
  await page.getByLabel("Card number").waitFor({ timeout: T });
  if (prefix != null) await shot(page, `${prefix}checkout`);
  await pay(page, "4242 4242 4242 4242");
  await page.getByRole("heading", { level: 1, name: "You're booked!" }).waitFor({ timeout: T });
  await page.getByText("Confirmed", { exact: true }).waitFor({ timeout: T });
  if (prefix != null) await shot(page, `${prefix}confirmation`);
  // The emailed link opens the same booking in a fresh browser (token in the fragment only).
  const link = page.url();
  const other = await browser.newContext();
  const again = await other.newPage();
  await again.goto(link);
  await again.getByText("Confirmed", { exact: true }).waitFor({ timeout: T });
  await other.close();
  // Receipt (issue 12): offered once the API answers with a PDF.
  const receipt = page.getByRole("link", { name: "Download receipt (PDF)" });
  if (await receipt.isVisible().catch(() => false)) {
    const [download] = await Promise.all([page.waitForEvent("download"), receipt.click()]);
    assert(download.suggestedFilename().endsWith(".pdf"), "receipt downloads as a PDF");
  }
  await context.close();
}

const scenarios = {
  async guest_pays(browser) {
    await guestBooksAndPays(browser, { prefix: "" });
  },

  async guest_pays_mobile(browser) {
    await guestBooksAndPays(browser, { viewport: { width: 390, height: 844 }, prefix: "mobile-" });
  },

  async declined_then_retry(browser) {
    const { context, page } = await guestAtCheckout(browser, "Dee Clined", "declined");
    await declinedThenPaid(page, "checkout-declined");
    await context.close();
  },

  async three_d_secure(browser) {
    const { context, page } = await guestAtCheckout(browser, "Tess Three", "3ds");
    await pay(page, "4000 0025 0000 3155");
    await page.getByText("Your bank asks you to confirm this payment.").waitFor({ timeout: T });
    const [bank] = await Promise.all([context.waitForEvent("page"), page.getByRole("link", { name: "Confirm with your bank" }).click()]);
    await bank.getByRole("button", { name: "Approve" }).click();
    await page.getByRole("heading", { level: 1, name: "You're booked!" }).waitFor({ timeout: T });
    await context.close();
  },

  // Issue 13 (D13-9): the tenant's provider is Stripe or PayPal (tests/web/test_checkout_providers.py
  // switches the demo tenant); their scripts are local fakes following Stripe.js and the PayPal SDK.
  async stripe_pays(browser) {
    const { context, page } = await guestAtCheckout(browser, "Stella Stripe", "stripe");
    await page.getByLabel("Card number").waitFor({ timeout: T });
    await page.getByRole("button", { name: /^Pay / }).and(page.locator(":enabled")).waitFor({ timeout: T });
    await shot(page, "checkout-stripe");
    await pay(page, "4242424242424242");
    await page.getByRole("heading", { level: 1, name: "You're booked!" }).waitFor({ timeout: T });
    await shot(page, "checkout-stripe-confirmed");
    await context.close();
  },

  async stripe_declined_then_retry(browser) {
    const { context, page } = await guestAtCheckout(browser, "Dirk Declined", "stripe-declined");
    await page.getByRole("button", { name: /^Pay / }).and(page.locator(":enabled")).waitFor({ timeout: T });
    await declinedThenPaid(page, "checkout-stripe-declined");
    await context.close();
  },

  // 3-D Secure (a test card that always asks): the bank's challenge opens over the checkout; failing
  // it charges nothing and says so, completing it on the next attempt books.
  async stripe_three_d_secure(browser) {
    const { context, page } = await guestAtCheckout(browser, "Sven Secure", "stripe-3ds");
    await page.getByRole("button", { name: /^Pay / }).and(page.locator(":enabled")).waitFor({ timeout: T });
    await pay(page, "4000002760003184");
    const bank = page.getByRole("dialog", { name: "3D Secure (test)" });
    await bank.waitFor({ timeout: T });
    await shot(page, "checkout-stripe-3ds");
    await bank.getByRole("button", { name: "Fail authentication" }).click();
    await page.getByRole("alert").filter({ hasText: "Your bank did not confirm this payment" }).waitFor({ timeout: T });
    await shot(page, "checkout-stripe-3ds-failed");
    await pay(page, "4000002760003184");
    await bank.getByRole("button", { name: "Complete authentication" }).click();
    await page.getByRole("heading", { level: 1, name: "You're booked!" }).waitFor({ timeout: T });
    await context.close();
  },

  // A redirect-based method (a bank's page) sends the buyer back to the booking page with Stripe's
  // return query: "failed" shows that nothing was charged and the checkout again; "succeeded" (the
  // provider's webhook already on its way) waits for the confirmation instead of offering to pay again.
  async stripe_redirect_return(browser) {
    const { context, page } = await guestAtCheckout(browser, "Rita Return", "stripe-return");
    await page.getByRole("button", { name: /^Pay / }).and(page.locator(":enabled")).waitFor({ timeout: T });
    const here = new URL(page.url());
    const booking = here.pathname.split("/").pop();
    const token = new URLSearchParams(here.hash.slice(1)).get("token");
    const back = (status, intent) => `${here.origin}${here.pathname}?payment_intent=${intent.id}&payment_intent_client_secret=${intent.secret}&redirect_status=${status}${here.hash}`;
    const opened = await fetch(`${BASE}/api/v1/payments`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Booking-Token": token },
      body: JSON.stringify({ booking_id: booking }),
    }).then((r) => r.json());
    const intent = { id: opened.client_secret.split("_secret_")[0], secret: opened.client_secret };
    await page.goto(back("failed", intent));
    await page.getByRole("alert").filter({ hasText: "The payment was not completed" }).waitFor({ timeout: T });
    assert(!page.url().includes("redirect_status") && page.url().includes("#token="), `the return query is dropped, the token kept: ${page.url()}`);
    await page.getByRole("button", { name: /^Pay / }).and(page.locator(":enabled")).waitFor({ timeout: T });
    // The bank's page succeeded: Stripe charged the intent and sends its webhook (here the fake does, as
    // Stripe.js's confirm would), then the buyer comes back.
    const stripe = new URL((await fetch(`${BASE}/web-config.json`).then((r) => r.json())).stripe_js_url).origin;
    const confirm = new URLSearchParams({ key: opened.publishable_key, client_secret: intent.secret, "payment_method_data[card][number]": "4242424242424242" });
    assert((await fetch(`${stripe}/v1/payment_intents/${intent.id}/confirm`, { method: "POST", body: confirm })).ok, "the fake Stripe charged the intent");
    await page.goto(back("succeeded", intent));
    await page.getByRole("heading", { level: 1, name: "You're booked!" }).waitFor({ timeout: T });
    assert((await page.getByLabel("Card number").count()) === 0, "no second payment offered");
    await context.close();
  },

  async paypal_pays(browser) {
    const { context, page } = await guestAtCheckout(browser, "Paula Pal", "paypal");
    const button = page.getByRole("button", { name: "PayPal", exact: true });
    await button.waitFor({ timeout: T });
    await shot(page, "checkout-paypal");
    // the buyer first changes their mind: nothing charged, the checkout stays
    await button.click();
    await page.getByRole("dialog", { name: "PayPal (test)" }).getByRole("button", { name: "Cancel and return" }).click();
    await page.getByText("Payment cancelled").waitFor({ timeout: T });
    // PayPal declines the funding source at capture (the test arranged it): say so, and pay again
    await button.click();
    await page.getByRole("dialog", { name: "PayPal (test)" }).getByRole("button", { name: "Pay now" }).click();
    await page.getByRole("alert").filter({ hasText: "PayPal declined this payment method" }).waitFor({ timeout: T });
    await shot(page, "checkout-paypal-declined");
    await button.click();
    await page.getByRole("dialog", { name: "PayPal (test)" }).getByRole("button", { name: "Pay now" }).click();
    await page.getByRole("heading", { level: 1, name: "You're booked!" }).waitFor({ timeout: T });
    await shot(page, "checkout-paypal-confirmed");
    await context.close();
  },

  // Issue 13 (D13-9): with a Maps browser key (a local fake of the Maps JavaScript API), staff pick the
  // location's point on a map: a click and a drag of the pin fill the coordinates.
  async map_picker(browser) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${BASE}/register`);
    await ownerWithBusiness(page, { name: "Mara Maps", tag: "maps", business: "Map Studio" });
    await page.getByRole("link", { name: "Locations", exact: true }).click();
    const map = page.getByRole("application", { name: "Map (test)" });
    await map.waitFor({ timeout: T });
    const box = await map.boundingBox();
    // the fake projects 1 px = 0.001° around the centre (Berlin 52.52, 13.405): 100 px right, 50 px up
    await page.mouse.click(box.x + box.width / 2 + 100, box.y + box.height / 2 - 50);
    const lat = page.getByLabel("Latitude");
    const lng = page.getByLabel("Longitude");
    // eslint-disable-next-line no-undef
    await page.waitForFunction(() => document.querySelector("input[inputmode=decimal]")?.value !== "", null, { timeout: T });
    assert(Math.abs(Number(await lat.inputValue()) - 52.57) < 0.002, `latitude after the click: ${await lat.inputValue()}`);
    assert(Math.abs(Number(await lng.inputValue()) - 13.505) < 0.002, `longitude after the click: ${await lng.inputValue()}`);
    // drag the pin 200 px left
    const pin = page.getByRole("img", { name: "Pick the place on the map" });
    const at = await pin.boundingBox();
    await page.mouse.move(at.x + at.width / 2, at.y + at.height / 2);
    await page.mouse.down();
    await page.mouse.move(at.x + at.width / 2 - 100, at.y + at.height / 2, { steps: 5 });
    await page.mouse.move(at.x + at.width / 2 - 200, at.y + at.height / 2, { steps: 5 });
    await page.mouse.up();
    // eslint-disable-next-line no-undef
    await page.waitForFunction(() => Math.abs(Number(document.querySelectorAll("input[inputmode=decimal]")[1]?.value) - 13.305) < 0.003, null, { timeout: T });
    await page.getByLabel("Name", { exact: true }).fill("Map Studio Mitte");
    await page.getByLabel("Address", { exact: true }).fill("Torstraße 1, 10119 Berlin");
    await shot(page, "dashboard-location-map");
    await page.getByRole("button", { name: "Add location" }).click();
    const saved = page.getByRole("link", { name: /Google Maps|map/i }).first();
    await page.getByText("Map Studio Mitte").waitFor({ timeout: T });
    const href = await saved.getAttribute("href");
    assert(href?.includes("query=52.57"), `the saved location's map link has the picked point: ${href}`);
    await context.close();
  },

  async customer_registers_books_cancels(browser) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const email = `cus-${unique()}@example.com`;
    await page.goto(`${BASE}/register`);
    await shot(page, "register");
    await page.getByLabel("Your name").fill("Cora Customer");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("a-long-unusual-passphrase-42");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByRole("link", { name: "My bookings" }).waitFor({ timeout: T });
    await pickSlot(page, "demo", "Haircut");
    assert((await page.getByLabel("Email", { exact: true }).inputValue()) === email, "details are prefilled for a signed-in customer");
    await fillDetails(page, null, null);
    // A reload keeps the session: the refresh cookie gives a new access token silently.
    await page.reload();
    await page.getByRole("link", { name: "My bookings" }).waitFor({ timeout: T });
    await page.getByRole("link", { name: "My bookings" }).click();
    const open = page.getByRole("link", { name: "Open: Haircut" });
    await open.waitFor({ timeout: T });
    await shot(page, "my-bookings");
    await page.getByRole("button", { name: "Cancel booking" }).first().click();
    await page.getByText("Nothing has been paid, so there is nothing to refund.").waitFor({ timeout: T });
    await page.getByRole("button", { name: "Yes, cancel" }).click();
    await page.getByRole("button", { name: "Cancelled", exact: true }).click();
    await page.getByRole("link", { name: "Open: Haircut" }).waitFor({ timeout: T });
    await page.getByText("Cancelled", { exact: true }).first().waitFor({ timeout: T });
    await context.close();
  },

  async owner_creates_offering_sees_booking(browser) {
    const ownerCtx = await browser.newContext();
    const owner = await ownerCtx.newPage();
    const slug = `studio-${unique()}`;
    await owner.goto(`${BASE}/register`);
    await ownerWithBusiness(owner, { name: "Olga Owner", tag: "owner", business: "Yoga Loft", slug, timeZone: "Europe/Berlin" });
    await shot(owner, "dashboard-overview");
    await owner.getByRole("link", { name: "Offerings", exact: true }).click();
    await owner.getByRole("link", { name: "New offering" }).click();
    await owner.getByLabel("Name", { exact: true }).fill("Morning yoga");
    await owner.getByLabel(/^Price/).fill("18.50");
    await owner.getByLabel("Duration (minutes)").fill("60");
    // weekly schedule: Saturdays too, 10:00–12:00, next to the default weekday hours
    await owner.getByRole("button", { name: "Add hours to Saturday" }).click();
    await owner.getByLabel("Saturday From").fill("10:00");
    await owner.getByLabel("Saturday To").fill("12:00");
    await shot(owner, "dashboard-offering-editor");
    await owner.getByRole("button", { name: "Save" }).click();
    await owner.getByText("Offering saved.").waitFor({ timeout: T });
    // a guest books it on the new storefront
    const guestCtx = await browser.newContext();
    const guest = await guestCtx.newPage();
    const email = `yogi-${unique()}@example.com`;
    await pickSlot(guest, slug, "Morning yoga");
    await fillDetails(guest, "Yan Yogi", email);
    await guestCtx.close();
    // ... and the owner sees it in the bookings table
    await owner.getByRole("link", { name: "Bookings", exact: true }).click();
    await owner.getByRole("cell", { name: new RegExp(email) }).waitFor({ timeout: T });
    await shot(owner, "dashboard-bookings");
    await owner.getByRole("link", { name: "Team" }).click();
    await owner.getByRole("heading", { name: "Members" }).waitFor({ timeout: T });
    await shot(owner, "dashboard-team");
    await owner.getByRole("link", { name: "Settings" }).click();
    await owner.getByRole("heading", { name: /Business/ }).waitFor({ timeout: T });
    await shot(owner, "dashboard-settings");
    await ownerCtx.close();
  },

  async accessibility(browser) {
    // axe-core is injected as an inline script, which the pages' CSP (script-src 'self') rightly refuses.
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    const found = [];
    const check = async (name) => {
      await page.addScriptTag({ content: AXE });
      const result = await page.evaluate(async () => {
        // eslint-disable-next-line no-undef
        const r = await axe.run(document, { resultTypes: ["violations"] });
        return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 3) }));
      });
      for (const v of result) if (v.impact === "serious" || v.impact === "critical") found.push(`${name}: ${v.id} (${v.impact}) at ${v.nodes.join(", ")}`);
    };
    await page.goto(`${BASE}/`);
    await page.getByRole("heading", { level: 1 }).waitFor();
    await check("home");
    await page.goto(`${BASE}/t/demo`);
    await page.getByRole("heading", { level: 1, name: "Demo Studio" }).waitFor({ timeout: T });
    await page.getByRole("link", { name: /: Haircut$/ }).waitFor({ timeout: T });
    await check("storefront");
    await pickSlot(page, "demo", "Haircut");
    await check("details");
    await page.goBack();
    await page.getByRole("button", { name: "Continue" }).waitFor({ timeout: T });
    await check("offering");
    await page.goForward();
    await fillDetails(page, "Ada Access", `a11y-${unique()}@example.com`);
    await page.getByText(/Payment|Awaiting payment/).first().waitFor({ timeout: T });
    await check("booking");
    await page.goto(`${BASE}/signin`);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await shot(page, "signin");
    await check("signin");
    await page.goto(`${BASE}/register`);
    await page.getByRole("heading", { name: "Create an account" }).waitFor();
    await check("register");
    // signed-in pages: a fresh owner with a business
    await ownerWithBusiness(page, { name: "Axel Owner", tag: "axe", business: "Axe Studio" });
    await page.getByRole("heading", { name: "Revenue" }).waitFor({ timeout: T });
    await check("dashboard-overview");
    await page.getByRole("link", { name: "Offerings", exact: true }).click();
    await page.getByRole("link", { name: "New offering" }).click();
    await page.getByRole("heading", { name: "Weekly hours" }).or(page.getByText("Weekly hours")).first().waitFor({ timeout: T });
    await check("dashboard-offering-editor");
    await page.getByRole("link", { name: "Bookings", exact: true }).click();
    await page.getByLabel("Customer email").waitFor({ timeout: T });
    await check("dashboard-bookings");
    await page.getByRole("link", { name: "My bookings" }).click();
    await page.getByRole("heading", { name: "My bookings" }).waitFor({ timeout: T });
    await check("my-bookings");
    await context.close();
    assert(found.length === 0, `axe found serious/critical violations:\n  ${found.join("\n  ")}`);
  },

  // Issue 14: a customer edits their profile and deletes the account; a platform admin (ADMIN_EMAIL,
  // ADMIN_PASSWORD, made with `reservo admin create`) sees it, suspends and restores the demo business,
  // downloads the bookings as CSV and opens the dead letters.
  async admin_console_and_profile(browser) {
    const userCtx = await browser.newContext();
    const user = await userCtx.newPage();
    const email = `pia-${unique()}@example.com`;
    await user.goto(`${BASE}/register`);
    await user.getByLabel("Your name").fill("Pia Profile");
    await user.getByLabel("Email").fill(email);
    await user.getByLabel("Password").fill("a-long-unusual-passphrase-42");
    await user.getByRole("button", { name: "Create account" }).click();
    await user.getByRole("link", { name: "Profile" }).waitFor({ timeout: T });
    await user.getByRole("link", { name: "Profile" }).click();
    await user.getByLabel("Phone (international format)").fill("+4915123456789");
    await user.getByRole("button", { name: "Save" }).click();
    await user.getByText("Saved").waitFor({ timeout: T });
    await shot(user, "profile");
    await user.getByLabel("Type DELETE to confirm").fill("DELETE");
    await user.getByRole("button", { name: "Delete account" }).click();
    await user.getByRole("link", { name: "Sign in" }).waitFor({ timeout: T });
    await userCtx.close();

    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(`${BASE}/signin`);
    await page.getByLabel("Email").fill(process.env.ADMIN_EMAIL ?? "");
    await page.getByLabel("Password").fill(process.env.ADMIN_PASSWORD ?? "");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("link", { name: "Admin" }).click();
    await page.getByRole("heading", { name: "Platform administration" }).waitFor({ timeout: T });
    await page.getByText(/deleted/).first().waitFor({ timeout: T });
    await shot(page, "admin-overview");
    await page.getByRole("link", { name: "Accounts" }).click();
    await page.getByLabel("Search").fill("erased.invalid"); // a deleted account keeps no address
    await page.getByRole("cell", { name: "Deleted" }).waitFor({ timeout: T });
    await page.getByRole("link", { name: "Businesses" }).click();
    const demo = page.getByRole("row").filter({ hasText: "demo" });
    await demo.getByRole("button", { name: "Suspend" }).click();
    await demo.getByRole("cell", { name: "Suspended" }).waitFor({ timeout: T });
    await shot(page, "admin-businesses");
    const visitor = await context.newPage();
    await visitor.goto(`${BASE}/t/demo`);
    await visitor.getByText("This business is suspended by the platform").first().waitFor({ timeout: T });
    await visitor.close();
    await demo.getByRole("button", { name: "Restore" }).click();
    await demo.getByRole("cell", { name: "Active" }).waitFor({ timeout: T });
    await page.getByRole("link", { name: "Bookings", exact: true }).click();
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download CSV" }).click()]);
    const csv = readFileSync(await download.path(), "utf8");
    assert(csv.startsWith("booking_id,tenant,offering"), `a CSV with a header: ${csv.slice(0, 80)}`);
    await page.getByRole("link", { name: "Dead letters" }).click();
    await page.getByText("No dead letters.").waitFor({ timeout: T });
    await shot(page, "admin-dead-letters");
    await context.close();
  },
};

const names = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
let failures = 0;
try {
  for (const name of names.length ? names : Object.keys(scenarios)) {
    const run = scenarios[name];
    if (!run) {
      console.log(`FAIL ${name}: no such scenario`);
      failures++;
      continue;
    }
    const started = Date.now();
    try {
      await run(browser);
      console.log(`PASS ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    } catch (err) {
      failures++;
      console.log(`FAIL ${name}: ${err instanceof Error ? err.message : err}`);
      // what the browser showed when it failed, for whoever reads the log
      let i = 0;
      for (const context of browser.contexts()) {
        for (const page of context.pages()) {
          await page.screenshot({ path: join(SHOTS, `FAILED-${name}-${i++}.png`), fullPage: true }).catch(() => {});
        }
        await context.close().catch(() => {});
      }
    }
  }
} finally {
  await browser.close();
}
process.exit(failures);
