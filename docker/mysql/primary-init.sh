# Sourced by the mysql image's entrypoint on the first start of an empty data directory
# (docker-entrypoint-initdb.d), with the temporary server listening on the local socket only.
# The database and users are created here rather than through MYSQL_DATABASE / MYSQL_USER so that
# the statements go to the binary log and the replica receives them too.

# SQL string literal: double the quotes and backslashes.
geohazard_sql_quote() { local s=${1//\\/\\\\}; printf "'%s'" "${s//\'/\'\'}"; }

MYSQL_PWD="$MYSQL_ROOT_PASSWORD" mysql --protocol=socket -u root <<SQL
CREATE DATABASE IF NOT EXISTS geohazard CHARACTER SET utf8mb4;
CREATE USER IF NOT EXISTS 'geohazard'@'%' IDENTIFIED BY $(geohazard_sql_quote "$GEOHAZARD_DB_PASSWORD");
GRANT ALL PRIVILEGES ON geohazard.* TO 'geohazard'@'%';
CREATE USER IF NOT EXISTS 'replicator'@'%' IDENTIFIED BY $(geohazard_sql_quote "$MYSQL_REPLICATION_PASSWORD");
GRANT REPLICATION SLAVE ON *.* TO 'replicator'@'%';
SQL
