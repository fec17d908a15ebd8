package dev.dagflow.jdbc.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One migration script of one dialect, as shipped in {@code dev/dagflow/jdbc/schema/<dialect>/}
 * under its Flyway name {@code V<version>__<description>.sql}. The scripts keep to a form the
 * migrator splits without parsing SQL: comments are whole lines starting with {@code --}, and
 * every statement ends with a {@code ;} at the end of a line. Immutable.
 *
 * @param version the schema version the script brings the database to
 * @param description the words of its file name after {@code __}
 * @param readableFrom the oldest schema version an engine may know and still use a database at
 *     this version: {@code version} for a script that changes what older engines rely on, lower
 *     for an additive one (expand now, contract in a later version), so that engines of two
 *     versions can share a database while a host rolls out
 */
public record SchemaScript(int version, String description, int readableFrom) {
  public SchemaScript {
    if (readableFrom < 1 || readableFrom > version) {
      throw new IllegalArgumentException("readableFrom must be 1 to " + version + ", was "
          + readableFrom);
    }
  }

  /** The resource path of this script for {@code dialect}. */
  public String resource(Dialect dialect) {
    return "dev/dagflow/jdbc/schema/" + dialect.folder() + "/V" + version + "__" + description
        + ".sql";
  }

  /** The script's text for {@code dialect}, as shipped (placeholders not replaced). */
  public String text(Dialect dialect) {
    String resource = resource(dialect);
    try (InputStream in = SchemaScript.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the schema script " + resource + " is missing from "
            + "the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the schema script " + resource, e);
    }
  }

  /** The statements of the script for {@code dialect}, with the table prefix of {@code tables}. */
  public List<String> statements(Dialect dialect, Tables tables) {
    return split(tables.expand(text(dialect)));
  }

  /** The statements of {@code script}: comment lines dropped, split at each line-ending ';'. */
  static List<String> split(String script) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : script.split("\r?\n", -1)) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("--")) {
        continue;
      }
      if (current.length() > 0) {
        current.append('\n');
      }
      if (trimmed.endsWith(";")) {
        current.append(line, 0, line.lastIndexOf(';'));
        statements.add(current.toString().strip());
        current.setLength(0);
      } else {
        current.append(line);
      }
    }
    if (!current.toString().isBlank()) {
      throw new IllegalArgumentException("the script ends inside a statement: " + current);
    }
    return List.copyOf(statements);
  }
}
