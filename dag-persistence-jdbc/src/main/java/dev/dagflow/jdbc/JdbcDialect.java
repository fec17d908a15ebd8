package dev.dagflow.jdbc;

/**
 * The databases the JDBC stores speak to. {@link JdbcStores} detects the dialect from the
 * database's product name ({@link java.sql.DatabaseMetaData#getDatabaseProductName()}); {@link
 * JdbcStores.Builder#dialect} overrides the detection, e.g. for a database that answers with
 * another name but speaks one of these.
 */
public enum JdbcDialect {
  /** H2 2.x, embedded (file or memory) or as a server. */
  H2,
  /** PostgreSQL 12 or later. */
  POSTGRESQL,
  /** MariaDB 10.6 or later; MySQL 8 is detected as this dialect too. */
  MARIADB
}
