"""Who is calling, and what every endpoint requires of them."""
