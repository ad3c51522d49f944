"""The `reservo` command: serve, worker, gateway-config, migrate, seed, dead letters."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import uuid
from collections.abc import AsyncIterator, Coroutine, Sequence
from contextlib import asynccontextmanager
from typing import Annotated, Any

import typer
import uvicorn
from fastapi import FastAPI
from sqlalchemy.engine import make_url

from reservo.platform.config import Settings
from reservo.platform.db.migrate import autogenerate, upgrade
from reservo.platform.service import ServiceSpec
from reservo.services import NAMES, UnknownService, pick

cli = typer.Typer(help="Reservo booking platform.", no_args_is_help=True, add_completion=False)
dlq = typer.Typer(help="Dead letters: events a consumer could not handle.", no_args_is_help=True)
cli.add_typer(dlq, name="dlq")
admin = typer.Typer(
    help="Platform administrators (only ever created here, never over HTTP).", no_args_is_help=True
)
cli.add_typer(admin, name="admin")
keys = typer.Typer(help="Signing keys of access tokens (RESERVO_JWT_KEYS_DIR).", no_args_is_help=True)
cli.add_typer(keys, name="keys")

Services = Annotated[
    list[str] | None, typer.Argument(help=f"Services (default: all). One of: {', '.join(NAMES)}")
]


@cli.callback()
def _secrets_from_vault() -> None:
    """Before any command reads its settings: secrets from Vault when RESERVO_VAULT_ADDR is set."""
    from reservo.platform.vault import VaultError, load_vault_secrets

    try:
        loaded = load_vault_secrets(os.environ)
    except VaultError as exc:
        typer.echo(f"reservo: {exc}", err=True)
        raise typer.Exit(2) from exc
    if loaded:
        typer.echo(f"reservo: {len(loaded)} secret(s) from Vault: {', '.join(loaded)}", err=True)


def _specs(services: list[str] | None) -> tuple:  # type: ignore[type-arg]
    try:
        return pick(services or [])
    except UnknownService as exc:
        raise typer.BadParameter(str(exc)) from exc


@cli.command()
def serve(
    services: Services = None,
    host: Annotated[str, typer.Option(help="Interface to bind")] = "127.0.0.1",
    port: Annotated[int | None, typer.Option(help="Port (default 8000, or the service's own port)")] = None,
    processes: Annotated[
        int | None,
        typer.Option(
            "--processes",
            envvar="RESERVO_SERVE_PROCESSES",
            min=1,
            help="API processes (default: one per CPU on PostgreSQL with Redis, else 1)",
        ),
    ] = None,
) -> None:
    """Serve the HTTP API: all services in one process, or the named ones.

    All-in-one on PostgreSQL with Redis (shared idempotency keys, rate limits, revocations, caches):
    one API process per CPU and one more for the relays, consumers and jobs, which commits wake
    through NOTIFY. SQLite keeps one process (one writer); the distributed shape one per replica."""
    from reservo.app import create_app

    specs = _specs(services)
    settings = Settings()
    chosen = port or (specs[0].port if len(specs) == 1 else 8000)
    count = processes if processes is not None else default_api_processes(specs, settings)
    if count > 1:
        _serve_processes(specs, settings, host, chosen, count)
        return
    app = _settled(create_app(specs, settings))
    typer.echo(
        f"reservo: serving {', '.join(s.name for s in specs)} on http://{host}:{chosen} (docs at /docs)",
        err=True,
    )
    # proxy_headers off: uvicorn would trust X-Forwarded-For from loopback by default. The app decides
    # whom to believe (RESERVO_TRUSTED_PROXIES, platform/http/browser.py).
    uvicorn.run(app, host=host, port=chosen, log_level="warning", access_log=False, proxy_headers=False)


_SERVE_SERVICES = "RESERVO_SERVE_SERVICES"  # the services of `serve`, for its API processes


def _why_one_process(specs: Sequence[ServiceSpec], settings: Settings) -> str | None:
    """Why the API must stay in one process, if it must: SQLite has one writer, and without Redis the
    idempotency keys, rate limits, revocations and caches live in one process's memory."""
    backends = {make_url(settings.database_url_for(s.name)).get_backend_name() for s in specs}
    if backends != {"postgresql"}:
        return "SQLite has one writer: serve it from one process"
    if not settings.redis_url:
        return (
            "several API processes share idempotency keys, rate limits, revocations and caches "
            "through Redis: set RESERVO_REDIS_URL"
        )
    return None


def default_api_processes(specs: Sequence[ServiceSpec], settings: Settings) -> int:
    """The all-in-one shape (in-process bus) on PostgreSQL with Redis: one API process per CPU. Else 1:
    SQLite has one writer, and the distributed shape scales by replicas (one process per container)."""
    if not settings.embedded or _why_one_process(specs, settings):
        return 1
    return os.cpu_count() or 1


