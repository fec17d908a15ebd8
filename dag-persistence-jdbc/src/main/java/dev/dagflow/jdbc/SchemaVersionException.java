package dev.dagflow.jdbc;

import dev.dagflow.store.StoreException;

/**
 * The database holds the dagflow schema at a version this library cannot use: newer than the
 * newest it knows (a later dagflow migrated it), or, when migrating is off, older than it needs.
 * The message names the database's URL (without its password) and both versions.
 */
public class SchemaVersionException extends StoreException {
  private static final long serialVersionUID = 1L;

  private final String url;
  private final int found;
  private final int known;

  /**
   * @param url the database's JDBC URL, without its password
   * @param found the version recorded in the database
   * @param known the newest version this library knows
   * @param message what is wrong and what to do
   */
  public SchemaVersionException(String url, int found, int known, String message) {
    super("check the dagflow schema of " + url, message);
    this.url = url;
    this.found = found;
    this.known = known;
  }

  /** The JDBC URL of the database, without its password. */
  public String url() {
    return url;
  }

  /** The schema version recorded in the database. */
  public int found() {
    return found;
  }

  /** The newest schema version this library knows. */
  public int known() {
    return known;
  }
}
