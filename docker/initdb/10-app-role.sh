#!/bin/sh
# Runs once, when the PostgreSQL container initialises its data: creates the least-privileged
# role the API connects as. The schema's owner (POSTGRES_USER) runs the migrations and grants
# this role its rights on every start of the API.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v app_password="$APP_DB_PASSWORD" <<'SQL'
CREATE ROLE clinic_app WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD :'app_password';
SQL
