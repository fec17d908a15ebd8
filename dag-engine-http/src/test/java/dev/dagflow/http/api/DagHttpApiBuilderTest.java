package dev.dagflow.http.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dagflow.engine.DagEngine;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The builder, the principal and the token authenticator check what they are given. */
class DagHttpApiBuilderTest {
  private final DagEngine engine = DagEngine.builder().build();

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void theBuilderNeedsAnAuthenticatorAndASaneBodyLimit() {
    assertThatThrownBy(() -> DagHttpApi.builder(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("engine");
    assertThatThrownBy(() -> DagHttpApi.builder(engine).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("authenticator");
    assertThatThrownBy(() -> DagHttpApi.builder(engine).maxBodyBytes(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBodyBytes");
    assertThatThrownBy(() -> DagHttpApi.builder(engine).maxBodyBytes((256 << 20) + 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBodyBytes");
    assertThatThrownBy(() -> DagHttpApi.builder(engine).maxBodyBytes(10).maxBodyBytes(20))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("already set to 10");
    Authenticator none = token -> Optional.empty();
    assertThatThrownBy(() -> DagHttpApi.builder(engine).authenticator(none).authenticator(none))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("authenticator");
    assertThat(DagHttpApi.builder(engine).authenticator(none).build().maxBodyBytes())
        .isEqualTo(DagHttpApi.DEFAULT_MAX_BODY_BYTES);
  }

  @Test
  void changingAProjectImpliesReadingIt() {
    ApiPrincipal p = ApiPrincipal.of("ops", Set.of("a"), Set.of("b"));
    assertThat(p.canRead("a")).isTrue();
    assertThat(p.canChange("a")).isFalse();
    assertThat(p.canRead("b")).isTrue();
    assertThat(p.canChange("b")).isTrue();
    assertThat(p.canRead("c")).isFalse();
    assertThat(p.readableProjects()).containsExactlyInAnyOrder("a", "b");
    assertThat(ApiPrincipal.readWrite("x", "a", "a").changeableProjects()).containsExactly("a");
    assertThatThrownBy(() -> ApiPrincipal.readOnly(" ")).hasMessageContaining("name");
    assertThatThrownBy(() -> p.readableProjects().add("z"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void fixedTokensAreCopiedAndCheckedWhole() {
    Map<String, ApiPrincipal> tokens = new HashMap<>();
    tokens.put("abc", ApiPrincipal.readOnly("r", "a"));
    Authenticator auth = Authenticator.tokens(tokens);
    tokens.put("def", ApiPrincipal.readOnly("late", "a"));

    assertThat(auth.authenticate("abc")).map(ApiPrincipal::name).contains("r");
    assertThat(auth.authenticate("ab")).isEmpty();
    assertThat(auth.authenticate("abcd")).isEmpty();
    assertThat(auth.authenticate("def")).as("added after the copy").isEmpty();
    assertThatThrownBy(() -> Authenticator.tokens(Map.of("", ApiPrincipal.readOnly("r"))))
        .hasMessageContaining("empty token");
  }
}
