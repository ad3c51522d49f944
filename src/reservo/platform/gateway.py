"""Gateway configuration generated from the route table: nginx, Traefik (file provider) or a
Kubernetes Ingress. Never a hand-kept list: `reservo gateway-config --format ...` prints it.

The nginx gateway answers its own errors (502, 504, 429, 404) as RFC 9457 problems, limits each
client address, sets explicit timeouts, writes JSON access logs with the correlation id and
OVERWRITES X-Forwarded-For / X-Real-IP with the address it saw (a client cannot choose its own).
/readyz, /metrics, /openapi.json and /docs go to the gateway companion (`reservo gateway-meta`,
platform/gatewaymeta.py), which probes and merges every upstream.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field

from reservo.platform.http.web import WebSettings
from reservo.platform.routing import RouteOwner, route_table

FORMATS = ("nginx", "traefik", "ingress", "helm")
NOT_FOUND = json.dumps(
    {
        "type": "https://reservo.dev/problems/route-not-found",
        "title": "No service serves this path",
        "status": 404,
        "code": "route_not_found",
    }
)


# Answered by the gateway companion (/web-config.json: the web app's runtime config, platform/http/web.py).
META_PATHS = ("/readyz", "/metrics", "/openapi.json", "/docs", "/web-config.json")


def _problem(status: int, code: str, title: str, detail: str) -> str:
    body = {"type": f"https://reservo.dev/problems/{code.replace('_', '-')}", "title": title}
    return json.dumps({**body, "status": status, "detail": detail, "code": code})


# The gateway's own errors (never an upstream's: those pass through unchanged).
GATEWAY_ERRORS = {
    502: _problem(
        502, "upstream_unavailable", "Service unavailable", "The service for this path did not answer"
    ),
    504: _problem(
        504, "upstream_timeout", "Service timed out", "The service for this path answered too slowly"
    ),
    429: _problem(429, "gateway_rate_limited", "Too many requests", "Too many requests from this address"),
}


@dataclass(frozen=True, slots=True)
class GatewayOptions:
    listen: str = "0.0.0.0:8000"
    upstream: str = "{service}:{port}"  # host:port of a service, from its name and routes.toml port
    overrides: dict[str, str] = field(default_factory=dict)
    run_dir: str | None = None  # nginx run unprivileged: pid, logs and temp files here
    host: str | None = None  # ingress host
    meta: str = "gateway-meta:8090"  # host:port of `reservo gateway-meta`
    rate: str = "20r/s"  # per client address at the gateway (nginx limit_req); "" turns it off
    burst: int = 40
    connect_timeout: str = "5s"
    read_timeout: str = "30s"  # also send; a service slower than this gets the gateway's 504
    access_log: str | None = None  # path of the JSON access log; default <run_dir>/access.log or stdout
    # nginx: folder of the built web app (frontend/dist); every GET outside the API gets its files or,
    # for a client route, its index.html. None: `/` answers the problem+json 404 as before.
    webapp: str | None = None


def path_regex(prefix: str) -> str:
    """`/api/v1/tenants/{tenant}/bookings` -> `^/api/v1/tenants/[^/]+/bookings(/|$)`."""
    # No backslashes (they would need escaping in YAML): `.` becomes `[.]`; segments are [\w.-]+.
    if not re.fullmatch(r"[\w.{}/-]*", prefix):
        raise ValueError(f"route prefix {prefix!r} has characters the gateways cannot take literally")
    parts = [
        "[^/]+" if p.startswith("{") and p.endswith("}") else p.replace(".", "[.]") for p in prefix.split("/")
    ]
    return "^" + "/".join(parts) + "(/|$)"


def _routes() -> tuple[RouteOwner, ...]:
    return route_table()  # longest prefix first: the order regex locations are tried in


def _services() -> dict[str, int]:
    return {o.service: o.port for o in _routes()}


def _address(options: GatewayOptions, service: str, port: int) -> str:
    return options.overrides.get(service) or options.upstream.format(service=service, port=port)


def render(fmt: str, options: GatewayOptions) -> str:
    if fmt == "nginx":
        return nginx(options)
    if fmt == "traefik":
        return traefik(options)
    if fmt == "ingress":
        return ingress(options)
    if fmt == "helm":
        return helm_routes()
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")


ACCESS_LOG_FORMAT = (
    '{"time":"$time_iso8601","service":"gateway","remote_addr":"$remote_addr",'
    '"correlation_id":"$correlation_id","method":"$request_method","uri":"$request_uri",'
    '"status":$status,"bytes":$body_bytes_sent,"request_ms":$request_time,'
    '"upstream":"$upstream_addr","upstream_status":"$upstream_status",'
    '"upstream_ms":"$upstream_response_time","user_agent":"$http_user_agent"}'
)


def _retry_after(rate: str) -> int:
    """Seconds until the next request is allowed at `rate` ("20r/s", "30r/m")."""
    match = re.fullmatch(r"(\d+)r/([sm])", rate)
    if not rate:
        return 1
    if not match or int(match[1]) < 1:
        raise ValueError(f"gateway rate must look like 20r/s or 30r/m, got {rate!r}")
    per_second = int(match[1]) / (60 if match[2] == "m" else 1)
    return max(1, math.ceil(1 / per_second))


def nginx(options: GatewayOptions) -> str:
    run = options.run_dir
    lines = ["# Generated by `reservo gateway-config --format nginx` from routes.toml; do not edit.", ""]
    if run:
        lines += [f"pid {run}/nginx.pid;", f"error_log {run}/error.log warn;"]
    else:
        lines += ["error_log stderr warn;"]
    lines += ["worker_processes 1;", "daemon off;", "events { worker_connections 1024; }", "http {"]
    access_log = options.access_log or (f"{run}/access.log" if run else "/dev/stdout")
    lines += [
        "  server_tokens off;",
        "  client_max_body_size 2m;",
        # Explicit timeouts: a slow client or a stuck service never holds a connection for long.
        "  client_header_timeout 10s;",
        "  client_body_timeout 30s;",
        "  send_timeout 30s;",
        "  keepalive_timeout 65s;",
        f"  proxy_connect_timeout {options.connect_timeout};",
        f"  proxy_send_timeout {options.read_timeout};",
        f"  proxy_read_timeout {options.read_timeout};",
        # The correlation id: the client's X-Correlation-ID when it sent one, nginx's request id otherwise.
        "  map $http_x_correlation_id $correlation_id {",
        '    "~^[A-Za-z0-9._:-]{1,128}$" $http_x_correlation_id;',
        "    default $request_id;",
        "  }",
        f"  log_format reservo_json escape=json '{ACCESS_LOG_FORMAT}';",
        f"  access_log {access_log} reservo_json;",
    ]
    if options.rate:
        lines += [
            f"  limit_req_zone $binary_remote_addr zone=per_client:10m rate={options.rate};",
            "  limit_req_status 429;",
            "  limit_req_log_level warn;",
        ]
    if run:
        lines += [
            f"  {kind}_temp_path {run}/{kind}_temp;"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        ]
    for service, port in {**_services(), "gateway_meta": 0}.items():
        address = options.meta if service == "gateway_meta" else _address(options, service, port)
        lines += [
            f"  upstream svc_{service} {{",
            f"    server {address} max_fails=0;",
            "    keepalive 16;",
            "  }",
        ]
    lines += [
        "  server {",
        f"    listen {options.listen};",
        "    proxy_http_version 1.1;",
        '    proxy_set_header Connection "";',
        "    proxy_set_header Host $http_host;",
        # Overwritten, never appended: whatever X-Forwarded-For a client sends is dropped here.
        "    proxy_set_header X-Real-IP $remote_addr;",
        "    proxy_set_header X-Forwarded-For $remote_addr;",
        "    proxy_set_header X-Forwarded-Proto $scheme;",
        "    proxy_set_header X-Correlation-ID $correlation_id;",
        # One X-Correlation-ID on every answer, the gateway's (the service echoes the same value).
        "    proxy_hide_header X-Correlation-ID;",
        "    add_header X-Correlation-ID $correlation_id always;",
    ]
    limit = f"limit_req zone=per_client burst={options.burst} nodelay; " if options.rate else ""
    for status in GATEWAY_ERRORS:
        lines.append(f"    error_page {status} = @problem_{status};")
    lines.append(
        "    # The gateway's own liveness; /readyz (the companion) says whether the services are ready."
    )
    lines.append('    location = /healthz { default_type application/json; return 200 \'{"status":"ok"}\'; }')
    for path in META_PATHS:  # probes are never rate limited
        own_limit = "" if path in ("/readyz", "/metrics") else limit
        lines.append(  # the companion's probes time out at 3 s: it always answers before this
            f"    location = {path} {{ {own_limit}proxy_read_timeout 10s;"
            " proxy_pass http://svc_gateway_meta; }"
        )
    for route in _routes():
        lines.append(
            f'    location ~ "{path_regex(route.prefix)}" {{ {limit}proxy_pass http://svc_{route.service}; }}'
        )
    for status, body in GATEWAY_ERRORS.items():
        extra = f" add_header Retry-After {_retry_after(options.rate)} always;" if status == 429 else ""
        lines.append(
            f"    location @problem_{status} {{ default_type application/problem+json;{extra}"
            f" add_header X-Correlation-ID $correlation_id always; return {status} '{body}'; }}"
        )
    not_found = f"{limit}default_type application/problem+json; return 404 '{NOT_FOUND}';"
    if options.webapp:
        lines += _webapp(options.webapp, limit, not_found)
    else:
        lines.append(f"    location / {{ {not_found} }}")
    lines += ["  }", "}", ""]
    return "\n".join(lines)


def _webapp(root: str, limit: str, not_found: str) -> list[str]:
    """The single-page app, as platform/http/web.py serves it in the all-in-one process: hashed assets
    cached for good (a stale name is a 404, never HTML in place of a script), other files as they are,
    any other path the app's index.html (a client route survives a reload). Unknown API and
    well-known paths stay problem+json 404s (the route regexes above win over these prefixes)."""
    if not re.fullmatch(r"/[\w./-]*", root):
        raise ValueError(f"web app folder {root!r} must be an absolute path of plain characters")
    correlation = "add_header X-Correlation-ID $correlation_id always;"  # add_header here drops the server's
    # The page's CSP as the all-in-one app sends it, from RESERVO_WEB_* when the config is generated.
    csp = f'add_header Content-Security-Policy "{WebSettings().page_csp()}" always;'
    return [
        f"    location /api/ {{ {not_found} }}",
        f"    location /.well-known/ {{ {not_found} }}",
        f"    location /assets/ {{ {limit}root {root}; try_files $uri =404;"
        f' add_header Cache-Control "public, max-age=31536000, immutable" always; {correlation} }}',
        f"    location / {{ {limit}root {root}; try_files $uri /index.html;"
        f' add_header Cache-Control "no-cache" always; {csp} {correlation} }}',
    ]


def _priority(route: RouteOwner) -> int:
    return 100 * len(route.prefix.split("/")) + len(route.prefix)


def traefik(options: GatewayOptions) -> str:
    """Dynamic configuration for Traefik v3's file provider (YAML), with what the nginx gateway does:
    the companion's paths (/healthz, /readyz, /metrics, /openapi.json, /docs), a rate limit per client
    address, the request body limit, explicit timeouts, problem+json for the gateway's 502/504 and for
    paths no service owns. Access logs (JSON) and forwarded-header trust are Traefik's static
    configuration (docs/decisions.md D-gaps-7)."""
    lines = [
        "# Generated by `reservo gateway-config --format traefik` from routes.toml; do not edit.",
        "http:",
    ]
    limited = ["gateway-limit"] if options.rate else []
    proxied = [*limited, "gateway-body", "gateway-errors"]
    lines.append("  routers:")
    meta_rule = " || ".join(f"Path(`{p}`)" for p in ("/healthz", *META_PATHS))
    lines += [
        "    gateway-meta:",
        f'      rule: "{meta_rule}"',
        "      priority: 100000",  # above every service route, like nginx's exact locations
        "      service: gateway-meta",
        "    gateway-not-found:",  # what no service owns: the web app, or the problem+json 404
        '      rule: "PathPrefix(`/`)"',
        "      priority: 1",
        "      service: gateway-meta",
        f"      middlewares: [{', '.join(limited)}]",
    ]
    for i, route in enumerate(_routes()):
        lines += [
            f"    {route.service}-{i}:",
            f'      rule: "PathRegexp(`{path_regex(route.prefix)}`)"',
            f"      priority: {_priority(route)}",
            f"      service: {route.service}",
            f"      middlewares: [{', '.join(proxied)}]",
        ]
    lines.append("  middlewares:")
    if options.rate:
        average, period = _traefik_rate(options.rate)
        lines += [
            "    gateway-limit:",
            "      rateLimit:",
            f"        average: {average}",
            f"        period: {period}",
            f"        burst: {options.burst}",
            "        sourceCriterion: { ipStrategy: { depth: 0 } }",  # the connecting address, never a header
        ]
    lines += [
        "    gateway-body:",
        "      buffering: { maxRequestBodyBytes: 2097152 }",  # nginx client_max_body_size 2m
        "    gateway-errors:",
        "      errors:",
        f"        status: [{', '.join(repr(str(s)) for s in GATEWAY_ERRORS if s != 429)}]",
        "        service: gateway-meta",
        '        query: "/problems/{status}"',
    ]
    lines.append("  services:")
    lines += [
        "    gateway-meta:",
        "      loadBalancer:",
        "        servers:",
        f'          - url: "http://{options.meta}"',
    ]
    for service, port in _services().items():
        lines += [
            f"    {service}:",
            "      loadBalancer:",
            "        serversTransport: gateway-transport",
            "        healthCheck: { path: /healthz, interval: 10s }",
            "        servers:",
            f'          - url: "http://{_address(options, service, port)}"',
        ]
    lines += [
        "  serversTransports:",
        "    gateway-transport:",
        "      forwardingTimeouts:",
        f"        dialTimeout: {options.connect_timeout}",
        f"        responseHeaderTimeout: {options.read_timeout}",
        "        idleConnTimeout: 65s",
    ]
    return "\n".join(lines) + "\n"


def _traefik_rate(rate: str) -> tuple[int, str]:
    """nginx's "20r/s" / "30r/m" as Traefik's average and period."""
    _retry_after(rate)  # validates
    match = re.fullmatch(r"(\d+)r/([sm])", rate)
    assert match is not None
    return int(match[1]), "1s" if match[2] == "s" else "1m"


def helm_routes() -> str:
    """The route table as the Helm chart reads it (`files/routes.yaml`): services and their paths."""
    lines = [
        "# Generated by `reservo gateway-config --format helm` from routes.toml; do not edit.",
        "services:",
    ]
    lines += [f"  {service}: {port}" for service, port in _services().items()]
    lines.append("routes:")
    for route in _routes():
        lines += [
            f"  - path: {json.dumps(path_regex(route.prefix))}",
            f"    service: {route.service}",
            f"    port: {route.port}",
        ]
    return "\n".join(lines) + "\n"


def ingress(options: GatewayOptions) -> str:
    """A Kubernetes Ingress for ingress-nginx (regex paths; longest first, as the controller sorts): the
    companion's paths, every service route, and the companion as the catch-all (the web app)."""
    lines = [
        "# Generated by `reservo gateway-config --format ingress` from routes.toml; do not edit.",
        "apiVersion: networking.k8s.io/v1",
        "kind: Ingress",
        "metadata:",
        "  name: reservo",
        "  annotations:",
        '    nginx.ingress.kubernetes.io/use-regex: "true"',
        "spec:",
        "  ingressClassName: nginx",
        "  rules:",
        f"    - host: {json.dumps(options.host)}" if options.host else "    -",
        "      http:",
        "        paths:",
    ]
    meta_host, _, meta_port = options.meta.rpartition(":")
    meta = f"              service: {{ name: {meta_host}, port: {{ number: {meta_port} }} }}"
    paths = [(f"^{p}$", meta) for p in META_PATHS]
    for route in _routes():
        paths.append(
            (
                path_regex(route.prefix),
                f"              service: {{ name: {route.service}, port: {{ number: {route.port} }} }}",
            )
        )
    # Everything else (the web app, the problem+json 404 of unknown API paths): the gateway
    # companion, tried last as the shortest path.
    paths.append(("^/", meta))
    for path, backend in paths:
        lines += [
            f"          - path: {json.dumps(path)}",
            "            pathType: ImplementationSpecific",
            "            backend:",
            backend,
        ]
    return "\n".join(lines) + "\n"
