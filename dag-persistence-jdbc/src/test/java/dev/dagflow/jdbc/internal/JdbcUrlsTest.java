package dev.dagflow.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JdbcUrlsTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "jdbc:postgresql://h:5432/db?user=u&password=secret&ssl=true"
          + "|jdbc:postgresql://h:5432/db?user=u&password=***&ssl=true",
      "jdbc:mariadb://h/db?PASSWORD=secret|jdbc:mariadb://h/db?PASSWORD=***",
      "jdbc:mariadb://u:secret@h:3306/db|jdbc:mariadb://u:***@h:3306/db",
      "jdbc:h2:tcp://h/db;USER=sa;PASSWORD=secret;MODE=x"
          + "|jdbc:h2:tcp://h/db;USER=sa;PASSWORD=***;MODE=x",
      "jdbc:h2:mem:x|jdbc:h2:mem:x"})
  void passwordsAreHidden(String url, String shown) {
    assertThat(JdbcUrls.withoutPassword(url)).isEqualTo(shown);
  }

  @Test
  void aDataSourceIsDescribedByItsUrlProperty() {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:described;PASSWORD=secret");
    assertThat(JdbcUrls.describe(h2)).isEqualTo("jdbc:h2:mem:described;PASSWORD=***");
  }
}