def api_app() -> FastAPI:
    """The app of one API process of a multi-process `serve` (uvicorn imports it by name)."""
    from reservo.app import create_app

    return _settled(create_app(_specs(os.environ[_SERVE_SERVICES].split(",")), Settings(), workers=False))


def _settled(app: FastAPI) -> FastAPI:
    """Once the app started, what start-up made is moved out of the collector's sight and young
    collections run less often, as in the relays' process (D15-56, D15-70). Only `serve` does this:
    a test builds many apps in one process and must not freeze each one's garbage."""
    from reservo.platform.worker import settle_heap

    startup = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(started: Any) -> AsyncIterator[Any]:
        async with startup(started) as state:
            settle_heap()
            yield state

    app.router.lifespan_context = lifespan
    return app


def _run_forever(main: Coroutine[Any, Any, None]) -> None:
    """A long-running loop (relays, consumers, jobs) on uvloop, as uvicorn runs the API processes:
    the same work costs less CPU than on asyncio's selector loop (D15-41)."""
    try:
        import uvloop
    except ImportError:  # uvloop has no Windows build; asyncio's loop does the same work
        asyncio.run(main)
    else:
        uvloop.run(main)


def _relay_process(names: list[str]) -> None:
    from reservo.platform.worker import run_worker

    _run_forever(run_worker(_specs(names), Settings()))


def _serve_processes(
    specs: Sequence[ServiceSpec], settings: Settings, host: str, port: int, count: int
) -> None:
    if (reason := _why_one_process(specs, settings)) is not None:
        raise typer.BadParameter(reason)
    if not settings.jwks_url:  # make the first signing key once, not in N processes at the same time
        from reservo.platform.auth.keys import KeyStore
        from reservo.platform.runtime import key_retirement

        KeyStore(settings.keys_dir, retire_after=key_retirement(settings)).ensure(
            create=settings.embedded or settings.environment != "production"
        )
    names = [s.name for s in specs]
    os.environ[_SERVE_SERVICES] = ",".join(names)
    relays = None
    if settings.embedded:  # relays, consumers and jobs in a process of their own, off the API loops
        relays = multiprocessing.get_context("spawn").Process(
            target=_relay_process, args=(names,), name="reservo-relays"
        )
        relays.start()
    typer.echo(
        f"reservo: serving {', '.join(names)} on http://{host}:{port} (docs at /docs) with {count} API "
        f"processes{' and one for relays, consumers and jobs' if relays else ''}",
        err=True,
    )
    try:
        uvicorn.run(
            "reservo.cli:api_app",
            factory=True,
            workers=count,
            host=host,
            port=port,
            log_level="warning",
            access_log=False,
            proxy_headers=False,
            # A process answers the supervisor's ping only once it imported everything: on a busy
            # machine that takes longer than uvicorn's 5 s, which would kill and restart it forever.
            timeout_worker_healthcheck=60,
        )
    finally:
        if relays is not None:
            relays.terminate()  # SIGTERM: run_worker finishes the batch in hand
            relays.join(timeout=30)


@cli.command()
def worker(
    services: Annotated[
        list[str], typer.Argument(help=f"Services whose workers run. One of: {', '.join(NAMES)}")
    ],
    health_port: Annotated[
        int | None,
        typer.Option(envvar="RESERVO_HEALTH_PORT", help="Answer /healthz, /readyz and /metrics on this port"),
    ] = None,
    health_host: Annotated[
        str,
        typer.Option(
            envvar="RESERVO_HEALTH_HOST", help="Interface of the health port (0.0.0.0 in containers)"
        ),
    ] = "127.0.0.1",
) -> None:
    """Run the relays, event consumers and periodic jobs of the named services (no API)."""
    from reservo.platform.worker import run_worker

    specs = _specs(services)
    typer.echo(f"reservo: worker for {', '.join(s.name for s in specs)} (bus: {Settings().bus})", err=True)
    _run_forever(run_worker(specs, Settings(), health_port=health_port, health_host=health_host))


