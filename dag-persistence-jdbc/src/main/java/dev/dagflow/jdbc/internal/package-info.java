/**
 * Internals of the JDBC stores: the dialects, the context shared by the stores of one database,
 * the table names and the built-in migrator. Not an API: other modules must not import it.
 */
package dev.dagflow.jdbc.internal;
