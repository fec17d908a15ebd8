/**
 * Durable stores over JDBC for H2, PostgreSQL and MariaDB/MySQL: {@link
 * dev.dagflow.jdbc.JdbcStores} builds every store of dagflow over the host's {@link
 * javax.sql.DataSource}, detects the database's dialect ({@link dev.dagflow.jdbc.JdbcDialect}),
 * and migrates its schema with the scripts shipped in {@code dev/dagflow/jdbc/schema/<dialect>/}
 * (Flyway-compatible names). Implementation details live in {@code dev.dagflow.jdbc.internal},
 * which no other module may import.
 */
package dev.dagflow.jdbc;
