import { zodResolver } from "@hookform/resolvers/zod";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Link, useLocation, useNavigate, useSearchParams } from "react-router";
import type { z } from "zod";
import { ApiError, api, must } from "../api/client";
import { ErrorAlert, Notice, TextField } from "../components/ui";
import { useAuth } from "../lib/auth";
import { useI18n, type Translate } from "../lib/i18n";
import type { MessageKey } from "../lib/messages";
import { registerSchema, signInSchema } from "../lib/schemas";
import { rememberSocialNext } from "./SocialDonePage";

function authMessage(err: unknown, t: Translate): string | null {
  if (!(err instanceof ApiError)) return null;
  if (err.code === "invalid_credentials") return t("auth.invalid");
  if (err.code === "email_taken") return t("auth.taken");
  if (err.code === "weak_password" || err.code === "password_too_long") return t("auth.weak");
  if (err.code === "invalid_link") return t("auth.linkInvalid");
  return null;
}

function FormError({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (error == null) return null;
  const text = authMessage(error, t);
  return text ? (
    <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-red-900">
      {text}
    </p>
  ) : (
    <ErrorAlert error={error} />
  );
}

/** Google / Apple buttons, only for the providers this deployment configured. */
function SocialButtons() {
  const { t } = useI18n();
  const next = useNext();
  const providers = useQuery({
    queryKey: ["providers"],
    queryFn: () => must(api.GET("/api/v1/auth/providers")),
    staleTime: Infinity,
  });
  const items = providers.data?.items ?? [];
  if (!items.length) return null;
  return (
    <div className="space-y-2">
      {items.map((p) => (
        <a
          key={p.name}
          href={`/api/v1/auth/oauth/${encodeURIComponent(p.name)}/authorize`}
          onClick={() => rememberSocialNext(next)}
          className="btn-secondary w-full"
        >
          {t("auth.with", { provider: p.name === "google" ? "Google" : p.name === "apple" ? "Apple" : p.name })}
        </a>
      ))}
      <p className="text-center text-sm text-slate-600">{t("auth.or")}</p>
    </div>
  );
}

function useNext(): string {
  const [params] = useSearchParams();
  const next = params.get("next") ?? "/";
  return next.startsWith("/") && !next.startsWith("//") ? next : "/";
}

export function SignInPage() {
  const { t } = useI18n();
  const { signIn } = useAuth();
  const navigate = useNavigate();
  const next = useNext();
  const [error, setError] = useState<unknown>(null);
  const form = useForm<z.infer<typeof signInSchema>>({ resolver: zodResolver(signInSchema), defaultValues: { email: "", password: "" } });
  const e = form.formState.errors;
  return (
    <div className="mx-auto max-w-md card space-y-4">
      <h1 className="text-2xl font-bold">{t("auth.signInTitle")}</h1>
      <SocialButtons />
      <form
        noValidate
        className="space-y-3"
        onSubmit={form.handleSubmit(async (v) => {
          setError(null);
          try {
            await signIn(v.email, v.password);
            navigate(next);
          } catch (err) {
            setError(err);
          }
        })}
      >
        <TextField label={t("auth.email")} type="email" autoComplete="email" {...form.register("email")} error={e.email && t(e.email.message as MessageKey)} />
        <TextField label={t("auth.password")} type="password" autoComplete="current-password" {...form.register("password")} error={e.password && t("v.password")} />
        <FormError error={error} />
        <button type="submit" className="btn w-full" disabled={form.formState.isSubmitting}>
          {t("auth.submitSignIn")}
        </button>
      </form>
      <p className="text-sm">
        <Link to="/reset-password" className="link">
          {t("auth.forgot")}
        </Link>
      </p>
      <p className="text-sm">
        {t("auth.noAccount")}{" "}
        <Link to={`/register?next=${encodeURIComponent(next)}`} className="link">
          {t("nav.register")}
        </Link>
      </p>
    </div>
  );
}

export function RegisterPage() {
  const { t } = useI18n();
  const { register } = useAuth();
  const navigate = useNavigate();
  const next = useNext();
  const [error, setError] = useState<unknown>(null);
  const form = useForm<z.infer<typeof registerSchema>>({ resolver: zodResolver(registerSchema), defaultValues: { name: "", email: "", password: "" } });
  const e = form.formState.errors;
  return (
    <div className="mx-auto max-w-md card space-y-4">
      <h1 className="text-2xl font-bold">{t("auth.registerTitle")}</h1>
      <SocialButtons />
      <form
        noValidate
        className="space-y-3"
        onSubmit={form.handleSubmit(async (v) => {
          setError(null);
          try {
            await register(v.name, v.email, v.password);
            navigate(next);
          } catch (err) {
            setError(err);
          }
        })}
      >
        <TextField label={t("auth.name")} autoComplete="name" {...form.register("name")} error={e.name && t("v.name")} />
        <TextField label={t("auth.email")} type="email" autoComplete="email" {...form.register("email")} error={e.email && t("v.email")} />
        <TextField
          label={t("auth.password")}
          type="password"
          autoComplete="new-password"
          hint={t("v.password")}
          {...form.register("password")}
          error={e.password && t("v.password")}
        />
        <FormError error={error} />
        <button type="submit" className="btn w-full" disabled={form.formState.isSubmitting}>
          {t("auth.submitRegister")}
        </button>
      </form>
      <p className="text-sm">
        {t("auth.haveAccount")}{" "}
        <Link to={`/signin?next=${encodeURIComponent(next)}`} className="link">
          {t("nav.signIn")}
        </Link>
      </p>
    </div>
  );
}

export function ResetRequestPage() {
  // the emailed link lands here with its token: choose the new password
  return useLinkToken() ? <ResetConfirmPage /> : <ResetRequest />;
}

function ResetRequest() {
  const { t } = useI18n();
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const form = useForm<{ email: string }>({ defaultValues: { email: "" } });
  return (
    <div className="mx-auto max-w-md card space-y-4">
      <h1 className="text-2xl font-bold">{t("auth.resetTitle")}</h1>
      <p>{t("auth.resetLead")}</p>
      {sent ? (
        <Notice tone="success">{t("auth.resetSent")}</Notice>
      ) : (
        <form
          className="space-y-3"
          onSubmit={form.handleSubmit(async (v) => {
            try {
              await must(api.POST("/api/v1/auth/password-reset/request", { body: { email: v.email } }));
              setSent(true);
            } catch (err) {
              setError(err);
            }
          })}
        >
          <TextField label={t("auth.email")} type="email" required autoComplete="email" {...form.register("email", { required: true })} />
          <FormError error={error} />
          <button type="submit" className="btn w-full" disabled={form.formState.isSubmitting}>
            {t("auth.resetSend")}
          </button>
        </form>
      )}
    </div>
  );
}

/** The token of an emailed link: in the fragment (`#token=`, never sent to a server) or, from
 * older emails, in the query. */
function useLinkToken(): string {
  const { hash, search } = useLocation();
  return new URLSearchParams(hash.replace(/^#/, "")).get("token") ?? new URLSearchParams(search).get("token") ?? "";
}

export function ResetConfirmPage() {
  const { t } = useI18n();
  const token = useLinkToken();
  const [done, setDone] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const form = useForm<{ password: string }>({ defaultValues: { password: "" } });
  return (
    <div className="mx-auto max-w-md card space-y-4">
      <h1 className="text-2xl font-bold">{t("auth.resetTitle")}</h1>
      {done ? (
        <Notice tone="success">
          {t("auth.resetDone")}{" "}
          <Link to="/signin" className="link">
            {t("nav.signIn")}
          </Link>
        </Notice>
      ) : (
        <form
          className="space-y-3"
          onSubmit={form.handleSubmit(async (v) => {
            try {
              await must(api.POST("/api/v1/auth/password-reset/confirm", { body: { token, password: v.password } }));
              setDone(true);
            } catch (err) {
              setError(err);
            }
          })}
        >
          <TextField label={t("auth.newPassword")} type="password" autoComplete="new-password" hint={t("v.password")} {...form.register("password", { minLength: 10 })} />
          <FormError error={error} />
          <button type="submit" className="btn w-full">
            {t("auth.resetSave")}
          </button>
        </form>
      )}
    </div>
  );
}

export function VerifyEmailPage() {
  const { t } = useI18n();
  const token = useLinkToken();
  const verify = useQuery({
    queryKey: ["verify", token],
    queryFn: () => must(api.POST("/api/v1/auth/verify-email", { body: { token } })),
    retry: false,
    staleTime: Infinity,
  });
  return (
    <div className="mx-auto max-w-md card">
      {verify.isPending ? <p>{t("common.loading")}</p> : verify.isError ? <FormError error={verify.error} /> : <Notice tone="success">{t("auth.verified")}</Notice>}
    </div>
  );
}

/** `/invitations/accept?tenant=…#token=…`: join a business as staff, signed in as the invitee. */
export function AcceptInvitationPage() {
  const { t } = useI18n();
  const token = useLinkToken();
  const [params] = useSearchParams();
  const tenant = params.get("tenant") ?? "";
  const { user, ready, reload } = useAuth();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);
  const here = `/invitations/accept?tenant=${encodeURIComponent(tenant)}#token=${token}`;
  if (!ready) return null;
  if (!user)
    return (
      <div className="mx-auto max-w-md card space-y-3">
        <h1 className="text-2xl font-bold">{t("dash.t.invitations")}</h1>
        <p>
          <Link to={`/signin?next=${encodeURIComponent(here)}`} className="link">
            {t("nav.signIn")}
          </Link>{" "}
          ·{" "}
          <Link to={`/register?next=${encodeURIComponent(here)}`} className="link">
            {t("nav.register")}
          </Link>
        </p>
      </div>
    );
  return (
    <div className="mx-auto max-w-md card space-y-3">
      <h1 className="text-2xl font-bold">
        {t("dash.t.invitations")} · {tenant}
      </h1>
      <FormError error={error} />
      <button
        type="button"
        className="btn"
        onClick={async () => {
          try {
            await must(api.POST("/api/v1/tenants/{tenant}/invitations/accept", { params: { path: { tenant } }, body: { token } }));
            await reload();
            navigate(`/dashboard/${tenant}`);
          } catch (err) {
            setError(err);
          }
        }}
      >
        {t("dash.t.accept")}
      </button>
    </div>
  );
}
