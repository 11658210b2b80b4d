"""Alembic environment of the claim ledger.

Run by ``reportedly.ledger.store.migrate(engine)`` whenever a ledger is opened (the connection comes
in through ``config.attributes["connection"]``); with no connection given, the URL comes from
``-x url=...`` or the ``sqlalchemy.url`` option. The version table is ``reportedly_ledger_version``,
so the ledger can share a database with other applications' Alembic histories.
"""
from alembic import context
from sqlalchemy import create_engine

VERSION_TABLE = "reportedly_ledger_version"

config = context.config


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=None, version_table=VERSION_TABLE)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    engine = create_engine(url)
    with engine.connect() as conn:
        _run(conn)
        conn.commit()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), version_table=VERSION_TABLE, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
