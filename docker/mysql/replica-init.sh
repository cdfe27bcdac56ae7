# Sourced by the mysql image's entrypoint on the first start of an empty data directory.
# Points this server at the primary with GTID auto-positioning (it replays the primary's whole
# binary log, database and users included), then makes it read-only for everyone but replication.
# SET PERSIST survives the restart that ends the image's initialisation.

geohazard_sql_quote() { local s=${1//\\/\\\\}; printf "'%s'" "${s//\'/\'\'}"; }

MYSQL_PWD="$MYSQL_ROOT_PASSWORD" mysql --protocol=socket -u root <<SQL
CHANGE REPLICATION SOURCE TO
  SOURCE_HOST='mysql-primary', SOURCE_PORT=3306,
  SOURCE_USER='replicator', SOURCE_PASSWORD=$(geohazard_sql_quote "$MYSQL_REPLICATION_PASSWORD"),
  SOURCE_AUTO_POSITION=1, GET_SOURCE_PUBLIC_KEY=1;
START REPLICA;
SET PERSIST read_only = ON;
SET PERSIST super_read_only = ON;
SQL
