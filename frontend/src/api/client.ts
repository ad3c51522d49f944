// One typed client for every service the web app talks to. Paths and types are generated from
// the OpenAPI documents (src/api/generated); nothing here names a field by hand.
import createClient from "openapi-fetch";
import type { paths as AdminPaths, components as AdminComponents } from "./generated/admin";
import type { paths as AnalyticsPaths } from "./generated/analytics";
import type { paths as BookingPaths, components as BookingComponents } from "./generated/booking";
import type { paths as CatalogPaths, components as CatalogComponents } from "./generated/catalog";
import type { paths as LocationPaths, components as LocationComponents } from "./generated/location";
import type { paths as PaymentPaths, components as PaymentComponents } from "./generated/payment";
import type { paths as IntegrationPaths, components as IntegrationComponents } from "./generated/integration";
import type { paths as ReceiptPaths } from "./generated/receipt";
import type { paths as UserPaths, components as UserComponents } from "./generated/user";
import { authFetch } from "./session";

export type Paths = UserPaths &
  CatalogPaths &
  BookingPaths &
  PaymentPaths &
  ReceiptPaths &
  AdminPaths &
  LocationPaths &
  AnalyticsPaths &
  IntegrationPaths;

export type Offering = CatalogComponents["schemas"]["OfferingRead"];
export type OfferingCreate = CatalogComponents["schemas"]["OfferingCreate"];
export type WeeklyRule = CatalogComponents["schemas"]["WeeklyRule"];
export type Location = LocationComponents["schemas"]["LocationRead"];
export type LocationCreate = LocationComponents["schemas"]["LocationCreate"];
export type Booking = BookingComponents["schemas"]["BookingRead"];
export type Availability = BookingComponents["schemas"]["AvailabilityRead"];
export type Slot = BookingComponents["schemas"]["SlotRead"];
export type Stats = BookingComponents["schemas"]["StatsRead"];
export type Money = BookingComponents["schemas"]["Money"];
export type Payment = PaymentComponents["schemas"]["PaymentRead"];
export type PaymentSettings = PaymentComponents["schemas"]["PaymentSettingsPut"];
export type User = UserComponents["schemas"]["UserRead"];
export type Tenant = UserComponents["schemas"]["TenantRead"];
export type TikTokSettings = IntegrationComponents["schemas"]["TikTokSettingsOut"];
export type TokenPair = UserComponents["schemas"]["TokenPair"];
export type AdminTenant = UserComponents["schemas"]["AdminTenantRead"];
export type AdminUser = UserComponents["schemas"]["AdminUserRead"];
export type AdminBooking = AdminComponents["schemas"]["AdminBookingRead"];
export type PlatformStats = AdminComponents["schemas"]["PlatformStats"];
export type ServiceDeadLetters = AdminComponents["schemas"]["ServiceDeadLetters"];

// Same origin as the page (absolute, so that it also works where Request needs a full URL).
export const api = createClient<Paths>({ baseUrl: globalThis.location?.origin ?? "", fetch: authFetch });

/** RFC 9457 problem as the API answers it (a stable `code`, a human `title`/`detail`). */
export interface Problem {
  status?: number;
  code?: string;
  title?: string;
  detail?: string;
  errors?: { loc?: (string | number)[]; msg?: string }[];
}

export class ApiError extends Error {
  readonly problem: Problem;
  readonly status: number;
  constructor(status: number, problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
  get code(): string | undefined {
    return this.problem.code;
  }
}

/** Unwraps an openapi-fetch answer: the data, or an ApiError carrying the problem document. */
export async function must<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) {
    const problem = (error && typeof error === "object" ? error : {}) as Problem;
    throw new ApiError(response.status, problem);
  }
  return data as T;
}

export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}
