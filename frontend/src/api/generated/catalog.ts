// Generated from api-specs/catalog.json by scripts/gen-api.mjs; do not edit.
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
    "/api/v1/discover": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Discover Offerings
         * @description Published offerings of every business near a point, closest first.
         */
        get: operations["offerings-discover_offerings"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tenants/{tenant}/offerings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Offerings
         * @description Browse offerings, oldest first (with `near`: closest first). The public sees published ones;
         *     staff may ask for any `status`.
         */
        get: operations["offerings-list_offerings"];
        put?: never;
        /**
         * Create Offering
         * @description Create a product, service (appointment) or event; it is `published` unless `status: draft`.
         */
        post: operations["offerings-create_offering"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tenants/{tenant}/offerings/{offering_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Offering
         * @description One offering; drafts and archived offerings are visible to the tenant's staff only.
         */
        get: operations["offerings-get_offering"];
        put?: never;
        post?: never;
        /**
         * Delete Offering
         * @description Soft delete: hidden from every read from now on (404); booking hears `deleted: true`.
         */
        delete: operations["offerings-delete_offering"];
        options?: never;
        head?: never;
        /**
         * Update Offering
         * @description Change fields. Optimistic locking: send the version you read (`If-Match` or `version`).
         */
        patch: operations["offerings-update_offering"];
        trace?: never;
    };
    "/api/v1/tenants/{tenant}/offerings/{offering_id}/archive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Archive Offering
         * @description Stop selling it; it stays visible to staff and can be published again.
         */
        post: operations["offerings-archive_offering"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tenants/{tenant}/offerings/{offering_id}/publish": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Publish Offering */
        post: operations["offerings-publish_offering"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tenants/{tenant}/offerings/{offering_id}/state": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Offering State
         * @description A published offering as `catalog.offering.*` events carry it: booking fills its read-model
         *     from this when a client books an offering whose event has not reached booking yet.
         */
        get: operations["offerings-get_offering_state"];
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
        /** DiscoveredOffering */
        DiscoveredOffering: {
            /** Booking Window Days */
            booking_window_days: number | null;
            /** Buffer After Minutes */
            buffer_after_minutes: number;
            /** Buffer Before Minutes */
            buffer_before_minutes: number;
            /** Cancellation Free Hours */
            cancellation_free_hours: number | null;
            /** Capacity Per Slot */
            capacity_per_slot: number;
            /** Category */
            category: string | null;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Description */
            description: string | null;
            /**
             * Distance Km
             * @description from `near`, when the list was asked with it
             */
            distance_km?: number | null;
            /** Duration Minutes */
            duration_minutes: number | null;
            /** Hold Minutes */
            hold_minutes: number | null;
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Images */
            images: string[];
            /**
             * Kind
             * @enum {string}
             */
            kind: "product" | "service" | "event";
            /** Lead Time Minutes */
            lead_time_minutes: number;
            /** @description null: no location, or one deleted */
            location?: components["schemas"]["LocationRead"] | null;
            /** Location Id */
            location_id: string | null;
            /** Max Quantity */
            max_quantity: number | null;
            /** Min Quantity */
            min_quantity: number;
            /** Name */
            name: string;
            price: components["schemas"]["Money"];
            /** Resources */
            resources: components["schemas"]["ResourceRead"][];
            schedule: components["schemas"]["ScheduleRead"] | null;
            /** Sessions */
            sessions: components["schemas"]["SessionRead"][];
            /** Slot Interval Minutes */
            slot_interval_minutes: number | null;
            /**
             * Status
             * @enum {string}
             */
            status: "draft" | "published" | "archived";
            /** Stock */
            stock: number | null;
            /** Tax Rate Bp */
            tax_rate_bp: number;
            tenant: components["schemas"]["TenantSummary"];
            /** Timezone */
            timezone: string;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
            /** Variants */
            variants: components["schemas"]["VariantRead"][];
            /** Version */
            version: number;
        };
        /**
         * ExceptionPayload
         * @description A date that is closed, or open only in the given local intervals instead of the weekly rules.
         */
        ExceptionPayload: {
            /**
             * Closed
             * @default false
             */
            closed: boolean;
            /**
             * Date
             * Format: date
             */
            date: string;
            /** Intervals */
            intervals?: [
                string,
                string
            ][];
        };
        /**
         * Interval
         * @description Local wall-clock hours, [start, end).
         */
        Interval: {
            /**
             * End
             * @description local wall-clock time, HH:MM[:SS], no offset
             * @example 09:00
             */
            end: string;
            /**
             * Start
             * @description local wall-clock time, HH:MM[:SS], no offset
             * @example 09:00
             */
            start: string;
        };
        /** IntervalRead */
        IntervalRead: {
            /**
             * End
             * @description local wall-clock time, HH:MM[:SS], no offset
             * @example 09:00
             */
            end: string;
            /**
             * Start
             * @description local wall-clock time, HH:MM[:SS], no offset
             * @example 09:00
             */
            start: string;
        };
        /**
         * LocationRead
         * @description Where the offering happens, as the location service last said.
         */
        LocationRead: {
            /** Address */
            address: string;
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Latitude */
            latitude: number;
            /** Longitude */
            longitude: number;
            /**
             * Map Url
             * @description a Google Maps link to the place
             */
            map_url: string;
            /** Name */
            name: string;
            /** Place Id */
            place_id: string | null;
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
        /** MoneyPayload */
        MoneyPayload: {
            /** Amount */
            amount: number;
            /** Currency */
            currency: string;
        };
        /**
         * OfferingCreate
         * @description A new offering of one kind; the fields of the other kinds must stay unset.
         */
        OfferingCreate: {
            /** Booking Window Days */
            booking_window_days?: number | null;
            /**
             * Buffer After Minutes
             * @default 0
             */
            buffer_after_minutes: number;
            /**
             * Buffer Before Minutes
             * @default 0
             */
            buffer_before_minutes: number;
            /** Cancellation Free Hours */
            cancellation_free_hours?: number | null;
            /**
             * Capacity Per Slot
             * @default 1
             */
            capacity_per_slot: number;
            /** Category */
            category?: string | null;
            /** Description */
            description?: string | null;
            /** Duration Minutes */
            duration_minutes?: number | null;
            /**
             * Hold Minutes
             * @description how long an unpaid booking holds its place; default: the platform's (15)
             */
            hold_minutes?: number | null;
            /**
             * Images
             * @default []
             */
            images: string[];
            /**
             * Kind
             * @enum {string}
             */
            kind: "product" | "service" | "event";
            /**
             * Lead Time Minutes
             * @default 0
             */
            lead_time_minutes: number;
            /** Location Id */
            location_id?: string | null;
            /** Max Quantity */
            max_quantity?: number | null;
            /**
             * Min Quantity
             * @default 1
             */
            min_quantity: number;
            /** Name */
            name: string;
            /** @description base price; variants may have their own */
            price: components["schemas"]["Money"];
            /**
             * Resources
             * @default []
             */
            resources: components["schemas"]["ResourceIn"][];
            schedule?: components["schemas"]["Schedule"] | null;
            /**
             * Sessions
             * @default []
             */
            sessions: components["schemas"]["SessionIn"][];
            /** Slot Interval Minutes */
            slot_interval_minutes?: number | null;
            /**
             * Status
             * @description new offerings are bookable unless `draft`
             * @default published
             * @enum {string}
             */
            status: "draft" | "published" | "archived";
            /** Stock */
            stock?: number | null;
            /**
             * Tax Rate Bp
             * @description basis points: 1900 = 19 %
             * @default 0
             */
            tax_rate_bp: number;
            /**
             * Timezone
             * @description IANA zone; default: the tenant's
             */
            timezone?: string | null;
            /**
             * Variants
             * @default []
             */
            variants: components["schemas"]["VariantIn"][];
        };
        /** OfferingRead */
        OfferingRead: {
            /** Booking Window Days */
            booking_window_days: number | null;
            /** Buffer After Minutes */
            buffer_after_minutes: number;
            /** Buffer Before Minutes */
            buffer_before_minutes: number;
            /** Cancellation Free Hours */
            cancellation_free_hours: number | null;
            /** Capacity Per Slot */
            capacity_per_slot: number;
            /** Category */
            category: string | null;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Description */
            description: string | null;
            /**
             * Distance Km
             * @description from `near`, when the list was asked with it
             */
            distance_km?: number | null;
            /** Duration Minutes */
            duration_minutes: number | null;
            /** Hold Minutes */
            hold_minutes: number | null;
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Images */
            images: string[];
            /**
             * Kind
             * @enum {string}
             */
            kind: "product" | "service" | "event";
            /** Lead Time Minutes */
            lead_time_minutes: number;
            /** @description null: no location, or one deleted */
            location?: components["schemas"]["LocationRead"] | null;
            /** Location Id */
            location_id: string | null;
            /** Max Quantity */
            max_quantity: number | null;
            /** Min Quantity */
            min_quantity: number;
            /** Name */
            name: string;
            price: components["schemas"]["Money"];
            /** Resources */
            resources: components["schemas"]["ResourceRead"][];
            schedule: components["schemas"]["ScheduleRead"] | null;
            /** Sessions */
            sessions: components["schemas"]["SessionRead"][];
            /** Slot Interval Minutes */
            slot_interval_minutes: number | null;
            /**
             * Status
             * @enum {string}
             */
            status: "draft" | "published" | "archived";
            /** Stock */
            stock: number | null;
            /** Tax Rate Bp */
            tax_rate_bp: number;
            /** Timezone */
            timezone: string;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
            /** Variants */
            variants: components["schemas"]["VariantRead"][];
            /** Version */
            version: number;
        };
        /** OfferingState */
        OfferingState: {
            /** Booking Window Days */
            booking_window_days?: number | null;
            /**
             * Buffer After Minutes
             * @default 0
             */
            buffer_after_minutes: number;
            /**
             * Buffer Before Minutes
             * @default 0
             */
            buffer_before_minutes: number;
            /** Cancellation Free Hours */
            cancellation_free_hours?: number | null;
            /**
             * Capacity Per Slot
             * @default 1
             */
            capacity_per_slot: number;
            /**
             * Deleted
             * @default false
             */
            deleted: boolean;
            /** Duration Minutes */
            duration_minutes?: number | null;
            /** Hold Minutes */
            hold_minutes?: number | null;
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /**
             * Kind
             * @enum {string}
             */
            kind: "product" | "service" | "event";
            /**
             * Lead Time Minutes
             * @default 0
             */
            lead_time_minutes: number;
            /** Location Id */
            location_id?: string | null;
            /** Max Quantity */
            max_quantity?: number | null;
            /**
             * Min Quantity
             * @default 1
             */
            min_quantity: number;
            /** Name */
            name: string;
            price: components["schemas"]["MoneyPayload"];
            /** Resources */
            resources?: components["schemas"]["ResourcePayload"][];
            schedule?: components["schemas"]["SchedulePayload"] | null;
            /** Sessions */
            sessions?: components["schemas"]["SessionPayload"][];
            /** Slot Interval Minutes */
            slot_interval_minutes?: number | null;
            /**
             * Status
             * @enum {string}
             */
            status: "draft" | "published" | "archived";
            /** Stock */
            stock?: number | null;
            /**
             * Tax Rate Bp
             * @default 0
             */
            tax_rate_bp: number;
            /**
             * Tenant Id
             * Format: uuid
             */
            tenant_id: string;
            /**
             * Timezone
             * @default UTC
             */
            timezone: string;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
            /** Variants */
            variants?: components["schemas"]["VariantPayload"][];
            /** Version */
            version: number;
        };
        /**
         * OfferingUpdate
         * @description Fields to change; lists replace the stored list (items with an `id` keep their identity).
         */
        OfferingUpdate: {
            /** Booking Window Days */
            booking_window_days?: number | null;
            /** Buffer After Minutes */
            buffer_after_minutes?: number | null;
            /** Buffer Before Minutes */
            buffer_before_minutes?: number | null;
            /** Cancellation Free Hours */
            cancellation_free_hours?: number | null;
            /** Capacity Per Slot */
            capacity_per_slot?: number | null;
            /** Category */
            category?: string | null;
            /** Description */
            description?: string | null;
            /** Duration Minutes */
            duration_minutes?: number | null;
            /** Hold Minutes */
            hold_minutes?: number | null;
            /** Images */
            images?: string[] | null;
            /** Lead Time Minutes */
            lead_time_minutes?: number | null;
            /** Location Id */
            location_id?: string | null;
            /** Max Quantity */
            max_quantity?: number | null;
            /** Min Quantity */
            min_quantity?: number | null;
            /** Name */
            name?: string | null;
            price?: components["schemas"]["Money"] | null;
            /** Resources */
            resources?: components["schemas"]["ResourceIn"][] | null;
            schedule?: components["schemas"]["Schedule"] | null;
            /** Sessions */
            sessions?: components["schemas"]["SessionIn"][] | null;
            /** Slot Interval Minutes */
            slot_interval_minutes?: number | null;
            /** Status */
            status?: ("draft" | "published" | "archived") | null;
            /** Stock */
            stock?: number | null;
            /** Tax Rate Bp */
            tax_rate_bp?: number | null;
            /** Timezone */
            timezone?: string | null;
            /** Variants */
            variants?: components["schemas"]["VariantIn"][] | null;
            /**
             * Version
             * @description the version read; or send `If-Match`
             */
            version?: number | null;
        };
        /** Page[DeadLetterRead] */
        Page_DeadLetterRead_: {
            /** Items */
            items: components["schemas"]["DeadLetterRead"][];
            /** Next Cursor */
            next_cursor?: string | null;
        };
        /** Page[DiscoveredOffering] */
        Page_DiscoveredOffering_: {
            /** Items */
            items: components["schemas"]["DiscoveredOffering"][];
            /** Next Cursor */
            next_cursor?: string | null;
        };
        /** Page[OfferingRead] */
        Page_OfferingRead_: {
            /** Items */
            items: components["schemas"]["OfferingRead"][];
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
        /** ResourceIn */
        ResourceIn: {
            /**
             * Id
             * @description keep an existing resource (PATCH); omit to add
             */
            id?: string | null;
            /**
             * Kind
             * @default staff
             * @enum {string}
             */
            kind: "staff" | "room";
            /** Name */
            name: string;
            /** @description narrows the offering's schedule */
            schedule?: components["schemas"]["Schedule"] | null;
        };
        /**
         * ResourcePayload
         * @description Staff or room; an appointment takes one free resource. Its own schedule, if any, narrows
         *     the offering's schedule.
         */
        ResourcePayload: {
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Name */
            name: string;
            schedule?: components["schemas"]["SchedulePayload"] | null;
        };
        /** ResourceRead */
        ResourceRead: {
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /**
             * Kind
             * @enum {string}
             */
            kind: "staff" | "room";
            /** Name */
            name: string;
            schedule: components["schemas"]["ScheduleRead"] | null;
        };
        /**
         * Schedule
         * @description Opening hours in the offering's IANA time zone.
         */
        Schedule: {
            /**
             * Exceptions
             * @default []
             */
            exceptions: components["schemas"]["ScheduleException"][];
            /**
             * Weekly
             * @default []
             */
            weekly: components["schemas"]["WeeklyRule"][];
        };
        /**
         * ScheduleException
         * @description A date that is closed, or open only in `intervals` instead of the weekly rules.
         */
        ScheduleException: {
            /**
             * Closed
             * @default false
             */
            closed: boolean;
            /**
             * Date
             * Format: date
             * @description a date between 2000-01-01 and 2099-12-31
             */
            date: string;
            /**
             * Intervals
             * @default []
             */
            intervals: components["schemas"]["Interval"][];
        };
        /** ScheduleExceptionRead */
        ScheduleExceptionRead: {
            /** Closed */
            closed: boolean;
            /**
             * Date
             * Format: date
             */
            date: string;
            /** Intervals */
            intervals: components["schemas"]["IntervalRead"][];
        };
        /** SchedulePayload */
        SchedulePayload: {
            /** Exceptions */
            exceptions?: components["schemas"]["ExceptionPayload"][];
            /** Weekly */
            weekly?: components["schemas"]["WeeklyRulePayload"][];
        };
        /** ScheduleRead */
        ScheduleRead: {
            /** Exceptions */
            exceptions: components["schemas"]["ScheduleExceptionRead"][];
            /** Weekly */
            weekly: components["schemas"]["WeeklyRuleRead"][];
        };
        /** SessionIn */
        SessionIn: {
            /** Capacity */
            capacity: number;
            /**
             * End
             * Format: date-time
             * @description with offset, between 2000-01-01 and 2099-12-31
             */
            end: string;
            /**
             * Id
             * @description keep an existing session (PATCH); omit to add
             */
            id?: string | null;
            /**
             * Start
             * Format: date-time
             * @description with offset, between 2000-01-01 and 2099-12-31
             */
            start: string;
        };
        /** SessionPayload */
        SessionPayload: {
            /** Capacity */
            capacity: number;
            /**
             * End
             * Format: date-time
             */
            end: string;
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /**
             * Start
             * Format: date-time
             */
            start: string;
        };
        /** SessionRead */
        SessionRead: {
            /** Capacity */
            capacity: number;
            /**
             * End
             * Format: date-time
             */
            end: string;
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /**
             * Start
             * Format: date-time
             */
            start: string;
        };
        /** TenantSummary */
        TenantSummary: {
            /** Name */
            name: string;
            /** Slug */
            slug: string;
        };
        /** VariantIn */
        VariantIn: {
            /**
             * Id
             * @description keep an existing variant (PATCH); omit to add
             */
            id?: string | null;
            /** Name */
            name: string;
            price: components["schemas"]["Money"];
        };
        /** VariantPayload */
        VariantPayload: {
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Name */
            name: string;
            price: components["schemas"]["MoneyPayload"];
        };
        /** VariantRead */
        VariantRead: {
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Name */
            name: string;
            price: components["schemas"]["Money"];
        };
        /** WeeklyRule */
        WeeklyRule: {
            /**
             * End
             * @description local wall-clock time, HH:MM[:SS], no offset
             * @example 09:00
             */
            end: string;
            /**
             * Start
             * @description local wall-clock time, HH:MM[:SS], no offset
             * @example 09:00
             */
            start: string;
            /**
             * Weekday
             * @enum {string}
             */
            weekday: "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";
        };
        /**
         * WeeklyRulePayload
         * @description Open from `start` to `end` (local wall time in the offering's time zone) every `weekday`.
         */
        WeeklyRulePayload: {
            /**
             * End
             * @description local wall-clock time, HH:MM[:SS], no offset
             * @example 09:00
             */
            end: string;
            /**
             * Start
             * @description local wall-clock time, HH:MM[:SS], no offset
             * @example 09:00
             */
            start: string;
            /**
             * Weekday
             * @enum {string}
             */
            weekday: "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";
        };
        /** WeeklyRuleRead */
        WeeklyRuleRead: {
            /**
             * End
             * @description local wall-clock time, HH:MM[:SS], no offset
             * @example 09:00
             */
            end: string;
            /**
             * Start
             * @description local wall-clock time, HH:MM[:SS], no offset
             * @example 09:00
             */
            start: string;
            /**
             * Weekday
             * @enum {string}
             */
            weekday: "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";
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
    "offerings-discover_offerings": {
        parameters: {
            query: {
                /** @description `latitude,longitude`: only offerings whose location is within `radius_km`, closest first */
                near: string;
                /** @description with `near`: the search radius */
                radius_km?: number;
                /** @description words in name, description, category */
                q?: string | null;
                kind?: ("product" | "service" | "event") | null;
                limit?: number;
                cursor?: string | null;
            };
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
                    "application/json": components["schemas"]["Page_DiscoveredOffering_"];
                };
            };
            /** @description `invalid_cursor`: The pagination cursor is invalid */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `invalid_near`: `near` must be `latitude,longitude`, e.g. `52.52,13.405` / `validation_failed`: The request has invalid fields */
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
    "offerings-list_offerings": {
        parameters: {
            query?: {
                /** @description Items per page */
                limit?: number;
                /** @description Opaque cursor from next_cursor */
                cursor?: string | null;
                kind?: ("product" | "service" | "event") | null;
                category?: string | null;
                /** @description base price, minor units */
                min_price?: number | null;
                /** @description base price, minor units */
                max_price?: number | null;
                /** @description open on this local date */
                date?: string | null;
                /** @description words in name, description, category */
                q?: string | null;
                /** @description staff only; default: published */
                status?: ("draft" | "published" | "archived")[] | null;
                /** @description `latitude,longitude`: only offerings whose location is within `radius_km`, closest first */
                near?: string | null;
                /** @description with `near`: the search radius */
                radius_km?: number;
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
                    "application/json": components["schemas"]["Page_OfferingRead_"];
                };
            };
            /** @description `invalid_cursor`: The pagination cursor is invalid */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `tenant_suspended`: This business is suspended by the platform / `status_filter_forbidden`: Only tenant staff may list offerings that are not published */
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
            /** @description `invalid_near`: `near` must be `latitude,longitude`, e.g. `52.52,13.405` / `validation_failed`: The request has invalid fields */
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
    "offerings-create_offering": {
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
                "application/json": components["schemas"]["OfferingCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OfferingRead"];
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
            /** @description `unauthorized`: Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: Not allowed */
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
            /** @description `currency_mismatch`: Offerings are priced in the tenant's currency / `location_not_found`: The tenant has no such location / `validation_failed`: The request has invalid fields */
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
    "offerings-get_offering": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                offering_id: string;
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
                    "application/json": components["schemas"]["OfferingRead"];
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
            /** @description `tenant_suspended`: This business is suspended by the platform */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `tenant_not_found`: No such tenant / `offering_not_found`: No such offering */
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
    "offerings-delete_offering": {
        parameters: {
            query?: never;
            header?: {
                /** @description The offering version you read (its ETag), e.g. `3` */
                "if-match"?: string | null;
            };
            path: {
                offering_id: string;
                tenant: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `invalid_if_match`: If-Match must be an offering version, e.g. `3` or `"3"` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: Not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `tenant_not_found`: No such tenant / `offering_not_found`: No such offering */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `version_conflict`: The resource was changed by someone else; reload and retry */
            409: {
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
    "offerings-update_offering": {
        parameters: {
            query?: never;
            header?: {
                /** @description The offering version you read (its ETag), e.g. `3` */
                "if-match"?: string | null;
            };
            path: {
                offering_id: string;
                tenant: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OfferingUpdate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OfferingRead"];
                };
            };
            /** @description `invalid_if_match`: If-Match must be an offering version, e.g. `3` or `"3"` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: Not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `tenant_not_found`: No such tenant / `offering_not_found`: No such offering */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `version_conflict`: The resource was changed by someone else; reload and retry */
            409: {
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
            /** @description `currency_mismatch`: Offerings are priced in the tenant's currency / `location_not_found`: The tenant has no such location / `validation_failed`: The request has invalid fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `version_required`: Send the version you read as `If-Match: <version>` or as `version` in the body */
            428: {
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
    "offerings-archive_offering": {
        parameters: {
            query?: never;
            header?: {
                /** @description The offering version you read (its ETag), e.g. `3` */
                "if-match"?: string | null;
            };
            path: {
                offering_id: string;
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
                    "application/json": components["schemas"]["OfferingRead"];
                };
            };
            /** @description `invalid_if_match`: If-Match must be an offering version, e.g. `3` or `"3"` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: Not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `tenant_not_found`: No such tenant / `offering_not_found`: No such offering */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `version_conflict`: The resource was changed by someone else; reload and retry */
            409: {
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
    "offerings-publish_offering": {
        parameters: {
            query?: never;
            header?: {
                /** @description The offering version you read (its ETag), e.g. `3` */
                "if-match"?: string | null;
            };
            path: {
                offering_id: string;
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
                    "application/json": components["schemas"]["OfferingRead"];
                };
            };
            /** @description `invalid_if_match`: If-Match must be an offering version, e.g. `3` or `"3"` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `unauthorized`: Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `forbidden`: Not allowed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `tenant_not_found`: No such tenant / `offering_not_found`: No such offering */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `version_conflict`: The resource was changed by someone else; reload and retry */
            409: {
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
    "offerings-get_offering_state": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                offering_id: string;
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
                    "application/json": components["schemas"]["OfferingState"];
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
            /** @description `tenant_not_found`: No such tenant / `offering_not_found`: No such offering */
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
