"""Full-text match conditions: SQLite FTS5 or a PostgreSQL tsvector column, behind one call.

A service's migration creates the index (an FTS5 table `<table>_fts` whose `<key>` column is the row's
key, or a tsvector column); this module turns a user's words into a safe prefix query for it.
"""

from __future__ import annotations

import re

from sqlalchemy import TextClause, bindparam, text
from sqlalchemy.ext.asyncio import AsyncSession

MAX_WORDS = 8
_WORD = re.compile(r"[^\W_]+")


def query_words(query: str) -> list[str]:
    """The words of a free-text query (punctuation and operators dropped), at most MAX_WORDS."""
    return [w[:64].lower() for w in _WORD.findall(query)][:MAX_WORDS]


def matches(
    session: AsyncSession,
    query: str,
    *,
    table: str,
    fts_key: str,
    key: str = "id",
    tsvector: str = "search",
    config: str = "english",
) -> TextClause:
    """Rows of `table` containing every word of `query`, each word also as a prefix ("hair" finds
    "haircut") and stemmed ("nights" finds "night")."""
    words = query_words(query)
    if not words:
        return text("1 = 1")
    if session.get_bind().dialect.name == "postgresql":
        expression = " & ".join(f"{w}:*" for w in words)
        return text(f"{table}.{tsvector} @@ to_tsquery('{config}', :fts_query)").bindparams(
            bindparam("fts_query", expression)
        )
    expression = " ".join(f'"{w}"*' for w in words)
    return text(
        f"{table}.{key} IN (SELECT {fts_key} FROM {table}_fts WHERE {table}_fts MATCH :fts_query)"
    ).bindparams(bindparam("fts_query", expression))
