import { useQuery, useQueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { api, must, type User } from "../api/client";
import { getAccessToken, mayHaveSession, onTokenChange, refreshAccessToken, setAccessToken } from "../api/session";
import { useI18n } from "./i18n";

interface Auth {
  user: User | null;
  ready: boolean; // the silent refresh at start-up has finished
  signIn: (email: string, password: string) => Promise<User>;
  register: (name: string, email: string, password: string) => Promise<User>;
  signOut: () => Promise<void>;
  /** Re-reads roles (after creating a tenant or accepting an invitation). */
  reload: () => Promise<void>;
}

const Ctx = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const { locale } = useI18n(); // a new account's emails (verification first) in the language it signed up in
  const [token, setToken] = useState<string | null>(getAccessToken());
  const [booted, setBooted] = useState(() => !mayHaveSession() || getAccessToken() !== null);
  useEffect(() => onTokenChange(setToken), []);
  useEffect(() => {
    if (booted) return;
    void refreshAccessToken().finally(() => setBooted(true));
  }, [booted]);
  const me = useQuery({
    queryKey: ["me", token !== null],
    enabled: token !== null,
    queryFn: () => must(api.GET("/api/v1/users/me")),
    staleTime: 60_000,
  });

  const signIn = useCallback(
    async (email: string, password: string) => {
      const pair = await must(api.POST("/api/v1/auth/login", { params: { query: { cookie: true } }, body: { email, password } }));
      setAccessToken(pair.access_token);
      qc.setQueryData(["me", true], pair.user);
      return pair.user;
    },
    [qc],
  );
  const register = useCallback(
    async (name: string, email: string, password: string) => {
      const pair = await must(
        api.POST("/api/v1/auth/register", { params: { query: { cookie: true } }, body: { name, email, password, locale } }),
      );
      setAccessToken(pair.access_token);
      qc.setQueryData(["me", true], pair.user);
      return pair.user;
    },
    [qc, locale],
  );
  const signOut = useCallback(async () => {
    await api.POST("/api/v1/auth/logout", { params: { query: { cookie: true } } });
    setAccessToken(null);
    qc.clear();
  }, [qc]);
  const reload = useCallback(async () => {
    await refreshAccessToken();
    await qc.invalidateQueries({ queryKey: ["me"] });
  }, [qc]);

  const user = token ? (me.data ?? null) : null;
  const ready = booted && (token === null || !me.isLoading);
  const value = useMemo(() => ({ user, ready, signIn, register, signOut, reload }), [user, ready, signIn, register, signOut, reload]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useAuth(): Auth {
  const ctx = useContext(Ctx);
  if (!ctx) throw new Error("useAuth outside AuthProvider");
  return ctx;
}

export function staffTenants(user: User | null): string[] {
  return (user?.tenants ?? []).filter((m) => m.role === "owner" || m.role === "staff").map((m) => m.tenant);
}
