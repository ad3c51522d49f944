import { useQuery } from "@tanstack/react-query";
import { api, must } from "../api/client";

export function useTenant(tenant: string | undefined) {
  return useQuery({
    queryKey: ["tenant", tenant],
    enabled: !!tenant,
    queryFn: () => must(api.GET("/api/v1/tenants/{tenant}", { params: { path: { tenant: tenant! } } })),
    staleTime: 5 * 60_000,
  });
}

export function useOffering(tenant: string | undefined, offeringId: string | undefined) {
  return useQuery({
    queryKey: ["offering", tenant, offeringId],
    enabled: !!tenant && !!offeringId,
    queryFn: () =>
      must(
        api.GET("/api/v1/tenants/{tenant}/offerings/{offering_id}", {
          params: { path: { tenant: tenant!, offering_id: offeringId! } },
        }),
      ),
  });
}
