package dev.dagflow.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dagflow.jdbc.JdbcDialect;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SchemaScriptTest {
  @Test
  void statementsAreSplitAtLineEndingSemicolonsAndCommentLinesDropped() {
    String script = "-- a comment; with a semicolon\n"
        + "CREATE TABLE a (\n  x INT -- not a comment line\n);\n\n"
        + "  -- indented comment\n"
        + "INSERT INTO a VALUES ('x;y');\r\n";
    assertThat(SchemaScript.split(script)).containsExactly(
        "CREATE TABLE a (\n  x INT -- not a comment line\n)", "INSERT INTO a VALUES ('x;y')");
  }

  @Test
  void aScriptEndingInsideAStatementIsRefused() {
    assertThatThrownBy(() -> SchemaScript.split("CREATE TABLE a (x INT)"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CREATE TABLE a");
  }

  @ParameterizedTest
  @EnumSource(JdbcDialect.class)
  void everyScriptIsShippedForEveryDialectWithThePrefixPlaceholder(JdbcDialect kind) {
    Dialect dialect = Dialect.of(kind);
    for (SchemaScript script : Migrator.SCRIPTS) {
      assertThat(script.resource(dialect))
          .isEqualTo("dev/dagflow/jdbc/schema/" + dialect.folder() + "/V" + script.version()
              + "__" + script.description() + ".sql");
      List<String> statements = script.statements(dialect, Tables.withPrefix("p_"));
      assertThat(statements).isNotEmpty().noneMatch(s -> s.contains("${"));
      assertThat(script.text(dialect)).contains("${prefix}");
    }
  }
}
