"""Social sign-in: Google (OpenID Connect) and Sign in with Apple, through one OIDC adapter."""
