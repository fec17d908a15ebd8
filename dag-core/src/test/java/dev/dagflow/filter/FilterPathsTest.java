package dev.dagflow.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@link Filter#paths()}: every path a filter reads, wherever it appears, each once. */
class FilterPathsTest {

  @Test
  void listsEveryPathOnceInTheOrderFirstMet() {
    Filter f = Filter.parse("{\"payload.port\": {\"$gt\": 1}, \"$or\": [{\"project\": \"a\"},"
        + " {\"$not\": {\"payload.owner\": {\"$regex\": \"^sec\"}}}], \"$and\": [{\"payload.port\":"
        + " {\"$lt\": 9}}, {\"$and\": [{\"type\": \"x\"}]}]}");
    assertThat(f.paths()).containsExactly("payload.port", "project", "payload.owner", "type");
  }

  @Test
  void aLiteralObjectValueIsNotAPath() {
    assertThat(Filter.parse("{\"result\": {\"a.b\": 1}}").paths()).containsExactly("result");
    assertThat(Filter.always().paths()).isEmpty();
  }

  @Test
  void isUnmodifiable() {
    assertThatThrownBy(() -> Filter.parse("{\"a\": 1}").paths().add("b"))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
