#!/bin/sh
# Run once by the postgres image, when its data volume is first created (docker-entrypoint-initdb.d).
# The superuser creates Pare.Cell's two roles and its database, and is never used by Pare.Cell again:
# - pare_owner owns the database and its schemas; `migrate` connects as it (DDL, grants, retention);
# - pare_app is what the API and job servers connect as; `migrate` grants it what they need, nothing more.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner_password="$PARE_DB_OWNER_PASSWORD" -v app_password="$PARE_DB_APP_PASSWORD" <<'SQL'
create role pare_owner login password :'owner_password';
create role pare_app login password :'app_password';
create database pare owner pare_owner;
revoke all on database pare from public;
grant connect, temporary on database pare to pare_app;
SQL
