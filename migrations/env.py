import logging
from contextlib import contextmanager
from logging.config import fileConfig

from alembic import context
import sqlalchemy as sa
from flask import current_app

# this is the Alembic Config object, which provides
# access to the values within the .ini file in use.
config = context.config

# Interpret the config file for Python logging.
# This line sets up loggers basically.
fileConfig(config.config_file_name)
logger = logging.getLogger('alembic.env')


def get_engine():
    return current_app.extensions['migrate'].db.engine


def get_engine_url():
    try:
        return get_engine().url.render_as_string(hide_password=False).replace(
            '%', '%%')
    except AttributeError:
        return str(get_engine().url).replace('%', '%%')


# add your model's MetaData object here
# for 'autogenerate' support
# from myapp import mymodel
# target_metadata = mymodel.Base.metadata
config.set_main_option('sqlalchemy.url', get_engine_url())
target_db = current_app.extensions['migrate'].db

# other values from the config, defined by the needs of env.py,
# can be acquired:
# my_important_option = config.get_main_option("my_important_option")
# ... etc.


def get_metadata():
    if hasattr(target_db, 'metadatas'):
        return target_db.metadatas[None]
    return target_db.metadata


def render_item(type_, obj, autogen_context):
    """Write our column types as plain SQLAlchemy types, so migrations never import app code."""
    if type_ == "type":
        name = type(obj).__name__
        if name == "UTCDateTime":
            return "sa.DateTime(timezone=True)"
        if name == "TranslatedText":
            autogen_context.imports.add("from sqlalchemy.dialects import postgresql")
            return "sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')"
    return False


def run_migrations_offline():
    """Run migrations in 'offline' mode.

    This configures the context with just a URL
    and not an Engine, though an Engine is acceptable
    here as well.  By skipping the Engine creation
    we don't even need a DBAPI to be available.

    Calls to context.execute() here emit the given string to the
    script output.

    """
    url = config.get_main_option("sqlalchemy.url")
    context.configure(
        url=url, target_metadata=get_metadata(), literal_binds=True,
        render_item=render_item,
    )

    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    """Run migrations in 'online' mode.

    In this scenario we need to create an Engine
    and associate a connection with the context.

    """

    # this callback is used to prevent an auto-migration from being generated
    # when there are no changes to the schema
    # reference: http://alembic.zzzcomputing.com/en/latest/cookbook.html
    def process_revision_directives(context, revision, directives):
        if getattr(config.cmd_opts, 'autogenerate', False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info('No changes in schema detected.')

    conf_args = current_app.extensions['migrate'].configure_args
    if conf_args.get("process_revision_directives") is None:
        conf_args["process_revision_directives"] = process_revision_directives

    connectable = get_engine()

    with connectable.connect() as connection, _sqlite_foreign_keys_off(connection) as callbacks:
        context.configure(
            connection=connection,
            target_metadata=get_metadata(),
            render_item=render_item,
            on_version_apply=[*callbacks, _unwritten_messages_guard(connection)],
            **conf_args
        )

        with context.begin_transaction():
            context.run_migrations()


@contextmanager
def _sqlite_foreign_keys_off(connection):
    """On SQLite, foreign keys off for the migrations, and each migration checked (the callbacks).

    SQLite changes a table by copying it, dropping the old one and renaming the copy (batch mode).
    With foreign keys on, as the app's connect hook sets them (forum_app/core/database.py), dropping the
    old table deletes every row that refers to it (ON DELETE CASCADE); so migrations run with them
    off, as Alembic's documentation advises, and each must leave every reference whole. PostgreSQL
    alters tables in place and checks references itself.
    """
    if connection.dialect.name != "sqlite":
        yield []
        return
    _sqlite_foreign_keys(connection, on=False)
    try:
        broken = _broken_references(connection)
        connection.rollback()  # Alembic commits only a transaction it began itself
        if broken:  # else the first migration would be blamed for them
            raise RuntimeError(f"Nothing was migrated: the database already has broken references ({broken}). "
                               "Repair or remove those rows first.")
        yield [_check_foreign_keys]
    finally:
        if connection.in_transaction():
            connection.rollback()  # what a migration committed stays; a failed one is undone
        _sqlite_foreign_keys(connection, on=True)


def _sqlite_foreign_keys(connection, on):
    """Switch SQLite's foreign keys on the driver's own connection, outside any transaction: inside one
    (and SQLAlchemy would begin one for any statement it runs) SQLite ignores the PRAGMA."""
    driver = connection.connection.driver_connection
    driver.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
    if driver.execute("PRAGMA foreign_keys").fetchone()[0] != int(on):
        connection.invalidate()  # the pool never gets this connection back in the wrong state
        raise RuntimeError(f"could not switch SQLite's foreign keys {'on' if on else 'off'} for the migration")


def _broken_references(connection):
    """SQLite's ``foreign_key_check``, told in words: which rows refer to rows that do not exist."""
    by_table = {}
    for table, rowid, parent, _ in connection.exec_driver_sql("PRAGMA foreign_key_check").all():
        by_table.setdefault((table, parent), []).append(str(rowid))
    return "; ".join(f"{table} rows {', '.join(rowids[:10])}{' …' if len(rowids) > 10 else ''} ({len(rowids)} "
                     f"in all) refer to {parent} rows that do not exist" for (table, parent), rowids in by_table.items())


def _unwritten_messages_guard(connection):
    """0021's downgrade drops ``outbox_message.recipe``, and with it every message still waiting to be
    written (a confirmation queued as a recipe). Released migrations are never edited, so the refusal lives
    here: counted before anything runs, checked after the step inside its transaction, which a refusal
    rolls back, unless ``flask db downgrade -x force=yes``."""
    columns = ({c["name"] for c in sa.inspect(connection).get_columns("outbox_message")}
               if sa.inspect(connection).has_table("outbox_message") else set())
    unwritten = (connection.execute(sa.text("SELECT count(*) FROM outbox_message WHERE recipe IS NOT NULL")).scalar()
                 if "recipe" in columns else 0)
    connection.rollback()  # Alembic commits only a transaction it began itself
    forced = context.get_x_argument(as_dictionary=True).get("force") == "yes"

    def refuse(ctx, step, heads, run_args):
        if unwritten and not forced and not step.is_upgrade and "0021" in step.source_revision_ids:
            raise RuntimeError(
                f"Not downgraded: {unwritten} message(s) in the outbox (confirmations) are still to be written, and "
                "this downgrade would delete them. Let the outbox send them first (flask mail send-due), or delete "
                "them with `flask db downgrade -x force=yes`.")
    return refuse


def _check_foreign_keys(ctx, step, heads, run_args):
    """After each migration, inside its transaction: a migration that leaves a reference pointing nowhere
    is rolled back, naming the rows, instead of leaving them for the site to trip on."""
    broken = _broken_references(ctx.connection)
    if broken:
        source = ", ".join(step.source_revision_ids) or "base"
        destination = ", ".join(step.destination_revision_ids) or "base"
        raise RuntimeError(f"The migration {source} -> {destination} was rolled back: {broken}.")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
