"""Secrets from HashiCorp Vault (KV v2), put into the environment before any settings are read.

Set RESERVO_VAULT_ADDR and the process reads one KV v2 secret (RESERVO_VAULT_MOUNT, default
`secret`; RESERVO_VAULT_PATH, default `reservo`) whose keys are the environment variables it
stands for, e.g. `RESERVO_SECRET_KEY` or `RESERVO_PAYMENT_ENCRYPTION_KEY`. Every settings class
then reads them as if they had been exported, so no service needs to know where a secret came
from. A variable already set in the environment wins (an operator's override stays possible).

Authentication: a token (RESERVO_VAULT_TOKEN, or a file named by RESERVO_VAULT_TOKEN_FILE) or,
inside Kubernetes, the pod's service-account token with RESERVO_VAULT_K8S_ROLE. Anything wrong
(unreachable, denied, missing secret, a key that is not a RESERVO_ variable) stops the start
with a message naming the variable to fix; values are never printed or logged, only key names.
"""

from __future__ import annotations

import re
from collections.abc import MutableMapping
from pathlib import Path

import hvac
import requests
from hvac import exceptions as vault_errors

K8S_TOKEN = Path("/var/run/secrets/kubernetes.io/serviceaccount/token")
_NAME = re.compile(r"RESERVO_[A-Z0-9_]+")


class VaultError(RuntimeError):
    """Secrets were asked for from Vault and could not be read; the message names what to fix."""


def _client(env: MutableMapping[str, str]) -> hvac.Client:
    addr = env["RESERVO_VAULT_ADDR"]
    timeout = int(env.get("RESERVO_VAULT_TIMEOUT_SECONDS", "10"))
    verify: bool | str = env.get("RESERVO_VAULT_CA_CERT") or True
    client = hvac.Client(url=addr, timeout=timeout, verify=verify)
    token = env.get("RESERVO_VAULT_TOKEN")
    if not token and (token_file := env.get("RESERVO_VAULT_TOKEN_FILE")):
        token = Path(token_file).read_text().strip()
    if token:
        client.token = token
        return client
    role = env.get("RESERVO_VAULT_K8S_ROLE")
    if role:
        jwt = Path(env.get("RESERVO_VAULT_K8S_TOKEN_PATH", str(K8S_TOKEN))).read_text().strip()
        mount = env.get("RESERVO_VAULT_K8S_MOUNT", "kubernetes")
        client.auth.kubernetes.login(role=role, jwt=jwt, mount_point=mount)
        return client
    raise VaultError(
        "RESERVO_VAULT_ADDR is set but no way to log in: set RESERVO_VAULT_TOKEN, "
        "RESERVO_VAULT_TOKEN_FILE or (in Kubernetes) RESERVO_VAULT_K8S_ROLE"
    )


def load_vault_secrets(env: MutableMapping[str, str]) -> list[str]:
    """Copy the configured Vault secret's RESERVO_* keys into `env`; return the names it set."""
    if not env.get("RESERVO_VAULT_ADDR"):
        return []
    mount = env.get("RESERVO_VAULT_MOUNT", "secret")
    path = env.get("RESERVO_VAULT_PATH", "reservo")
    where = f"{mount}/{path} at {env['RESERVO_VAULT_ADDR']}"
    try:
        client = _client(env)
        answer = client.secrets.kv.v2.read_secret_version(
            path=path, mount_point=mount, raise_on_deleted_version=True
        )
    except vault_errors.Forbidden as exc:
        raise VaultError(f"Vault refused to read {where}: check the token or role's policy") from exc
    except vault_errors.InvalidPath as exc:
        raise VaultError(
            f"no secret at {where}: write it, or point RESERVO_VAULT_MOUNT/RESERVO_VAULT_PATH at it"
        ) from exc
    except (vault_errors.VaultError, requests.RequestException, OSError) as exc:
        raise VaultError(f"cannot read {where} ({type(exc).__name__}): check RESERVO_VAULT_ADDR") from exc
    data = answer["data"]["data"]
    bad = sorted(key for key in data if not _NAME.fullmatch(key))
    if bad:
        raise VaultError(
            f"keys of {where} must be environment variable names like RESERVO_SECRET_KEY; "
            f"not: {', '.join(bad)}"
        )
    loaded = []
    for key, value in sorted(data.items()):
        if key not in env:
            env[key] = str(value)
            loaded.append(key)
    return loaded
