// Generated from api-specs/analytics.json by scripts/gen-api.mjs; do not edit.
export interface paths {
    "/api/v1/admin/dead-letters/{service}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List Dead Letters */
        get: operations["admin-list_dead_letters"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/dead-letters/{service}/{dead_letter_id}/replay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Replay Dead Letter
         * @description Apply a dead-lettered event once more through the service's consumer, in whichever process
         *     serves this route (the gateway sends it to the service's own). A failure dead-letters it again.
         */
        post: operations["admin-replay_dead_letter"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tenants/{tenant}/analytics/collect": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Collect
         * @description A storefront event (page view, view content, initiate checkout). Counted only with analytics
         *     consent; the click id, IP and user agent are kept and forwarded only with marketing consent.
         *     Answers the `event_id` the browser pixel should use for the same event.
         */
        post: operations["analytics-collect"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tenants/{tenant}/analytics/funnel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Funnel
         * @description Views of offerings → checkouts → paid, with page views and bookings, over local days.
         */
        get: operations["analytics-funnel"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tenants/{tenant}/analytics/occupancy": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Occupancy
         * @description Confirmed units per local day their session or slot starts, and how many were cancelled.
         */
        get: operations["analytics-occupancy"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tenants/{tenant}/analytics/revenue": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Revenue
         * @description Captured, refunded and net revenue per currency (minor units), in total and per local day.
         */
        get: operations["analytics-revenue"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tenants/{tenant}/analytics/settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Settings */
        get: operations["analytics-get_settings"];
        /**
         * Put Settings
         * @description Retention of raw events and whether consenting visitors' IP and user agent are kept.
         */
        put: operations["analytics-put_settings"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tenants/{tenant}/analytics/top-offerings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Top Offerings */
        get: operations["analytics-top_offerings"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Healthz */
        get: operations["ops-healthz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Metrics */
        get: operations["ops-metrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readyz */
        get: operations["ops-readyz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** AnalyticsSettingsIn */
        AnalyticsSettingsIn: {
            /**
             * Keep Client Details
             * @description keep a consenting visitor's IP address and user agent
             * @default false
             */
            keep_client_details: boolean;
            /**
             * Retention Days
             * @description raw events older than this are purged
             */
            retention_days: number;
        };
        /** AnalyticsSettingsOut */
        AnalyticsSettingsOut: {
            /**
             * Keep Client Details
             * @description keep a consenting visitor's IP address and user agent
             * @default false
             */
            keep_client_details: boolean;
            /**
             * Retention Days
             * @description raw events older than this are purged
             */
            retention_days: number;
        };
        /** CollectIn */
        CollectIn: {
            /**
             * Booking Id
             * @description initiate_checkout after the hold
             */
            booking_id?: string | null;
            consent?: components["schemas"]["Consent"];
            /**
             * Event Id
             * @description the browser pixel's event_id, for deduplication; generated when absent
             */
            event_id?: string | null;
            /**
             * Kind
             * @enum {string}
             */
            kind: "page_view" | "view_content" | "initiate_checkout";
            /** Offering Id */
            offering_id?: string | null;
            /** Referrer */
            referrer?: string | null;
            /** Ttclid */
            ttclid?: string | null;
            /** Url */
            url?: string | null;
        };
        /** CollectOut */
        CollectOut: {
            /** Counted */
            counted: boolean;
            /** Event Id */
            event_id: string;
        };
        /**
         * Consent
         * @description What the visitor agreed to in the consent banner. `analytics`: counted at all; `marketing`:
         *     the TikTok click id, IP address and user agent may be kept and forwarded to TikTok.
         */
        Consent: {
            /**
             * Analytics
             * @default false
             */
            analytics: boolean;
            /**
             * Marketing
             * @default false
             */
            marketing: boolean;
        };
        /** CurrencyRevenue */
        CurrencyRevenue: {
            /** Currency */
            currency: string;
            gross: components["schemas"]["Money"];
            net: components["schemas"]["Money"];
            /** Payments */
            payments: number;
            refunded: components["schemas"]["Money"];
        };
        /** DayRevenue */
        DayRevenue: {
            /** Currency */
            currency: string;
            /**
             * Day
             * Format: date
             */
            day: string;
            /** Gross */
            gross: number;
            /** Refunded */
            refunded: number;
        };
        /** DeadLetterRead */
        DeadLetterRead: {
            /** Attempts */
            attempts: number;
            /** Consumer */
            consumer: string;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Envelope */
            envelope: {
                [key: string]: unknown;
            };
            /** Error */
            error: string;
            /**
             * Event Id
             * Format: uuid
             */
            event_id: string;
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Replayed At */
            replayed_at: string | null;
            /** Type */
            type: string;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
        };
        /** Funnel */
        Funnel: {
            /** Bookings */
            bookings: number;
            /** Checkout Rate */
            checkout_rate: number | null;
            /** Checkouts */
            checkouts: number;
            /** Page Views */
            page_views: number;
            /** Paid */
            paid: number;
            /** Paid Rate */
            paid_rate: number | null;
            /** Views */
            views: number;
        };
        /** FunnelOut */
        FunnelOut: {
            funnel: components["schemas"]["Funnel"];
            range: components["schemas"]["Range"];
        };
        /** Money */
        Money: {
            /**
             * Amount
             * @description minor units, e.g. cents
             */
            amount: number;
            /**
             * Currency
             * @description ISO 4217 code
             * @example EUR
             */
            currency: string;
        };
        /** OccupancyDay */
        OccupancyDay: {
            /**
             * Day
             * Format: date
             */
            day: string;
            /** Offerings */
            offerings?: components["schemas"]["OfferingOccupancy"][];
            /** Units Booked */
            units_booked: number;
            /** Units Cancelled */
            units_cancelled: number;
            /** Units Net */
            units_net: number;
        };
        /** OccupancyOut */
        OccupancyOut: {
            /** Days */
            days: components["schemas"]["OccupancyDay"][];
            range: components["schemas"]["Range"];
        };
        /** OfferingOccupancy */
        OfferingOccupancy: {
            /** Booked */
            booked: number;
            /** Capacity */
            capacity?: number | null;
            /** Name */
            name?: string | null;
            /** Occupancy */
            occupancy?: number | null;
            /**
             * Offering Id
             * Format: uuid
             */
            offering_id: string;
        };
        /** Page[DeadLetterRead] */
        Page_DeadLetterRead_: {
            /** Items */
            items: components["schemas"]["DeadLetterRead"][];
            /** Next Cursor */
            next_cursor?: string | null;
        };
        /** @description RFC 9457 problem details; `code` is stable, `errors` lists invalid fields (422). */
        Problem: {
            code: string;
            detail?: string;
            errors?: Record<string, never>[];
            instance?: string;
            status: number;
            title: string;
            type: string;
        };
        /** Range */
        Range: {
            /**
             * End
             * Format: date
             */
            end: string;
            /**
             * Start
             * Format: date
             */
            start: string;
            /** Timezone */
            timezone: string;
        };
        /** ReplayRead */
        ReplayRead: {
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Outcome */
            outcome: string;
        };
        /** RevenueOut */
        RevenueOut: {
            /** Days */
            days: components["schemas"]["DayRevenue"][];
            range: components["schemas"]["Range"];
            /** Totals */
            totals: components["schemas"]["CurrencyRevenue"][];
        };
        /** TopOffering */
        TopOffering: {
            /** Bookings */
            bookings: number;
            /** Cancelled */
            cancelled: number;
            /** Name */
            name: string | null;
            /**
             * Offering Id
             * Format: uuid
             */
            offering_id: string;
            /** Paid */
            paid: number;
            /** Units */
            units: number;
        };
        /** TopOfferingsOut */
        TopOfferingsOut: {
            /** Items */
            items: components["schemas"]["TopOffering"][];
            range: components["schemas"]["Range"];
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    "admin-list_dead_letters": {
        parameters: {
            query?: {
                include_replayed?: boolean;
                /** @description Items per page */
                limit?: number;
                /** @description Opaque cursor from next_cursor */
                cursor?: string | null;
            };
            header?: never;
            path: {
                service: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_DeadLetterRead_"];
                };
            };
            /** @description `malformed_request`, `invalid_cursor` or another malformed part of the request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: no valid access token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: the token's roles do not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `service_not_found`: No such service in this process */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `validation_failed`: The request has invalid fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `rate_limited`: too many requests from this client (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "admin-replay_dead_letter": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                service: string;
                dead_letter_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReplayRead"];
                };
            };
            /** @description `malformed_request`, `invalid_cursor` or another malformed part of the request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: no valid access token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: the token's roles do not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `service_not_found`: No such service in this process / `dead_letter_not_found`: No such dead letter */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `validation_failed`: The request has invalid fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `rate_limited`: too many requests from this client (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "analytics-collect": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tenant: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CollectIn"];
            };
        };
        responses: {
            /** @description Successful Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CollectOut"];
                };
            };
            /** @description `malformed_request`, `invalid_cursor` or another malformed part of the request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `tenant_not_found`: No such tenant */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `payload_too_large`: the body is over the size limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `invalid_event`: This browser event lacks what its kind needs / `validation_failed`: The request has invalid fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `rate_limited`: Too many requests; retry later */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "analytics-funnel": {
        parameters: {
            query?: {
                /** @description first local day (tenant's time zone) */
                from?: string | null;
                /** @description last local day, inclusive */
                to?: string | null;
            };
            header?: never;
            path: {
                tenant: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FunnelOut"];
                };
            };
            /** @description `malformed_request`, `invalid_cursor` or another malformed part of the request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: no valid access token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: the token's roles do not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `tenant_not_found`: No such tenant */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `invalid_date_range`: The date range is not valid / `validation_failed`: The request has invalid fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `rate_limited`: too many requests from this client (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "analytics-occupancy": {
        parameters: {
            query?: {
                /** @description first local day (tenant's time zone) */
                from?: string | null;
                /** @description last local day, inclusive */
                to?: string | null;
            };
            header?: never;
            path: {
                tenant: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OccupancyOut"];
                };
            };
            /** @description `malformed_request`, `invalid_cursor` or another malformed part of the request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: no valid access token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: the token's roles do not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `tenant_not_found`: No such tenant */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `invalid_date_range`: The date range is not valid / `validation_failed`: The request has invalid fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `rate_limited`: too many requests from this client (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "analytics-revenue": {
        parameters: {
            query?: {
                /** @description first local day (tenant's time zone) */
                from?: string | null;
                /** @description last local day, inclusive */
                to?: string | null;
            };
            header?: never;
            path: {
                tenant: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RevenueOut"];
                };
            };
            /** @description `malformed_request`, `invalid_cursor` or another malformed part of the request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: no valid access token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: the token's roles do not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `tenant_not_found`: No such tenant */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `invalid_date_range`: The date range is not valid / `validation_failed`: The request has invalid fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `rate_limited`: too many requests from this client (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "analytics-get_settings": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tenant: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AnalyticsSettingsOut"];
                };
            };
            /** @description `malformed_request`, `invalid_cursor` or another malformed part of the request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: no valid access token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: the token's roles do not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `tenant_not_found`: No such tenant */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `validation_failed`: The request has invalid fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `rate_limited`: too many requests from this client (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "analytics-put_settings": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tenant: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AnalyticsSettingsIn"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AnalyticsSettingsOut"];
                };
            };
            /** @description `malformed_request`, `invalid_cursor` or another malformed part of the request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: no valid access token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: the token's roles do not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `tenant_not_found`: No such tenant */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `payload_too_large`: the body is over the size limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `validation_failed`: The request has invalid fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `rate_limited`: too many requests from this client (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "analytics-top_offerings": {
        parameters: {
            query?: {
                /** @description first local day (tenant's time zone) */
                from?: string | null;
                /** @description last local day, inclusive */
                to?: string | null;
                limit?: number;
            };
            header?: never;
            path: {
                tenant: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TopOfferingsOut"];
                };
            };
            /** @description `malformed_request`, `invalid_cursor` or another malformed part of the request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: no valid access token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: the token's roles do not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `tenant_not_found`: No such tenant */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `invalid_date_range`: The date range is not valid / `validation_failed`: The request has invalid fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `rate_limited`: too many requests from this client (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "ops-healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: string;
                    };
                };
            };
            /** @description `malformed_request`, `invalid_cursor` or another malformed part of the request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `validation_failed`: fields outside their declared bounds */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `rate_limited`: too many requests from this client (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "ops-metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `malformed_request`, `invalid_cursor` or another malformed part of the request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `validation_failed`: fields outside their declared bounds */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `rate_limited`: too many requests from this client (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "ops-readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description `malformed_request`, `invalid_cursor` or another malformed part of the request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `validation_failed`: fields outside their declared bounds */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `rate_limited`: too many requests from this client (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
}
