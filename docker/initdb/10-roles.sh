#!/bin/sh
# Runs once, when the PostgreSQL container initialises its data, as the superuser. Creates the
# two roles of the least-privilege set-up (src/database/roles.ts) and the clinic database:
# - clinic_owner owns the database and its schema and runs the migrations; it is no superuser
#   and can create neither roles nor databases;
# - clinic_app serves requests; the owner grants it its rights after every migration run.
# The superuser is used for nothing after this.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner_password="$OWNER_DB_PASSWORD" -v app_password="$APP_DB_PASSWORD" <<'SQL'
CREATE ROLE clinic_owner WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD :'owner_password';
CREATE ROLE clinic_app WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD :'app_password';
CREATE DATABASE clinic OWNER clinic_owner;
SQL
