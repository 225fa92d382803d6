"""Command line: `python -m assistant run|gateway|rasa|actions|worker|migrate|train-if-changed|
train|admin|links|catalog`.

`run` starts everything on one machine; `gateway`, `rasa`, `actions` and `worker` each start
one process of that kind, reaching the others by URL (RASA_URL, ACTION_SERVER_URL,
DATABASE_URL, REDIS_URL, MODEL_STORE_URL), so replicas run on any hosts and ports."""

from __future__ import annotations

import argparse
import logging
import sys

from assistant import logcontext
from assistant.settings import Settings, SettingsError, load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="database, migrations, demo data, model, then every process")
    sub.add_parser("gateway", help="serve the gateway only (run starts it for you)")
    sub.add_parser("rasa", help="serve one Rasa replica only (needs DATABASE_URL)")
    sub.add_parser("actions", help="serve the Rasa action server only (run starts it for you)")
    sub.add_parser("worker", help="periodic jobs, outbox dispatcher and payment workers only")
    sub.add_parser("migrate", help="apply database migrations")
    sub.add_parser("train-if-changed", help="train the Rasa model if the training data changed")
    sub.add_parser("train", help="validate, train, evaluate; swap in the model if no worse")
    admin = sub.add_parser("admin", help="set a dashboard admin's password (creating the admin);"
                                         " asks for it, or reads one line from a pipe")
    admin.add_argument("email")
    links = sub.add_parser("links", help="short links in messages")
    revoke = links.add_subparsers(dest="links_command", required=True).add_parser(
        "revoke", help="withdraw a short link (/a/CODE), or every link of an appointment")
    revoke.add_argument("code", nargs="?")
    revoke.add_argument("--appointment", metavar="ID", help="an appointment (or waitlist offer) id")
    _catalog_parser(sub)
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    logcontext.configure(settings.log_level, settings.log_format)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # one line per job run is noise
    if args.command == "admin":
        return _admin(settings, args.email)
    if args.command == "links":
        return _revoke_links(settings, args.code, args.appointment)
    if args.command == "catalog":
        return _catalog(settings, args)
    return COMMANDS[args.command](settings)


def _run(settings: Settings) -> int:
    from assistant.run import run

    return run(settings)


def _gateway(settings: Settings) -> int:
    from assistant.gateway.app import serve

    serve(settings)
    return 0


def _rasa(settings: Settings) -> int:
    from assistant.run import serve_rasa

    return serve_rasa(settings)


def _worker(settings: Settings) -> int:
    from assistant.worker import serve

    serve(settings)
    return 0


def _actions(settings: Settings) -> int:
    from assistant.action_server import serve

    serve(settings)
    return 0


def _migrate(settings: Settings) -> int:
    from assistant.run import database
    from scheduling.persistence.migrate import upgrade

    with database(settings, borrow=True) as url:
        upgrade(url)
    return 0


def _admin(settings: Settings, email: str) -> int:
    from assistant.admin_cli import set_admin_password

    return set_admin_password(settings, email)


def _revoke_links(settings: Settings, code: str | None, appointment: str | None) -> int:
    from assistant.links_cli import revoke

    return revoke(settings, code, appointment)


def _catalog_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    catalog = sub.add_parser("catalog", help="the business's catalog as a YAML file "
                                             "(docs/catalog-yaml.md)")
    verbs = catalog.add_subparsers(dest="catalog_command", required=True)
    verbs.add_parser("export", help="write the catalog (to FILE, else to the screen)"
                     ).add_argument("file", nargs="?")
    load = verbs.add_parser("import", help="check FILE.yml whole, then make it the catalog")
    load.add_argument("file")
    load.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
    load.add_argument("--discard-bookings", action="store_true",
                      help="replace a business that has appointments, deleting them")


def _catalog(settings: Settings, args: argparse.Namespace) -> int:
    from assistant import catalog_cli

    if args.catalog_command == "export":
        return catalog_cli.export(settings, args.file)
    return catalog_cli.import_file(settings, args.file, args.dry_run, args.discard_bookings)


def _train(settings: Settings) -> int:
    from assistant.rasa_model import ensure_model

    print(ensure_model())
    return 0


def _retrain(settings: Settings) -> int:
    from assistant.retrain import main as retrain

    return retrain(settings)


COMMANDS = {
    "run": _run,
    "gateway": _gateway,
    "rasa": _rasa,
    "actions": _actions,
    "worker": _worker,
    "migrate": _migrate,
    "train-if-changed": _train,
    "train": _retrain,
}

if __name__ == "__main__":
    sys.exit(main())