@cli.command("gateway-meta")
def gateway_meta(
    service_upstream: Annotated[
        list[str], typer.Option("--service-upstream", help="A service and where it answers: name=host:port")
    ],
    host: Annotated[str, typer.Option(help="Interface to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8090,
) -> None:
    """The gateway companion: /readyz over every upstream, merged /openapi.json and /docs."""
    from reservo.platform.gatewaymeta import create_meta_app

    upstreams = dict(item.split("=", 1) for item in service_upstream)
    typer.echo(
        f"reservo: gateway companion for {len(upstreams)} service(s) on http://{host}:{port}", err=True
    )
    uvicorn.run(create_meta_app(upstreams), host=host, port=port, log_level="warning", access_log=False)


@cli.command("gateway-config")
def gateway_config(
    format_: Annotated[str, typer.Option("--format", help="nginx | traefik | ingress | helm")] = "nginx",
    listen: Annotated[str, typer.Option(help="nginx: address:port the gateway listens on")] = "0.0.0.0:8000",
    upstream: Annotated[
        str,
        typer.Option(help="Where a service answers; {service} and {port} are filled in from routes.toml"),
    ] = "{service}:{port}",
    service_upstream: Annotated[
        list[str] | None,
        typer.Option("--service-upstream", help="Override one service: name=host:port (repeatable)"),
    ] = None,
    run_dir: Annotated[
        str | None, typer.Option(help="nginx: pid, logs and temp files here (to run unprivileged)")
    ] = None,
    ingress_host: Annotated[str | None, typer.Option(help="ingress: the public host name")] = None,
    meta: Annotated[
        str, typer.Option(help="nginx: host:port of `reservo gateway-meta` (/readyz, /openapi.json, /docs)")
    ] = "gateway-meta:8090",
    rate: Annotated[
        str, typer.Option(help="nginx: requests per client address, e.g. 20r/s; '' = off")
    ] = "20r/s",
    burst: Annotated[int, typer.Option(help="nginx: requests over the rate allowed in a burst")] = 40,
    read_timeout: Annotated[str, typer.Option(help="nginx: longest wait for a service (then 504)")] = "30s",
    access_log: Annotated[str | None, typer.Option(help="nginx: JSON access log path")] = None,
    webapp: Annotated[
        str | None, typer.Option(help="nginx: folder of the built web app (frontend/dist) served at /")
    ] = None,
) -> None:
    """Print the gateway configuration generated from the route table (src/reservo/routes.toml)."""
    from reservo.platform.gateway import GatewayOptions, render

    overrides = dict(item.split("=", 1) for item in service_upstream or [])
    try:
        text = render(
            format_,
            GatewayOptions(
                listen=listen,
                upstream=upstream,
                overrides=overrides,
                run_dir=run_dir,
                host=ingress_host,
                meta=meta,
                rate=rate,
                burst=burst,
                read_timeout=read_timeout,
                access_log=access_log,
                webapp=webapp,
            ),
        )
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    typer.echo(text, nl=False)


@cli.command()
def migrate(services: Services = None) -> None:
    """Apply every service's migrations to its own database."""
    settings = Settings()

    async def run() -> None:
        for spec in _specs(services):
            typer.echo(f"migrate: {spec.name} ...", err=True, nl=False)
            await upgrade(spec, settings.database_url_for(spec.name))
            typer.echo(" ok", err=True)

    asyncio.run(run())


@cli.command()
def makemigrations(
    service: Annotated[str, typer.Argument(help="Service whose models changed")],
    message: Annotated[str, typer.Option("-m", "--message", help="What the migration does")],
) -> None:
    """(Development) generate a migration from the difference between models and the database."""
    (spec,) = _specs([service])
    settings = Settings()

    async def run() -> None:
        url = settings.database_url_for(spec.name)
        await upgrade(spec, url)
        await autogenerate(spec, url, message)

    asyncio.run(run())


@cli.command()
def seed() -> None:
    """Create the demo tenant and its offerings; running it again changes nothing."""
    from reservo.seed import seed_demo

    asyncio.run(seed_demo(Settings(), echo=lambda line: typer.echo(line, err=True)))


@dlq.command("list")
def dlq_list(services: Services = None) -> None:
    """List dead letters that were not replayed yet."""
    from reservo.platform.events.dlq import list_dead_letters

    rows = asyncio.run(list_dead_letters(Settings(), _specs(services)))
    if not rows:
        typer.echo("no dead letters")
    for row in rows:
        typer.echo(
            f"{row['service']}\t{row['id']}\t{row['type']}\tattempts={row['attempts']}\t{row['error'][:120]}"
        )


@dlq.command("replay")
def dlq_replay(
    service: Annotated[str, typer.Argument(help="Service whose consumer dead-lettered the event")],
    dead_letter_id: Annotated[str | None, typer.Argument(help="Dead letter id (omit with --all)")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Replay every dead letter of the service")] = False,
) -> None:
    """Handle dead-lettered events again (after fixing the cause); each applies at most once."""
    from reservo.platform.events.dlq import replay_dead_letters

    if dead_letter_id is None and not all_:
        raise typer.BadParameter("give a dead letter id or --all")
    (spec,) = _specs([service])
    ids = None if all_ else [uuid.UUID(dead_letter_id or "")]
    results = asyncio.run(replay_dead_letters(Settings(), spec, ids))
    for dl_id, outcome in results:
        typer.echo(f"{dl_id}\t{outcome}")
    if any(outcome == "failed" for _, outcome in results):
        raise typer.Exit(1)


@admin.command("create")
def admin_create(
    email: Annotated[str, typer.Option(help="Email address (the sign-in name)")],
    name: Annotated[str, typer.Option(help="Display name")],
    password: Annotated[
        str,
        typer.Option(prompt=True, hide_input=True, confirmation_prompt=True, help="At least 10 characters"),
    ],
) -> None:
    """Create a platform admin (email verified), or promote an existing account (password unchanged)."""
    from pydantic import TypeAdapter, ValidationError

    from reservo.platform.http.problems import Problem
    from reservo.seed import cli_runtime
    from reservo.services.user.schemas import Email
    from reservo.services.user.service.accounts import ensure_account

    try:
        address = TypeAdapter(Email).validate_python(email)
    except ValidationError as exc:
        raise typer.BadParameter(f"not a valid email address: {email}") from exc

    async def run() -> tuple[str, bool]:
        runtime = cli_runtime(Settings(), ["user"])
        async with runtime.running(workers=False):
            user, created = await ensure_account(
                runtime.contexts["user"], address, password, name, admin=True
            )
            return str(user.id), created

    try:
        user_id, created = asyncio.run(run())
    except Problem as exc:
        raise typer.BadParameter(exc.detail) from exc
    verb = "created" if created else "promoted existing account (password unchanged)"
    typer.echo(f"admin: {verb}: {address} ({user_id})")


@keys.command("rotate")
def keys_rotate() -> None:
    """Make a new signing key; older keys verify until their tokens expired, then are deleted."""
    from reservo.platform.auth.keys import KeyStore
    from reservo.platform.runtime import key_retirement

    settings = Settings()
    store = KeyStore(settings.keys_dir, retire_after=key_retirement(settings))
    new = store.rotate()
    kids = [k.kid for k in store.verifying_keys()]
    typer.echo(f"keys: {new.kid} signs from now on; verifying: {', '.join(kids)}")


@cli.command("export-contracts")
def export_contracts(
    root: Annotated[str, typer.Option(help="Repository root")] = ".",
) -> None:
    """Write events/schemas/*.json and api-specs/<service>.json from the code (CI checks for drift)."""
    from pathlib import Path

    from reservo.contracts.export import event_schemas, write
    from reservo.openapi import service_specs

    written = write(Path(root) / "events" / "schemas", event_schemas())
    written += write(Path(root) / "api-specs", service_specs())
    typer.echo(f"export: {len(written)} file(s) changed", err=True)


@cli.command()
def generate(
    root: Annotated[str, typer.Option(help="Repository root")] = ".",
    check: Annotated[bool, typer.Option("--check", help="Write nothing; fail naming stale files")] = False,
    contracts: Annotated[
        bool, typer.Option(help="Also event schemas and api-specs (slower: builds each service's app)")
    ] = True,
) -> None:
    """Write every artefact derived from the service registry (services/__init__.py, routes.toml):
    compose, init.sql, gateway configs, Helm routes, Prometheus targets, import-linter list, topics.md,
    event schemas, api-specs."""
    from pathlib import Path

    from reservo.generate import CONTRACT_FOLDERS, MissingMarker, RegistryMismatch, artefacts, stale, write
    from reservo.generate import contracts as build_contracts

    base = Path(root)
    try:
        expected = artefacts(base)
    except (RegistryMismatch, MissingMarker) as exc:
        typer.echo(f"generate: {exc}", err=True)
        raise typer.Exit(2) from exc
    folders: tuple[str, ...] = ()
    if contracts:
        expected |= build_contracts()
        folders = CONTRACT_FOLDERS
    if check:
        if names := stale(base, expected, folders):
            typer.echo("stale (run `reservo generate`):\n  " + "\n  ".join(names), err=True)
            raise typer.Exit(1)
        typer.echo(f"generate: {len(expected)} file(s) current", err=True)
        return
    changed = write(base, expected, folders)
    typer.echo(f"generate: {len(changed)} file(s) changed" + "".join(f"\n  {c}" for c in changed), err=True)


def main() -> None:
    """Run the command; a setting that is wrong or missing stops it with the variable's name, exit 2."""
    from pydantic import ValidationError

    from reservo.platform.service_settings import SettingsError

    try:
        cli()
    except (SettingsError, ValidationError) as exc:
        typer.echo(f"reservo: configuration error: {exc}", err=True)
        raise SystemExit(2) from None
