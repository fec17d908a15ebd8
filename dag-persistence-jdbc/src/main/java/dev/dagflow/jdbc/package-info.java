/**
 * Durable stores over JDBC for H2, PostgreSQL and MariaDB/MySQL, with schema migrations and
 * multi-instance run leases. Built out in a later issue; see DESIGN.md, section "Stores".
 */
package dev.dagflow.jdbc;
