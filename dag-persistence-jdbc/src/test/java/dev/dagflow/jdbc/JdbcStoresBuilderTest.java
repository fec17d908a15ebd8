package dev.dagflow.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dagflow.store.StoreException;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.ds.PGSimpleDataSource;

class JdbcStoresBuilderTest {
  private static final JdbcDataSource NEVER_CONNECTED = new JdbcDataSource();

  @ParameterizedTest
  @ValueSource(strings = {"1abc", "_abc", "a-b", "a b", "a;", "a'", "dagflow.x",
      "abcdefghijklmnopqrstu", "é", "x\u0000", "'; DROP TABLE x; --"})
  void anInvalidTablePrefixIsRefusedNamingTheOption(String prefix) {
    assertThatThrownBy(() -> JdbcStores.builder(NEVER_CONNECTED).tablePrefix(prefix))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("tablePrefix must be");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a", "wf_", "Dagflow_2", "abcdefghijklmnopqrst"})
  void aValidTablePrefixIsTaken(String prefix) {
    assertThat(JdbcStores.builder(NEVER_CONNECTED).tablePrefix(prefix)).isNotNull();
  }

  @Test
  void nullsAndSecondSetsAreRefused() {
    assertThatThrownBy(() -> JdbcStores.create(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("dataSource");
    assertThatThrownBy(() -> JdbcStores.builder(NEVER_CONNECTED).tablePrefix(null))
        .isInstanceOf(NullPointerException.class).hasMessage("tablePrefix");
    assertThatThrownBy(() -> JdbcStores.builder(NEVER_CONNECTED).dialect(null))
        .isInstanceOf(NullPointerException.class).hasMessage("dialect");
    assertThatThrownBy(() -> JdbcStores.builder(NEVER_CONNECTED).tablePrefix("a")
        .tablePrefix("b")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("tablePrefix");
    assertThatThrownBy(() -> JdbcStores.builder(NEVER_CONNECTED).migrate(true).migrate(false))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("migrate");
    assertThatThrownBy(() -> JdbcStores.builder(NEVER_CONNECTED).dialect(JdbcDialect.H2)
        .dialect(JdbcDialect.MARIADB)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("dialect");
  }

  @Test
  void anUnreachableDatabaseFailsNamingItsUrlWithoutThePassword() {
    PGSimpleDataSource unreachable = new PGSimpleDataSource();
    unreachable.setURL("jdbc:postgresql://127.0.0.1:1/nowhere?user=u&password=s3cret");
    unreachable.setConnectTimeout(2);

    assertThatThrownBy(() -> JdbcStores.create(unreachable))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("127.0.0.1:1/nowhere")
        .hasMessageContaining("cannot be reached")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret"));
  }
}
